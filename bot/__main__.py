"""Command line: `python -m bot [run|migrate|ingest|fetch|reindex|digest|facts|charts|evaluate]`."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__)
    commands = parser.add_subparsers(dest="command")

    commands.add_parser(
        "run", help="run the bot on Telegram (long polling, or a webhook server with WEBHOOK_URL)"
    )

    migrate = commands.add_parser("migrate", help="create or update the store's schema")
    migrate.add_argument("--db", help="database URL (default: DATABASE_URL)")

    ingest = commands.add_parser("ingest", help="add documents to the fact store")
    ingest.add_argument("paths", nargs="*", help="files or folders (default: data/documents)")
    ingest.add_argument("--db", help="database URL (default: DATABASE_URL)")

    fetch = commands.add_parser("fetch", help="fetch the news feeds once and ingest new articles")
    fetch.add_argument("--db", help="database URL (default: DATABASE_URL)")
    fetch.add_argument("--feeds", help="feeds file (default: data/feeds.toml)")
    reindex = commands.add_parser("reindex", help="rebuild the search index from the stored facts")
    reindex.add_argument("--db", help="database URL (default: DATABASE_URL)")
    reindex.add_argument(
        "--if-stale",
        action="store_true",
        help="only when the index was built by another version of the analysis",
    )

    digest = commands.add_parser("digest", help="send the digests that are due")
    digest.add_argument(
        "--now",
        action="store_true",
        help="send every subscriber's digest now, as if their time had come",
    )
    digest.add_argument("--db", help="database URL (default: DATABASE_URL)")

    facts = commands.add_parser("facts", help="list the facts in the store")
    facts.add_argument("--db", help="database URL (default: DATABASE_URL)")
    facts.add_argument("--topic", help="only this topic")
    facts.add_argument("--format", choices=("table", "jsonl"), default="table")

    charts = commands.add_parser("charts", help="draw every chart the bot can send to PNG files")
    charts.add_argument("--out", required=True, help="folder for the PNG files")
    charts.add_argument("--language", help="only this language: ru or kk (default: both)")
    charts.add_argument("--db", help="database URL (default: DATABASE_URL)")

    evaluate = commands.add_parser("evaluate", help="score the fact pipeline on a gold set")
    evaluate.add_argument("folder", nargs="?", help="documents and gold.json (default: dev set)")
    evaluate.add_argument("--gold", help="gold file (default: FOLDER/gold.json)")
    return parser


def start_migration(url: str) -> subprocess.Popen[bytes]:
    """`python -m bot migrate` on `url`, running; the URL goes by the environment, not
    the command line, where anyone on the machine could read its password."""
    return subprocess.Popen(
        [sys.executable, "-m", "bot", "migrate"],
        env={**os.environ, "DATABASE_URL": url},
        stdin=subprocess.DEVNULL,
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    from bot.domain.settings import Settings

    settings = Settings()
    url = getattr(args, "db", None) or settings.database_url
    command = args.command or "run"
    if command == "migrate":
        from bot.storage.engine import migrate

        asyncio.run(migrate(url))
        return 0
    if command == "ingest":
        from bot.app.cli.ingest import run_ingest

        return asyncio.run(run_ingest(url, args.paths))
    if command == "fetch":
        from bot.features.feeds.cli import run_fetch

        feeds = Path(args.feeds) if args.feeds else None
        return asyncio.run(run_fetch(settings, url, feeds))
    if command == "reindex":
        from bot.pipeline.search_terms import index_labels
        from bot.storage.reindex import run_reindex

        return asyncio.run(run_reindex(url, index_labels(), if_stale=args.if_stale))
    if command == "facts":
        from bot.app.cli.ingest import run_facts

        return asyncio.run(run_facts(url, topic=args.topic, output_format=args.format))
    if command == "evaluate":
        logging.getLogger().setLevel(logging.WARNING)  # the score, not the pipeline's chatter
        from bot.pipeline.evaluate import run_evaluate

        return run_evaluate(
            Path(args.folder) if args.folder else None, Path(args.gold) if args.gold else None
        )
    if command == "charts":
        from bot.render.i18n import LANGUAGES

        # Checked here, not by argparse: bot.render.i18n imports aiogram, slow for every command.
        if args.language and args.language not in LANGUAGES:
            parser.error(f"--language: one of {', '.join(LANGUAGES)}")
        from bot.app.cli.charts import run_charts

        languages = (args.language,) if args.language else LANGUAGES
        return asyncio.run(run_charts(url, Path(args.out), languages))
    if command == "digest":
        from bot.app.cli.digest import run_digest

        return asyncio.run(run_digest(settings, url, now=args.now))
    if command == "run":
        import gc

        from bot.app.memory import fix_mmap_threshold, limit_malloc_arenas
        from bot.pipeline.morph import read_dictionaries_by_page

        limit_malloc_arenas()  # before any thread starts
        fix_mmap_threshold()
        # The bot looks up a query's few words at a time, never a document's thousands.
        read_dictionaries_by_page()
        # No collections while the process builds what it keeps for its whole life; they
        # resume once it is up (`bot.app.memory.collect_after_start_up`).
        gc.disable()
        # The schema is brought up to date by a process of its own, started before the
        # bot's imports (seconds, mostly aiogram's) so that the two overlap, and so that
        # the bot's process never loads Alembic; not started at all when the store is
        # known to be current already (it would only compete for the CPU).
        # (Not when run_bot will refuse the settings and stop at once.)
        from bot.app.schema import schema_is_current

        runnable = settings.bot_token is not None and (
            not settings.webhook_url or settings.webhook_secret is not None
        )
        current = runnable and schema_is_current(url)
        migration = start_migration(url) if runnable and not current else None
        from bot.app.runner import run_bot

        return asyncio.run(run_bot(settings, migration=migration, schema_current=current))
    return 2


if __name__ == "__main__":
    sys.exit(main())
