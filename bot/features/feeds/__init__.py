"""News that arrives by itself: feeds and article pages fetched politely and safely,
cleaned of page chrome, deduplicated, and ingested through the same pipeline as files.

This package owns the fetching (HTTP client, robots.txt, address checks), the feeds file,
the extraction of article text from HTML, its own tables (feed state, fetched pages,
further sources of a document, the fetch lease) and the fetch pass with its schedule.
It may import `bot.domain`, `bot.pipeline`, `bot.storage` and `bot.render`; nothing from
`handlers` or the Telegram wiring.
"""
