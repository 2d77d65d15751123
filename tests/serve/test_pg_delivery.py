"""PostgreSQL delivery in one process: claims, leases, takeover after a crash, the shared rate."""

from __future__ import annotations

import asyncio
import re
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from pg_seed import seed_due
from telegram.error import RetryAfter

from bot.domain.clock import ManualClock
from bot.engine.coach import Coach
from bot.engine.replies import Reply
from bot.scheduling.outcomes import Blocked, Delivered, Outcome, RetryLater
from bot.serve.deliver import PostgresDelivery
from bot.serve.rate import SharedRateLimiter
from bot.storage.postgres import claims
from bot.storage.postgres.store import PostgresRepository
from bot.templates import TemplateLibrary

NOW = datetime(2030, 1, 7, 12, 0, tzinfo=UTC)
TOKEN = re.compile(r"tok-[0-9a-f]+-[0-9a-f]+")


class Crash(BaseException):
    """Stands for SIGKILL: nothing after it in the worker runs."""


class Telegram:
    """Records each message; can fail, or let the worker 'die' right after Telegram answered."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, str]] = []
        self.outcome: Outcome = Delivered()
        self.crash_after_answer = False

    async def __call__(self, user_id: str, reply: Reply) -> Outcome:
        if isinstance(self.outcome, Delivered):
            self.sent.append((user_id, reply.text))
        if self.crash_after_answer:
            raise Crash
        return self.outcome

    def tokens(self) -> list[str]:
        return [t for _, text in self.sent for t in TOKEN.findall(text)]


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(NOW)


@pytest.fixture
def repo(pg_repository_for: Any, clock: ManualClock) -> PostgresRepository:
    repository: PostgresRepository = pg_repository_for(clock)
    return repository


def deliverer(
    repo: PostgresRepository, clock: ManualClock, send: Telegram, **options: Any
) -> PostgresDelivery:
    coach = Coach(repository=repo, templates=TemplateLibrary(), clock=clock)
    return PostgresDelivery(coach=coach, repository=repo, send=send, **options)


def statuses(repo: PostgresRepository) -> dict[str, int]:
    with repo.pool.connection() as conn:
        rows = conn.execute("SELECT status, count(*) FROM reminders GROUP BY 1").fetchall()
    return dict(rows)


def journal(repo: PostgresRepository) -> dict[str, int]:
    """How many sent pieces are in each state (one row per attempt)."""
    with repo.pool.connection() as conn:
        rows = conn.execute("SELECT state, count(*) FROM send_journal GROUP BY 1").fetchall()
    return dict(rows)


def seed(repo: PostgresRepository, users: int, per_user: int = 1) -> dict[str, datetime]:
    with repo.pool.connection() as conn:
        return seed_due(conn, users=users, per_user=per_user, due_at=NOW)


async def test_each_due_reminder_goes_out_once_and_is_recorded(
    repo: PostgresRepository, clock: ManualClock
) -> None:
    tokens = seed(repo, users=30, per_user=2)
    telegram = Telegram()
    worker = deliverer(repo, clock, telegram, batch=7)
    while await worker.run_once():
        pass
    assert sorted(telegram.tokens()) == sorted(tokens)
    # Two reminders of one user travel in one message.
    assert len(telegram.sent) == 30
    assert statuses(repo) == {"delivered": 60}
    assert journal(repo) == {"confirmed": 30}
    with repo.pool.connection() as conn:
        assert conn.execute("SELECT count(*) FROM due_users").fetchone() == (0,)


async def test_a_morning_digest_is_one_message_as_from_the_embedded_store(
    repo: PostgresRepository, clock: ManualClock
) -> None:
    coach = Coach(repository=repo, templates=TemplateLibrary(), clock=clock)
    coach.handle_text("1001", "/settings timezone Berlin")
    for note in (
        "Coffee with Maria Lopez. I promised to send her the podcast link by tomorrow.",
        "Lunch with Tom Baker",
    ):
        coach.handle_text("1001", f"/log {note}")
    clock.set(datetime(2030, 1, 8, 8, 0, tzinfo=UTC))  # Tuesday 09:00 in Berlin
    telegram = Telegram()
    worker = PostgresDelivery(coach=coach, repository=repo, send=telegram)
    while await worker.run_once():
        pass
    ((_, digest),) = telegram.sent  # one message, not a ping for each (and one for the digest)
    assert "Good morning" in digest
    assert "3 things for today" in digest
    assert statuses(repo)["delivered"] == 3


async def test_a_burst_starts_small_so_the_first_messages_leave_at_once(
    repo: PostgresRepository, clock: ManualClock
) -> None:
    seed(repo, users=60)
    worker = deliverer(repo, clock, Telegram(), batch=20)
    # Leased per round: 8, then doubling up to the batch size, until none is due.
    rounds = [await worker.run_once() for _ in range(6)]
    assert rounds == [8, 16, 20, 16, 0, 0]
    with repo.pool.connection() as conn:
        seed_due(conn, users=10, per_user=1, due_at=NOW, first_user=30_000_000)
    assert await worker.run_once() == 8  # after an idle round, small again


def test_concurrent_claims_never_take_the_same_user(repo: PostgresRepository) -> None:
    seed(repo, users=200)
    until = NOW + timedelta(seconds=30)
    with repo.pool.connection() as one, repo.pool.connection() as two:
        one.autocommit = two.autocommit = False
        first = claims.claim_users(
            one, owner="a", channel="telegram", now=NOW, until=until, limit=120
        )
        # `one` has not committed: its rows are locked, and SKIP LOCKED passes them by.
        second = claims.claim_users(
            two, owner="b", channel="telegram", now=NOW, until=until, limit=120
        )
        one.commit()
        two.commit()
        one.autocommit = two.autocommit = True
        third = claims.claim_users(
            one, owner="c", channel="telegram", now=NOW, until=until, limit=500
        )
    assert len(first) == 120
    assert len(second) == 80
    assert not set(first) & set(second)
    assert third == {}  # everyone is leased


def test_a_lease_is_taken_over_only_once_it_runs_out(repo: PostgresRepository) -> None:
    seed(repo, users=5)
    lease = timedelta(seconds=30)
    with repo.pool.connection() as conn:
        taken = claims.claim_users(
            conn, owner="dead", channel="telegram", now=NOW, until=NOW + lease, limit=10
        )
        early = claims.claim_users(
            conn, owner="b", channel="telegram", now=NOW + lease / 2, until=NOW + lease, limit=10
        )
        late = claims.claim_users(
            conn, owner="b", channel="telegram", now=NOW + lease, until=NOW + 2 * lease, limit=10
        )
    assert len(taken) == 5
    assert early == {}
    assert sorted(late) == sorted(taken)


async def test_a_worker_killed_after_telegram_answered_leaves_a_flagged_repeat(
    repo: PostgresRepository, clock: ManualClock
) -> None:
    tokens = seed(repo, users=3)
    telegram = Telegram()
    telegram.crash_after_answer = True
    dying = deliverer(repo, clock, telegram, lease=timedelta(seconds=30))
    with pytest.raises(Crash):
        await dying.run_once()
    first = list(telegram.sent)
    assert len(first) >= 1
    assert statuses(repo) == {"sending": 3}

    telegram.crash_after_answer = False
    survivor = deliverer(repo, clock, telegram)
    assert await survivor.run_once() == 0  # still leased by the dead worker
    clock.advance(timedelta(seconds=31))
    while await survivor.run_once():
        pass
    assert sorted(set(telegram.tokens())) == sorted(tokens)
    assert statuses(repo) == {"delivered": 3}
    repeats = telegram.sent[len(first) :]
    assert len(repeats) == 3
    # Every re-send of something that may have reached the user says so.
    assert all("In case this already reached you" in text for _, text in repeats)
    assert journal(repo) == {"uncertain": 3, "confirmed": 3}


async def test_a_confirmed_send_is_never_repeated_after_a_crash(
    repo: PostgresRepository, clock: ManualClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed(repo, users=4)
    telegram = Telegram()
    dying = deliverer(repo, clock, telegram)

    def crash_before_recording(*args: Any, **kwargs: Any) -> None:
        raise Crash

    monkeypatch.setattr(dying, "_record", crash_before_recording)
    with pytest.raises(Crash):
        await dying.run_once()
    assert len(telegram.sent) == 4
    assert journal(repo) == {"confirmed": 4}

    clock.advance(timedelta(minutes=1))
    survivor = deliverer(repo, clock, telegram)
    while await survivor.run_once():
        pass
    assert len(telegram.sent) == 4  # the confirmations were durable: nothing went twice
    assert statuses(repo) == {"delivered": 4}


async def test_failures_give_reminders_back(repo: PostgresRepository, clock: ManualClock) -> None:
    seed(repo, users=2)
    telegram = Telegram()
    telegram.outcome = RetryLater(after=60, reason="flood control")
    worker = deliverer(repo, clock, telegram)
    await worker.run_once()
    assert statuses(repo) == {"pending": 2}
    assert journal(repo) == {"failed": 2}
    assert await worker.run_once() == 0  # backing off for the minute Telegram asked
    clock.advance(timedelta(seconds=61))
    telegram.outcome = Blocked(reason="blocked")
    await worker.run_once()
    with repo.session("20000000") as store:
        assert store.profile().paused
    telegram.outcome = Delivered()
    clock.advance(timedelta(hours=1))
    assert await worker.run_once() == 0  # paused users are not due


def test_the_send_rate_is_shared_through_the_database(repo: PostgresRepository) -> None:
    with repo.pool.connection() as one, repo.pool.connection() as two:
        began = one.execute("SELECT clock_timestamp()").fetchone()
        waits = [claims.reserve_send_slots(w, 1, 30.0) for _ in range(30) for w in (one, two)]
        slot = one.execute("SELECT next_slot FROM send_rate").fetchone()
    assert began is not None
    assert slot is not None
    # Two "workers" taking turns reserved 60 slots at 30/s: they span at least two seconds,
    # however fast or slow the calls were, and each waits longer than the one before.
    assert (slot[0] - began[0]).total_seconds() >= 60 / 30 - 0.001
    assert waits[-1] > waits[0]


async def test_workers_share_one_rate_limiter_row(pg_url: str) -> None:
    one, two = SharedRateLimiter(pg_url, 40.0), SharedRateLimiter(pg_url, 40.0)
    await one.initialize()
    await two.initialize()
    sent: list[float] = []

    async def send_message() -> bool:
        sent.append(time.monotonic())
        return True

    try:
        assert one._pool is not None
        with one._pool.connection() as conn:
            # A slot reservation a message: none of them waits for the WAL flush.
            assert conn.execute("SHOW synchronous_commit").fetchone() == ("off",)
        await asyncio.gather(
            *(
                limiter.process_request(send_message, (), {}, "sendMessage", {"chat_id": 1}, None)
                for _ in range(10)
                for limiter in (one, two)
            )
        )
    finally:
        await one.shutdown()
        await two.shutdown()
    # 20 messages from two "processes" at 40/s together: at least 19/40 s apart, end to end.
    assert len(sent) == 20
    assert max(sent) - min(sent) >= 19 / 40 - 0.03


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
async def test_the_limiter_retries_after_flood_control(pg_url: str) -> None:
    limiter = SharedRateLimiter(pg_url, 0)
    await limiter.initialize()
    calls = 0

    async def flaky() -> bool:
        nonlocal calls
        calls += 1
        if calls == 1:
            raise RetryAfter(timedelta(0))
        return True

    try:
        assert await limiter.process_request(flaky, (), {}, "sendMessage", {"chat_id": 1}, None)
    finally:
        await limiter.shutdown()
    assert calls == 2


async def test_a_round_keeps_no_decoded_profile_after_it(
    repo: PostgresRepository, clock: ManualClock
) -> None:
    # A user erased by another process must leave no copy in a delivery worker's memory.
    from bot.storage.postgres import user_store

    seed(repo, users=3)
    worker = deliverer(repo, clock, Telegram(), batch=7)
    assert await worker.run_once() == 3
    assert user_store._PROFILES == {}


async def test_a_worker_killed_before_telegram_answered_is_journaled_as_its_own_doubt(
    repo: PostgresRepository, clock: ManualClock
) -> None:
    seed(repo, users=2)
    telegram = Telegram()
    dying = deliverer(repo, clock, telegram, owner="dying")

    async def killed_mid_send(user_id: str, reply: Reply) -> Outcome:
        raise Crash

    dying.send = killed_mid_send
    with pytest.raises(Crash):
        await dying.run_once()
    # The claim journals nothing for the pieces it sends: the outbox says they are going.
    assert journal(repo) == {}
    clock.advance(timedelta(minutes=1))
    survivor = deliverer(repo, clock, telegram, owner="survivor")
    while await survivor.run_once():
        pass
    assert len(telegram.sent) == 2
    assert all("In case this already reached you" in text for _, text in telegram.sent)
    with repo.pool.connection() as conn:
        rows = conn.execute("SELECT state, owner, flagged FROM send_journal ORDER BY 1").fetchall()
    # One row an attempt: the dead worker's in its own name, the re-send flagged.
    assert rows == [("confirmed", "survivor", True)] * 2 + [("uncertain", "dying", False)] * 2


def test_a_batch_reads_only_the_contacts_its_due_reminders_name(
    repo: PostgresRepository,
) -> None:
    seed(repo, users=2)
    with repo.pool.connection() as conn:
        conn.execute(
            "INSERT INTO contacts (user_id, id, record) SELECT user_id, 'c-2',"
            " jsonb_set(record, '{id}', '\"c-2\"') FROM contacts"
        )
    with repo.batch(["20000000", "20000001"], ("reminders",), contacts_due_by=NOW) as stores:
        store = stores["20000000"]
        queries = []
        execute = store.conn.execute

        def counted(*args: Any, **kwargs: Any) -> Any:
            queries.append(args[0])
            return execute(*args, **kwargs)

        store.conn.execute = counted  # type: ignore[method-assign]
        contact = store.contact("c-1")
        assert contact is not None
        assert contact.name == "Person 0"
        assert queries == []  # preloaded: the reminder due names c-1
        assert store.contact("c-2") is not None  # anyone else: the whole list, as before
        assert len(queries) == 1
        assert sorted(c.id for c in store.contacts()) == ["c-1", "c-2"]
        assert len(queries) == 1
        store.conn.execute = execute  # type: ignore[method-assign]
        assert stores["20000001"].contact("c-1") is not None


def test_flush_makes_commits_without_the_wal_flush_durable(repo: PostgresRepository) -> None:
    with repo.session("1001", sync=False) as store:
        store.set_state("note", {"n": 1})
    with repo.pool.connection() as conn:
        row = conn.execute("SELECT pg_current_wal_insert_lsn()").fetchone()
    assert row is not None
    repo.flush()
    with repo.pool.connection() as conn:
        flushed = conn.execute("SELECT pg_current_wal_flush_lsn() >= %s", row).fetchone()
    # The WAL is on disk past the unsynced commit (up to the flush's own commit record).
    assert flushed == (True,)
