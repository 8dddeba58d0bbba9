"""Russian news articles of any length, generated from this file's own sentence patterns (no
one else's text): for the reading-speed and feed benchmarks. Deterministic for a seed.

    article(seed=3, chars=20_000) -> "Заголовок\n\n12 марта 2026\n\nАвтор: …\n\nабзац…\n\n…"
"""

from __future__ import annotations

import random

PLACES = ["Актобе", "Павлодаре", "Караганде", "Шымкенте", "Костанае", "Атырау", "Усть-Каменогорске", "Таразе"]
THINGS = ["завод по переработке зерна", "солнечную электростанцию", "логистический центр", "цех по выпуску труб",
          "тепличный комплекс", "склад удобрений", "ветровую станцию", "депо для локомотивов"]
ORGS = ["министерство энергетики", "акимат области", "национальная компания", "региональный фонд развития",
        "ассоциация перевозчиков", "союз фермеров"]
PEOPLE = [("Ерлан", "Сабитов", "заместитель министра"), ("Айнур", "Касымова", "директор фонда"),
          ("Марат", "Ибраев", "председатель ассоциации"), ("Гульнара", "Нуриева", "аким района"),
          ("Тимур", "Оспанов", "аналитик банка"), ("Данияр", "Ахметов", "глава компании")]
UNITS = [("млрд тенге", "стоимость проекта"), ("млн тонн", "объём перевалки"), ("МВт", "мощность"),
         ("тыс. рабочих мест", "занятость"), ("%", "рост выпуска"), ("км", "длина дороги")]
MONTHS = ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября"]


def _paragraph(rng: random.Random) -> str:
    place, thing, org = rng.choice(PLACES), rng.choice(THINGS), rng.choice(ORGS)
    first, last, role = rng.choice(PEOPLE)
    unit, meaning = rng.choice(UNITS)
    value = rng.choice([rng.randint(2, 950), round(rng.uniform(1.1, 99.9), 1)])
    year = rng.randint(2026, 2031)
    kind = rng.random()
    if kind < 0.3:
        return (f"«Мы рассчитываем закончить {thing} к {year} году, если поставки оборудования не сорвутся», — "
                f"сказал {role} {first} {last}. По его словам, {org} уже выделил первые средства.")
    if kind < 0.6:
        return (f"В {place} {org} начал строить {thing}. Показатель «{meaning}» составит {value} {unit}, "
                f"а первая очередь заработает в {year} году. Местные власти обещают подвести к площадке "
                f"дорогу и воду ещё до начала монтажа.")
    if kind < 0.8:
        return (f"Как пояснил {role} {first} {last}, решение принимали долго: {org} сравнивал несколько "
                f"площадок и остановился на {place}, где ближе железная дорога и дешевле земля.")
    return (f"Эксперты напоминают, что в прошлом году похожий проект в {place} задержался почти на год. "
            f"Тогда {org} пересматривал смету дважды, а показатель «{meaning}» снизили до {value} {unit}.")


def article(seed: int, chars: int) -> str:
    rng = random.Random(seed)
    thing, place = rng.choice(THINGS), rng.choice(PLACES)
    headline = f"В {place} построят {thing}: проект №{seed}"
    first, last, _role = rng.choice(PEOPLE)
    blocks = [headline, f"{rng.randint(1, 28)} {rng.choice(MONTHS)} 2026", f"Автор: {first} {last}"]
    size = sum(len(b) for b in blocks)
    while size < chars:
        paragraph = _paragraph(rng)
        blocks.append(paragraph)
        size += len(paragraph) + 2
    return "\n\n".join(blocks)


def html_page(seed: int, chars: int) -> tuple[str, str]:
    """(headline, an HTML page with menus and a footer around the article)."""
    text = article(seed, chars)
    headline, date, byline, *paragraphs = text.split("\n\n")
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    author = byline.removeprefix("Автор: ")
    page = (f'<!doctype html><html lang="ru"><head><meta charset="utf-8"><title>{headline}</title>'
            f'<meta property="og:title" content="{headline}"><meta name="author" content="{author}">'
            f'<meta property="og:site_name" content="Бенч-новости">'
            f'<meta property="article:published_time" content="2026-03-{seed % 28 + 1:02d}T10:00:00+05:00"></head>'
            f'<body><nav><a href="/">Главная</a> <a href="/e">Экономика</a></nav><article><h1>{headline}</h1>'
            f"{body}</article><footer>© Бенч-новости</footer></body></html>")
    return headline, page
