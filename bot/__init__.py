"""The Karaganda region facts bot: documents → ingest → store → query → render → Telegram."""

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_ROOT / "data"
DOCUMENTS_DIR = DATA_DIR / "documents"
LOCALES_DIR = PROJECT_ROOT / "locales"
