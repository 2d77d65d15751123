"""The Telegram webhook as an ASGI app (Starlette), one of N identical worker processes.

Telegram POSTs each update with the secret token in a header. The app checks
it, then applies the update inside one database transaction that also
records its `update_id` (see UpdateUnit): a redelivered update finds its id
and is dropped, and a worker that dies mid-update commits nothing, so
Telegram's retry applies it then. The user's advisory lock, taken first,
serialises one user's updates across every worker; any worker can serve any
update. The update itself goes through PTB's real `Application.process_update`.

Every worker also delivers reminders (PostgresDelivery) unless
RAPPORT_SERVE_DELIVERY=off leaves that to a separate `rapport-coach deliver`.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import weakref
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route
from telegram import Update
from telegram.ext import Application
from telegram.request import BaseRequest

from bot.channels.telegram.application import build_application
from bot.channels.telegram.context import CoachApplication
from bot.channels.telegram.delivery import TelegramSender
from bot.channels.telegram.handlers import engine_user_id
from bot.channels.telegram.log_redaction import configure_logging
from bot.channels.telegram.profile import publish_profile
from bot.channels.telegram.runner import bot_api_urls
from bot.config import Settings, SettingsError
from bot.domain.clock import Clock
from bot.serve.deliver import DELIVERY_THREADS, PostgresDelivery
from bot.serve.heap import settle_heap
from bot.serve.rate import SharedRateLimiter
from bot.storage.postgres import POOL_SIZE
from bot.storage.postgres.store import PostgresRepository

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105 (a header name)
# Updates in flight per worker: the pool's connections less delivery's (its threads) and one spare.
UPDATES_IN_FLIGHT = POOL_SIZE - DELIVERY_THREADS - 1


def require_scale_settings(settings: Settings) -> tuple[str, str, str]:
    """Return (token, database URL, webhook secret), or raise SettingsError saying what's wrong."""
    token = settings.require_token()
    if not settings.database_url:
        raise SettingsError(
            "serve needs PostgreSQL: set RAPPORT_DATABASE_URL=postgresql://user@host/db"
        )
    secret = settings.webhook_secret or ""
    if not (
        1 <= len(secret) <= 256 and all(c.isascii() and (c.isalnum() or c in "_-") for c in secret)
    ):
        raise SettingsError(
            "serve needs the webhook secret every worker checks: set RAPPORT_WEBHOOK_SECRET "
            "(1-256 characters of A-Z, a-z, 0-9, _ and -)"
        )
    return token, settings.database_url, secret


def build_webhook_application(
    settings: Settings, *, request: BaseRequest | None = None, clock: Clock | None = None
) -> CoachApplication:
    """The PTB Application of one worker: no updater (updates arrive by POST)."""
    builder = Application.builder().token(settings.require_token()).updater(None)
    if request is not None:
        builder = builder.request(request).get_updates_request(request)
    if settings.bot_api_url:
        api, files = bot_api_urls(settings.bot_api_url)
        builder = builder.base_url(api).base_file_url(files)
    assert settings.database_url is not None
    limiter = SharedRateLimiter(settings.database_url, settings.send_rate)
    return build_application(builder, settings, clock=clock, rate_limiter=limiter)


