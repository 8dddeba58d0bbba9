"""Linear time: 1 MB single-line inputs through the layout (cleaning and structure) stage,
and the model load measured. The times are printed (pytest -s) and bounded generously, in the
CPU time of the thread doing the work (`time.thread_time`), not the wall clock: a machine busy
with other work makes the wall clock slow, never a reader that went quadratic fast."""

from __future__ import annotations

import time

import pytest

from bot.services.ingest.reading import InputTooLarge, layout, read_article

MB = 1_000_000
BOUND = 5.0  # seconds; the measured times are well under one (see NOTES.md)

PATHOLOGICAL = {
    "letters": "а" * MB,
    "words": ("слово " * (MB // 6)),
    "dashes": "— " * (MB // 2),
    "stars": "*" * MB,
    "bold pairs": "**a** " * (MB // 6),
    "brackets": "[" * MB,
    "links": "[a](b" * (MB // 5),
    "angles": "<a" * (MB // 2),
    "digits": "1 " * (MB // 2),
    "quotes": "«" * MB,
    "colons": "А: " * (MB // 3),
    "dots": "." * MB,
    "hashes": "#" * MB,
    "mixed": ("Фото: 12.11.2025, 14:35 — «Да?» **А.К.:** [x](y) 👁 " * (MB // 50)),
}


@pytest.mark.parametrize("name", list(PATHOLOGICAL))
def test_layout_of_one_mb_single_line_is_fast(name):
    text = PATHOLOGICAL[name][:MB]
    assert "\n" not in text
    started = time.thread_time()
    layout(text)
    elapsed = time.thread_time() - started
    print(f"\nlayout of 1 MB single line [{name}]: {elapsed:.3f} s")
    assert elapsed < BOUND


def test_layout_of_one_mb_many_lines_is_fast():
    text = ("— Вопрос номер один?\n\n— Ответ, длинный и подробный. Ещё предложение.\n\nФото: X\n" * 15_000)[:MB]
    started = time.thread_time()
    layout(text)
    elapsed = time.thread_time() - started
    print(f"\nlayout of 1 MB multi-line interview: {elapsed:.3f} s")
    assert elapsed < BOUND * 2


def test_read_article_refuses_large_input_at_once():
    started = time.thread_time()
    with pytest.raises(InputTooLarge):
        read_article("а" * MB)
    assert time.thread_time() - started < 0.5


def test_model_load_time_and_rss():
    import resource

    from bot.services.ingest.reading import nlp

    nlp.models()
    stats = nlp.load_stats()
    assert stats is not None
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\nmodel load: {stats.seconds:.2f} s, peak RSS {stats.rss_before_mb:.0f} → {stats.rss_after_mb:.0f} MB "
          f"(process peak now {peak:.0f} MB)")
    assert stats.seconds < 60
    assert stats.rss_after_mb < 2000


def test_read_article_near_the_limit():
    paragraph = ("Товарооборот между странами в {y} году составил {n} млрд долларов, а инвестиции выросли на {p}%. "
                 "«Мы ожидаем, что рост продолжится и в следующем году», — заявил министр экономики Иван Петров{i}. "
                 "По словам эксперта Анны Сидоровой, регион {i} получит {n} тысяч рабочих мест.")
    parts = [paragraph.format(y=2000 + i % 25, n=i % 97 + 1, p=i % 13 + 1, i=i) for i in range(2000)]
    text = ("Заголовок\n\n" + "\n\n".join(parts))[:199_000]
    started = time.thread_time()
    article = read_article(text)
    elapsed = time.thread_time() - started
    print(f"\nread_article of {len(text):,} chars ({len(article.passages)} passages): {elapsed:.2f} s")
    assert elapsed < 60
