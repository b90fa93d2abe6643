"""The fact pipeline: documents in, facts out, with no store.

Normalise → drop page noise → sentences → numbers → units → topic → subject → period
and status; beside it the gazetteer (the named things of the region in both languages),
the vocabularies read from `data/vocab/`, the search-term analysis shared by the index
and the queries, and the evaluation against a gold list. May import `bot.domain` only.
"""
