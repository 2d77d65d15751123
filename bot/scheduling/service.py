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
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import TypeVar

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.date import DateTrigger
from apscheduler.triggers.interval import IntervalTrigger

from bot.domain.clock import Clock
from bot.domain.model import Contact, Reminder
from bot.engine.coach import Coach
from bot.engine.reminders import delivery_groups, render_delivery
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
FLUSH_SECONDS = 0.2


@dataclass(frozen=True)
class DueMessages:
    """How due reminders become messages, for every deliverer (this service, the workers)."""

    coach: Coach
    clock: Clock

    def group(
        self, store: UserStore, reminders: list[Reminder], contacts: Mapping[str, Contact]
    ) -> list[list[Reminder]]:
        """The messages due reminders make: a digest's own (with what it takes), then pings."""
        own, rest = delivery_groups(self._turn(store), reminders, contacts)
        return [*own, *delivery.chunks(rest)]

    def render(
        self, store: UserStore, reminders: list[Reminder], contacts: Mapping[str, Contact]
    ) -> Reply | None:
        """One group's message with its button tokens (None: the digest has nothing to say)."""
        turn = self._turn(store)
        reply = render_delivery(turn, reminders, contacts)
        if reply is None:
            return None
        (issued,) = self.coach.issue_refs(turn, [reply])
        return issued

    def _turn(self, store: UserStore) -> Turn:
        return Turn(store, self.coach.templates, self.coach.router, self.clock.now())


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
        # Checked once: a runtime Protocol check costs more than the split itself.
        self._splitter = send if isinstance(send, Splitter) else None
        self.clock = clock or coach.clock
        self._messages = DueMessages(coach, self.clock)
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
        self._armed_for: datetime | None = None
        self._next_send_slot = 0.0
        self._warned = False  # about a folder we can't deliver from: said once

    # -- life cycle ------------------------------------------------------------
    async def start(self) -> None:
        """Become this channel's deliverer (or stand by), then arm the delivery job."""
        self._loop = asyncio.get_running_loop()
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

            flushing = asyncio.get_running_loop().create_task(self._flush_regularly())
            try:
                await asyncio.gather(*(worker() for _ in range(self.concurrency)))
            finally:
                flushing.cancel()
                await asyncio.to_thread(self.repository.flush)
            return served
        finally:
            self._running = False
            self._idle.set()

    async def _flush_regularly(self) -> None:
        """Make the batch's bookkeeping durable every FLUSH_SECONDS: one sync per user, not
        one per step, and never on the path of a send."""
        while True:
            await asyncio.sleep(FLUSH_SECONDS)
            await asyncio.to_thread(self.repository.flush)

    async def _deliver_user(self, user_id: str) -> datetime | None:
        """Serve one user; return when they are next due."""
        owner = self.deliverer.owner if self.deliverer else ""
        try:
            ready, when = await self._in_session(user_id, partial(self._claim, owner=owner))
            for envelope, reply in ready:
                sent, when = await self._send_envelope(user_id, envelope, reply)
                if not sent:
                    break
            return when
        except Exception:
            # Never lose the user: try again soon; the store still holds every reminder.
            log.exception("reminder delivery failed for a user; retrying in a minute")
            return self.clock.now() + timedelta(minutes=1)

    def _claim(
        self, store: UserStore, *, owner: str
    ) -> tuple[list[tuple[Envelope, Reply]], datetime | None]:
        deliverer = self.deliverer
        ready = delivery.claim(
            store,
            self.clock.now(),
            owner=owner,
            render=self._messages.render,
            alive=deliverer.owner_alive if deliverer is not None else (lambda o: o == owner),
            group=self._messages.group,
            pieces=lambda reply: len(self._pieces(reply)),
        )
        return ready, delivery.next_due(store, self.clock.now())

    async def _send_envelope(
        self, user_id: str, envelope: Envelope, reply: Reply
    ) -> tuple[bool, datetime | None]:
        """Send the envelope's pieces from the first unconfirmed one.

        Returns whether all went, and when the user is next due after that.
        """
        pieces = self._pieces(reply)
        start = len(envelope.sent)
        if start >= len(pieces):
            return True, await self._in_session(user_id, self._next_due)
        when: datetime | None = None
        for number in range(start, len(pieces)):
            piece = pieces[number]
            if number == start and envelope.uncertain:
                note = self.coach.templates.render(RESENT_TEMPLATE)
                piece = Reply(note + piece.text, piece.buttons)
            if envelope.trying != number:
                still_there = await self._in_session(
                    user_id,
                    partial(
                        delivery.trying, envelope_id=envelope.id, piece=number, pieces=len(pieces)
                    ),
                )
                if not still_there:
                    return True, await self._in_session(user_id, self._next_due)
            outcome = await self._send(user_id, piece)
            if isinstance(outcome, Delivered):
                # The window for an unflagged duplicate is this one commit, a fraction of
                # a millisecond: die in it, and the resend says it may be a repeat.
                when = await self._in_session(
                    user_id,
                    partial(self._sent, envelope_id=envelope.id, message_id=outcome.message_id),
                )
                continue
            wait, when = await self._in_session(
                user_id, partial(self._failed, envelope_id=envelope.id, outcome=outcome)
            )
            log.warning(
                "delivery to a user failed (%s): next try in %s",
                getattr(outcome, "reason", "") or type(outcome).__name__,
                wait,
            )
            return False, when
        log.info("delivered %d reminder(s) to a user", len(envelope.attempts))
        return True, when

    def _sent(
        self, store: UserStore, *, envelope_id: str, message_id: int | None
    ) -> datetime | None:
        delivery.sent(store, envelope_id, message_id, self.clock.now())
        return self._next_due(store)

    def _failed(
        self, store: UserStore, *, envelope_id: str, outcome: Outcome
    ) -> tuple[timedelta, datetime | None]:
        wait = delivery.failed(store, envelope_id, outcome, self.clock.now())
        return wait, self._next_due(store)

    def _next_due(self, store: UserStore) -> datetime | None:
        return delivery.next_due(store, self.clock.now())

    def _pieces(self, reply: Reply) -> list[Reply]:
        if self._splitter is not None:
            return self._splitter.split(reply, room=ROOM_FOR_NOTE)
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

    async def _in_session(self, user_id: str, step: Callable[[UserStore], T]) -> T:
        """Run one delivery step as a unit of work, right here on the event loop.

        A step is a fraction of a millisecond of bookkeeping and never waits for
        the disk (it commits unsynced; the group flush syncs the batch), so a
        thread hop would cost more than it saves: measured, it halves the rate.
        """
        with self.repository.session(user_id, sync=False) as store:
            return step(store)
