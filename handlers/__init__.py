"""aiogram routers, one module per feature. Order matters: the fallback comes last."""

from __future__ import annotations

from aiogram import Router


def feature_routers() -> list[Router]:
    from handlers import (
        buttons,
        charts,
        documents,
        errors,
        export,
        fallback,
        groups,
        inline,
        language,
        links,
        search,
        sources,
        start,
        subjects,
        subscriptions,
        topics,
    )

    return [
        start.router,
        inline.router,
        topics.router,
        charts.router,
        export.router,
        sources.router,
        language.router,
        subscriptions.router,
        documents.router,
        links.router,
        search.router,
        subjects.router,
        buttons.router,
        groups.router,
        fallback.router,
        errors.router,
    ]
