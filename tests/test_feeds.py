"""Feeds end to end, through the Bot API emulator against a feed server the test starts on
127.0.0.1: new items become drafts once, conditional requests are honoured, a failing feed
backs off and is retried, a restart in the middle of a poll makes nothing twice, and nothing
is published without an editor."""

from __future__ import annotations

import asyncio
import email.utils

import pytest
from aiohttp import web

from tests.conftest import running_bot, services_of
from tests.helpers import ask, buttons, press
from tests.websites import LocalSite

# Items written for these tests: (path, headline, date, author, paragraphs)
ITEMS = [
    ("/news/grain", "Экспорт зерна через Актау вырос на треть", "2026-01-12", "Даулет Жумабеков", [
        "Через морской порт Актау за прошлый год отправили 2,4 млн тонн зерна, на треть больше, чем годом ранее.",
        "Основные покупатели — Иран и Азербайджан. Порт расширил зерновой терминал и сократил простой вагонов.",
        "«Мы загрузили терминал почти полностью и уже проектируем вторую очередь», — сказал директор порта Нурлан Абенов.",
    ]),
    ("/news/solar", "В Туркестанской области запустили солнечную станцию на 50 МВт", "2026-01-14", "Салтанат Омарова", [
        "Новая солнечная электростанция мощностью 50 мегаватт заработала в Туркестанской области.",
        "Станция будет вырабатывать около 90 млн киловатт-часов в год. Строительство заняло 14 месяцев.",
        "По словам акима области, часть энергии пойдёт на насосные станции оросительных каналов.",
    ]),
    ("/news/rail", "Между Достыком и Алашанькоу пустят третий путь", "2026-01-15", "Игорь Ким", [
        "Железнодорожники начали укладку третьего пути на погранпереходе Достык — Алашанькоу.",
        "После завершения работ пропускная способность перехода вырастет до 35 млн тонн грузов в год.",
        "«Очереди вагонов на границе должны исчезнуть к осени», — заявил заместитель председателя компании Арман Сейтов.",
    ]),
]


def article_page(headline: str, date: str, author: str, paragraphs: list[str]) -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return f"""<!doctype html><html lang="ru"><head><meta charset="utf-8"><title>{headline} — Лента степи</title>
<meta property="og:title" content="{headline}"><meta property="og:site_name" content="Лента степи">
<meta name="author" content="{author}"><meta property="article:published_time" content="{date}T09:00:00+05:00">
</head><body><nav><a href="/">Главная</a> <a href="/econ">Экономика</a> <a href="/sport">Спорт</a></nav>
<article><h1>{headline}</h1>{body}</article>
<footer>© Лента степи. Все права защищены. Подписывайтесь на нас.</footer></body></html>"""


def rss(site: LocalSite, items: list) -> str:
    entries = "".join(
        f"<item><title>{headline}</title><link>{site.url(path)}</link><guid>tag:steppe,{path}</guid></item>"
        for path, headline, *_ in items)
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Лента степи</title>'
            f"<link>{site.url('/')}</link>{entries}</channel></rss>")


class FeedServer:
    """An RSS feed that honours If-None-Match and If-Modified-Since; it can fail on request."""

    def __init__(self, site: LocalSite, items: list) -> None:
        self.site = site
        self.version = 0
        self.failures_left = 0
        self.answers_before_failing = 0  # requests answered before `failures_left` starts counting
        self.set(items)
        site.routes["/rss"] = self.handle
        for path, headline, date, author, paragraphs in ITEMS:
            site.page(path, article_page(headline, date, author, paragraphs))

    def set(self, items: list) -> None:
        self.version += 1
        self.body = rss(self.site, items)
        self.etag = f'"v{self.version}"'
        self.modified = email.utils.formatdate(1_767_225_600 + self.version * 3600, usegmt=True)

    async def handle(self, request: web.Request) -> web.Response:
        if self.answers_before_failing:
            self.answers_before_failing -= 1
        elif self.failures_left:
            self.failures_left -= 1
            return web.Response(status=503, text="down for maintenance")
        if request.headers.get("If-None-Match") == self.etag or request.headers.get("If-Modified-Since") == self.modified:
            return web.Response(status=304, headers={"ETag": self.etag})
        return web.Response(text=self.body, content_type="application/rss+xml",
                            headers={"ETag": self.etag, "Last-Modified": self.modified})


