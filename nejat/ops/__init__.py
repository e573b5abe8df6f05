"""Operations: keeping the site running. The embedded PostgreSQL engine (``db.embedded``),
backups and restores, the health check, processes that must not outlive the server, the request
log and its JSON lines, the metrics for Prometheus, error reports to Sentry, and the demo
content's files.

Neighbours: none below; only the management commands and settings use it, so it can be read
and changed on its own.
"""
