"""Interface text in Russian and English. Content itself stays in the language it was written in."""

from __future__ import annotations

import html

UI: dict[str, dict[str, str]] = {
    "ru": {
        "welcome": "Здравствуйте! Я собираю короткие справки по аналитике и интервью: суть, ключевые цифры, цитаты и источник.\n\nВыберите тему или просто напишите слово — например, <i>Росатом</i>.",
        "help": (
            "<b>Как пользоваться</b>\n"
            "/topics — все темы\n"
            "{topic_commands}\n"
            "/figures — ключевые цифры по темам\n"
            "/quote [тема] — цитата\n"
            "/search слова — поиск по материалам\n"
            "/about — источники\n\n"
            "В личном чате можно просто написать слово или фразу — я найду подходящую справку."
        ),
        "topics": "<b>Темы</b>",
        "figures_title": "Ключевые цифры",
        "figures_empty": "Цифр по этой теме в источниках пока нет.",
        "quote_title": "Цитата",
        "no_quotes": "Цитат по этой теме пока нет.",
        "no_content": "По теме «{topic}» пока нет материалов.",
        "source": "Источник",
        "sources_title": "Источники",
        "snippets_count": "справок: {count}",
        "no_sources": "Источников пока нет.",
        "search_usage": "Напишите, что искать: <code>/search АЭС Балхаш</code>",
        "search_title": "Поиск: «{query}»",
        "search_empty": "По запросу «{query}» ничего не нашлось. Попробуйте другое слово или откройте /topics.",
        "search_too_long": "Слишком длинный запрос: оставьте до {words} слов.",
        "unknown_command": "Такой команды нет. Список команд — /help, темы — /topics.",
        "unknown_topic": "Темы «{name}» нет. Доступные: {topics}.",
        "button_expired": "Эта кнопка устарела — откройте /topics.",
        "more_on_topic": "Подробнее по теме",
        "btn_figures": "📊 Цифры",
        "btn_quote": "💬 Цитата",
        "btn_topics": "☰ Все темы",
        "btn_briefing": "📄 Справка",
        "also_topics": "Ещё по теме",
        "year": "{year} г.",
        "kind_interview": "интервью",
        "kind_article": "статья",
        "kind_analysis": "аналитика",
        "cmd_start": "Начало и меню тем",
        "cmd_help": "Как пользоваться ботом",
        "cmd_topics": "Все темы",
        "cmd_figures": "Ключевые цифры по темам",
        "cmd_quote": "Цитата по теме",
        "cmd_search": "Поиск по материалам",
        "cmd_about": "Источники",
        "error": "Что-то пошло не так. Попробуйте ещё раз чуть позже.",
        "slow_down": "Слишком много запросов подряд — подождите несколько секунд.",
    },
    "en": {
        "welcome": "Hello! I keep short briefings on analytical articles and interviews: the gist, key figures, quotes and the source.\n\nPick a topic or just type a word, e.g. <i>Rosatom</i> (content is in Russian).",
        "help": (
            "<b>How to use</b>\n"
            "/topics — all topics\n"
            "{topic_commands}\n"
            "/figures — key figures by topic\n"
            "/quote [topic] — a quote\n"
            "/search words — search the material\n"
            "/about — sources\n\n"
            "In a private chat just type a word or phrase and I will find the matching briefing."
        ),
        "topics": "<b>Topics</b>",
        "figures_title": "Key figures",
        "figures_empty": "The sources give no figures on this topic yet.",
        "quote_title": "Quote",
        "no_quotes": "No quotes on this topic yet.",
        "no_content": "Nothing on “{topic}” yet.",
        "source": "Source",
        "sources_title": "Sources",
        "snippets_count": "briefings: {count}",
        "no_sources": "No sources yet.",
        "search_usage": "Tell me what to look for: <code>/search АЭС Балхаш</code>",
        "search_title": "Search: “{query}”",
        "search_empty": "Nothing found for “{query}”. Try another word or open /topics.",
        "search_too_long": "The query is too long: keep it to {words} words.",
        "unknown_command": "I don't know that command. Commands: /help, topics: /topics.",
        "unknown_topic": "There is no topic “{name}”. Available: {topics}.",
        "button_expired": "This button has expired — open /topics.",
        "more_on_topic": "More on the topic",
        "btn_figures": "📊 Figures",
        "btn_quote": "💬 Quote",
        "btn_topics": "☰ All topics",
        "btn_briefing": "📄 Briefing",
        "also_topics": "Related",
        "year": "{year}",
        "kind_interview": "interview",
        "kind_article": "article",
        "kind_analysis": "analysis",
        "cmd_start": "Start and the topic menu",
        "cmd_help": "How to use the bot",
        "cmd_topics": "All topics",
        "cmd_figures": "Key figures by topic",
        "cmd_quote": "A quote on a topic",
        "cmd_search": "Search the material",
        "cmd_about": "Sources",
        "error": "Something went wrong. Please try again in a moment.",
        "slow_down": "Too many requests in a row — please wait a few seconds.",
    },
}

LANGUAGES = tuple(UI)


def language_of(language_code: str | None) -> str:
    """English for users whose Telegram is in English, Russian for everyone else."""
    return "en" if (language_code or "").lower().startswith("en") else "ru"


def t(lang: str, key: str, **values: object) -> str:
    """Interface text as Telegram HTML; the values put into it are escaped here."""
    text = UI.get(lang, UI["ru"])[key]
    if not values:
        return text
    return text.format(**{name: html.escape(str(value), quote=False) for name, value in values.items()})
