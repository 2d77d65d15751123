"""One user's delivery steps over the store port, each run as one unit of work.

    claim    due reminders -> SENDING, grouped into envelopes (one message each)
             with their rendered reply, owner and lease; durable before sending
    trying   note the piece about to be sent (a kill now makes the resend "uncertain")
    sent     a piece's message id; the last piece marks the reminders DELIVERED
    failed   a definite failure releases them with a backoff; a block pauses the
             user; a timeout keeps them SENDING, to be re-sent with a note that it
             may be a repeat

Telegram's sendMessage has no idempotency key, so when its answer is lost
nobody can know whether the message arrived. Every envelope therefore
remembers which piece was in flight: a re-send after that says so ("In case
this already reached you…"), and a split reply resumes at the first piece
not confirmed. Delivery works on any store that implements the port; the
envelopes live in the user's own state.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from bot.domain.ids import new_id
from bot.domain.insight.digests import DIGEST_KINDS
from bot.domain.model import Contact, Reminder, ReminderStatus, UserProfile
from bot.domain.reminders.planning import OPEN, next_occurrence
from bot.domain.reminders.timing import deliverable_at, deliverable_from, quiet_now
from bot.engine.replanning import freshen_due
from bot.engine.replies import Reply
from bot.scheduling.outcomes import Blocked, Outcome, RetryLater, Uncertain
from bot.storage.due import WAITING, next_attempt
from bot.storage.records import RecordError, from_record, to_record
from bot.storage.repository import UserStore

log = logging.getLogger(__name__)

OUTBOX = "delivery.outbox"
MESSAGE_PREFIX = "delivery.message."
MAX_PER_MESSAGE = 6
# How long a claim is its owner's alone; after that another deliverer may take it over.
LEASE = timedelta(minutes=2)

# Renders the message for some of a user's reminders (None: nothing worth sending), given
# the contacts the due reminders are about (by id).
Render = Callable[[UserStore, list[Reminder], Mapping[str, Contact]], Reply | None]
# Splits a user's due reminders into messages (the same contacts).
Group = Callable[[UserStore, list[Reminder], Mapping[str, Contact]], list[list[Reminder]]]


@dataclass
class Envelope:
    """One message on its way: the reminders it carries and how far sending got.

    Its rendered reply travels beside it in the outbox record ("messages", by
    envelope id): one record to write at the claim and to delete once it is
    sent, not two. (Replies kept in a state of their own, "delivery.message.<id>",
    by earlier versions are still read.)
    """

    id: str
    attempts: dict[str, int]  # reminder id -> claim number
    owner: str
    lease_until: datetime
    pieces: int = 0  # how many messages the channel cut it into (0: not tried yet)
    sent: list[int | None] = field(default_factory=list)  # message id of each confirmed piece
    trying: int | None = None  # the piece whose answer we were waiting for
    uncertain: bool = False  # an earlier attempt may have arrived
    failures: int = 0


def _message_state(envelope_id: str) -> str:
    return f"{MESSAGE_PREFIX}{envelope_id}"


# The replies of an outbox's envelopes, as records, by envelope id.
Messages = dict[str, dict[str, Any]]


def envelopes(store: UserStore) -> list[Envelope]:
    """The user's envelopes (an unreadable outbox counts as empty: its reminders still wait)."""
    return _read(store)[0]


def _read(store: UserStore) -> tuple[list[Envelope], Messages]:
    """The outbox: its envelopes, and the replies it holds (read once, for a step to save)."""
    state = store.state(OUTBOX) or {}
    out = []
    for record in state.get("envelopes", []):
        try:
            out.append(from_record(Envelope, record, strict=False))
        except RecordError as exc:
            log.error("dropped an unreadable delivery envelope: %s", exc)
    messages = state.get("messages")
    return out, messages if isinstance(messages, dict) else {}


