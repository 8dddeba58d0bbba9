"""Links: an editor sends a page's address and gets the same preview as for an uploaded
article, read from the page's main text with the page's own headline, date and byline; a link
to where the bot must not go is refused before any request. Through the Bot API emulator,
against pages served on 127.0.0.1 by the test itself."""

from __future__ import annotations

import pytest
from aiohttp import web

from tests.conftest import running_bot, services_of
from tests.helpers import ask, button_with, press

# A page written for these tests: the article between a site's furniture (menus, a currency
# strip, share buttons, related links, a footer), with its metadata in the markup.
ARTICLE_PAGE = """<!doctype html>
<html lang="ru"><head><meta charset="utf-8">
<title>Ветропарк под Шелеком даст 120 МВт к 2027 году | Степной вестник</title>
<meta property="og:title" content="Ветропарк под Шелеком даст 120 МВт к 2027 году">
<meta property="og:site_name" content="Степной вестник">
<meta name="author" content="Айгерим Сатпаева">
<meta property="article:published_time" content="2026-02-17T10:40:00+05:00">
<link rel="canonical" href="https://stepnoy-vestnik.example/news/wind-shelek">
</head><body>
<header><nav class="menu"><ul><li><a href="/">Главная</a></li><li><a href="/politics">Политика</a></li>
<li><a href="/economy">Экономика</a></li><li><a href="/sport">Спорт</a></li></ul></nav>
<div class="rates">USD 498,09 EUR 541,12 RUB 5,61</div><div class="weather">Алматы +3°</div></header>
<main><article>
<h1>Ветропарк под Шелеком даст 120 МВт к 2027 году</h1>
<p>В Алматинской области начали строить ветровую электростанцию мощностью 120 мегаватт. Её первые
турбины должны заработать в конце 2026 года, а всю станцию планируют запустить в 2027 году.</p>
<p>Проект оценивают в 70 млрд тенге. По расчётам инвесторов, станция будет вырабатывать около
400 млн киловатт-часов электроэнергии в год, этого хватит примерно на 150 тысяч домохозяйств.</p>
<p>«Ветер в этом коридоре дует почти круглый год, поэтому мы рассчитываем на высокую загрузку
турбин», — сказал директор проекта Ерлан Тулеуов.</p>
<p>Энергетики отмечают, что южной энергосистеме не хватает собственной генерации: зимой регион
покупает электроэнергию у северных областей, а новая станция сократит эти перетоки.</p>
</article>
<aside class="related"><h3>Читайте также</h3><ul><li><a href="/a">Цены на бензин снова выросли</a></li>
<li><a href="/b">В Алматы открыли новый каток</a></li></ul></aside>
<div class="share">Поделиться: Telegram WhatsApp Facebook</div>
</main>
<footer><p>© 2026 Степной вестник. Все права защищены.</p><p>Подписывайтесь на наш канал</p></footer>
</body></html>"""

FURNITURE = ("Главная", "Политика", "498", "Алматы +3", "Читайте также", "бензин", "Поделиться",
             "Все права защищены", "Подписывайтесь")


@pytest.fixture
def owner(emulator):
    return emulator.make_user(42, "Olga", language_code="ru")


@pytest.fixture
def open_settings(settings):
    return settings.model_copy(update={"fetch_allow_private": True})


async def test_a_link_gives_the_preview_of_the_article_with_the_pages_own_metadata(open_settings, emulator, owner, site):
    site.page("/news/wind", ARTICLE_PAGE)
    async with running_bot(open_settings, emulator) as bot:
        [preview] = await ask(emulator, owner, site.url("/news/wind"))
        text = preview["text"]
        assert "Заголовок: Ветропарк под Шелеком даст 120 МВт к 2027 году" in text
        assert "Дата: 17 февраля 2026" in text
        assert "Автор или собеседник: Айгерим Сатпаева" in text
        assert "Степной вестник" in text and "stepnoy-vestnik.example/news/wind-shelek" in text
        assert not any(word in text for word in FURNITURE), text
        assert len(site.hits_to("/news/wind")) == 1
        [done] = await press(emulator, owner, preview, button_with(preview, "ed:ap:"))
        assert "Черновики созданы" in done["text"]
        services = services_of(bot)
        drafts = await services.editorial.repository.drafts()
        assert drafts
        [source_id] = {draft.source_id for draft in drafts}
        stored = await services.content.source_text(source_id)
        assert "Ерлан Тулеуов" in stored and not any(word in stored for word in FURNITURE)
        sources = {source.id: source for source, _count in await services.content.live_sources()}
        assert sources[source_id].url == "https://stepnoy-vestnik.example/news/wind-shelek"
        assert sources[source_id].outlet == "Степной вестник"
        # Apply did not fetch the page again: it applies what the editor saw
        assert len(site.hits_to("/news/wind")) == 1


async def test_upload_command_takes_a_link_too(open_settings, emulator, owner, site):
    site.page("/plain", "Короткая заметка без разметки.\n\nВторой абзац заметки о погоде в степи и ветре.",
              content_type="text/plain")
    async with running_bot(open_settings, emulator):
        [preview] = await ask(emulator, owner, f"/upload {site.url('/plain')}")
        assert "Статья разобрана" in preview["text"]


