"""PostgreSQL backend that starts the project's embedded PostgreSQL 16 on first connection.

Used when DATABASE_URL is unset, so a newcomer needs no database server. The server (from the
``pgserver`` wheel) keeps its data in ``DATABASES["default"]["PGDATA"]`` and listens only on a Unix
socket. Connecting starts it and nothing stops it implicitly: ``manage.py serve`` (``make run``)
stops it when the site stops, the test session stops it if it started it, and
``manage.py embedded_db stop`` stops it by hand.
"""
