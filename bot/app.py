"""The composition root: the one place that opens storage, builds every repository and
service, wires who listens to which event, and assembles the Telegram Application.

Nothing else constructs a service or a repository. Reading this file top to bottom is reading
how the bot is put together; `ARCHITECTURE.md` follows an update and a publication through it.
"""

from __future__ import annotations

import logging

from telegram import LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.ext import Application, ApplicationBuilder, ContextTypes, Defaults
from telegram.request import BaseRequest

from bot.config import Settings
from bot.domain.catalogue import load_catalogue
from bot.domain.seeds import load_seeds
from bot.handlers import admin, desk, editors, feedback, feeds, inline, lifecycle, readers, subscriptions
from bot.presentation.keyboards import Keyboards
from bot.services import Services
from bot.services.briefings import Briefings
from bot.services.ingest.reading.speech import source_voices
from bot.services.delivery import DeliveryService
from bot.services.delivery.digests import Digests
from bot.services.desk import EditorDesk
from bot.services.delivery.messages import DeliveryMessages
from bot.services.editorial import Editorial
from bot.services.events import Events
from bot.services.feeds import Feeds
from bot.services.importing import ContentIntake
from bot.services.ingest.model import ModelDrafter, ModelSettings
from bot.services.subscriptions import Subscriptions
from bot.services.alerts import Alerts
from bot.services.web.fetch import Fetcher
from bot.storage.alerts import AlertRepository
from bot.storage.chats import ChatRepository
from bot.storage.content_repository import ContentRepository
from bot.storage.corrections import CorrectionRepository
from bot.storage.backends import PostgresBackend, SqliteBackend
from bot.storage.digests import DigestRepository
from bot.storage.editorial import EditorialRepository
from bot.storage.feeds import FeedRepository
from bot.storage.outbox import Outbox
from bot.storage.reactions import ReactionRepository
from bot.storage.turns import QuoteTurns
from bot.storage.topics import TopicRepository
from bot.telegram.context import BotData, BriefingContext
from bot.telegram.limits import guard
from bot.telegram.limits.flood_filter import FloodFilter
from bot.telegram.limits.pacing import ChatPacing, PacingLimits
from bot.telegram.limits.throttle import ArrivalVerdicts, UserThrottle
from bot.telegram.ordering import PerChatOrder
from bot.telegram.sending.corrector import Corrector
from bot.telegram.feeds import FeedWatch
from bot.telegram.sending.delivery import Couriers
from bot.telegram.sending.sender import Sender
from bot.telegram.startup import on_error
from bot.telegram.read_ahead import ReadAhead
from bot.telegram.transport import AiohttpRequest

log = logging.getLogger(__name__)


def storage_backend(settings: Settings) -> SqliteBackend | PostgresBackend:
    """PostgreSQL when DATABASE_URL is set (replicas may share it), else the SQLite file."""
    if settings.postgres_url is not None:
        return PostgresBackend(settings.postgres_url)
    return SqliteBackend(settings.database_path)