@pytest.fixture
def owner(emulator):
    return emulator.make_user(42, "Olga", language_code="ru")


@pytest.fixture
def feed_settings(settings):
    return settings.model_copy(update={"fetch_allow_private": True, "feed_poll_seconds": 0.3})


async def rounds(bot, count: int, emulator, timeout: float = 60) -> None:
    """Wait for `count` more completed polls."""
    watch = bot.bot_data.couriers.feeds
    target = watch.rounds + count
    await emulator.wait_for(lambda: watch.rounds >= target, timeout=timeout)


async def feed_sources(bot) -> dict[str, int]:
    """{source origin: its drafts} for sources made from links."""
    rows = await services_of(bot).db.execute_fetchall(
        """SELECT s.origin, COUNT(n.id) FROM sources s JOIN snippets n ON n.source_id = s.id
           WHERE s.origin LIKE 'link:%' GROUP BY s.origin""")
    return dict(rows)


async def test_new_items_become_drafts_once_and_the_editors_are_told(feed_settings, emulator, owner, site):
    feed = FeedServer(site, ITEMS[:2])
    async with running_bot(feed_settings, emulator) as bot:
        [added] = await ask(emulator, owner, f"/feed add {site.url('/rss')}")
        assert "Лента №1 добавлена: Лента степи (записей сейчас: 2)" in added["text"]
        [notice] = await emulator.wait_for_messages(owner["id"], timeout=90)
        assert "Новое из лент" in notice["text"] and "Ничего не опубликовано" in notice["text"]
        assert "Экспорт зерна через Актау вырос на треть" in notice["text"]
        assert "солнечную станцию на 50 МВт" in notice["text"]
        labels = [button["text"] for button in buttons(notice)]
        assert any(label.startswith("👁") for label in labels) and any(label.startswith("✅") for label in labels)
        assert set(await feed_sources(bot)) == {f"link:{site.url('/news/grain')}", f"link:{site.url('/news/solar')}"}
        drafted = await feed_sources(bot)

        await rounds(bot, 3, emulator)  # more polls: the feed answers 304, nothing new
        assert await feed_sources(bot) == drafted
        assert len(site.hits_to("/news/grain")) == 1 and len(site.hits_to("/news/solar")) == 1
        assert emulator.messages_in(owner["id"])[-1]["message_id"] == notice["message_id"]  # no second notice
        later = site.hits_to("/rss")[2:]
        assert later and all(hit.headers.get("If-None-Match") == feed.etag for hit in later)
        assert all(hit.headers.get("If-Modified-Since") == feed.modified for hit in later)

        # nothing is on the air until an editor publishes it
        services = services_of(bot)
        assert {draft.status for draft in await services.editorial.repository.drafts()} == {"draft"}
        assert not await services.db.execute_fetchall("SELECT 1 FROM deliveries")
        eye = next(button for button in buttons(notice) if button["text"].startswith("👁"))
        [preview] = await press(emulator, owner, notice, eye["callback_data"])
        assert "Актау" in preview["text"]  # the first item's first draft, as readers would see it

        # the feed changes: the new item only, in a notice of its own
        feed.set(ITEMS)
        [second] = await emulator.wait_for_messages(owner["id"], timeout=90)
        assert "Между Достыком и Алашанькоу" in second["text"] and "Актау" not in second["text"]
        assert len(await feed_sources(bot)) == 3

        [listing] = await ask(emulator, owner, "/feed list")
        assert "№1 Лента степи" in listing["text"] and "последняя ошибка: нет" in listing["text"]
        [removed] = await ask(emulator, owner, "/feed remove 1")
        assert "Лента №1 убрана" in removed["text"]
        [listing] = await ask(emulator, owner, "/feed list")
        assert "Лент пока нет" in listing["text"]


