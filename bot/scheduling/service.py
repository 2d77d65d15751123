"""The reminder delivery service: one APScheduler job, armed at the earliest due user.

Start-up loads the due index (256 shard files) into a heap; it never loads
reminders themselves, so a million pending reminders cost one heap entry per
user. A single DateTrigger job fires at the heap's earliest time, delivers
for the users that are due (oldest first, a bounded number at once, paced
globally), and re-arms itself. Writes anywhere in the process lower the index
and reach the heap through a listener; writes by other processes are picked
up by a cheap check of the shard files' modification times.
"""

from __future__ import annotations

import asyncio
import heapq
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
from bot.domain.model import ReminderStatus
from bot.engine.coach import Coach
from bot.engine.reminders import compose_delivery, ping
from bot.engine.turn import Turn
from bot.scheduling import delivery
from bot.scheduling.delivery import Batch
from bot.scheduling.indexed_repository import IndexedRepository
from bot.scheduling.outcomes import Blocked, Delivered, Outcome, RetryLater, Send
from bot.scheduling.sent_journal import SentJournal
from bot.storage.repository import UserStore

log = logging.getLogger(__name__)

T = TypeVar("T")
DELIVER_JOB = "reminders-deliver"
POLL_JOB = "reminders-poll-index"


class ReminderService:
    """Delivers due reminders through `send`; `start` and `stop` it with the channel."""

    def __init__(
        self,
        *,
        coach: Coach,
        send: Send,
        clock: Clock | None = None,
        concurrency: int = 8,
        max_per_second: float | None = 25.0,
        poll_seconds: float = 60.0,
        only_user: str | None = None,
    ) -> None:
        if not isinstance(coach.repository, IndexedRepository):
            raise TypeError("the coach must use bot.scheduling.indexed_repository.open_repository")
        self.coach = coach
        self.send = send
        self.clock = clock or coach.clock
        self.repository = coach.repository
        self.index = coach.repository.index
        self.journal = SentJournal(self.index.folder / "sent.journal")
        self.concurrency = concurrency
        self.max_per_second = max_per_second
        self.poll_seconds = poll_seconds
        # A terminal chat serves one user; everyone else's reminders wait for their channel.
        self.only_user = only_user
        self._heap: list[tuple[float, str]] = []
        self._known: dict[str, float] = {}
        self._shard_mtimes: dict[str, float] = {}
        self._scheduler: AsyncIOScheduler | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._running = False
        self._stopping = False
        self._idle = asyncio.Event()
        # The scheduled job and a direct call (tests, tools) never deliver at the same time.
        self._one_run = asyncio.Lock()
        self._tasks: set[asyncio.Task[int]] = set()
        self._workers: ThreadPoolExecutor | None = None
        self._armed_for: float | None = None
        self._next_send_slot = 0.0

    # -- life cycle ------------------------------------------------------------
    async def start(self) -> None:
        """Load (or rebuild) the index, then arm the delivery job; due users go right away."""
        self._loop = asyncio.get_running_loop()
        # Store steps block on fsync; one thread per concurrent user keeps the disk busy.
        self._workers = ThreadPoolExecutor(self.concurrency, thread_name_prefix="reminders")
        self._idle.set()
        self._stopping = False
        await asyncio.to_thread(self._load)
        self.index.subscribe(self._hint)
        # misfire_grace_time=None: APScheduler 3 would otherwise silently skip a late run.
        self._scheduler = AsyncIOScheduler(event_loop=self._loop, timezone=UTC)
        self._scheduler.start()
        self._scheduler.add_job(
            self._poll_index,
            IntervalTrigger(seconds=self.poll_seconds, timezone=UTC),
            id=POLL_JOB,
            coalesce=True,
            misfire_grace_time=None,
            max_instances=1,
        )
        self._arm()
        log.info("reminder service started: %d users waiting", len(self._known))

    async def stop(self, timeout: float = 10.0) -> None:
        """Stop taking new users, let the running delivery finish, and shut down."""
        self._stopping = True
        self.index.unsubscribe(self._hint)
        try:
            if self._tasks:
                await asyncio.wait_for(asyncio.gather(*self._tasks), timeout)
            await asyncio.wait_for(self._idle.wait(), timeout)
        except TimeoutError:
            log.warning("reminder delivery still running at shutdown; it resumes on next start")
        if self._scheduler is not None:
            self._scheduler.shutdown(wait=False)
            self._scheduler = None
        self.journal.close()
        if self._workers is not None:
            self._workers.shutdown(wait=True)
            self._workers = None

    @property
    def next_wake(self) -> datetime | None:
        """When the delivery job is armed for (in the service clock's time)."""
        return datetime.fromtimestamp(self._armed_for, UTC) if self._armed_for else None

    @property
    def waiting_users(self) -> int:
        """How many users have a delivery ahead (not counting those being served now)."""
        return len(self._known)

    @property
    def busy(self) -> bool:
        """True while a delivery run is under way."""
        return self._running

    # -- the heap --------------------------------------------------------------
    def _load(self) -> None:
        self._replay_journal()
        self.journal.open()
        if not self.index.is_complete():
            self._rebuild()
        for shard in self.index.shard_names():
            self._shard_mtimes[shard] = self.index.shard_mtime(shard)
        entries = {u: t.timestamp() for u, t in self.index.entries() if self._serves(u)}
        self._known = entries
        self._heap = [(t, u) for u, t in entries.items()]
        heapq.heapify(self._heap)

    def _replay_journal(self) -> None:
        """Record sends confirmed just before a crash, so they are not sent again."""
        noted = self.journal.entries()
        for user_id, claims in noted.items():
            with self.repository.inner.session(user_id) as store:
                delivery.record(store, claims, self.clock.now())
            # Raised only once the record is on disk (the session wrote it on exit).
            with self.repository.inner.session(user_id) as store:
                self._settle(store)
        if noted:
            log.info("recorded %d confirmed sends from before the restart", len(noted))
        if self.journal.path.exists():
            self.journal.empty()

    def _rebuild(self) -> None:
        now = self.clock.now()
        found = {}
        users = list(self.repository.user_ids())
        for user_id in users:
            with self.repository.inner.session(user_id) as store:
                when = delivery.next_delivery(store, now)
            if when is not None:
                found[user_id] = when
        self.index.merge_rebuilt(found)
        # Normal on a first start; with users already there, the schedule folder was lost.
        log.log(
            logging.WARNING if users else logging.INFO,
            "due index rebuilt from %d user store(s)",
            len(users),
        )

    def _hint(self, user_id: str, when: datetime | None) -> None:
        """Index listener; may run on any thread."""
        loop = self._loop
        if loop is not None and not loop.is_closed():
            loop.call_soon_threadsafe(self._note, user_id, when)

    def _serves(self, user_id: str) -> bool:
        return self.only_user is None or user_id == self.only_user

    def _note(self, user_id: str, when: datetime | None) -> None:
        if not self._serves(user_id):
            return
        if when is None:
            self._known.pop(user_id, None)
            return
        stamp = when.timestamp()
        if self._known.get(user_id) == stamp:
            return
        self._known[user_id] = stamp
        heapq.heappush(self._heap, (stamp, user_id))
        if not self._running and (self._armed_for is None or stamp < self._armed_for):
            self._arm()

    def _earliest(self) -> float | None:
        # Entries superseded by a later _note stay in the heap; skip them lazily.
        while self._heap and self._known.get(self._heap[0][1]) != self._heap[0][0]:
            heapq.heappop(self._heap)
        return self._heap[0][0] if self._heap else None

    def _arm(self) -> None:
        if self._scheduler is None or self._stopping:
            return
        earliest = self._earliest()
        self._armed_for = earliest
        if earliest is None:
            if self._scheduler.get_job(DELIVER_JOB) is not None:
                self._scheduler.remove_job(DELIVER_JOB)
            return
        # The trigger runs on the wall clock; the delay comes from the service clock.
        delay = max(0.0, earliest - self.clock.now().timestamp())
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

    async def _poll_index(self) -> None:
        """Pick up index entries written by other processes (a stat per shard)."""
        changed = await asyncio.to_thread(self._changed_shards)
        for entries in changed:
            for user_id, when in entries.items():
                self._note(user_id, when)

    def _changed_shards(self) -> list[dict[str, datetime]]:
        changed = []
        for shard in self.index.shard_names():
            mtime = self.index.shard_mtime(shard)
            if mtime != self._shard_mtimes.get(shard):
                self._shard_mtimes[shard] = mtime
                changed.append(self.index.shard_entries(shard))
        return changed

    # -- delivering ------------------------------------------------------------
    async def run_due(self) -> int:
        """Deliver to every user due by now, oldest first; return how many users were served."""
        async with self._one_run:
            try:
                return await self._run_due()
            finally:
                self._arm()

    async def _run_due(self) -> int:
        self._running = True
        self._idle.clear()
        try:
            now = self.clock.now().timestamp()
            users = []
            while (earliest := self._earliest()) is not None and earliest <= now:
                _, user_id = heapq.heappop(self._heap)
                del self._known[user_id]
                users.append(user_id)
            gate = asyncio.Semaphore(self.concurrency)

            async def serve(user_id: str) -> None:
                async with gate:
                    if not self._stopping:
                        await self._deliver_user(user_id)
                    else:
                        self._note(user_id, datetime.fromtimestamp(now, UTC))

            await asyncio.gather(*(serve(u) for u in users))
            return len(users)
        finally:
            self._running = False
            self._idle.set()

    async def _deliver_user(self, user_id: str) -> None:
        try:
            batches = await self._in_session(user_id, self._claim)
            for position, batch in enumerate(batches):
                outcome = await self._send(user_id, batch)
                if isinstance(outcome, Delivered):
                    # No await between the send and these two writes: the journal line
                    # (about a millisecond) is the only window for a duplicate, and every
                    # journal line is in the store by the next await.
                    self.journal.note(user_id, batch.attempts)
                    with self.repository.inner.session(user_id) as store:
                        delivery.record(store, batch.attempts, self.clock.now())
                    self.journal.rotate_if_big()
                    log.info("delivered %d reminder(s) to a user", len(batch.reminder_ids))
                    continue
                unsent = [i for b in batches[position:] for i in b.reminder_ids]
                await self._in_session(
                    user_id, partial(self._give_back, unsent=unsent, outcome=outcome)
                )
                break
            when = await self._in_session(user_id, self._settle)
        except Exception:
            # Never lose the user: try again soon; the store still holds every reminder.
            log.exception("reminder delivery failed for a user; retrying in a minute")
            when = self.clock.now() + timedelta(minutes=1)
        self._note(user_id, when)

    def _claim(self, store: UserStore) -> list[Batch]:
        now = self.clock.now()
        claimed = delivery.claim(store, delivery.due_now(store, now))
        if not claimed:
            return []
        turn = Turn(store, self.coach.templates, self.coach.router, now)
        contacts = {c.id: c for c in store.contacts()}
        composed, rest = compose_delivery(turn, claimed, contacts)
        groups = [*composed, *((g, ping(turn, g, contacts)) for g in delivery.chunks(rest))]
        # A digest with nothing worth saying is delivered without a message.
        silent = {r.id: r.attempts for group, reply in groups if reply is None for r in group}
        if silent:
            delivery.record(store, silent, now)
        sendable = [(group, reply) for group, reply in groups if reply is not None]
        replies = self.coach.issue_refs(turn, [reply for _, reply in sendable])
        return [
            Batch([r.id for r in group], reply, {r.id: r.attempts for r in group})
            for (group, _), reply in zip(sendable, replies, strict=True)
        ]

    def _give_back(self, store: UserStore, *, unsent: list[str], outcome: Outcome) -> None:
        now = self.clock.now()
        if isinstance(outcome, Blocked):
            log.warning("user blocked the bot (%s): their reminders are paused", outcome.reason)
            delivery.release(store, unsent, now, block=True)
            return
        assert isinstance(outcome, RetryLater)
        attempts = max(
            (r.attempts for r in store.reminders([ReminderStatus.SENDING]) if r.id in unsent),
            default=1,
        )
        wait = timedelta(seconds=outcome.after) if outcome.after else delivery.backoff(attempts)
        log.warning("delivery failed (%s): retrying in %s", outcome.reason or "transient", wait)
        delivery.release(store, unsent, now, retry_after=wait)

    def _settle(self, store: UserStore) -> datetime | None:
        when = delivery.next_delivery(store, self.clock.now())
        # Raised only here, with the user's store locked, after every store write.
        self.index.put(store.user_id, when)
        return when

    async def _send(self, user_id: str, batch: Batch) -> Outcome:
        await self._pace()
        try:
            return await self.send(user_id, batch.reply)
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
        def run() -> T:
            # The raw store: the service manages the index itself (see _settle).
            with self.repository.inner.session(user_id) as store:
                return step(store)

        assert self._loop is not None
        return await self._loop.run_in_executor(self._workers, run)
