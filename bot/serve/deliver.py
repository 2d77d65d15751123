"""Reminder delivery from PostgreSQL, safe to run in any number of worker processes.

Each round a worker leases a batch of due users (SKIP LOCKED with a lease,
see bot/storage/postgres/claims.py) and serves them with the delivery steps
every store shares (bot/scheduling/delivery.py: envelopes in the user's own
state), one transaction per batch instead of one per user (group commit):

    claim    one transaction: confirmed pieces recorded, due reminders claimed into
             envelopes, the piece about to go marked `trying` in the user's outbox
    send     each piece through the bot (its rate limiter shares one rate, rate.py);
             Telegram's answer is journaled at once ('confirmed', one statement)
    record   one transaction: pieces `sent` (reminders DELIVERED) or `failed`,
             due rows recomputed and leases released in the same row writes

The outbox and the journal (table send_journal) are what make a worker's
death safe: it leaves its users leased and their envelopes `trying`. When
the lease runs out another worker claims them; a piece the journal shows
confirmed is recorded without a second send, and one still being sent (the
outbox's `trying`, or a later piece's 'sending' row) is journaled
'uncertain' and goes again saying it may be a repeat. So a duplicate needs
a kill between Telegram's answer and the journal's commit, and every
duplicate is flagged.
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
from bot.engine.coach import Coach
from bot.engine.replies import Reply
from bot.scheduling import delivery
from bot.scheduling.delivery import Envelope
from bot.scheduling.outcomes import Delivered, Outcome, RetryLater, Send, Splitter, Uncertain
from bot.scheduling.service import RESENT_TEMPLATE, ROOM_FOR_NOTE, DueMessages
from bot.storage.due import TELEGRAM
from bot.storage.postgres import claims
from bot.storage.postgres.store import PostgresRepository
from bot.storage.postgres.user_store import PostgresUserStore, clear_decoded
from bot.storage.repository import UserStore

log = logging.getLogger(__name__)

T = TypeVar("T")
# Threads (so database connections) one deliverer uses at most.
DELIVERY_THREADS = 4
# What each step reads, loaded for the whole batch at once: the claim also the contacts its
# due reminders name (and no others, see PostgresRepository.batch), recording none.
CLAIM_TABLES = ("reminders", "state")
RECORD_TABLES = ("reminders", "state")
# A worker waking to a burst leases this many users first and doubles up to its batch
# size each round, so the first messages leave after a few renders, not a hundred.
FIRST_BATCH = 8
PRUNE_EVERY = timedelta(minutes=10)
# Telegram redelivers an unanswered update for about a day; journal rows help only
# until the envelope they describe is settled.
KEEP_UPDATE_IDS = timedelta(days=2)
KEEP_JOURNAL = timedelta(days=7)


def worker_name() -> str:
    """A name unique to this process, recorded as the owner of its claims."""
    return f"{socket.gethostname()}:{os.getpid()}:{os.urandom(3).hex()}"


@dataclass
class Planned:
    """One envelope to send now: its pieces, from `start`, the first one perhaps flagged."""

    user_id: str
    envelope: Envelope
    pieces: list[Reply]
    start: int
    flagged: bool
    confirmed: list[tuple[int, int | None]] = field(default_factory=list)  # (piece, message)
    outcome: Outcome | None = None  # the failure that stopped it


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
        # Checked once: a runtime Protocol check costs more than splitting a short reply.
        self._splitter = send if isinstance(send, Splitter) else None
        self.clock = clock or coach.clock
        self._messages = DueMessages(coach, self.clock)
        self.owner = owner or worker_name()
        self.channel = channel
        self.lease = lease
        self.batch = batch
        self._round = min(FIRST_BATCH, batch)  # this round's batch size (see FIRST_BATCH)
        self.concurrency = concurrency
        self.idle_poll = idle_poll
        self.delivered = 0
        self.flagged = 0
        self._held: set[str] = set()
        self._executor = ThreadPoolExecutor(DELIVERY_THREADS, thread_name_prefix="deliver")
        self._last_prune = 0.0
        self._confirming: list[tuple[claims.Fate, bool]] = []
        self._confirm_task: asyncio.Task[None] | None = None

    # -- the loop --------------------------------------------------------------
    async def run(self, stop: asyncio.Event) -> None:
        """Deliver until `stop` is set; the batch under way when it is is finished."""
        heartbeat = asyncio.create_task(self._renew_leases(stop))
        try:
            while not stop.is_set():
                if await self.run_once() == 0:
                    await self._idle(stop)
        finally:
            heartbeat.cancel()
            self._executor.shutdown(wait=False)

    async def run_once(self) -> int:
        """Lease one batch of due users and serve them; return how many were leased."""
        now = self.clock.now()
        taken = await self._db(
            partial(
                claims.claim_users,
                owner=self.owner,
                channel=self.channel,
                now=now,
                until=now + self.lease,
                limit=self._round,
            )
        )
        users = list(taken)
        if not users:
            self._round = min(FIRST_BATCH, self.batch)
            await self._prune_now_and_then()
            return 0
        self._round = min(self.batch, self._round * 2)
        self._held.update(users)
        try:
            planned = await self._in_batch(users, self._claim, contacts_due_by=now)
            gate = asyncio.Semaphore(self.concurrency)
            await asyncio.gather(*(self._send_user(u, planned.get(u, []), gate) for u in users))
            await self._in_batch(users, partial(self._record, planned=planned), RECORD_TABLES)
        finally:
            self._held.difference_update(users)
            clear_decoded()
        return len(users)

    async def _idle(self, stop: asyncio.Event) -> None:
        nearest = await self._db(partial(claims.next_due, channel=self.channel))
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
        await self._db(partial(claims.prune_processed_updates, keep=KEEP_UPDATE_IDS))
        await self._db(partial(claims.prune_journal, keep=KEEP_JOURNAL))

    # -- claim: one transaction for the batch ------------------------------------
    def _claim(self, stores: dict[str, PostgresUserStore]) -> dict[str, list[Planned]]:
        now = self.clock.now()
        conn = next(iter(stores.values())).conn
        outboxes = {u: [e.id for e in delivery.envelopes(s)] for u, s in stores.items()}
        journal = claims.journal_of(conn, outboxes)
        planned: dict[str, list[Planned]] = {}
        uncertain: list[tuple[claims.Piece, bool]] = []
        for user_id, store in list(stores.items()):
            try:
                uncertain += self._settle_journal(store, journal.get(user_id, {}), now)
                planned[user_id] = self._plan(store, now)
            except Exception:
                # Nothing of this user's is flushed; the lease runs out and they go again.
                log.exception("could not prepare a user's reminders; retrying after the lease")
                del stores[user_id]
                planned.pop(user_id, None)
        for store in stores.values():
            # The due row stays as claimed (due now, leased): the record step recomputes
            # it for every leased user, and if this worker dies first, the row being due
            # is what lets another take the user over at the lease's end.
            store.changes.due_changed = False
        # The pieces about to go need no journal row: the outbox names them (`trying`).
        claims.mark_uncertain(conn, uncertain)
        return planned

    def _settle_journal(
        self,
        store: UserStore,
        journal: dict[str, dict[int, tuple[str, int | None]]],
        now: datetime,
    ) -> list[tuple[claims.Piece, bool]]:
        """Record pieces a dead worker had confirmed; return those it left in doubt.

        Each with whether a 'sending' row stands for it (else the outbox's `trying` does).
        """
        doubtful = []
        for envelope in delivery.envelopes(store):
            pieces = journal.get(envelope.id, {})
            piece = len(envelope.sent)
            while piece in pieces and pieces[piece][0] == "confirmed":
                delivery.sent(store, envelope.id, pieces[piece][1], now)
                envelope.trying = None if envelope.trying == piece else envelope.trying
                piece += 1
            journaled = pieces.get(piece, ("",))[0] == "sending"
            if journaled or envelope.trying == piece:
                # Its worker died waiting for Telegram's answer: it may have arrived.
                if journaled:
                    delivery.trying(store, envelope.id, piece, max(envelope.pieces, piece + 1))
                row = (store.user_id, envelope.id, piece, envelope.owner, envelope.uncertain)
                doubtful.append((row, journaled))
        return doubtful

    def _plan(self, store: UserStore, now: datetime) -> list[Planned]:
        split: dict[int, list[Reply]] = {}

        def count(reply: Reply) -> int:
            split[id(reply)] = self._pieces(reply)
            return len(split[id(reply)])

        # The claim notes the first envelope's first piece as being sent: one outbox write less.
        ready = delivery.claim(
            store,
            now,
            owner=self.owner,
            render=self._messages.render,
            alive=self._alive,
            group=self._messages.group,
            pieces=count,
        )
        planned = []
        for envelope, reply in ready:
            start = len(envelope.sent)
            pieces = split.get(id(reply))
            if pieces is None:
                pieces = self._pieces(reply)
                delivery.trying(store, envelope.id, start, len(pieces))
            planned.append(Planned(store.user_id, envelope, pieces, start, envelope.uncertain))
            self.flagged += len(envelope.attempts) if envelope.uncertain else 0
        return planned

    def _alive(self, owner: str) -> bool:
        # This worker holds the user's lease: whoever claimed an envelope before has lost it.
        return owner == self.owner

    def _pieces(self, reply: Reply) -> list[Reply]:
        if self._splitter is not None:
            return self._splitter.split(reply, room=ROOM_FOR_NOTE)
        return [reply]

    # -- send --------------------------------------------------------------------
    async def _send_user(
        self, user_id: str, planned: list[Planned], gate: asyncio.Semaphore
    ) -> None:
        async with gate:
            for plan in planned:
                for number in range(plan.start, len(plan.pieces)):
                    piece = plan.pieces[number]
                    if number == plan.start and plan.flagged:
                        note = self.coach.templates.render(RESENT_TEMPLATE)
                        piece = Reply(note + piece.text, piece.buttons)
                    if number > plan.start:
                        row = (user_id, plan.envelope.id, number, self.owner, False)
                        await self._db(partial(claims.start_pieces, rows=[row]))
                    outcome = await self._send(user_id, piece)
                    if not isinstance(outcome, Delivered):
                        plan.outcome = outcome
                        return
                    await self._confirm(plan, number, outcome.message_id)
                    plan.confirmed.append((number, outcome.message_id))

    async def _confirm(self, plan: Planned, piece: int, message: int | None) -> None:
        """Make Telegram's answer durable at once: the only window for a duplicate ends here."""
        self._confirming.append((self._fate(plan, piece, message), piece > plan.start))
        if self._confirm_task is None or self._confirm_task.done():
            self._confirm_task = asyncio.create_task(self._flush_confirmations())
        await asyncio.shield(self._confirm_task)

    async def _flush_confirmations(self) -> None:
        while self._confirming:
            rows, self._confirming = self._confirming, []
            await self._db(partial(claims.confirm_pieces, rows=rows))

    async def _send(self, user_id: str, reply: Reply) -> Outcome:
        try:
            return await self.send(user_id, reply)
        except Exception as exc:
            log.exception("sender raised; treating it as a transient failure")
            return RetryLater(reason=type(exc).__name__)

    def _fate(self, plan: Planned, piece: int, message: int | None) -> claims.Fate:
        flagged = plan.flagged and piece == plan.start
        return (plan.user_id, plan.envelope.id, piece, self.owner, flagged, message)

    # -- record: one transaction for the batch -----------------------------------
    def _record(
        self, stores: dict[str, PostgresUserStore], *, planned: dict[str, list[Planned]]
    ) -> None:
        now = self.clock.now()
        for user_id, store in stores.items():
            for plan in planned.get(user_id, []):
                for _, message_id in plan.confirmed:
                    delivery.sent(store, plan.envelope.id, message_id, now)
                if plan.outcome is None:
                    self.delivered += len(plan.envelope.attempts)
                    continue
                piece = plan.start + len(plan.confirmed)
                state = "uncertain" if isinstance(plan.outcome, Uncertain) else "failed"
                if piece > plan.start:
                    claims.finish_pieces(
                        store.conn, [(user_id, plan.envelope.id, piece, None)], state=state
                    )
                else:
                    claims.record_pieces(store.conn, [self._fate(plan, piece, None)], state=state)
                wait = delivery.failed(store, plan.envelope.id, plan.outcome, now)
                log.warning(
                    "delivery to a user failed (%s): next try in %s",
                    getattr(plan.outcome, "reason", "") or type(plan.outcome).__name__,
                    wait,
                )
            # The due row is recomputed at the flush, and the lease ends in that same write.
            store.changes.due_changed = True
            store.releasing = self.owner
            # Committed without the WAL flush: lost with the database server, it is redone
            # from the journal's confirmations (or the piece goes again, flagged).
            store.sync = False

    # -- plumbing ----------------------------------------------------------------
    async def _in_batch(
        self,
        user_ids: list[str],
        step: Callable[[dict[str, PostgresUserStore]], T],
        tables: Sequence[str] = CLAIM_TABLES,
        contacts_due_by: datetime | None = None,
    ) -> T:
        def run() -> T:
            with self.repository.batch(user_ids, tables, contacts_due_by=contacts_due_by) as stores:
                return step(stores)

        return await asyncio.get_running_loop().run_in_executor(self._executor, run)

    async def _db(self, query: Callable[..., T]) -> T:
        def run() -> T:
            with self.repository.pool.connection() as conn:
                return query(conn)

        return await asyncio.get_running_loop().run_in_executor(self._executor, run)