def message(store: UserStore, envelope_id: str, messages: Messages | None = None) -> Reply | None:
    """The rendered reply an envelope carries (None if it is gone or unreadable)."""
    if messages is None:
        messages = _read(store)[1]
    record = messages.get(envelope_id)
    if record is None:
        state = store.state(_message_state(envelope_id))  # kept apart by an earlier version
        record = state.get("reply") if state else None
    try:
        return from_record(Reply, record, strict=False) if record is not None else None
    except RecordError as exc:
        log.error("dropped an unreadable delivery message: %s", exc)
        return None


def _save(
    store: UserStore, found: Sequence[Envelope], messages: Messages, *, gone: Iterable[str] = ()
) -> None:
    for envelope_id in gone:
        if envelope_id not in messages:
            store.set_state(_message_state(envelope_id), None)  # kept apart by an earlier version
    if not found:
        store.set_state(OUTBOX, None)
        return
    kept = {e.id: messages[e.id] for e in found if e.id in messages}
    store.set_state(OUTBOX, {"envelopes": [to_record(e) for e in found], "messages": kept})


def claim(
    store: UserStore,
    now: datetime,
    *,
    owner: str,
    render: Render,
    alive: Callable[[str], bool],
    group: Group | None = None,
    pieces: Callable[[Reply], int] | None = None,
) -> list[tuple[Envelope, Reply]]:
    """Take what is due now: envelopes left by a dead (or this) owner, then new ones.

    `group` splits the due reminders into messages (default: at most
    MAX_PER_MESSAGE each). A group `render` has nothing to say for (a digest
    on a morning with one ping) counts as delivered without a message.

    The first one's first piece goes out right after this commit, so it is noted as
    being sent here (`pieces` tells how many messages a reply becomes), saving a commit.
    """
    profile = store.profile()
    if profile.paused:
        return []
    # Read (and decoded) once: freshening below needs the open ones, claiming the waiting.
    open_reminders = store.reminders(OPEN)
    current = {r.id: r for r in open_reminders if r.status in WAITING}
    if quiet_now(profile, now):
        _hold_until_morning(store, current.values(), profile, now)
        return []
    kept: list[Envelope] = []
    gone: list[str] = []
    ready: list[tuple[Envelope, Reply]] = []
    saved: list[Reminder] = []
    outbox, messages = _read(store)
    for envelope in outbox:
        mine = [
            current[i]
            for i, attempt in envelope.attempts.items()
            if i in current
            and current[i].status is ReminderStatus.SENDING
            and current[i].attempts == attempt
        ]
        if not mine:
            gone.append(envelope.id)  # the user acted on all of it meanwhile
            continue
        if envelope.owner != owner and envelope.lease_until > now and alive(envelope.owner):
            kept.append(envelope)  # another live deliverer's
            continue
        if any(r.retry_at is not None and r.retry_at > now for r in mine):
            kept.append(envelope)  # backing off
            continue
        reply = message(store, envelope.id, messages)
        if reply is None:
            # Its message can't be read back: claim its reminders afresh below.
            gone.append(envelope.id)
            for r in mine:
                current[r.id] = replace(r, status=ReminderStatus.PENDING)
            continue
        if envelope.trying is not None:
            # Its sender died (or timed out) waiting for an answer: it may have arrived.
            envelope.uncertain, envelope.trying = True, None
        envelope.owner, envelope.lease_until = owner, now + LEASE
        kept.append(envelope)
        ready.append((envelope, reply))

    in_envelopes = {i for e in kept for i in e.attempts}
    due = sorted(
        (
            r
            for r in current.values()
            if r.id not in in_envelopes
            and (r.status is ReminderStatus.PENDING or r.status is ReminderStatus.SENDING)
            and deliverable_at(r.due_at, profile) <= now
            and (r.retry_at is None or r.retry_at <= now)
        ),
        key=lambda r: (r.due_at, r.id),
    )
    # Only the people due reminders are about are decoded, not the user's whole contact list;
    # freshening and rendering look up no one else.
    wanted = dict.fromkeys(r.contact_id for r in due if r.contact_id)
    contacts = {i: c for i in wanted if (c := store.contact(i)) is not None}
    # A reminder without a contact is about the user (a weekly review): never an orphan.
    orphans = [r for r in due if r.contact_id and r.contact_id not in contacts]
    due = [r for r in due if not r.contact_id or r.contact_id in contacts]
    # Stale after downtime: merged, reworded or dropped, and the daily nudge cap kept.
    due = freshen_due(
        store, due, now, open_reminders=open_reminders, contacts=list(contacts.values())
    )
    claimed = [
        replace(r, status=ReminderStatus.SENDING, attempts=r.attempts + 1, retry_at=None)
        for r in due
    ]
    saved += [replace(r, status=ReminderStatus.CANCELLED) for r in orphans]
    for batch in (group or _chunked)(store, claimed, contacts):
        try:
            reply = render(store, batch, contacts)
        except Exception:
            # A bug in one message must not hold the others; these wait an hour.
            log.exception("could not render a reminder message; retrying it in an hour")
            saved += [
                replace(r, status=ReminderStatus.PENDING, retry_at=now + timedelta(hours=1))
                for r in batch
            ]
            continue
        if reply is None:
            saved += [u for r in batch for u in _delivered(r, profile, now)]
            continue
        envelope = Envelope(new_id("d"), {r.id: r.attempts for r in batch}, owner, now + LEASE)
        messages[envelope.id] = _reply_record(reply)
        kept.append(envelope)
        ready.append((envelope, reply))
        saved += batch
    if ready and pieces is not None:
        first, reply = ready[0]
        first.trying, first.pieces = len(first.sent), pieces(reply)
    store.save_reminders(saved)
    _save(store, kept, messages, gone=gone)
    return ready


