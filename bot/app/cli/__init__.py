"""The subcommands behind `python -m bot`: ingest and facts, digest, charts."""
