"""Reminder delivery from PostgreSQL, safe to run in any number of worker processes.

Each round a worker leases a batch of due users (SKIP LOCKED with a lease,
see bot/storage/postgres/claims.py) and serves them with the same steps as
the embedded store (bot/scheduling/delivery.py), a batch per transaction
(group commit):

    claim    one transaction: due reminders -> SENDING, a send attempt per reminder, pings built
    send     each through the bot, whose rate limiter takes a slot all workers share (rate.py)
    confirm  each answered send marks its attempts 'confirmed' at once (autocommit)
    record   one transaction: SENDING -> DELIVERED (or given back), due rows, leases released

The attempts table is the send journal: a worker that dies leaves its users
leased and their reminders SENDING. Once the lease runs out another worker
claims them; a reminder whose attempt was confirmed is recorded as delivered
without a second send, and one whose attempt is still 'sending' is marked
'uncertain' and re-sent with a line saying it may be a repeat. So a duplicate
needs a kill between Telegram's answer and the confirmation's commit, and
every duplicate is flagged.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial
from typing import TypeVar

from bot.domain.clock import Clock
from bot.domain.model import ReminderStatus
from bot.engine.coach import Coach
from bot.engine.reminders import ping
from bot.engine.replies import Reply
from bot.engine.turn import Turn
from bot.scheduling import delivery
from bot.scheduling.outcomes import Blocked, Delivered, Outcome, RetryLater, Send
from bot.storage.postgres import claims
from bot.storage.postgres.store import PostgresRepository
from bot.storage.postgres.user_store import PostgresUserStore

log = logging.getLogger(__name__)

T = TypeVar("T")
TELEGRAM = "telegram"
# Threads (so database connections) one deliverer uses at most.
DELIVERY_THREADS = 4
REPEAT_NOTE = "replies/delivery/maybe_repeat.html.j2"
PRUNE_EVERY = timedelta(minutes=10)
# What each step reads, loaded for the whole batch at once (recording needs no contacts).
CLAIM_TABLES = ("contacts", "reminders", "state")
RECORD_TABLES = ("reminders", "state")
# Telegram redelivers an unanswered update for about a day.
KEEP_UPDATE_IDS = timedelta(days=2)


def worker_name() -> str:
    """A name unique to this process, recorded as the owner of its claims."""
    return f"{socket.gethostname()}:{os.getpid()}:{os.urandom(3).hex()}"


@dataclass(frozen=True)
class Planned:
    """One message for a user and the claims it carries (reminder id -> attempt)."""

    reply: Reply
    attempts: dict[str, int]
    flagged: bool = False


@dataclass
class Served:
    """What happened to one user's messages this round."""

    sent: list[Planned] = field(default_factory=list)
    unsent: list[Planned] = field(default_factory=list)
    outcome: Outcome | None = None


