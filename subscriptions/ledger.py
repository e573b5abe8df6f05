"""A sender's record of its deliveries, written without waiting for the database's answer.

A sender writes two things about each recipient: *handed*, just before the mail server is told
that the message is complete, and the server's answer. Waiting for the database each time would
cost a round trip per mail, and waiting for the *handed* commit before the final "." would open
a window (the commit's answer on its way back) in which a killed sender has recorded a mail it
never completed. So the sender has a connection of its own in libpq's pipeline mode
(https://www.postgresql.org/docs/16/libpq-pipeline-mode.html): each statement is sent with a
sync point, and so commits on its own once the server reads it, even if the sender dies the next
instant; the answers are read later (``settle``), when the sender is about to write again.
"""

from django.db import connection
from psycopg import pq
from psycopg.conninfo import make_conninfo

from subscriptions.models import Delivery


class LedgerError(Exception):
    pass


class Ledger:
    def __init__(self):
        self.pgconn = None  # connected when first written to
        self.unread = []  # (what, row id) of each statement sent, whose answer is not yet read
        table = connection.ops.quote_name(Delivery._meta.db_table)
        self.handed_sql = (
            f"UPDATE {table} SET state = 'handed', handed_at = now()"  # noqa: S608
            " WHERE id = $1 AND state = 'claimed' AND claimed_by = $2"
        ).encode()
        self.answer_sql = (
            f"UPDATE {table} SET state = $3, answer = $4, retry_at = $5, attempts = $6"  # noqa: S608
            " WHERE id = $1 AND claimed_by = $2"
        ).encode()

    def handed(self, row, token):
        """Row ``row`` is handed, if it is still this sender's (``claimed_by == token``)."""
        self.send("handed", row.pk, self.handed_sql, [row.pk, token])

    def answer(self, row, token):
        """The row's state, answer, retry time and attempts, as the sender set them."""
        retry_at = row.retry_at.isoformat() if row.retry_at else None
        params = [row.pk, token, row.state, row.answer, retry_at, row.attempts]
        self.send("answer", row.pk, self.answer_sql, params)

    def connect(self):
        if connection.in_atomic_block:
            raise LedgerError("A mailing is sent outside any transaction: its rows are committed.")
        self.pgconn = pq.PGconn.connect(conninfo().encode())
        if self.pgconn.status != pq.ConnStatus.OK:
            raise LedgerError(self.pgconn.get_error_message())
        self.pgconn.enter_pipeline_mode()

    def send(self, what, row_id, sql, params):
        if self.pgconn is None:
            self.connect()
        values = [None if value is None else str(value).encode() for value in params]
        self.pgconn.send_query_params(sql, values)
        self.pgconn.pipeline_sync()  # sends the statement and its sync point now
        self.unread.append((what, row_id))

    def settle(self):
        """Read the answers to what was sent: the ids of rows marked *handed* that were not
        this sender's any more (there should be none: ``sending.Sender.keep_claims``)."""
        not_ours = []
        for what, row_id in self.unread:
            result = self.statement_result()
            if result.status != pq.ExecStatus.COMMAND_OK:
                raise LedgerError(f"{what} of delivery {row_id}: {result.get_error_message()}")
            if what == "handed" and result.command_tuples != 1:
                not_ours.append(row_id)
        self.unread = []
        return not_ours

    def statement_result(self):
        """The next statement's result, read up to its sync point."""
        result = None
        while True:
            got = self.pgconn.get_result()
            if got is None:
                if self.pgconn.status != pq.ConnStatus.OK:
                    raise LedgerError(self.pgconn.get_error_message() or "connection lost")
                continue
            if got.status == pq.ExecStatus.PIPELINE_SYNC:
                return result
            result = result or got

    def close(self):
        if self.pgconn is None:
            return []
        try:
            return self.settle()
        finally:
            self.pgconn.finish()
            self.pgconn = None


def conninfo():
    """Django's own connection parameters, as a libpq connection string."""
    keywords = {option.keyword.decode() for option in pq.Conninfo.get_defaults()}
    params = connection.get_connection_params()
    return make_conninfo(**{key: value for key, value in params.items()
                            if key in keywords and value not in (None, "")})  # fmt: skip
