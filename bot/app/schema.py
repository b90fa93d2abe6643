"""Whether a store's schema is already current, known without Alembic and SQLAlchemy.

`python -m bot run` brings the schema up to date in a process of its own (Alembic is
megabytes and a second of CPU). Most starts find it current: for a SQLite store this reads
the revisions it was migrated to and compares them with the heads of the migration
scripts, in a few milliseconds of the standard library, and the process is not started.
Anything else (PostgreSQL, a store that cannot be read, a missing or older schema) is
left to the migration process, as before.
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

from bot import PROJECT_ROOT
from bot.domain.settings import resolve_database_url

VERSIONS_DIR = PROJECT_ROOT / "bot" / "storage" / "migrations" / "versions"

_SQLITE = "sqlite+aiosqlite:///"
# `revision: str = "0009"` and `down_revision: ... = "0008"` (or a tuple, or None), the way
# Alembic's template writes them.
_REVISION = re.compile(r"^revision\b[^=\n]*=\s*(.+)$", re.MULTILINE)
_DOWN_REVISION = re.compile(r"^down_revision\b[^=\n]*=\s*(.+)$", re.MULTILINE)
_QUOTED = re.compile(r"[\"']([^\"']+)[\"']")


def script_heads(versions: Path = VERSIONS_DIR) -> frozenset[str]:
    """The revisions no migration script revises: what `alembic upgrade heads` reaches."""
    revisions: set[str] = set()
    revised: set[str] = set()
    for script in sorted(versions.glob("*.py")):
        text = script.read_text(encoding="utf-8")
        revision = _REVISION.search(text)
        down = _DOWN_REVISION.search(text)
        names = _QUOTED.findall(revision[1]) if revision else []
        if len(names) != 1 or down is None:
            raise ValueError(f"{script.name}: no revision and down_revision to read")
        revisions.add(names[0])
        revised.update(_QUOTED.findall(down[1]))
    return frozenset(revisions - revised)


def stored_heads(url: str) -> frozenset[str] | None:
    """The revisions a SQLite store's schema is at; None when that is not known here (another
    database, no file yet, no version table, a file that cannot be read)."""
    url = resolve_database_url(url)
    if not url.startswith(_SQLITE):
        return None
    path = Path(url[len(_SQLITE) :])
    if not path.is_absolute() or not path.is_file():
        return None
    try:
        connection = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, timeout=5)
        try:
            rows = connection.execute("SELECT version_num FROM alembic_version").fetchall()
        finally:
            connection.close()
    except sqlite3.Error:
        return None
    return frozenset(str(row[0]) for row in rows)


def schema_is_current(url: str) -> bool:
    """True only when the store is known to be at every head of the migration scripts."""
    stored = stored_heads(url)
    return bool(stored) and stored == script_heads()