def _hold_until_morning(
    store: UserStore, waiting: Iterable[Reminder], profile: UserProfile, now: datetime
) -> None:
    """Their night: what fell due (after downtime, say) waits for quiet hours to end.

    Held through `retry_at`, so the due index every store publishes says the
    morning, and no deliverer (this service, a PostgreSQL worker) takes the user
    again and again through the night. At the end they go out together.
    """
    morning = deliverable_from(now, profile, now)
    held = [
        replace(r, retry_at=morning)
        for r in waiting
        if (r.status is ReminderStatus.SENDING or r.due_at <= now)
        and (r.retry_at is None or r.retry_at < morning)
    ]
    store.save_reminders(held)


def _reply_record(reply: Reply) -> dict[str, object]:
    """`to_record(reply)`, written out: this runs once per message in a burst."""
    rows = [
        [{"label": b.label, "payload": b.payload, "url": b.url, "ref": b.ref} for b in row]
        for row in reply.buttons
    ]
    return {"text": reply.text, "buttons": rows}


def _chunked(
    store: UserStore, reminders: list[Reminder], contacts: Mapping[str, Contact]
) -> list[list[Reminder]]:
    return chunks(reminders)


def chunks(reminders: Sequence[Reminder]) -> list[list[Reminder]]:
    """Split a user's due reminders into messages of at most MAX_PER_MESSAGE."""
    return [
        list(reminders[i : i + MAX_PER_MESSAGE]) for i in range(0, len(reminders), MAX_PER_MESSAGE)
    ]


def _find(store: UserStore, envelope_id: str) -> tuple[list[Envelope], Envelope | None, Messages]:
    found, messages = _read(store)
    return found, next((e for e in found if e.id == envelope_id), None), messages


def trying(store: UserStore, envelope_id: str, piece: int, pieces: int) -> bool:
    """Note that `piece` is about to be sent; False if the envelope is gone."""
    found, envelope, messages = _find(store, envelope_id)
    if envelope is None:
        return False
    envelope.trying, envelope.pieces = piece, pieces
    _save(store, found, messages)
    return True


