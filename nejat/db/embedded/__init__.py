"""PostgreSQL backend that starts the project's embedded PostgreSQL 16 on first connection.

Used when DATABASE_URL is unset, so a newcomer needs no database server. The server (from the
``pgserver`` wheel) keeps its data in ``DATABASES["default"]["PGDATA"]`` and listens only on a
Unix socket. pgserver counts the processes using it and stops the server when the last one exits, so
stopping ``make run`` stops the database too; the next start finds all data again.
"""
