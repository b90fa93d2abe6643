"""The Alembic migrations build the schema the ORM expects."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import create_engine, inspect

from bot.storage.db import upgrade_sync
from bot.storage.models import Base


def test_migrations_create_every_table_and_column(tmp_path: Path) -> None:
    path = tmp_path / "schema.db"
    upgrade_sync(f"sqlite+aiosqlite:///{path}")
    inspector = inspect(create_engine(f"sqlite:///{path}"))
    for table in Base.metadata.sorted_tables:
        columns = {column["name"] for column in inspector.get_columns(table.name)}
        assert columns == {column.name for column in table.columns}, table.name