async def open_services(settings: Settings, *, exclusive: bool = True) -> Services:
    """Validate content, take the database (one process at a time when `exclusive`), migrate
    it, apply the seeds and build the services. The console and the command-line tools pass
    `exclusive=False`: they never deliver.

    Content is validated before any database work: a bad seed file stops start-up with one
    clear message and leaves the database as it was."""
    catalogue = load_catalogue(settings.topics_file)
    loaded = load_seeds(settings.seeds_dir, catalogue, source_voices)
    backend = storage_backend(settings)
    lock = backend.instance_lock() if exclusive else None
    if lock is not None:
        lock.acquire()
    db = delivery_db = trial_db = None
    try:
        db = await backend.connect()
        previous = await backend.migrate(db)
        outbox = Outbox(db)
        alerts = AlertRepository(db)
        # publishing queues deliveries, and what the chats' alerts matched, in its transaction
        content = ContentRepository(db, outbox, alerts)
        await content.search_index.rebuild_if_stale()
        report = await content.sync_seeds(loaded)
        topics = TopicRepository(db)
        for topic in await topics.all():  # the editors' own topics, beside the catalogue's
            if catalogue.by_slug(topic.slug) is None and catalogue.by_command(topic.command) is None:
                catalogue.add(topic)
        delivery_db = await backend.connect()
        trial_db = await backend.connect()  # uploads' trial runs, out of readers' sight
    except BaseException:
        for connection in (db, delivery_db, trial_db):
            if connection is not None:
                await connection.close()
        if lock is not None:
            lock.release()
        raise
    log.info(
        "content ready on %s: schema from v%s, %d sources, +%d ~%d -%d snippets",
        backend.describe(), previous, len(loaded), len(report.added), len(report.changed), len(report.retired),
    )
    events = Events()
    keyboards = Keyboards(catalogue)
    # replicas on PostgreSQL hear of each other's content changes and share the leader's work
    coordination = backend.coordination(on_change_elsewhere=events.content_changed_elsewhere.announce)
    try:
        await coordination.start()
    except BaseException:
        for connection in (db, delivery_db, trial_db):
            await connection.close()
        raise

    # delivery reads and writes on its own connection (see bot/services/delivery); on
    # PostgreSQL its deliveries are claimed, as many at a time as may be in flight, so no two
    # replicas send one
    delivery_outbox = backend.outbox(delivery_db, coordination, claim_batch=settings.delivery_concurrency)
    delivery_content = ContentRepository(delivery_db)
    delivery_alerts = AlertRepository(delivery_db)
    delivery = DeliveryService(
        outbox=delivery_outbox,
        chats=ChatRepository(delivery_db, settings.default_timezone, delivery_outbox, delivery_alerts),
        content=delivery_content,
        corrections=CorrectionRepository(delivery_db),
        messages=DeliveryMessages(catalogue, delivery_content, keyboards),
        digests=Digests(DigestRepository(delivery_db, delivery_outbox, delivery_alerts)),
        events=events,
        retention_days=settings.outbox_retention_days,
        alerts=delivery_alerts,
    )
    chats = ChatRepository(db, settings.default_timezone, outbox, alerts)
    briefings = Briefings(catalogue, content, keyboards, chats, QuoteTurns(db))
    editorial = Editorial(
        EditorialRepository(db, content, CorrectionRepository(db)), content, catalogue, settings.admin_ids,
        events, outbox, chats, ReactionRepository(db), topics,
    )
    drafter = None
    if settings.llm_base_url:
        drafter = ModelDrafter(ModelSettings(
            settings.llm_base_url, settings.llm_model or "",
            settings.llm_api_key.get_secret_value() if settings.llm_api_key else None, settings.llm_timeout,
        ))  # fmt: skip
    fetcher = Fetcher(allow_private=settings.fetch_allow_private, timeout=settings.fetch_timeout)
    trial_outbox = Outbox(trial_db)
    intake = ContentIntake(content, catalogue, settings.seeds_dir, events, drafter,
                           trial=ContentRepository(trial_db, trial_outbox, AlertRepository(trial_db)))
    services = Services(
        settings=settings,
        catalogue=catalogue,
        events=events,
        content=content,
        briefings=briefings,
        subscriptions=Subscriptions(chats, events, DigestRepository(db, outbox, alerts)),
        alerts=Alerts(alerts),
        delivery=delivery,
        editorial=editorial,
        intake=intake,
        desk=EditorDesk(editorial, intake, content, catalogue, fetcher),
        connections=(db, delivery_db, trial_db),
        lock=lock,
        coordination=coordination,
        # feed items become drafts on the main connection: an item is marked in its drafts' transaction
        feeds=Feeds(FeedRepository(db), fetcher, intake, settings.admin_ids, settings.feed_poll_seconds),
    )
    # who hears of a committed content change: readers' caches, then the delivery renderer,
    # then the other replicas (PostgreSQL); of one made by another replica, the same here
    for signal in (events.content_changed, events.content_changed_elsewhere):
        signal.subscribe(briefings.forget)
        signal.subscribe(delivery.messages.forget)
    events.content_changed.subscribe(coordination.content_changed)
    return services


