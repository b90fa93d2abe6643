"""Queries: what the bot answers with, asked of the store.

Owns the read side that handlers and features call: a topic's facts grouped by subject,
a subject's card and timelines, search pages, the sources. Returns plain dataclasses from
`bot.domain`; caches what it reads per store version. May import `bot.storage`,
`bot.pipeline` (the gazetteer, to name subjects) and `bot.domain`; nothing above.
"""
