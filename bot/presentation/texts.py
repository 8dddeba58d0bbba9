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
            "/latest — что нового с прошлого раза\n"
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
        "search_nothing_meaningful": "В запросе «{query}» нет слов, по которым можно искать. Напишите, например, <code>АЭС</code> или <code>Север–Юг</code>.",
        "chatter_reply": "Здравствуйте! Я собираю краткие брифинги по темам ниже. Выберите тему или напишите слово, которое найти, например «Росатом».",
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
        "stated_by_expert": "по словам эксперта",
        "stated_by_interviewer": "из вопроса интервьюера",
        "stated_by_official": "официальные данные",
        "stated_by_editors": "данные редакции",
        "translation": "Перевод",
        "in_russian": "Только на русском",
        "kind_interview": "интервью",
        "kind_article": "статья",
        "kind_analysis": "аналитика",
        "kind_news": "новость",
        "kind_opinion": "мнение",
        "date_unknown": "дата не указана",
        "cmd_start": "Начало и меню тем",
        "cmd_help": "Как пользоваться ботом",
        "cmd_topics": "Все темы",
        "cmd_figures": "Ключевые цифры по темам",
        "cmd_quote": "Цитата по теме",
        "cmd_search": "Поиск по материалам",
        "cmd_about": "Источники",
        "error": "Что-то пошло не так. Попробуйте ещё раз чуть позже.",
        "storage_full": "Не сохранено: на сервере бота закончилось место на диске. Ничего не изменилось; материалы читать можно, а это повторите позже.",
        "storage_busy": "Не сохранено: база данных бота занята другой операцией (например, импортом). Ничего не изменилось — повторите через минуту.",
        "storage_readonly": "Не сохранено: база данных бота сейчас открыта только для чтения. Ничего не изменилось; материалы читать можно, а это повторите позже.",
        "storage_io": "Не сохранено: диск сервера бота вернул ошибку записи. Ничего не изменилось; материалы читать можно, а это повторите позже.",
        "slow_down": "Слишком много запросов подряд — подождите несколько секунд.",
        "sub_help": (
            "<b>Подписки</b>\n"
            "/subscribe темы — получать новые справки (без тем — кнопки)\n"
            "/unsubscribe темы — отписаться (<code>all</code> — от всех)\n"
            "/subscriptions — что и когда получает этот чат\n"
            "/digest 08:30 — ежедневный дайджест, <code>/digest off</code> — выключить\n"
            "/instant off — без отдельных сообщений, только дайджест\n"
            "/timezone Europe/Moscow — часовой пояс дайджеста\n"
            "/stop — приостановить всё, /resume — возобновить\n"
            "/channel — подписать свой канал"
        ),
        "sub_added": "Подписка оформлена: {topics}. Новые справки будут приходить сюда.",
        "sub_already": "Уже подписаны: {topics}.",
        "sub_removed": "Отписались: {topics}.",
        "sub_not_subscribed": "Подписки на {topics} не было.",
        "sub_none_left": "Подписок больше нет. Вернуться — /subscribe.",
        "sub_pick": "Отметьте темы — нажатие включает или выключает подписку:",
        "sub_thread": "в этой ветке",
        "sub_status_title_private": "🔔 <b>Ваши подписки</b>",
        "sub_status_title_chat": "🔔 <b>Подписки чата «{title}»</b>",
        "sub_status_topics": "Темы: {topics}",
        "sub_status_no_topics": "Тем нет — выберите: /subscribe",
        "sub_status_instant_on": "Новые справки: сразу после публикации",
        "sub_status_instant_off": "Новые справки: отдельно не присылаются",
        "sub_status_digest_on": "Дайджест: ежедневно в {time} ({zone}), следующий — {next}",
        "sub_status_digest_off": "Дайджест: выключен (<code>/digest 08:30</code>)",
        "sub_status_stopped": "⏸ Доставка приостановлена. Возобновить — /resume",
        "sub_status_paused": "⏸ Доставка приостановлена: {reason}. Возобновится, когда бот снова сможет писать в чат.",
        "sub_nothing_on": "Сейчас сюда ничего не приходит: включите /instant on или /digest 08:30.",
        "unknown_topics": "Не знаю тем: {names}. Доступные: {topics}.",
        "not_admin": "Менять подписки этого чата могут только его администраторы.",
        "not_admin_toast": "Только администраторы чата могут это менять.",
        "digest_usage": "Укажите время: <code>/digest 08:30</code> или <code>/digest off</code>.",
        "digest_on": "Дайджест будет приходить ежедневно в {time} ({zone}). Следующий — {next}.",
        "digest_off": "Дайджест выключен.",
        "timezone_usage": "Часовой пояс сейчас: {zone}. Сменить: <code>/timezone Asia/Almaty</code> или <code>/timezone +05:00</code>.",
        "timezone_unknown": "Не знаю такого часового пояса: «{zone}». Пример: <code>Europe/Moscow</code> или <code>+03:00</code>.",
        "timezone_set": "Часовой пояс: {zone}.",
        "instant_usage": "<code>/instant on</code> — присылать новые справки сразу, <code>/instant off</code> — только в дайджесте.",
        "instant_on": "Новые справки будут приходить сразу после публикации.",
        "instant_off": "Отдельные сообщения выключены; новое будет только в дайджесте.",
        "stopped": "Доставка приостановлена, подписки сохранены. Возобновить — /resume.",
        "resumed": "Доставка возобновлена.",
        "not_stopped": "Доставка и так идёт.",
        "group_greeting": "Здравствуйте! Я присылаю короткие справки по аналитике и интервью.\n\nАдминистраторы могут подписать чат на темы: /subscribe (кнопки) или, например, <code>/subscribe energy logistics</code>. Все команды — /help.",
        "channel_help": (
            "<b>Подписать канал</b>\n"
            "1. Добавьте меня в канал администратором с правом публиковать сообщения — "
            "кнопкой ниже или ссылкой {link}.\n"
            "2. Или напишите <code>/channel @канал energy logistics</code>, или перешлите мне пост из канала.\n"
            "Управлять подписками канала может любой его администратор: <code>/subscribe @канал темы</code>, "
            "<code>/digest @канал 09:00</code>, <code>/subscriptions @канал</code>."
        ),
        "channel_list": "Ваши каналы:",
        "channel_button": "📣 Выбрать канал",
        "channel_private_only": "Каналы подключаются в личном чате со мной.",
        "channel_not_found": "Не вижу чат {name}: проверьте имя и добавьте меня туда администратором.",
        "channel_not_channel": "{name} — не канал. Группу подпишите командой /subscribe в самой группе.",
        "channel_bot_cannot_post": "Я не могу публиковать в «{title}»: дайте мне право публиковать сообщения.",
        "channel_user_not_admin": "Подключить «{title}» может только его администратор.",
        "channel_registered": "Канал «{title}» подключён.",
        "channel_pick": "Темы для канала «{title}»:",
        "btn_instant_on": "⚡ Сразу: вкл",
        "btn_instant_off": "⚡ Сразу: выкл",
        "btn_done": "Готово",
        "deliveries_title": "📬 <b>Доставка</b>",
        "deliveries_body": (
            "В очереди: {pending} (готовы к отправке: {due})\n"
            "Отправлено: {sent}\n"
            "Скорость: {rate} сообщ./с за последнюю минуту\n"
            "Чатов с подписками: {subscribers}\n"
            "Приостановлено чатов: {paused}"
        ),
        "deliveries_paid": "Платных сообщений: {count} (≈ {stars} ⭐)",
        "deliveries_failed": "Не доставлено, по причинам:",
        "deliveries_no_failures": "Ошибок доставки нет.",
        "admins_only": "Эта команда только для администраторов бота.",
        "digest_title": "Дайджест",
        "digest_count": "новых справок: {count}",
        "cmd_subscribe": "Подписаться на темы",
        "cmd_subscriptions": "Мои подписки и дайджест",
        "admin_refusal": "Эта команда недоступна.",
        "correction_edited": "Исправлено редакцией",
        "correction_retired": "Справка снята редакцией",
        "correction_note_edited": "✏️ Справка выше исправлена: «{title}». Актуальная версия — {command}.",
        "correction_note_retired": "🚫 Справка выше («{title}») снята редакцией.",
        "editor_help": (
            "<b>Редакция</b>\n"
            "/add тема Заголовок | текст — заметка редакции (черновик)\n"
            "/reactions — на что реагируют читатели\n"
            "/edit id Заголовок | текст — правка\n"
            "/figure id значение единица подпись — ключевая цифра\n"
            "/figure_remove id N — убрать цифру N\n"
            "/quote_add id слова [| кто, должность] — цитата дословно из источника\n"
            "/quote_edit id N слова [| кто, должность] — другие слова вместо цитаты N\n"
            "/quote_remove id N — убрать цитату N\n"
            "/drafts — черновики с кнопками\n"
            "/desk — стол редактора (Mini App): всё на одном экране\n"
            "/publish id — в эфир (с предпросмотром)\n"
            "/retire id — снять с эфира\n"
            "/history id — кто и что менял\n"
            "/reload — перечитать seeds/\n"
            "/export — весь контент файлом; файл YAML/JSON — импорт, .txt/.md — статья в черновики"
        ),
        "owner_help": "\n/grant id, /revoke id — права редактора",
        "edit_text_usage": "Нужен текст: <code>Заголовок | текст справки</code> (или заголовок первой строкой).",
        "edit_too_long": "Слишком длинно: заголовок до {title} символов, текст до {summary}.",
        "edit_no_snippet": "Справки #{id} нет.",
        "edit_no_source": "Нет ни одного источника: сначала загрузите статью.",
        "edit_retired": "Справка #{id} снята с эфира; её нельзя менять.",
        "edit_already_published": "Справка #{id} уже в эфире.",
        "edit_number_not_in_source": "Числа {number} нет в тексте источника — каждая цифра должна быть оттуда.",
        "edit_id_usage": "Укажите номер справки: <code>/{command} 12</code>.",
        "figure_usage": "Формат: <code>/figure 12 28 млрд долларов товарооборот</code> (номер, значение, единица, подпись).",
        "add_usage": "Формат: <code>/add energy Заголовок | текст справки</code>.",
        "quote_usage": "Формат: <code>/quote_add 12 слова из источника</code> или <code>/quote_edit 12 1 слова из источника</code> — дословно; чьи это слова, можно указать после « | »: <code>| Имя Фамилия, должность</code> (иначе — автор или собеседник источника).",
        "position_usage": "Формат: <code>/{command} 12 1</code> — номер справки и номер по порядку, с 1.",
        "quote_needs_source": "Цитировать нечего: у заметки редакции нет источника. Цитаты добавляют к справкам из статей.",
        "quote_not_in_source": "Этих слов нет в тексте источника: цитата должна совпадать с ним дословно.",
        "quote_differs": "С источником дословно совпадает только начало: «{start}». Дальше («{next}…») в источнике написано иначе, а цитата должна совпадать слово в слово.",
        "quote_too_long": "Цитата длиннее {limit} символов: выберите фразу короче.",
        "figure_limit": "У справки #{id} уже {limit} цифр, больше не бывает: уберите лишнюю (/figure_remove).",
        "quote_limit": "У справки #{id} уже {limit} цитаты, больше не бывает: замените одну (/quote_edit) или уберите (/quote_remove).",
        "quote_speaker_usage": "Кто сказал: <code>Имя Фамилия, должность</code> — имя до {name} символов, должность до {role}.",
        "quote_no_such": "У справки #{id} нет цитаты {position}: цитат у неё {count}.",
        "figure_no_such": "У справки #{id} нет цифры {position}: цифр у неё {count}.",
        "edit_list_changed": "У справки #{id} с тех пор изменился список цифр или цитат: посмотрите её снова и повторите команду.",
        "draft_created": "Черновик #{id} создан.",
        "draft_updated": "Черновик #{id} обновлён. Так его увидят читатели:",
        "confirm_edit": "Справка #{id} в эфире. После правки доставленные сообщения (их {count}) станут такими, а в справках по теме будет новая версия:",
        "confirm_publish": "Опубликовать #{id}?",
        "will_reach": "Получателей: {count}. Так увидят читатели:",
        "figure_needs_source": "Число {number} не из чего взять: у заметки редакции нет источника. Цифры добавляют к справкам из статей.",
        "figure_no_passage": "У справки #{id} нет цитаты или фразы из источника, по которой видно, о каком месте текста она: цифру не к чему привязать.",
        "figure_not_in_passage": "Числа {number} нет в том месте источника, о котором справка #{id}: цифра должна быть из её же фрагмента.",
        "kind_note": "заметка редакции",
        "kind_note_author": "Редакция",
        "confirm_retire": "Снять #{id} с эфира? Доставленные сообщения (их {count}) станут такими:",
        "applied_edit": "Справка #{id} исправлена; исправлений доставленных сообщений: {count}.",
        "applied_publish": "Справка #{id} в эфире; в очередь доставки: {count}.",
        "applied_retire": "Справка #{id} снята с эфира; исправлений доставленных сообщений: {count}.",
        "cancelled": "Отменено, ничего не изменилось.",
        "change_expired": "Это подтверждение устарело — повторите команду.",
        "drafts_title": "<b>Черновики</b>",
        "drafts_empty": "Черновиков нет.",
        "btn_preview": "👁 Предпросмотр",
        "btn_publish": "✅ Опубликовать",
        "btn_share": "↗️ Поделиться",
        "btn_earlier": "◀ Раньше ({n}/{total})",
        "btn_newer": "Новее ({n}/{total}) ▶",
        "briefing_page": "Материал {n} из {total} по теме, новые сначала.",
        "latest_title": "Что нового",
        "latest_first": "Самое свежее:",
        "latest_since": "С вашего прошлого визита:",
        "latest_nothing": "С вашего прошлого визита ничего нового. Все темы — /topics.",
        "cmd_latest": "Что нового с прошлого раза",
        "btn_discard": "🗑 Убрать",
        "btn_apply": "✅ Применить",
        "btn_cancel": "✖️ Отмена",
        "discarded": "Черновик #{id} убран (сохранён в истории).",
        "history_title": "<b>История #{id}</b>",
        "history_empty": "Изменений не записано.",
        "reload_done": "seeds/ перечитан: новых {added}, изменено {changed}, снято {retired}.",
        "reload_failed": "seeds/ не применён, ничего не изменилось:\n<code>{error}</code>",
        "granted": "Пользователь {id} теперь редактор.",
        "already_editor": "Пользователь {id} уже редактор.",
        "revoked": "Пользователь {id} больше не редактор.",
        "not_editor": "Пользователь {id} не был редактором.",
        "grant_usage": "Укажите числовой id пользователя: <code>/grant 123456789</code>.",
        "import_summary": "Файл «{name}» проверен. Будет изменено:\nсправок новых: {added}, изменённых: {changed}, снятых: {retired}\nисточников новых: {sources_added}, изменённых: {sources_changed}",
        "import_nothing": "Файл «{name}» проверен: он совпадает с тем, что уже в базе. Ничего менять не нужно.",
        "import_refused": "Файл не принят, ничего не изменилось:\n<code>{error}</code>",
        "import_applied": "Файл «{name}» применён: новых {added}, изменённых {changed}, снятых {retired}.",
        "ingest_applied": "Черновики созданы: {count}. Откройте /drafts, чтобы поправить и опубликовать.",
        "ingest_heading": "📝 <b>Статья разобрана</b>",
        "ingest_title": "Заголовок",
        "ingest_date": "Дата",
        "ingest_author": "Автор или собеседник",
        "ingest_kind": "Жанр",
        "ingest_drafts": "Черновиков {count}, цифр найдено: {figures}:",
        "ingest_confirm": "Создать черновики? Опубликовать их можно будет из /drafts.",
        "not_found": "не найдено",
        "reactions_title": "<b>Реакции читателей</b> на доставленные справки:",
        "deliveries_halted": "⚠️ <b>Рассылка приостановлена</b> с {since}: отправленное не удаётся записать в базу ({error}). Ждут записи: {unrecorded}. Повторные отправки исключены; рассылка продолжится сама, как только запись заработает.",
        "reactions_none": "На доставленные справки пока никто не отреагировал.",
        "ingest_model_notes": "Языковая модель: не принято (не подтверждается текстом статьи):",
        "export_caption": "Контент в формате seeds/: {name}",
        "desk_open": "📝 <b>Стол редактора</b>: черновики, правка и публикация на одном экране. Кнопка ниже и кнопка меню открывают его.",
        "desk_button": "📝 Стол редактора",
        "desk_private_only": "Стол редактора открывается в личном чате с ботом: напишите мне /desk там.",
        "console_upload_usage": "как: /upload ПУТЬ (файл .yaml/.json с материалами или статья .txt/.md)",
        "console_no_file": "файл не найден: {path}",
        "desk_not_configured": "Стол редактора не настроен: владельцу нужно задать DESK_URL (публичный https-адрес).",
        "desk_unauthorized": "Данные запуска отсутствуют, подделаны или устарели. Откройте стол заново кнопкой в чате с ботом.",
        "desk_forbidden": "Стол редактора доступен только владельцам и редакторам.",
        "desk_bad_request": "Запрос не понят: {problem}.",
        "desk_too_large": "Слишком большой запрос.",
        "desk_stale_for_changes": "Стол открыт больше часа назад: чтобы что-то изменить, откройте его заново кнопкой в чате с ботом.",
        "desk_not_found": "Такого адреса у стола нет.",
        "desk_failed": "Не получилось: внутренняя ошибка. Попробуйте ещё раз.",
        "desk_ui_title": "Стол редактора",
        "desk_ui_drafts": "Черновики",
        "desk_ui_published": "В эфире",
        "desk_ui_empty": "Ни черновиков, ни опубликованных справок.",
        "desk_ui_back": "← К списку",
        "desk_ui_source": "Источник",
        "desk_ui_no_source": "У этой справки нет текста источника.",
        "desk_ui_preview": "Так увидят читатели",
        "desk_ui_edit": "Правка",
        "desk_ui_field_title": "Заголовок",
        "desk_ui_field_summary": "Текст",
        "desk_ui_save": "Сохранить",
        "desk_ui_figures": "Цифры",
        "desk_ui_quotes": "Цитаты",
        "desk_ui_field_value": "Число",
        "desk_ui_field_unit": "Единица",
        "desk_ui_field_label": "Что это",
        "desk_ui_add_figure": "Добавить цифру",
        "desk_ui_remove": "Убрать",
        "desk_ui_add_quote": "Цитата",
        "desk_ui_field_quote": "Слова из источника, дословно",
        "desk_ui_field_speaker": "Кто сказал (имя, должность); пусто — тот же, кто у заменяемой цитаты, или автор источника",
        "desk_ui_quote_new": "Новая цитата",
        "desk_ui_quote_replace": "Вместо цитаты {count}",
        "desk_ui_save_quote": "Сохранить цитату",
        "desk_ui_publish": "Опубликовать",
        "desk_ui_reach": "Получат чатов: {count}",
        "desk_ui_delivered": "Доставлено копий: {count}",
        "desk_ui_retire": "Снять",
        "desk_ui_discard": "Удалить черновик",
        "desk_ui_apply": "Применить",
        "desk_ui_cancel": "Отмена",
        "desk_ui_history": "История",
        "desk_ui_history_empty": "Изменений пока нет.",
        "desk_ui_loading": "Загрузка…",
        "desk_ui_status_draft": "черновик",
        "desk_ui_status_published": "в эфире",
        "desk_ui_status_retired": "снята",
    },
    "en": {
        "welcome": "Hello! I keep short briefings on analytical articles and interviews: the gist, key figures, quotes and the source.\n\nPick a topic or just type a word, e.g. <i>Rosatom</i>.",
        "help": (
            "<b>How to use</b>\n"
            "/topics — all topics\n"
            "{topic_commands}\n"
            "/latest — what is new since last time\n"
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
        "search_nothing_meaningful": "“{query}” has no words to search for. Try, for example, <code>nuclear</code> or <code>Rosatom</code>.",
        "chatter_reply": "Hello! I keep short briefings on the topics below. Pick one, or type a word to look for, e.g. “Rosatom”.",
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
        "stated_by_expert": "according to the expert",
        "stated_by_interviewer": "from the interviewer's question",
        "stated_by_official": "official figure",
        "stated_by_editors": "editors' figure",
        "translation": "Translation",
        "in_russian": "🇷🇺 Available in Russian only",
        "kind_interview": "interview",
        "kind_article": "article",
        "kind_analysis": "analysis",
        "kind_news": "news",
        "kind_opinion": "opinion",
        "date_unknown": "date not given",
        "cmd_start": "Start and the topic menu",
        "cmd_help": "How to use the bot",
        "cmd_topics": "All topics",
        "cmd_figures": "Key figures by topic",
        "cmd_quote": "A quote on a topic",
        "cmd_search": "Search the material",
        "cmd_about": "Sources",
        "error": "Something went wrong. Please try again in a moment.",
        "storage_full": "Not saved: the bot's server has run out of disk space. Nothing changed; reading still works, please try this again later.",
        "storage_busy": "Not saved: the bot's database is busy with another operation (an import, say). Nothing changed — try again in a minute.",
        "storage_readonly": "Not saved: the bot's database is read-only right now. Nothing changed; reading still works, please try this again later.",
        "storage_io": "Not saved: the disk of the bot's server reported a write error. Nothing changed; reading still works, please try this again later.",
        "slow_down": "Too many requests in a row — please wait a few seconds.",
        "sub_help": (
            "<b>Subscriptions</b>\n"
            "/subscribe topics — get new briefings (no topics: buttons)\n"
            "/unsubscribe topics — stop them (<code>all</code> for all)\n"
            "/subscriptions — what this chat gets, and when\n"
            "/digest 08:30 — a daily digest, <code>/digest off</code> to stop it\n"
            "/instant off — no separate messages, the digest only\n"
            "/timezone Europe/London — the digest's time zone\n"
            "/stop — pause everything, /resume — carry on\n"
            "/channel — subscribe your channel"
        ),
        "sub_added": "Subscribed: {topics}. New briefings will arrive here.",
        "sub_already": "Already subscribed: {topics}.",
        "sub_removed": "Unsubscribed: {topics}.",
        "sub_not_subscribed": "There was no subscription to {topics}.",
        "sub_none_left": "No subscriptions left. To come back: /subscribe.",
        "sub_pick": "Tick the topics — a tap turns a subscription on or off:",
        "sub_thread": "in this thread",
        "sub_status_title_private": "🔔 <b>Your subscriptions</b>",
        "sub_status_title_chat": "🔔 <b>Subscriptions of “{title}”</b>",
        "sub_status_topics": "Topics: {topics}",
        "sub_status_no_topics": "No topics — pick some: /subscribe",
        "sub_status_instant_on": "New briefings: as soon as they are published",
        "sub_status_instant_off": "New briefings: not sent one by one",
        "sub_status_digest_on": "Digest: daily at {time} ({zone}), next on {next}",
        "sub_status_digest_off": "Digest: off (<code>/digest 08:30</code>)",
        "sub_status_stopped": "⏸ Delivery is paused. To carry on: /resume",
        "sub_status_paused": "⏸ Delivery is paused: {reason}. It resumes when the bot can write to the chat again.",
        "sub_nothing_on": "Nothing arrives here now: turn on /instant on or /digest 08:30.",
        "unknown_topics": "I don't know the topics: {names}. Available: {topics}.",
        "not_admin": "Only this chat's administrators can change its subscriptions.",
        "not_admin_toast": "Only the chat's administrators can change this.",
        "digest_usage": "Give a time: <code>/digest 08:30</code>, or <code>/digest off</code>.",
        "digest_on": "A digest will arrive daily at {time} ({zone}). Next: {next}.",
        "digest_off": "Digest turned off.",
        "timezone_usage": "Time zone now: {zone}. To change it: <code>/timezone Asia/Almaty</code> or <code>/timezone +05:00</code>.",
        "timezone_unknown": "I don't know the time zone “{zone}”. For example: <code>Europe/London</code> or <code>+01:00</code>.",
        "timezone_set": "Time zone: {zone}.",
        "instant_usage": "<code>/instant on</code> — new briefings at once, <code>/instant off</code> — in the digest only.",
        "instant_on": "New briefings will arrive as soon as they are published.",
        "instant_off": "Separate messages are off; new material comes in the digest only.",
        "stopped": "Delivery paused; subscriptions are kept. To carry on: /resume.",
        "resumed": "Delivery resumed.",
        "not_stopped": "Delivery is already on.",
        "group_greeting": "Hello! I send short briefings on analytical articles and interviews.\n\nAdministrators can subscribe this chat to topics: /subscribe (buttons) or e.g. <code>/subscribe energy logistics</code>. All commands: /help.",
        "channel_help": (
            "<b>Subscribe a channel</b>\n"
            "1. Add me to the channel as an administrator allowed to post — "
            "with the button below or the link {link}.\n"
            "2. Or send <code>/channel @channel energy logistics</code>, or forward me a post from the channel.\n"
            "Any administrator of the channel manages it: <code>/subscribe @channel topics</code>, "
            "<code>/digest @channel 09:00</code>, <code>/subscriptions @channel</code>."
        ),
        "channel_list": "Your channels:",
        "channel_button": "📣 Choose a channel",
        "channel_private_only": "Channels are connected in a private chat with me.",
        "channel_not_found": "I can't see the chat {name}: check the name and add me there as an administrator.",
        "channel_not_channel": "{name} is not a channel. Subscribe a group with /subscribe in the group itself.",
        "channel_bot_cannot_post": "I can't post in “{title}”: give me the right to post messages.",
        "channel_user_not_admin": "Only an administrator of “{title}” can connect it.",
        "channel_registered": "Channel “{title}” connected.",
        "channel_pick": "Topics for the channel “{title}”:",
        "btn_instant_on": "⚡ At once: on",
        "btn_instant_off": "⚡ At once: off",
        "btn_done": "Done",
        "deliveries_title": "📬 <b>Delivery</b>",
        "deliveries_body": (
            "Queued: {pending} (due now: {due})\n"
            "Sent: {sent}\n"
            "Rate: {rate} msg/s over the last minute\n"
            "Chats with subscriptions: {subscribers}\n"
            "Paused chats: {paused}"
        ),
        "deliveries_paid": "Paid messages: {count} (≈ {stars} ⭐)",
        "deliveries_failed": "Not delivered, by reason:",
        "deliveries_no_failures": "No delivery failures.",
        "admins_only": "This command is for the bot's administrators.",
        "digest_title": "Digest",
        "digest_count": "new briefings: {count}",
        "cmd_subscribe": "Subscribe to topics",
        "cmd_subscriptions": "My subscriptions and digest",
        "admin_refusal": "This command is not available.",
        "correction_edited": "Corrected by the editors",
        "correction_retired": "Withdrawn by the editors",
        "correction_note_edited": "✏️ The briefing above was corrected: “{title}”. Current version: {command}.",
        "correction_note_retired": "🚫 The briefing above (“{title}”) was withdrawn by the editors.",
        "editor_help": (
            "<b>Editing</b>\n"
            "/add topic Title | text — an editors' note (a draft)\n"
            "/reactions — what readers react to\n"
            "/edit id Title | text — an edit\n"
            "/figure id value unit label — a key figure\n"
            "/figure_remove id N — take out figure N\n"
            "/quote_add id words [| who, role] — a quote, verbatim from the source\n"
            "/quote_edit id N words [| who, role] — other words in place of quote N\n"
            "/quote_remove id N — take out quote N\n"
            "/drafts — drafts with buttons\n"
            "/desk — the editor's desk (a Mini App): everything in one screen\n"
            "/publish id — on the air (after a preview)\n"
            "/retire id — off the air\n"
            "/history id — who changed what\n"
            "/reload — re-read seeds/\n"
            "/export — all content as a file; send a YAML/JSON file to import, .txt/.md for an article"
        ),
        "owner_help": "\n/grant id, /revoke id — the editor role",
        "edit_text_usage": "Give the text: <code>Title | the briefing's text</code> (or the title on the first line).",
        "edit_too_long": "Too long: titles up to {title} characters, texts up to {summary}.",
        "edit_no_snippet": "There is no briefing #{id}.",
        "edit_no_source": "There is no source yet: upload an article first.",
        "edit_retired": "Briefing #{id} is off the air and cannot be changed.",
        "edit_already_published": "Briefing #{id} is already on the air.",
        "edit_number_not_in_source": "The number {number} is not in the source's text — every figure must come from it.",
        "edit_id_usage": "Give the briefing's number: <code>/{command} 12</code>.",
        "figure_usage": "Format: <code>/figure 12 28 млрд долларов trade</code> (number, value, unit, label).",
        "add_usage": "Format: <code>/add energy Title | the briefing's text</code>.",
        "quote_usage": "Format: <code>/quote_add 12 words from the source</code> or <code>/quote_edit 12 1 words from the source</code> — verbatim; whose words they are may follow “ | ”: <code>| Name Surname, role</code> (otherwise the source's author or interviewee).",
        "position_usage": "Format: <code>/{command} 12 1</code> — the briefing's number and the item's place in its list, from 1.",
        "quote_needs_source": "There is nothing to quote: an editors' note has no source. Quotes go on briefings from articles.",
        "quote_not_in_source": "These words are not in the source's text: a quote must match it verbatim.",
        "quote_differs": "Only the beginning matches the source verbatim: “{start}”. From there (“{next}…”) the source reads differently, and a quote must match it word for word.",
        "quote_too_long": "The quote is longer than {limit} characters: choose a shorter passage.",
        "figure_limit": "Briefing #{id} already has {limit} figures, the most it can have: take one out (/figure_remove).",
        "quote_limit": "Briefing #{id} already has {limit} quotes, the most it can have: replace one (/quote_edit) or take one out (/quote_remove).",
        "quote_speaker_usage": "Who said it: <code>Name Surname, role</code> — a name up to {name} characters, a role up to {role}.",
        "quote_no_such": "Briefing #{id} has no quote {position}: it has {count}.",
        "figure_no_such": "Briefing #{id} has no figure {position}: it has {count}.",
        "edit_list_changed": "Briefing #{id}'s figures or quotes have changed since you asked: look at it again and repeat the command.",
        "draft_created": "Draft #{id} created.",
        "draft_updated": "Draft #{id} updated. Readers will see it like this:",
        "confirm_edit": "Briefing #{id} is on the air. After the edit its delivered messages ({count}) will read like this, and briefings will show the new version:",
        "confirm_publish": "Publish #{id}?",
        "will_reach": "Recipients: {count}. Readers will see it like this:",
        "figure_needs_source": "There is nothing to take {number} from: an editors' note has no source. Figures go on briefings from articles.",
        "figure_no_passage": "Briefing #{id} has no quote or phrase from its source that shows which part of the text it is about: there is nothing to tie a figure to.",
        "figure_not_in_passage": "{number} is not in the part of the source briefing #{id} is about: a figure must come from its own passage.",
        "kind_note": "editors' note",
        "kind_note_author": "The editors",
        "confirm_retire": "Take #{id} off the air? Its delivered messages ({count}) will read like this:",
        "applied_edit": "Briefing #{id} corrected; delivered messages to correct: {count}.",
        "applied_publish": "Briefing #{id} is on the air; queued for delivery: {count}.",
        "applied_retire": "Briefing #{id} is off the air; delivered messages to correct: {count}.",
        "cancelled": "Cancelled; nothing changed.",
        "change_expired": "This confirmation has expired — run the command again.",
        "drafts_title": "<b>Drafts</b>",
        "drafts_empty": "No drafts.",
        "btn_preview": "👁 Preview",
        "btn_publish": "✅ Publish",
        "btn_share": "↗️ Share",
        "btn_earlier": "◀ Earlier ({n}/{total})",
        "btn_newer": "Newer ({n}/{total}) ▶",
        "briefing_page": "Item {n} of {total} on this topic, newest first.",
        "latest_title": "What's new",
        "latest_first": "The newest:",
        "latest_since": "Since your last visit:",
        "latest_nothing": "Nothing new since your last visit. All topics: /topics.",
        "cmd_latest": "What's new since last time",
        "btn_discard": "🗑 Discard",
        "btn_apply": "✅ Apply",
        "btn_cancel": "✖️ Cancel",
        "discarded": "Draft #{id} discarded (kept in the history).",
        "history_title": "<b>History of #{id}</b>",
        "history_empty": "No changes recorded.",
        "reload_done": "seeds/ re-read: {added} new, {changed} changed, {retired} retired.",
        "reload_failed": "seeds/ not applied, nothing changed:\n<code>{error}</code>",
        "granted": "User {id} is now an editor.",
        "already_editor": "User {id} already is an editor.",
        "revoked": "User {id} is no longer an editor.",
        "not_editor": "User {id} was not an editor.",
        "grant_usage": "Give the user's numeric id: <code>/grant 123456789</code>.",
        "import_summary": "File “{name}” checked. It will change:\nbriefings new: {added}, changed: {changed}, retired: {retired}\nsources new: {sources_added}, changed: {sources_changed}",
        "import_nothing": "File “{name}” checked: it matches what is already stored. Nothing to change.",
        "import_refused": "File refused, nothing changed:\n<code>{error}</code>",
        "import_applied": "File “{name}” applied: {added} new, {changed} changed, {retired} retired.",
        "ingest_applied": "Drafts created: {count}. Open /drafts to edit and publish them.",
        "ingest_heading": "📝 <b>Article read</b>",
        "ingest_title": "Headline",
        "ingest_date": "Date",
        "ingest_author": "Author or interviewee",
        "ingest_kind": "Kind",
        "ingest_drafts": "{count} drafts, figures found: {figures}:",
        "ingest_confirm": "Create the drafts? You can publish them from /drafts.",
        "not_found": "not found",
        "reactions_title": "<b>Readers' reactions</b> to delivered briefings:",
        "deliveries_halted": "⚠️ <b>Delivery on hold</b> since {since}: what was sent cannot be recorded ({error}). Waiting to be recorded: {unrecorded}. Nothing is sent twice; delivery resumes by itself once writes work again.",
        "reactions_none": "Nobody has reacted to a delivered briefing yet.",
        "ingest_model_notes": "Language model: refused (not supported by the article's text):",
        "export_caption": "Content in the seeds/ format: {name}",
        "desk_open": "📝 <b>The editor's desk</b>: drafts, edits and publishing in one screen. The button below and the menu button open it.",
        "desk_button": "📝 Editor's desk",
        "desk_private_only": "The editor's desk opens in a private chat with the bot: send me /desk there.",
        "console_upload_usage": "usage: /upload PATH (a .yaml/.json content file or a .txt/.md article)",
        "console_no_file": "no such file: {path}",
        "desk_not_configured": "The editor's desk is not set up: an owner needs to set DESK_URL (a public https address).",
        "desk_unauthorized": "The launch data is missing, forged or expired. Open the desk again with the button in the chat with the bot.",
        "desk_forbidden": "The editor's desk is for owners and editors only.",
        "desk_bad_request": "The request was not understood: {problem}.",
        "desk_too_large": "The request is too large.",
        "desk_stale_for_changes": "The desk was opened over an hour ago: to change anything, open it again with the button in the chat with the bot.",
        "desk_not_found": "The desk has no such address.",
        "desk_failed": "That did not work: an internal error. Please try again.",
        "desk_ui_title": "Editor's desk",
        "desk_ui_drafts": "Drafts",
        "desk_ui_published": "On the air",
        "desk_ui_empty": "No drafts and no published briefings.",
        "desk_ui_back": "← Back to the list",
        "desk_ui_source": "Source",
        "desk_ui_no_source": "This briefing has no source text.",
        "desk_ui_preview": "What readers will see",
        "desk_ui_edit": "Edit",
        "desk_ui_field_title": "Title",
        "desk_ui_field_summary": "Text",
        "desk_ui_save": "Save",
        "desk_ui_figures": "Figures",
        "desk_ui_quotes": "Quotes",
        "desk_ui_field_value": "Number",
        "desk_ui_field_unit": "Unit",
        "desk_ui_field_label": "What it is",
        "desk_ui_add_figure": "Add figure",
        "desk_ui_remove": "Remove",
        "desk_ui_add_quote": "Quote",
        "desk_ui_field_quote": "Words from the source, verbatim",
        "desk_ui_field_speaker": "Who said it (name, role); empty: whoever said the quote replaced, or the source's author",
        "desk_ui_quote_new": "A new quote",
        "desk_ui_quote_replace": "In place of quote {count}",
        "desk_ui_save_quote": "Save quote",
        "desk_ui_publish": "Publish",
        "desk_ui_reach": "Chats it will reach: {count}",
        "desk_ui_delivered": "Copies delivered: {count}",
        "desk_ui_retire": "Retire",
        "desk_ui_discard": "Discard draft",
        "desk_ui_apply": "Apply",
        "desk_ui_cancel": "Cancel",
        "desk_ui_history": "History",
        "desk_ui_history_empty": "No changes yet.",
        "desk_ui_loading": "Loading…",
        "desk_ui_status_draft": "draft",
        "desk_ui_status_published": "on the air",
        "desk_ui_status_retired": "retired",
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
