"""The reminder delivery service: one APScheduler job, armed at the earliest due user.

The store's schedule hands this process the *deliverer* role for one channel
(one process per data folder and channel; another one waits in standby and
takes over when the first stops). Start-up reads the due index, never the
reminders themselves, so a million pending reminders cost one heap entry per
user. A single DateTrigger job fires at the earliest due time, serves the
users that are due (oldest first, a bounded number at once, paced to
Telegram's 30 messages a second), and re-arms itself. Commits anywhere in
the process move the heap through a listener; other processes' commits are
read from the index every few seconds.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import TypeVar

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.date import DateTrigger
from apscheduler.triggers.interval import IntervalTrigger

from bot.domain.clock import Clock
from bot.domain.model import Reminder
from bot.engine.coach import Coach
from bot.engine.reminders import ping
from bot.engine.replies import Reply
from bot.engine.turn import Turn
from bot.scheduling import delivery
from bot.scheduling.delivery import Envelope
from bot.scheduling.outcomes import Delivered, Outcome, RetryLater, Send, Splitter
from bot.storage.due import TELEGRAM, TERMINAL
from bot.storage.errors import StoreError
from bot.storage.repository import Deliverer, UserStore

log = logging.getLogger(__name__)

T = TypeVar("T")
DELIVER_JOB = "reminders-deliver"
POLL_JOB = "reminders-poll"
# Telegram allows about 30 messages a second in all.
TELEGRAM_RATE = 30.0
# Said before a message that may already have arrived (its earlier answer was lost).
RESENT_TEMPLATE = "replies/delivery/resent.html.j2"
ROOM_FOR_NOTE = 200


class ReminderService:
    """Delivers due reminders through `send`; `start` and `stop` it with the channel."""

    def __init__(
        self,
        *,
        coach: Coach,
        send: Send,
        clock: Clock | None = None,
        concurrency: int = 8,
        max_per_second: float | None = TELEGRAM_RATE,
        poll_seconds: float = 5.0,
        only_user: str | None = None,
        channel: str | None = None,
    ) -> None:
        self.coach = coach
        self.send = send
        self.clock = clock or coach.clock
        self.repository = coach.repository
        self.concurrency = concurrency
        self.max_per_second = max_per_second
        self.poll_seconds = poll_seconds
        # A terminal chat serves one user; everyone else's reminders wait for their channel.
        self.only_user = only_user
        self.channel = channel or coach.channel or (TERMINAL if only_user else TELEGRAM)
        self.deliverer: Deliverer | None = None
        self._scheduler: AsyncIOScheduler | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._running = False
        self._stopping = False
        self._idle = asyncio.Event()
        # The scheduled job and a direct call (tests, tools) never deliver at the same time.
        self._one_run = asyncio.Lock()
        self._tasks: set[asyncio.Task[int]] = set()
        self._workers: ThreadPoolExecutor | None = None
        self._armed_for: datetime | None = None
        self._next_send_slot = 0.0
        self._warned = False  # about a folder we can't deliver from: said once

    # -- life cycle ------------------------------------------------------------
    async def start(self) -> None:
        """Become this channel's deliverer (or stand by), then arm the delivery job."""
        self._loop = asyncio.get_running_loop()
        # Store steps block on fsync; one thread per concurrent user keeps the disk busy.
        self._workers = ThreadPoolExecutor(self.concurrency, thread_name_prefix="reminders")
        self._idle.set()
        self._stopping = False
        self._scheduler = AsyncIOScheduler(event_loop=self._loop, timezone=UTC)
        self._scheduler.start()
        # misfire_grace_time=None: APScheduler 3 would otherwise silently skip a late run.
        self._scheduler.add_job(
            self._poll,
            IntervalTrigger(seconds=self.poll_seconds, timezone=UTC),
            id=POLL_JOB,
            coalesce=True,
            misfire_grace_time=None,
            max_instances=1,
        )
        await self._become_deliverer()
        if self.deliverer is None:
            log.info(
                "another process delivers %s reminders from this data folder; standing by",
                self.channel,
            )

    async def _become_deliverer(self) -> None:
        try:
            found = await asyncio.to_thread(
                self.repository.schedule.deliverer, channel=self.channel, user_id=self.only_user
            )
        except (OSError, StoreError) as exc:
            # A read-only or broken folder: the chat still reads; reminders wait for a fix.
            if not self._warned:
                log.warning("reminders can't be delivered from this data folder: %s", exc)
                self._warned = True
            return
        if found is None:
            return
        self.deliverer = found
        found.on_change(self._hint)
        self._arm()
        log.info("reminder service started for %s", self.channel)

    async def stop(self, timeout: float = 10.0) -> None:
        """Stop taking new users, let the running delivery finish, and shut down."""
        self._stopping = True
        try:
            if self._tasks:
                await asyncio.wait_for(asyncio.gather(*self._tasks), timeout)
            await asyncio.wait_for(self._idle.wait(), timeout)
        except TimeoutError:
            log.warning("reminder delivery still running at shutdown; it resumes on next start")
        if self._scheduler is not None:
            self._scheduler.shutdown(wait=False)
            self._scheduler = None
        if self.deliverer is not None:
            self.deliverer.close()
            self.deliverer = None
        if self._workers is not None:
            self._workers.shutdown(wait=True)
            self._workers = None

    @property
    def next_wake(self) -> datetime | None:
        """When the delivery job is armed for (in the service clock's time)."""
        return self._armed_for

    @property
    def waiting_users(self) -> int:
        """How many users have a delivery ahead (not counting those being served now)."""
        return self.deliverer.waiting() if self.deliverer is not None else 0

    @property
    def busy(self) -> bool:
        """True while a delivery run is under way."""
        return self._running

    # -- arming ------------------------------------------------------------------
    def _hint(self) -> None:
        """The deliverer's earliest time may have moved (any thread)."""
        loop = self._loop
        if loop is not None and not loop.is_closed():
            loop.call_soon_threadsafe(self._rearm)

    def _rearm(self) -> None:
        if not self._running:
            self._arm()

    def _arm(self) -> None:
        if self._scheduler is None or self._stopping or self.deliverer is None:
            return
        earliest = self.deliverer.next_due()
        if earliest == self._armed_for and earliest is not None:
            return
        self._armed_for = earliest
        if earliest is None:
            if self._scheduler.get_job(DELIVER_JOB) is not None:
                self._scheduler.remove_job(DELIVER_JOB)
            return
        # The trigger runs on the wall clock; the delay comes from the service clock.
        delay = max(0.0, (earliest - self.clock.now()).total_seconds())
        self._scheduler.add_job(
            self._wake,
            DateTrigger(run_date=datetime.now(UTC) + timedelta(seconds=delay), timezone=UTC),
            id=DELIVER_JOB,
            replace_existing=True,
            coalesce=True,
            misfire_grace_time=None,
            max_instances=1,
        )

    async def _wake(self) -> None:
        # The job only starts the run: a job instance still running when run_due re-arms
        # would make APScheduler skip (and so lose) the next firing.
        task = asyncio.get_running_loop().create_task(self.run_due())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _poll(self) -> None:
        """Pick up other processes' changes; take over delivery if its holder has gone."""
        if self._stopping:
            return
        if self.deliverer is None:
            await self._become_deliverer()
            return
        try:
            await asyncio.to_thread(self.deliverer.refresh)
        except (OSError, StoreError) as exc:
            if not self._warned:
                log.warning("could not read the schedule's changes: %s", exc)
                self._warned = True
            return
        self._rearm()

    # -- delivering ------------------------------------------------------------
    async def run_due(self) -> int:
        """Deliver to every user due by now, oldest first; return how many users were served."""
        if self.deliverer is None:
            return 0
        async with self._one_run:
            try:
                return await self._run_due(self.deliverer)
            finally:
                self._armed_for = None
                self._arm()

    async def _run_due(self, deliverer: Deliverer) -> int:
        self._running = True
        self._idle.clear()
        served = 0
        try:
            now = self.clock.now()
            queue: asyncio.Queue[str] = asyncio.Queue()
            for user_id in deliverer.take_due(now, limit=1_000_000):
                queue.put_nowait(user_id)
            served = queue.qsize()

            async def worker() -> None:
                while not queue.empty():
                    user_id = queue.get_nowait()
                    if self._stopping:
                        deliverer.put_back(user_id, now)
                        continue
                    deliverer.put_back(user_id, await self._deliver_user(user_id))

            await asyncio.gather(*(worker() for _ in range(self.concurrency)))
            return served
        finally:
            self._running = False
            self._idle.set()

    async def _deliver_user(self, user_id: str) -> datetime | None:
        """Serve one user; return when they are next due."""
        owner = self.deliverer.owner if self.deliverer else ""
        try:
            ready = await self._in_session(user_id, partial(self._claim, owner=owner), sync=True)
            for envelope in ready:
                if not await self._send_envelope(user_id, envelope):
                    break
            return await self._in_session(user_id, delivery.next_due, sync=False)
        except Exception:
            # Never lose the user: try again soon; the store still holds every reminder.
            log.exception("reminder delivery failed for a user; retrying in a minute")
            return self.clock.now() + timedelta(minutes=1)

    def _claim(self, store: UserStore, *, owner: str) -> list[Envelope]:
        deliverer = self.deliverer
        return delivery.claim(
            store,
            self.clock.now(),
            owner=owner,
            render=self._render,
            alive=deliverer.owner_alive if deliverer is not None else (lambda o: o == owner),
        )

    def _render(self, store: UserStore, reminders: list[Reminder]) -> Reply:
        turn = Turn(store, self.coach.templates, self.coach.router, self.clock.now())
        contacts = {c.id: c for c in store.contacts()}
        (reply,) = self.coach.issue_refs(turn, [ping(turn, reminders, contacts)])
        return reply

    async def _send_envelope(self, user_id: str, envelope: Envelope) -> bool:
        """Send the envelope's pieces from the first unconfirmed one; True if all went."""
        pieces = self._pieces(envelope.reply)
        start = len(envelope.sent)
        for number in range(start, len(pieces)):
            piece = pieces[number]
            if number == start and envelope.uncertain:
                note = self.coach.templates.render(RESENT_TEMPLATE)
                piece = Reply(note + piece.text, piece.buttons)
            still_there = await self._in_session(
                user_id,
                partial(delivery.trying, envelope_id=envelope.id, piece=number, pieces=len(pieces)),
                sync=False,
            )
            if not still_there:
                return True
            outcome = await self._send(user_id, piece)
            if isinstance(outcome, Delivered):
                # The window for an unflagged duplicate is this one commit (a fraction of
                # a millisecond): die here, and the resend says it may be a repeat.
                with self.repository.session(user_id) as store:
                    delivery.sent(store, envelope.id, outcome.message_id, self.clock.now())
                continue
            wait = await self._in_session(
                user_id,
                partial(
                    delivery.failed, envelope_id=envelope.id, outcome=outcome, now=self.clock.now()
                ),
                sync=True,
            )
            log.warning(
                "delivery to a user failed (%s): next try in %s",
                getattr(outcome, "reason", "") or type(outcome).__name__,
                wait,
            )
            return False
        log.info("delivered %d reminder(s) to a user", len(envelope.attempts))
        return True

    def _pieces(self, reply: Reply) -> list[Reply]:
        if isinstance(self.send, Splitter):
            return self.send.split(reply, room=ROOM_FOR_NOTE)
        return [reply]

    async def _send(self, user_id: str, reply: Reply) -> Outcome:
        await self._pace()
        try:
            return await self.send(user_id, reply)
        except Exception as exc:
            log.exception("sender raised; treating it as a transient failure")
            return RetryLater(reason=type(exc).__name__)

    async def _pace(self) -> None:
        """Keep the overall rate under max_per_second (Telegram allows about 30/s)."""
        if not self.max_per_second:
            return
        loop = asyncio.get_running_loop()
        slot = max(self._next_send_slot, loop.time())
        self._next_send_slot = slot + 1 / self.max_per_second
        if slot > loop.time():
            await asyncio.sleep(slot - loop.time())

    async def _in_session(self, user_id: str, step: Callable[[UserStore], T], *, sync: bool) -> T:
        def run() -> T:
            with self.repository.session(user_id, sync=sync) as store:
                return step(store)

        assert self._loop is not None
        return await self._loop.run_in_executor(self._workers, run)