def create_app(
    settings: Settings | None = None,
    *,
    request: BaseRequest | None = None,
    clock: Clock | None = None,
    log_level: str | None = None,
    settle: bool = False,
) -> Starlette:
    """The ASGI app (uvicorn's factory: settings come from the environment and .env).

    `settle`: tune the process's garbage collection once started (bot/serve/heap.py),
    for a worker process of its own, not an app inside a test.
    """
    settings = settings or Settings.from_env(dotenv=Path(".env"))
    token, _, secret = require_scale_settings(settings)
    if log_level is not None:
        configure_logging(log_level, [token, secret])
    state: dict[str, Any] = {}

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        application = await asyncio.to_thread(
            build_webhook_application, settings, request=request, clock=clock
        )
        coach = application.bot_data.coach
        assert coach is not None
        repository = coach.repository
        if not isinstance(repository, PostgresRepository):
            raise SettingsError("serve runs on PostgreSQL only: set RAPPORT_DATABASE_URL")
        await application.initialize()
        await publish_profile(application)
        state.update(application=application, gate=UpdateGate(repository, UPDATES_IN_FLIGHT))
        stop = asyncio.Event()
        delivery = None
        if settings.serve_delivery:
            worker = PostgresDelivery(
                coach=coach, repository=repository, send=TelegramSender(application.bot)
            )
            delivery = asyncio.create_task(worker.run(stop))
        # Load the name lists and word forms now, as polling's post_init does: else the
        # first note after a start waits for them, and they are made after the freeze.
        await asyncio.to_thread(coach.warm_up)
        if settle:
            settle_heap()
        log.info("webhook worker ready on %s", settings.webhook_path)
        try:
            yield
        finally:
            stop.set()
            if delivery is not None:
                await delivery
            await application.shutdown()
            state["gate"].close()
            await asyncio.to_thread(repository.close)

    async def telegram(request: Request) -> Response:
        given = request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), secret.encode()):
            return PlainTextResponse("forbidden", status_code=403)
        try:
            data = json.loads(await request.body())
            update_id = int(data["update_id"])
        except (ValueError, KeyError, TypeError):
            return PlainTextResponse("not a Telegram update", status_code=400)
        applied = await state["gate"].apply(state["application"], data, update_id)
        return PlainTextResponse("ok" if applied else "duplicate")

    async def health(request: Request) -> Response:
        gate: UpdateGate | None = state.get("gate")
        if gate is None:
            return PlainTextResponse("starting", status_code=503)
        await asyncio.to_thread(_ping, gate.repository)
        return PlainTextResponse("ok")

    return Starlette(
        routes=[
            Route(settings.webhook_path, telegram, methods=["POST"]),
            Route("/healthz", health, methods=["GET"]),
        ],
        lifespan=lifespan,
    )


class UpdateGate:
    """Applies updates at most once, one user at a time, without starving its own threads.

    Opening an update may wait for the user's lock, held by another worker (or
    by this one); committing never waits for a lock. They run on separate
    thread pools, so however many updates are waiting, the ones holding locks
    can always commit. Updates of one user arriving at this worker queue here,
    in memory, instead of each holding a database connection while they wait.
    """

    def __init__(self, repository: PostgresRepository, concurrency: int) -> None:
        self.repository = repository
        self._slots = asyncio.Semaphore(concurrency)
        self._users: weakref.WeakValueDictionary[str, asyncio.Lock] = weakref.WeakValueDictionary()
        self._openers = ThreadPoolExecutor(concurrency, thread_name_prefix="update-open")
        self._closers = ThreadPoolExecutor(concurrency, thread_name_prefix="update-commit")

    async def apply(
        self, application: CoachApplication, data: dict[str, Any], update_id: int
    ) -> bool:
        """Apply one update; return False if it had been applied already.

        An exception here (the database is unreachable, say) becomes a 500, and
        Telegram delivers the update again later: nothing is lost.
        """
        update = Update.de_json(data, application.bot)
        user = update.effective_user
        user_id = engine_user_id(user.id) if user else None
        lock = self._users.setdefault(user_id or f"update:{update_id}", asyncio.Lock())
        async with lock, self._slots:
            return await self._apply(application, update, update_id, user_id)

    async def _apply(
        self, application: CoachApplication, update: Update, update_id: int, user_id: str | None
    ) -> bool:
        loop = asyncio.get_running_loop()
        unit = self.repository.update(update_id, user_id)
        fresh = await loop.run_in_executor(self._openers, unit.open)
        error: BaseException | None = None
        try:
            if fresh:
                with unit.joined():
                    await application.process_update(update)
        except BaseException as exc:
            error = exc
            raise
        finally:
            await loop.run_in_executor(self._closers, unit.close, error)
        return fresh

    def close(self) -> None:
        self._openers.shutdown(wait=False)
        self._closers.shutdown(wait=True)


def _ping(repository: PostgresRepository) -> None:
    with repository.pool.connection() as conn:
        conn.execute("SELECT 1")
