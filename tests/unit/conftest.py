"""Unit-test fixtures: the real catalogs, and a way to render in one language."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager

import pytest
from aiogram.utils.i18n import I18n

from bot.render.i18n import create_i18n


@pytest.fixture(scope="session")
def i18n() -> I18n:
    return create_i18n()


@pytest.fixture
def use_language(i18n: I18n) -> Iterator[Callable[[str], AbstractContextManager[None]]]:
    """`with use_language("kk"): ...` renders in Kazakh."""
    with i18n.context():
        yield i18n.use_locale


@pytest.fixture(params=["ru", "kk"])
def language(request: pytest.FixtureRequest, i18n: I18n) -> Iterator[str]:
    """Runs a test once per language, with that language current."""
    with i18n.context(), i18n.use_locale(request.param):
        yield request.param


@pytest.fixture(scope="module")
def i18n_context(i18n: I18n) -> Iterator[None]:
    """A Kazakh context for the module's property tests (hypothesis reuses it)."""
    with i18n.context(), i18n.use_locale("kk"):
        yield