class PostgresDelivery:
    """Delivers due reminders of one channel through `send`, sharing the work with peers."""

    def __init__(
        self,
        *,
        coach: Coach,
        repository: PostgresRepository,
        send: Send,
        clock: Clock | None = None,
        owner: str | None = None,
        channel: str = TELEGRAM,
        lease: timedelta = timedelta(seconds=30),
        batch: int = 100,
        concurrency: int = 32,
        idle_poll: float = 1.0,
    ) -> None:
        self.coach = coach
        self.repository = repository
        self.send = send
        self.clock = clock or coach.clock
        self.owner = owner or worker_name()
        self.channel = channel
        self.lease = lease
        self.batch = batch
        self.concurrency = concurrency
        self.idle_poll = idle_poll
        self.delivered = 0
        self.flagged = 0
        self._held: set[str] = set()
        self._executor = ThreadPoolExecutor(DELIVERY_THREADS, thread_name_prefix="deliver")
        self._last_prune = 0.0
        self._confirming: list[tuple[str, str, int]] = []
        self._confirmed = asyncio.Condition()
        self._confirm_task: asyncio.Task[None] | None = None

    # -- the loop --------------------------------------------------------------
    async def run(self, stop: asyncio.Event) -> None:
        """Deliver until `stop` is set; the batch under way when it is is finished."""
        heartbeat = asyncio.create_task(self._renew_leases(stop))
        try:
            while not stop.is_set():
                served = await self.run_once()
                if served == 0:
                    await self._idle(stop)
        finally:
            heartbeat.cancel()
            self._executor.shutdown(wait=False)

    async def run_once(self) -> int:
        """Lease one batch of due users and serve them; return how many were leased."""
        now = self.clock.now()
        users = await self._db(
            lambda conn: claims.claim_users(
                conn,
                owner=self.owner,
                channel=self.channel,
                now=now,
                until=now + self.lease,
                limit=self.batch,
            )
        )
        if not users:
            await self._prune_now_and_then()
            return 0
        self._held.update(users)
        try:
            planned = await self._in_batch(users, self._claim)
            gate = asyncio.Semaphore(self.concurrency)
            served = dict(
                await asyncio.gather(*(self._send_user(u, planned.get(u, []), gate) for u in users))
            )
            await self._in_batch(
                users, lambda stores: self._finish(stores, served), tables=RECORD_TABLES
            )
        finally:
            self._held.difference_update(users)
        return len(users)

    async def _idle(self, stop: asyncio.Event) -> None:
        nearest = await self._db(lambda conn: claims.next_due(conn, channel=self.channel))
        wait = self.idle_poll
        if nearest is not None:
            wait = min(wait, max(0.01, (nearest - self.clock.now()).total_seconds()))
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), wait)

    async def _renew_leases(self, stop: asyncio.Event) -> None:
        """Keep this worker's leases alive while it is (perhaps slowly, rate-limited) sending."""
        every = max(0.05, self.lease.total_seconds() / 3)
        while not stop.is_set():
            await asyncio.sleep(every)
            held = list(self._held)
            if held:
                until = self.clock.now() + self.lease
                await self._db(partial(claims.renew, owner=self.owner, user_ids=held, until=until))

    async def _prune_now_and_then(self) -> None:
        if time.monotonic() - self._last_prune < PRUNE_EVERY.total_seconds():
            return
        self._last_prune = time.monotonic()
        cutoff = self.clock.now() - KEEP_UPDATE_IDS
        await self._db(lambda conn: claims.prune_processed_updates(conn, older_than=cutoff))

    # -- claim: one transaction for the batch ------------------------------------
    def _claim(self, stores: dict[str, PostgresUserStore]) -> dict[str, list[Planned]]:
        now = self.clock.now()
        conn = next(iter(stores.values())).conn
        sending = {
            u: [r.id for r in s.reminders([ReminderStatus.SENDING])] for u, s in stores.items()
        }
        earlier = claims.attempt_states(conn, sending)
        planned = {}
        for user_id, store in list(stores.items()):
            try:
                planned[user_id] = self._claim_user(store, now, earlier.get(user_id, {}))
            except Exception:
                # Nothing of this user's is flushed; the lease runs out and they go again.
                log.exception("could not prepare a user's reminders; retrying after the lease")
                del stores[user_id]
        claims.start_attempts(
            conn,
            [
                (user_id, rid, attempt, self.owner, message.flagged)
                for user_id, messages in planned.items()
                for message in messages
                for rid, attempt in message.attempts.items()
            ],
        )
        return planned

    def _claim_user(
        self, store: PostgresUserStore, now: datetime, earlier: dict[str, tuple[int, str]]
    ) -> list[Planned]:
        # A confirmed attempt of a reminder still SENDING: its worker died before the record.
        confirmed = {
            rid: attempt for rid, (attempt, state) in earlier.items() if state == "confirmed"
        }
        if confirmed:
            delivery.record(store, confirmed, now)
        due = delivery.due_now(store, now)
        repeats = {r.id for r in due if r.status is ReminderStatus.SENDING}
        if repeats:
            claims.mark_uncertain(store.conn, user_id=store.user_id, reminder_ids=sorted(repeats))
        claimed = delivery.claim(store, due)
        if not claimed:
            return []
        turn = Turn(store, self.coach.templates, self.coach.router, now)
        contacts = {c.id: c for c in store.contacts()}
        groups = delivery.chunks(claimed)
        pings, flags = [], []
        for group in groups:
            reply = ping(turn, group, contacts)
            flagged = any(r.id in repeats for r in group)
            if flagged:
                note = self.coach.templates.render(REPEAT_NOTE).strip()
                reply = Reply(text=f"{note}\n\n{reply.text}", buttons=reply.buttons)
            pings.append(reply)
            flags.append(flagged)
        replies = self.coach.issue_refs(turn, pings)
        planned = []
        for group, reply, flagged in zip(groups, replies, flags, strict=True):
            message = Planned(reply, {r.id: r.attempts for r in group}, flagged)
            self.flagged += len(group) if flagged else 0
            planned.append(message)
        return planned

    # -- send --------------------------------------------------------------------
    async def _send_user(
        self, user_id: str, planned: list[Planned], gate: asyncio.Semaphore
    ) -> tuple[str, Served]:
        served = Served()
        async with gate:
            for position, message in enumerate(planned):
                outcome = await self._send(user_id, message.reply)
                if not isinstance(outcome, Delivered):
                    served.unsent, served.outcome = planned[position:], outcome
                    break
                await self._confirm(user_id, message)
                served.sent.append(message)
        return user_id, served

    async def _confirm(self, user_id: str, message: Planned) -> None:
        """Make the answer durable at once: the only window for a duplicate is until here."""
        self._confirming += [(user_id, rid, a) for rid, a in message.attempts.items()]
        if self._confirm_task is None or self._confirm_task.done():
            self._confirm_task = asyncio.create_task(self._flush_confirmations())
        await asyncio.shield(self._confirm_task)

    async def _flush_confirmations(self) -> None:
        while self._confirming:
            rows, self._confirming = self._confirming, []
            await self._db(partial(claims.confirm_attempts, attempts=rows))

    async def _send(self, user_id: str, reply: Reply) -> Outcome:
        try:
            return await self.send(user_id, reply)
        except Exception as exc:
            log.exception("sender raised; treating it as a transient failure")
            return RetryLater(reason=type(exc).__name__)

    # -- record: one transaction for the batch -----------------------------------
    def _finish(self, stores: dict[str, PostgresUserStore], served: dict[str, Served]) -> None:
        now = self.clock.now()
        for user_id, store in stores.items():
            result = served.get(user_id, Served())
            for message in result.sent:
                delivery.record(store, message.attempts, now)
                self.delivered += len(message.attempts)
            if result.unsent:
                self._give_back(store, result.unsent, result.outcome)
            # The due row is recomputed at the flush; the lease ends with this transaction.
            store.changes.due_changed = True
        if stores:
            conn = next(iter(stores.values())).conn
            claims.release(conn, owner=self.owner, user_ids=list(stores))

    def _give_back(
        self, store: PostgresUserStore, unsent: list[Planned], outcome: Outcome | None
    ) -> None:
        now = self.clock.now()
        claims.fail_attempts(
            store.conn, user_id=store.user_id, reminder_ids=[r for m in unsent for r in m.attempts]
        )
        ids = [rid for message in unsent for rid in message.attempts]
        if isinstance(outcome, Blocked):
            log.warning("user blocked the bot (%s): their reminders are paused", outcome.reason)
            delivery.release(store, ids, now, block=True)
            return
        reason = outcome.reason if isinstance(outcome, RetryLater) else ""
        after = outcome.after if isinstance(outcome, RetryLater) else None
        attempts = max((a for m in unsent for a in m.attempts.values()), default=1)
        wait = timedelta(seconds=after) if after else delivery.backoff(attempts)
        log.warning("delivery failed (%s): retrying in %s", reason or "transient", wait)
        delivery.release(store, ids, now, retry_after=wait)

    # -- plumbing ----------------------------------------------------------------
    async def _in_batch(
        self,
        user_ids: list[str],
        step: Callable[[dict[str, PostgresUserStore]], T],
        tables: Sequence[str] = CLAIM_TABLES,
    ) -> T:
        def run() -> T:
            with self.repository.batch(user_ids, tables) as stores:
                return step(stores)

        return await asyncio.get_running_loop().run_in_executor(self._executor, run)

    async def _db(self, query: Callable[[claims.Conn], T]) -> T:
        def run() -> T:
            with self.repository.pool.connection() as conn:
                return query(conn)

        return await asyncio.get_running_loop().run_in_executor(self._executor, run)
