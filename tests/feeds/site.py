"""A small news site served by the test itself: feeds, articles and every way a page can
go wrong. It records each request, so tests can say what was (and was not) fetched."""

from __future__ import annotations

import asyncio
import gzip
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from aiohttp import web

ARTICLE_TITLE = "В Сарани запустят производство полиэтиленовых труб"
ARTICLE_PARAGRAPHS = (
    "В индустриальной зоне «Сарань» до конца 2027 года построят завод по выпуску "
    "полиэтиленовых труб. Стоимость проекта составит 7,5 млрд тенге.",
    "На предприятии планируют создать 180 рабочих мест, сообщили в управлении "
    "предпринимательства Карагандинской области.",
    "Трубы будут поставлять коммунальным предприятиям региона и соседних областей.",
)
# Page chrome with figures of its own: none of them may become a fact.
CHROME_FIGURES = ("498,2", "541,7", "3,9", "2417")


def article_page(title: str, paragraphs: tuple[str, ...], *, published: str = "2026-11-20") -> str:
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    return f"""<!DOCTYPE html>
<html lang="ru"><head><meta charset="utf-8"><title>{title} | Новости</title>
<meta property="article:published_time" content="{published}T09:30:00+05:00">
</head><body>
<header><nav><ul><li><a href="/">Главная</a></li><li><a href="/news">Новости</a></li>
<li><a href="/economy">Экономика</a></li><li><a href="/sport">Спорт</a></li></ul></nav>
<div class="rates">Курсы валют: USD 498,2 тг. EUR 541,7 тг.</div>
<div class="weather">Караганда +3 °C</div></header>
<main><article><h1>{title}</h1>
<div class="date">20 ноября 2026, 09:30</div>
{body}
</article>
<aside class="related"><h3>Читайте также</h3><ul>
<li><a href="/news/steel">Qarmet в 2024 году выплавил 3,9 млн тонн стали</a></li>
<li><a href="/news/roads">В Темиртау отремонтируют 12 улиц</a></li></ul></aside></main>
<footer><p>Просмотров: 2417</p><p>© 2026 Карагандинские новости. Все права защищены.
Перепечатка материалов без ссылки запрещена.</p></footer>
</body></html>"""


def reprint_page() -> str:
    """The same article on another site, in other chrome."""
    body = "\n".join(f"<p>{p}</p>" for p in ARTICLE_PARAGRAPHS)
    return f"""<html><head><meta charset="utf-8"><title>{ARTICLE_TITLE}</title></head><body>
<div id="menu"><a href="/">Басты бет</a> | <a href="/kz">Жаңалықтар</a></div>
<div class="post"><h1>{ARTICLE_TITLE}</h1>{body}</div>
<div class="footer">© 2026 Другое издание</div></body></html>"""


IRRELEVANT = article_page(
    "В столице открыли новую библиотеку",
    (
        "В Астане открылась библиотека с читальным залом на 300 мест, рассказали в "
        "управлении культуры столицы.",
        "Фонд библиотеки составляет 40 тысяч книг на казахском и русском языках.",
    ),
)
CP1251 = article_page(
    "В Темиртау модернизируют котельную",
    (
        "В Темиртау в 2026 году модернизируют городскую котельную за 2,4 млрд тенге.",
        "Работы завершат до начала отопительного сезона, сообщили в акимате города.",
    ),
)
GZIPPED = article_page(
    "В Балхаше построят склад",
    (
        "В Балхаше к 2027 году построят логистический склад площадью 12 тысяч квадратных "
        "метров, проект оценивают в 3 млрд тенге.",
        "Склад обслужит предприятия медной отрасли и торговые сети региона.",
    ),
)
MOVED = article_page(
    "Шахтинск получит новую подстанцию",
    (
        "В Шахтинске до конца 2026 года построят электрическую подстанцию мощностью "
        "40 мегаватт за 5,2 млрд тенге.",
        "Подстанция обеспечит электроэнергией новые жилые кварталы, сообщили в акимате.",
    ),
)


def rss(items: list[tuple[str, str]], *, base: str = "") -> str:
    entries = "".join(
        f"<item><title>{title}</title><link>{base}{path}</link>"
        f"<pubDate>Thu, 20 Nov 2026 09:30:00 +0500</pubDate></item>"
        for path, title in items
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>Новости</title><link>{base}/</link>{entries}</channel></rss>"
    )


def atom(items: list[tuple[str, str]], *, base: str = "") -> str:
    entries = "".join(
        f'<entry><title>{title}</title><link href="{base}{path}"/><id>{base}{path}</id>'
        f"<updated>2026-11-21T10:00:00Z</updated></entry>"
        for path, title in items
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>Другое издание</title><id>{base}/</id><updated>2026-11-21T10:00:00Z</updated>"
        f"{entries}</feed>"
    )