async def test_a_failing_feed_backs_off_and_is_retried(feed_settings, emulator, owner, site):
    feed = FeedServer(site, ITEMS[:1])
    # the check /feed add makes is answered, then the feed fails from the first poll on (set before
    # the feed is added: on a busy machine the answer to /feed add can come after the first poll)
    feed.answers_before_failing, feed.failures_left = 1, 2
    async with running_bot(feed_settings, emulator) as bot:
        [added] = await ask(emulator, owner, f"/feed add {site.url('/rss')}")
        assert "добавлена" in added["text"]
        repository = services_of(bot).feeds.repository
        await emulator.wait_for(lambda: _failures(repository, 1), timeout=30)
        [state] = await repository.all()
        assert state.next_poll - state.last_error_at == pytest.approx(2 * 0.3)  # twice the interval
        [listing] = await ask(emulator, owner, "/feed list")
        assert "сервер ответил ошибкой HTTP 503" in listing["text"]
        await emulator.wait_for(lambda: _failures(repository, 2), timeout=30)
        [state] = await repository.all()
        assert state.next_poll - state.last_error_at == pytest.approx(4 * 0.3)  # and twice again
        [notice] = await emulator.wait_for_messages(owner["id"], timeout=90)  # then it answers
        assert "Экспорт зерна через Актау" in notice["text"]
        [state] = await repository.all()
        assert state.failures == 0 and state.last_error is None
        assert len(site.hits_to("/rss")) >= 4


async def _failures(repository, count: int) -> bool:
    feeds = await repository.all()
    return bool(feeds) and feeds[0].failures >= count


async def test_a_refused_feed_address_is_not_added(bot, emulator, owner, site):
    FeedServer(site, ITEMS)
    [reply] = await ask(emulator, owner, f"/feed add {site.url('/rss')}")
    assert "Лента не добавлена" in reply["text"] and "loopback" in reply["text"]
    assert site.hits == []
    [reply] = await ask(emulator, owner, "/feed add")
    assert "/feed add" in reply["text"]


async def test_a_page_that_is_no_feed_is_not_added(feed_settings, emulator, owner, site):
    site.page("/page", article_page(*ITEMS[0][1:]))
    async with running_bot(feed_settings, emulator):
        [reply] = await ask(emulator, owner, f"/feed add {site.url('/page')}")
        assert "это не лента RSS или Atom" in reply["text"]


async def test_a_restart_in_the_middle_of_a_poll_makes_nothing_twice(feed_settings, emulator, owner, site):
    FeedServer(site, ITEMS)
    asked_for_rail = asyncio.Event()
    release = asyncio.Event()
    served = site.routes["/news/rail"]

    async def slow_rail(request):
        asked_for_rail.set()
        await release.wait()
        return await served(request)

    site.routes["/news/rail"] = slow_rail
    order = [path for path, *_ in ITEMS]
    async with running_bot(feed_settings, emulator) as bot:
        await ask(emulator, owner, f"/feed add {site.url('/rss')}")
        await asyncio.wait_for(asked_for_rail.wait(), 90)  # the poll is in the middle of the third item
        first_run = await feed_sources(bot)
    release.set()
    assert len(first_run) == 2 and not emulator.messages_in(owner["id"])[1:]  # stopped before telling anyone

    async with running_bot(feed_settings, emulator) as bot:
        [notice] = await emulator.wait_for_messages(owner["id"], timeout=90)
        for _path, headline, *_ in ITEMS:
            assert headline in notice["text"]  # the drafts made before the restart are announced too
        assert set(await feed_sources(bot)) == {f"link:{site.url(path)}" for path in order}
        rows = await services_of(bot).db.execute_fetchall(
            "SELECT origin, COUNT(*) FROM sources WHERE origin LIKE 'link:%' GROUP BY origin")
        assert all(count == 1 for _origin, count in rows)
    assert len(site.hits_to("/news/grain")) == 1 and len(site.hits_to("/news/solar")) == 1
    assert len(site.hits_to("/news/rail")) == 2  # cut off once, read once
