"""What the word analyses keep: a bounded number of words, however many were seen (a bot
that runs for months sees every word anyone searched for)."""

from __future__ import annotations

from bot.pipeline import morph, search_terms


def test_the_word_caches_keep_at_most_word_cache_words() -> None:
    for number in range(morph.WORD_CACHE + 50):
        word = f"w{number}"  # Latin: no dictionary needed, every one a new entry
        morph.lemma(word)
        morph.lemmas_of(word)
        search_terms._lemma(word)
        search_terms.kazakh_stems(word)
        search_terms.plain_kazakh_stems(word)
    caches = (
        morph.lemma,
        morph.parses,
        morph.lemmas_of,
        search_terms._lemma,
        search_terms.kazakh_stems,
        search_terms.plain_kazakh_stems,
    )
    for cached in caches:
        info = cached.cache_info()
        assert info.maxsize == morph.WORD_CACHE
        assert info.currsize == morph.WORD_CACHE