def build_application(
    services: Services,
    token: str,
    *,
    request: BaseRequest | None = None,
    get_updates_request: BaseRequest | None = None,
) -> Application:
    """The bot's Application over the aiohttp transport; `request`/`get_updates_request`
    replace it (the console uses an in-process one)."""
    settings = services.settings
    concurrency = settings.concurrent_updates
    throttle = UserThrottle(settings.rate_limit_requests, settings.rate_limit_window)
    arrivals = ArrivalVerdicts(throttle, settings.admin_ids)  # requests counted as they arrive
    keyboards = services.delivery.messages.keyboards
    coordination = services.coordination
    # Telegram's limits are the bot's: replicas on PostgreSQL each take their share
    chat_pacing = ChatPacing(PacingLimits.from_settings(settings), replicas=lambda: coordination.replicas)
    builder = (
        ApplicationBuilder()
        .token(token)
        .base_url(settings.telegram_base_url)
        .base_file_url(settings.base_file_url)
        .defaults(
            Defaults(
                parse_mode=ParseMode.HTML,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
            )
        )
        .context_types(ContextTypes(context=BriefingContext, bot_data=lambda: BotData(services, throttle, keyboards, arrivals)))
        .rate_limiter(chat_pacing)
        .concurrent_updates(PerChatOrder(max_handlers=concurrency, on_arrival=arrivals.on_arrival))
    )
    request = request or AiohttpRequest(connection_pool_size=concurrency + 8)
    get_updates_request = FloodFilter(
        ReadAhead(get_updates_request or AiohttpRequest(connection_pool_size=1)), throttle
    )
    builder = builder.request(request).get_updates_request(get_updates_request)
    application = builder.build()

    delivery = services.delivery
    couriers = Couriers(
        delivery,
        Sender(application.bot, delivery.outbox, delivery.chats, delivery.messages, chat_pacing,
               concurrency=settings.delivery_concurrency, health=delivery.health),
        Corrector(application.bot, delivery.corrections, delivery.content, services.catalogue, chat_pacing,
                  leading=coordination.leading),
        coordination,
        FeedWatch(application.bot, services.feeds, leading=coordination.leading) if services.feeds is not None else None,
    )
    application.bot_data.couriers = couriers
    # who hears that something may be sent now: the sender (new deliveries, new content) and
    # the corrector (edits and retirements queue corrections)
    services.events.deliveries_queued.subscribe(couriers.wake_sender)
    for signal in (services.events.content_changed, services.events.content_changed_elsewhere):
        signal.subscribe(couriers.wake_sender)
        signal.subscribe(couriers.wake_corrector)

    guard.register(application)
    readers.register_commands(application)  # first: topic commands are most of the traffic
    lifecycle.register(application)
    subscriptions.register(application)
    admin.register(application)
    editors.register(application)
    feeds.register(application)
    desk.register(application)
    readers.register_fallbacks(application)  # last: they take whatever nothing else did
    inline.register(application)
    feedback.register(application)
    application.add_error_handler(on_error)
    return application


def build_desk(services: Services, token: str):
    """The editor's desk (a Telegram Mini App) as routes for the runner's web server, or None
    when DESK_URL is not set."""
    settings = services.settings
    if not settings.desk_url:
        return None
    from bot.desk.api import DeskApi, desk_app, mounter  # aiohttp's server only with a desk

    api = DeskApi(services.desk, token, max_age=settings.desk_auth_max_age)
    return mounter(settings.desk_path, desk_app(api))
