"""The fact store: ORM records, engine and session factory, repositories, migrations."""
