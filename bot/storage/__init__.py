"""The fact store: ORM records, engine and session factory, repositories, full-text
search, migrations, and ingest (analysed documents written in one transaction each).

Works on SQLite and PostgreSQL alike; dialect-specific SQL stays behind repository
methods. May import `bot.pipeline` and `bot.domain`; nothing above.
"""