async def test_a_loopback_link_is_refused_before_any_request(bot, emulator, owner, site):
    site.page("/news/wind", ARTICLE_PAGE)
    for url in (site.url("/news/wind"), site.url("/news/wind", "localhost"), site.url("/news/wind", "[::1]"),
                f"http://[::ffff:127.0.0.1]:{site.port}/news/wind"):
        [reply] = await ask(emulator, owner, url)
        assert "Ссылка не прочитана" in reply["text"] and "loopback" in reply["text"], reply["text"]
    assert site.hits == []


async def test_a_private_address_is_refused_with_why(bot, emulator, owner):
    [reply] = await ask(emulator, owner, "http://10.1.2.3/internal")
    assert "внутренняя сеть" in reply["text"]
    [reply] = await ask(emulator, owner, "http://169.254.169.254/latest/meta-data/")
    assert "link-local" in reply["text"]


@pytest.fixture
def test_server_public(monkeypatch):
    """The test server on 127.0.0.1 plays a public site: that one address passes the check,
    every other non-public address is still refused."""
    from bot.services.web import addresses

    checked = addresses.refusal
    monkeypatch.setattr(addresses, "refusal", lambda address: None if str(address) == "127.0.0.1" else checked(address))


@pytest.mark.parametrize("target, why", [
    ("http://169.254.169.254/latest/meta-data/", "link-local"),
    ("http://10.20.30.40/admin", "внутренняя сеть"),
    ("http://[::1]:{port}/inside", "loopback"),
    ("http://0.0.0.0:{port}/inside", "неопределённый"),
])
async def test_a_redirect_to_a_private_address_is_refused(bot, emulator, owner, site, test_server_public, target, why):
    site.page("/inside", ARTICLE_PAGE)

    async def away(_request):
        raise web.HTTPFound(target.format(port=site.port))

    site.routes["/go"] = away
    [reply] = await ask(emulator, owner, site.url("/go"))
    assert "Ссылка не прочитана" in reply["text"] and why in reply["text"], reply["text"]
    assert [hit.path for hit in site.hits] == ["/go"]  # the redirect's target was never asked


async def test_a_redirect_to_a_public_page_is_followed(bot, emulator, owner, site, test_server_public):
    site.page("/inside", ARTICLE_PAGE)

    async def moved(_request):
        raise web.HTTPMovedPermanently(site.url("/inside"))

    site.routes["/old"] = moved
    [preview] = await ask(emulator, owner, site.url("/old"))
    assert "Ветропарк под Шелеком" in preview["text"]
    assert [hit.path for hit in site.hits] == ["/old", "/inside"]


async def test_redirect_loops_huge_pages_and_other_content_types_are_refused(open_settings, emulator, owner, site):
    """More than five redirects is refused, and so is a page over 5 MB (streamed and cut off,
    also when it does not declare its length) and a content type that is not a page."""
    async def loop(request):
        step = int(request.query.get("n", "0"))
        raise web.HTTPFound(site.url(f"/loop?n={step + 1}"))

    site.routes["/loop"] = loop
    site.page("/huge", "<html><body><p>" + "слово " * 1_000_000 + "</p></body></html>")

    async def streamed(request):
        response = web.StreamResponse(headers={"Content-Type": "text/html"})
        await response.prepare(request)
        for _ in range(100):
            await response.write(b"<p>" + b"x" * 99_993 + b"</p>")
        return response

    site.routes["/stream"] = streamed
    site.page("/image", b"\x89PNG\r\n", content_type="image/png", charset=None)
    async with running_bot(open_settings, emulator):
        [reply] = await ask(emulator, owner, site.url("/loop"))
        assert "больше 5 перенаправлений" in reply["text"]
        assert len(site.hits_to("/loop")) == 6
        [reply] = await ask(emulator, owner, site.url("/huge"))
        assert "больше 5 МБ" in reply["text"]
        [reply] = await ask(emulator, owner, site.url("/stream"))
        assert "больше 5 МБ" in reply["text"]
        [reply] = await ask(emulator, owner, site.url("/image"))
        assert "image/png" in reply["text"]


async def test_a_page_in_its_declared_charset_is_read(open_settings, emulator, owner, site):
    """windows-1251 declared in the page's <meta>, not in the HTTP header."""
    site.page("/cp1251", ARTICLE_PAGE.replace('<meta charset="utf-8">', '<meta charset="windows-1251">')
              .encode("cp1251"), content_type="text/html", charset=None)
    async with running_bot(open_settings, emulator):
        [preview] = await ask(emulator, owner, site.url("/cp1251"))
        assert "Ветропарк под Шелеком" in preview["text"]


async def test_a_reader_sending_a_link_is_not_served_and_nothing_is_fetched(bot, emulator, site):
    stranger = emulator.make_user(6001, "Mallory")
    site.page("/news/wind", ARTICLE_PAGE)
    [reply] = await ask(emulator, stranger, "https://example.org/news")
    assert reply["text"] == "Эта команда недоступна."
    assert site.hits == []