RSS_ITEMS = [
    ("/news/saran-pipes", ARTICLE_TITLE),
    ("/news/saran-pipes/?utm_source=rss&utm_medium=feed#top", ARTICLE_TITLE),
    ("/news/library", "Библиотека"),
    ("/private/draft", "Черновик"),
    ("/news/missing", "Удалено"),
    ("/news/broken", "Ошибка"),
    ("/news/slow", "Долго"),
    ("/news/huge", "Огромная"),
    ("/files/report.pdf", "Отчёт"),
    ("/news/temirtau-boiler", "Котельная"),
    ("/news/balkhash-warehouse", "Склад"),
    ("/old/shakhtinsk", "Подстанция"),
]
ATOM_ITEMS = [("/other/saran-pipes-reprint", ARTICLE_TITLE)]

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@dataclass
class Site:
    """The routes and what was asked of them."""

    slow_s: float = 3.0
    huge_bytes: int = 200_000
    requested: list[str] = field(default_factory=list)
    etag: str = '"v1"'
    robots_status: int = 200
    robots_extra: str = ""
    in_flight: int = 0
    most_in_flight: int = 0
    user_agents: list[str] = field(default_factory=list)

    def app(self) -> web.Application:
        app = web.Application(middlewares=[self._record])
        add = app.router.add_get
        add("/robots.txt", self._robots)
        add("/rss.xml", self._feed(lambda base: rss(RSS_ITEMS, base=base), "application/rss+xml"))
        add(
            "/atom.xml",
            self._feed(lambda base: atom(ATOM_ITEMS, base=base), "application/atom+xml"),
        )
        add("/news/saran-pipes", self._html(article_page(ARTICLE_TITLE, ARTICLE_PARAGRAPHS)))
        add("/other/saran-pipes-reprint", self._html(reprint_page()))
        add("/news/library", self._html(IRRELEVANT))
        add("/private/draft", self._html(article_page(ARTICLE_TITLE, ARTICLE_PARAGRAPHS)))
        add("/news/missing", self._status(404))
        add("/news/broken", self._status(500))
        add("/news/slow", self._slow)
        add("/news/huge", self._huge)
        add("/files/report.pdf", self._pdf)
        add("/news/temirtau-boiler", self._cp1251)
        add("/news/balkhash-warehouse", self._gzip)
        add("/old/shakhtinsk", self._redirect("/news/shakhtinsk-substation"))
        add("/news/shakhtinsk-substation", self._html(MOVED))
        add("/jump", self._redirect("http://10.20.30.40/admin"))
        add("/loop/a", self._redirect("/loop/b"))
        add("/loop/b", self._redirect("/loop/a"))
        return app

    def paths(self, prefix: str = "") -> list[str]:
        return [path for path in self.requested if path.startswith(prefix)]

    @web.middleware
    async def _record(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        self.requested.append(request.path_qs)
        self.user_agents.append(request.headers.get("User-Agent", ""))
        self.in_flight += 1
        self.most_in_flight = max(self.most_in_flight, self.in_flight)
        try:
            return await handler(request)
        finally:
            self.in_flight -= 1

    def _feed(self, make: Callable[[str], str], content_type: str) -> Handler:
        async def serve(request: web.Request) -> web.StreamResponse:
            if request.headers.get("If-None-Match") == self.etag:
                return web.Response(status=304, headers={"ETag": self.etag})
            base = f"{request.scheme}://{request.host}"
            return web.Response(
                body=make(base).encode("utf-8"),
                headers={"Content-Type": f"{content_type}; charset=utf-8", "ETag": self.etag},
            )

        return serve

    async def _robots(self, _request: web.Request) -> web.StreamResponse:
        if self.robots_status != 200:
            return web.Response(status=self.robots_status, text="unavailable")
        rules = "User-agent: *\nDisallow: /private/\n" + self.robots_extra
        return web.Response(text=rules, content_type="text/plain")

    @staticmethod
    def _html(html: str) -> Handler:
        async def serve(_request: web.Request) -> web.StreamResponse:
            return web.Response(text=html, content_type="text/html", charset="utf-8")

        return serve

    @staticmethod
    def _status(status: int) -> Handler:
        async def serve(_request: web.Request) -> web.StreamResponse:
            return web.Response(status=status, text="error")

        return serve

    @staticmethod
    def _redirect(to: str) -> Handler:
        async def serve(_request: web.Request) -> web.StreamResponse:
            raise web.HTTPMovedPermanently(to)

        return serve

    async def _slow(self, _request: web.Request) -> web.StreamResponse:
        await asyncio.sleep(self.slow_s)
        return web.Response(text=MOVED, content_type="text/html")

    async def _huge(self, request: web.Request) -> web.StreamResponse:
        # Streamed without a length, so only counting while reading can stop it.
        response = web.StreamResponse(headers={"Content-Type": "text/html; charset=utf-8"})
        await response.prepare(request)
        chunk = b"<p>" + "очень длинная страница ".encode() * 400 + b"</p>\n"
        sent = 0
        while sent < self.huge_bytes:
            await response.write(chunk)
            sent += len(chunk)
        await response.write_eof()
        return response

    @staticmethod
    async def _pdf(_request: web.Request) -> web.StreamResponse:
        return web.Response(
            body=b"%PDF-1.4\n%\xe2\xe3\n1 0 obj<<>>endobj\n", content_type="application/pdf"
        )

    @staticmethod
    async def _cp1251(_request: web.Request) -> web.StreamResponse:
        html = CP1251.replace('<meta charset="utf-8">', '<meta charset="windows-1251">')
        return web.Response(body=html.encode("cp1251"), headers={"Content-Type": "text/html"})

    @staticmethod
    async def _gzip(_request: web.Request) -> web.StreamResponse:
        return web.Response(
            body=gzip.compress(GZIPPED.encode("utf-8")),
            headers={"Content-Type": "text/html; charset=utf-8", "Content-Encoding": "gzip"},
        )