def sent(store: UserStore, envelope_id: str, message_id: int | None, now: datetime) -> bool:
    """Record a confirmed piece; after the last one, the reminders are DELIVERED.

    Returns True when the whole envelope is delivered.
    """
    found, envelope, messages = _find(store, envelope_id)
    if envelope is None:
        return True
    envelope.sent.append(message_id)
    envelope.trying = None
    if len(envelope.sent) < envelope.pieces:
        _save(store, found, messages)
        return False
    profile = store.profile()
    updates: list[Reminder] = []
    for reminder_id, attempt in envelope.attempts.items():
        reminder = store.reminder(reminder_id)
        if (
            reminder is None
            or reminder.status is not ReminderStatus.SENDING
            or reminder.attempts != attempt
        ):
            continue  # the user acted on it meanwhile
        updates += _delivered(reminder, profile, now)
    store.save_reminders(updates)
    _save(store, [e for e in found if e.id != envelope_id], messages, gone=[envelope_id])
    return True


def _delivered(reminder: Reminder, profile: UserProfile, now: datetime) -> list[Reminder]:
    """The reminder as delivered, and its next occurrence if it comes back (yearly, digests).

    A digest has nothing to answer, so it is done once it arrived; anything
    else waits for the user's button.
    """
    status = ReminderStatus.DONE if reminder.kind in DIGEST_KINDS else ReminderStatus.DELIVERED
    updates = [replace(reminder, status=status, delivered_at=now, retry_at=None)]
    following = next_occurrence(reminder, profile, now)
    if following is not None:
        updates.append(following)
    return updates


def failed(store: UserStore, envelope_id: str, outcome: Outcome, now: datetime) -> timedelta:
    """Handle a failed piece (see the module docstring); return the wait before the next try."""
    found, envelope, messages = _find(store, envelope_id)
    if envelope is None:
        return timedelta(0)
    envelope.trying = None
    envelope.failures += 1
    ids = [
        r.id
        for r in store.reminders([ReminderStatus.SENDING])
        if envelope.attempts.get(r.id) == r.attempts
    ]
    if isinstance(outcome, Blocked):
        _release(store, ids, retry_at=None)
        _save(store, [e for e in found if e.id != envelope_id], messages, gone=[envelope_id])
        profile = store.profile()
        profile.paused = True
        store.save_profile(profile)
        return timedelta(0)
    wait = backoff(envelope.failures)
    if isinstance(outcome, RetryLater) and outcome.after:
        wait = timedelta(seconds=outcome.after)
    if isinstance(outcome, Uncertain):
        envelope.uncertain = True
    if isinstance(outcome, RetryLater) and not envelope.sent:
        # Nothing of it reached the user: back in the queue, re-rendered next time.
        _release(store, ids, retry_at=now + wait)
        _save(store, [e for e in found if e.id != envelope_id], messages, gone=[envelope_id])
        return wait
    store.save_reminders(
        [replace(r, retry_at=now + wait) for i in ids if (r := store.reminder(i)) is not None]
    )
    _save(store, found, messages)
    return wait


def _release(store: UserStore, ids: Sequence[str], *, retry_at: datetime | None) -> None:
    back = []
    for reminder_id in ids:
        reminder = store.reminder(reminder_id)
        if reminder is not None and reminder.status is ReminderStatus.SENDING:
            back.append(replace(reminder, status=ReminderStatus.PENDING, retry_at=retry_at))
    store.save_reminders(back)


def next_due(store: UserStore, now: datetime | None = None) -> datetime | None:
    """When this user next needs a delivery attempt (None: nothing waiting, or paused).

    Seen at `now`, a time already past that falls in quiet hours moves to their end,
    so a service that took an overdue user at night waits rather than trying again.
    """
    profile = store.profile()
    when = next_attempt(profile, store.reminders(WAITING))
    if when is None or now is None:
        return when
    return deliverable_from(when, profile, now)


def backoff(failures: int) -> timedelta:
    """Wait 5 s, 10 s, 20 s ... up to an hour between attempts after a failure."""
    return timedelta(seconds=min(5 * 2 ** max(0, failures - 1), 3600))
