"""``LOG_FORMAT=json``: each log line one JSON object, for a log store that indexes fields.

Fields: ``time`` (UTC, ISO 8601), ``level``, ``logger``, ``message``, ``request_id``
(``nejat.ops.request_log``), whatever the call passed in ``extra`` (the access line's
``method``, ``path``, ``status``, ``ms`` and ``edition``), and ``exception`` with the traceback
when there is one. Text stays the default (``settings.LOGGING``).
"""

import json
import logging
from datetime import UTC, datetime

# What every LogRecord has: the rest was passed in ``extra``.
STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "request_id"}


class JsonFormatter(logging.Formatter):
    def format(self, record):
        line = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"),
        }
        line |= {key: value for key, value in vars(record).items() if key not in STANDARD}
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            line["stack"] = self.formatStack(record.stack_info)
        return json.dumps(line, ensure_ascii=False, default=str)
