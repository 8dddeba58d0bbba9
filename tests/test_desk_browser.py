"""The editor's desk in a real browser: headless Chromium (Debian's `chromium`, driven by
Playwright) opens the page the running bot serves, with launch data in the URL fragment as
Telegram passes it. An editor edits and publishes a draft there and the subscriber receives it
through the emulator; forged, stale and non-editor launch data see and change nothing.

Without a browser on the machine these tests are skipped with the reason; `.ci/run` installs
one, so in CI they run.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import time
from contextlib import asynccontextmanager
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest

from bot.desk import auth
from tests.conftest import TEST_TOKEN, running_bot, unexpected_refusals
from tests.helpers import ask, button_with, free_port, press

CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
try:
    from playwright.async_api import async_playwright
except ImportError:  # pragma: no cover - the test extras include it
    async_playwright = None

if CHROMIUM is None or async_playwright is None:
    pytest.skip(
        "the desk's browser tests need Chromium (Debian: apt-get install chromium; or set CHROMIUM=path) "
        "and Playwright for Python (in the test extras); .ci/run installs both",
        allow_module_level=True,
    )

# Debian's Chromium on a machine with no network and no display: no sandbox (root in CI), no
# calls home, which a closed network refuses noisily.
CHROMIUM_FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
]  # fmt: skip
DESK_URL = "https://bot.example.org/desk/"
PHONE = {"width": 390, "height": 844}
THEME = {"bg_color": "#17212b", "text_color": "#f5f5f5", "hint_color": "#708499", "link_color": "#6ab3f3",
         "button_color": "#5288c1", "button_text_color": "#ffffff", "secondary_bg_color": "#232e3c"}  # fmt: skip
OWNER, READER = 42, 1002
EXPECTED = re.compile(r"status of (422|401|403) ")
DRAFT = "/add energy АЭС на Балхаше: первый бетон | Росатом и Казатомпром согласовали график стройки."


def launch_data(user_id: int, *, age: int = 5, token: str = TEST_TOKEN, lang: str = "ru") -> str:
    """What Telegram hands a Mini App: the user, when, and the signature over both."""
    fields = {
        "query_id": "AAHdF6IQAAAAAN0XohDhrOrc",
        "auth_date": str(int(time.time()) - age),
        "user": json.dumps({"id": user_id, "first_name": "Olga", "language_code": lang}, ensure_ascii=False),
    }
    fields["hash"] = auth.sign(fields, token)
    return urlencode(fields)


@asynccontextmanager
async def desk_page(base: str, init_data: str | None):
    """A phone-sized page of the desk opened as Telegram opens a Mini App: the launch data
    and theme in the fragment (`#tgWebAppData=...&tgWebAppThemeParams=...`)."""
    fragment = {"tgWebAppVersion": "8.0", "tgWebAppPlatform": "android",
                "tgWebAppThemeParams": json.dumps(THEME)}  # fmt: skip
    if init_data is not None:
        fragment = {"tgWebAppData": init_data, **fragment}
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        try:
            context = await browser.new_context(viewport=PHONE, device_scale_factor=2)
            context.set_default_timeout(15_000)
            page = await context.new_page()
            page.problems = []  # what the page's console and script errors said
            # a refusal (422, or 401/403 for launch data the server does not take) is an answer
            # the page shows; anything else the console reports is a fault
            page.on("console", lambda m: m.type == "error" and not EXPECTED.search(m.text) and page.problems.append(m.text))
            page.on("pageerror", lambda e: page.problems.append(str(e)))
            await page.goto(f"{base}/desk/#" + "&".join(f"{k}={quote(v, safe='')}" for k, v in fragment.items()))
            yield page
        finally:
            await browser.close()


@pytest.fixture
async def desk_bot(settings, emulator):
    """The bot as `python -m bot` runs it with DESK_URL set: polling the emulator, the desk
    served by its own web server on PORT."""
    port = free_port()
    desk = {"desk_url": DESK_URL, "port": port, "webhook_listen": "127.0.0.1"}
    async with running_bot(settings.model_copy(update=desk), emulator) as application:
        yield application, f"http://127.0.0.1:{port}"
    assert not unexpected_refusals(emulator), unexpected_refusals(emulator)


def services_of(application):
    return application.bot_data.services


async def test_an_editor_edits_and_publishes_a_draft_and_the_subscriber_receives_it(desk_bot, emulator) -> None:
    application, base = desk_bot
    owner = emulator.make_user(OWNER, "Olga", language_code="ru")
    reader = emulator.make_user(READER, "John", language_code="ru")
    await ask(emulator, reader, "/subscribe energy")
    created, _preview = await ask(emulator, owner, DRAFT, count=2)
    draft_id = int(created["text"].split("#")[1].split()[0])
    before = len(emulator.messages_in(READER))

    async with desk_page(base, launch_data(OWNER)) as page:
        await page.wait_for_selector("body[data-state=list]")
        assert await page.inner_text("#who") == "Olga"
        await page.select_option("#status-filter", "draft")
        await page.click(f"button[data-id='{draft_id}']")
        await page.wait_for_selector("body[data-state=sheet]")
        assert "Получат чатов: 1" in await page.inner_text("#publish")  # the chats it will reach

        # the chat's rules and the chat's messages: a number the source does not hold is refused
        await page.fill("#summary", "Росатом и Казатомпром согласовали график: 987654 рабочих.")
        await page.click("#save")
        await page.wait_for_selector("#notice.bad")
        assert "987654" in await page.inner_text("#notice")
        assert "987654" not in (await services_of(application).editorial.snippet(draft_id)).summary

        summary = "Росатом и Казатомпром согласовали график стройки АЭС; первый бетон — по плану."
        await page.fill("#summary", summary)
        await page.click("#save")
        await page.wait_for_selector("#notice.good")
        await page.locator("#preview", has_text="первый бетон — по плану").wait_for()  # what readers will see
        assert len(emulator.messages_in(READER)) == before  # a draft reaches nobody

        await page.click("#publish")
        # the save's notice is still up (and good): wait for the publication's own
        await page.locator("#notice.good", has_text="в эфире").wait_for()
        await page.wait_for_selector("#status.published")
        history = await page.inner_text("#history")
        assert "Olga (desk) · published" in history and "Olga (desk) · edited" in history
        assert not page.problems, page.problems

    [delivered] = await emulator.wait_for_messages(READER)
    assert "АЭС на Балхаше: первый бетон" in delivered["text"] and summary in delivered["text"]
    # exactly as published from the chat: the same briefing a reader asks for
    [briefing] = await ask(emulator, reader, "/energy")
    assert summary in briefing["text"]
    record = await services_of(application).editorial.snippet(draft_id)
    assert record.status == "published" and record.summary == summary
    entries = await services_of(application).editorial.history(draft_id)
    assert {e.via for e in entries if e.action in ("edited", "published")} == {"desk"}


async def test_an_edit_of_a_delivered_snippet_waits_for_apply_and_corrects_the_copies(desk_bot, emulator) -> None:
    application, base = desk_bot
    owner = emulator.make_user(OWNER, "Olga", language_code="en")
    reader = emulator.make_user(READER, "John", language_code="ru")
    await ask(emulator, reader, "/subscribe energy")
    created, preview = await ask(emulator, owner, DRAFT, count=2)
    draft_id = int(created["text"].split("#")[1].split()[0])
    await press(emulator, owner, preview, button_with(preview, "ed:pn:"))  # published from the chat
    [copy] = await emulator.wait_for_messages(READER)

    async with desk_page(base, launch_data(OWNER, lang="en")) as page:
        await page.wait_for_selector("body[data-state=list]")
        await page.click(f"button[data-id='{draft_id}']")
        await page.wait_for_selector("#delivered")
        assert "1" in await page.inner_text("#delivered")
        await page.fill("#title", "АЭС на Балхаше: график согласован")
        await page.click("#save")
        await page.wait_for_selector("#apply")  # on the air: the corrected copy first, then Apply
        assert "АЭС на Балхаше: график согласован" in await page.inner_text("#confirm")
        await page.click("#apply")
        await page.wait_for_selector("#notice.good")
        assert not page.problems, page.problems

    await emulator.wait_for(lambda: "график согласован" in emulator.messages_in(READER)[-1]["text"])
    corrected = emulator.messages_in(READER)[-1]
    assert corrected["message_id"] == copy["message_id"] and corrected["edits"]  # corrected in place
    assert len(emulator.messages_in(READER)) == 2  # not sent again


async def test_an_editor_takes_out_a_figure_and_adds_a_quote_on_a_draft(desk_bot, emulator, seeds_dir) -> None:
    from tests.publishing import seed_draft

    application, base = desk_bot
    emulator.make_user(OWNER, "Olga", language_code="ru")
    draft_id = await seed_draft(services_of(application), seeds_dir, "economy", "Экономика: черновик с цифрами")
    verbatim = "укрепление кадрового потенциала атомной отрасли имеет для Казахстана первостепенное значение"

    async with desk_page(base, launch_data(OWNER)) as page:
        await page.wait_for_selector("body[data-state=list]")
        await page.click(f"button[data-id='{draft_id}']")
        await page.wait_for_selector("body[data-state=sheet]")
        assert "Рекордные капиталовложения" in await page.inner_text("#figures")
        await page.click("#remove-figure-1")
        await page.wait_for_selector("#notice.good")
        # the list is drawn again after the answer: wait for the figure to go (the notice can come first)
        await page.locator("#figures", has_text="Рекордные капиталовложения").wait_for(state="hidden")
        await page.locator("#figures", has_text="Цель по товарообороту").wait_for()
        assert "Рекордные капиталовложения" not in await page.inner_text("#figures")
        assert "Рекордные капиталовложения" not in await page.inner_text("#preview")

        # the chat's rule and message: a quote must be the source's words
        await page.fill("#quote-text", "Атомная энергетика имеет здесь тактический масштаб")
        await page.click("#save-quote")
        await page.wait_for_selector("#notice.bad")
        assert "совпадает только начало" in await page.inner_text("#notice")
        await page.fill("#quote-text", f"«{verbatim}»")
        await page.click("#save-quote")
        await page.wait_for_selector("#notice.good")
        await page.locator("#quotes", has_text=verbatim).wait_for()
        assert await page.locator("#quote-position option").count() == 4  # new, or in place of each of three
        history = await page.inner_text("#history")
        assert "Olga (desk) · figure removed" in history and "Olga (desk) · quote added" in history
        assert not page.problems, page.problems

    [view] = await services_of(application).content.snippets_by_id([draft_id])
    assert len(view.figures) == 3 and view.quotes[-1].text == verbatim


@pytest.mark.parametrize("who", ["forged", "garbled", "stale", "reader", "missing", "other-bot"])
async def test_launch_data_that_is_not_a_current_editor_sees_and_changes_nothing(desk_bot, emulator, who) -> None:
    application, base = desk_bot
    emulator.make_user(OWNER, "Olga", language_code="ru")
    init_data = {
        "forged": launch_data(OWNER).replace("Olga", "Olgb"),  # one letter changed after signing
        "garbled": launch_data(OWNER).replace("Olga", "Олга"),  # not even URL-encoded
        "stale": launch_data(OWNER, age=2 * 24 * 3600),
        "reader": launch_data(READER),
        "missing": None,
        "other-bot": launch_data(OWNER, token="654321:ZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZ"),
    }[who]
    before = await services_of(application).editorial.on_the_desk(300)
    answers: list[tuple[str, int]] = []
    async with desk_page(base, init_data) as page:
        page.on("response", lambda r: "/api/" in r.url and answers.append((r.url, r.status)))
        await page.wait_for_selector("body[data-state=refused]", state="attached")  # an empty page is "hidden"
        assert await page.eval_on_selector("#content", "node => node.childElementCount") == 0
        assert await page.inner_text("#who") == ""
        text = await page.inner_text("body")
        assert not any(record.title in text for record in before)  # not one title shown
        # the API itself, asked directly with the same launch data, gives nothing either
        status = await page.evaluate(
            """async ([data, url]) => (await fetch(url, {method: 'POST', body: '{}',
                   headers: {'X-Telegram-Init-Data': data, 'Content-Type': 'application/json'}})).status""",
            [quote(init_data or "", safe="=&%"), f"{base}/desk/api/snippets/{before[0].id}/retire"],
        )
    assert status in (401, 403)
    assert answers and all(code in (401, 403) for _url, code in answers), answers
    assert await services_of(application).editorial.on_the_desk(300) == before  # nothing changed


async def test_user_strings_are_text_and_the_theme_is_telegrams(desk_bot, emulator, tmp_path: Path) -> None:
    """A title full of markup shows as those characters and runs nothing; the page takes the
    colours Telegram passes. With DESK_SCREENSHOT set, the phone-sized screenshot is kept there
    (the README's docs/desk.png is made this way)."""
    application, base = desk_bot
    owner = emulator.make_user(OWNER, "Olga", language_code="ru")
    hostile = '<img src=x onerror="window.pwned=true"><script>window.pwned=true</script>'
    created, _preview = await ask(emulator, owner, f"/add energy {hostile} | Росатом и Казатомпром.", count=2)
    draft_id = int(created["text"].split("#")[1].split()[0])
    async with desk_page(base, launch_data(OWNER)) as page:
        await page.wait_for_selector("body[data-state=list]")
        assert hostile in await page.inner_text("#content")
        await page.click(f"button[data-id='{draft_id}']")
        await page.wait_for_selector("body[data-state=sheet]")
        assert hostile in await page.inner_text("h2")
        assert await page.evaluate("window.pwned") is None
        assert await page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(23, 33, 43)"
        assert await page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # no sideways scrolling
        assert not page.problems, page.problems

        await page.click(".back")
        await page.wait_for_selector("body[data-state=list]")
        await page.select_option("#status-filter", "published")
        first = page.locator("#content .items button").first
        await first.click()
        await page.wait_for_selector("body[data-state=sheet]")
        shot = Path(os.environ.get("DESK_SCREENSHOT") or tmp_path / "desk.png")
        await page.screenshot(path=str(shot), full_page=False)
        assert shot.stat().st_size > 10_000
