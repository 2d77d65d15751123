"""Reminders in the conversation: planning, /remind, /reminders, pings and their buttons.

`replan_reminders(turn)` is the one call every change that can move a plan
makes (see bot/domain/reminders/replan.py); `freshen_due` is the check the
delivery step makes just before sending; `ping` renders what goes out, and
`ping_kind` lets another feature render its own kind of reminder (the
morning digest, the weekly review) with the same buttons and edits.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from itertools import islice
from operator import attrgetter
from typing import TYPE_CHECKING, Any

from bot.domain.humanize import ago, clock, moment
from bot.domain.ids import new_id
from bot.domain.model import (
    Contact,
    Interaction,
    InteractionKind,
    Reminder,
    ReminderKind,
    ReminderStatus,
    Repeat,
)
from bot.domain.reminders.freshness import is_late
from bot.domain.reminders.planning import OPEN, keep_in_touch, plan_log, supersede
from bot.domain.reminders.requests import MAX_WHAT, RemindProblem, When, parse_remind, parse_when
from bot.domain.reminders.timing import deliverable_at, deliverable_from, morning_of
from bot.engine.content.suggest import suggest_for_reminder
from bot.engine.insight.ledger import count_interaction
from bot.engine.lookup import chosen_contact, find_contact
from bot.engine.replanning import kept_index, replan_reminders
from bot.engine.replies import (
    Button,
    Payload,
    Reply,
    Rows,
    in_place,
    keyboard_only,
    notice,
    toast_text,
)
from bot.engine.router import Router
from bot.engine.turn import Turn

if TYPE_CHECKING:
    from bot.engine.journal import SavedLog

log = logging.getLogger(__name__)

_ID, _DUE = attrgetter("id"), attrgetter("due_at")

EDIT_FLOW = "reminders.edit"
# Where delivery keeps its backoff after a transient error ({"retry_at": iso}).
RETRY_STATE = "reminder_delivery"
# A /remind waiting for the user to say which person they meant.
DRAFT_STATE = "reminders.draft"
# The last pings sent, so a press can redraw the message it was pressed on.
PINGS_STATE = "reminders.pings"
KEPT_PINGS = 12
PAGE = 5
SNOOZES = ((1, "1 day"), (7, "1 week"))
WAITING = (ReminderStatus.PENDING, ReminderStatus.SENDING)
# Sent and not answered yet: what a ping's buttons act on.
_OUT = (ReminderStatus.SENDING, ReminderStatus.DELIVERED)


def register(router: Router) -> None:
    """Register /remind, /reminders, the after-log planner and every ping button."""
    router.after_log.append(plan_after_log)
    router.on_incoming.append(resume_if_paused)

    @router.command("remind", "Set a reminder by hand", usage="<name or me> <when> to <what>")
    def remind(turn: Turn, args: str) -> list[Reply]:
        if not args:
            return [turn.say("reminders/remind_usage")]
        request = parse_remind(args, turn.store.contacts(), turn.now, turn.zone)
        if isinstance(request, RemindProblem):
            return [
                turn.say(
                    "reminders/remind_usage",
                    problem=request.part,
                    when_text=request.when_text,
                    limit=MAX_WHAT,
                )
            ]
        when = When(request.due_at, request.exact, request.repeat)
        if request.for_self:
            return [_create_custom(turn, None, when, request.what)]
        found = find_contact(
            turn, request.name, command="remind", op="rem.create", due=int(when.at.timestamp())
        )
        if found.contact is not None:
            return [_create_custom(turn, found.contact, when, request.what)]
        if any(reply.buttons for reply in found.replies):
            # The choice buttons stay small: the rest of the request waits in the store.
            turn.store.set_state(DRAFT_STATE, {"what": request.what, **_when_state(when)})
        return found.replies

    @router.action("rem.create")
    def create(turn: Turn, payload: Payload) -> list[Reply]:
        contact = chosen_contact(turn, payload)
        draft = turn.store.state(DRAFT_STATE) or {}
        if contact is None:
            return [turn.notice("stale_button")]
        turn.store.set_state(DRAFT_STATE, None)
        due = int(payload.get("due", 0))
        what = str(draft.get("what", "")) if draft.get("due") == due else ""
        return in_place([_create_custom(turn, contact, _when_from_state(draft, due), what)])

    @router.command("reminders", "What I'll remind you about")
    def reminders(turn: Turn, args: str) -> list[Reply]:
        return [_listing(turn, 0)]

    @router.action("rem.page")
    def page(turn: Turn, payload: Payload) -> list[Reply]:
        return in_place([_listing(turn, int(payload.get("pg", 0)))])

    @router.action("rem.done")
    def done(turn: Turn, payload: Payload) -> list[Reply]:
        return _on_open(turn, payload, _mark_done)

    @router.action("rem.snooze")
    def snooze(turn: Turn, payload: Payload) -> list[Reply]:
        days = int(payload.get("days", 1))
        return _on_open(turn, payload, lambda t, r, c: _snooze(t, r, days))

    @router.action("rem.suggest")
    def suggest(turn: Turn, payload: Payload) -> list[Reply]:
        reminder = turn.store.reminder(str(payload.get("id", "")))
        stale = _out_of_date(turn, payload, reminder)
        if stale is not None:
            return stale
        if reminder is None or not reminder.contact_id:
            return [turn.notice("reminders/gone")]
        # The drafts come as a new message (their ✅ Sent buttons close the reminder):
        # the ping stays as it is, to come back to.
        return suggest_for_reminder(turn, reminder)

    @router.action("rem.talked")
    def talked(turn: Turn, payload: Payload) -> list[Reply]:
        return _on_open(turn, payload, _talked, needs_contact=True)

    @router.action("rem.drift")
    def drift(turn: Turn, payload: Payload) -> list[Reply]:
        return _on_open(turn, payload, _drift, needs_contact=True)

    @router.action("rem.cancel")
    def cancel(turn: Turn, payload: Payload) -> list[Reply]:
        def cancel_it(t: Turn, reminder: Reminder, contact: Contact | None) -> Outcome:
            t.store.save_reminders([replace(reminder, status=ReminderStatus.CANCELLED)])
            return Outcome(
                "✖ Cancelled", "reminders/cancelled", {"item": _item(t, reminder, contact)}
            )

        return _on_open(turn, payload, cancel_it)

    @router.action("rem.edit")
    def edit(turn: Turn, payload: Payload) -> list[Reply]:
        reminder = turn.store.reminder(str(payload.get("id", "")))
        if reminder is None or reminder.status not in OPEN:
            return [turn.notice("reminders/gone")]
        turn.start_flow(EDIT_FLOW, reminder=reminder.id)
        contact = turn.store.contact(reminder.contact_id)
        asked = turn.say("reminders/edit_when", item=_item(turn, reminder, contact))
        return [replace(asked, placeholder="e.g. tomorrow at 10:00")]

    @router.flow(EDIT_FLOW, ends_on_command=True)
    def edit_when(turn: Turn, text: str) -> list[Reply]:
        state = turn.flow() or {}
        reminder = turn.store.reminder(str(state.get("reminder", "")))
        if reminder is None or reminder.status not in OPEN:
            turn.end_flow()
            return [turn.say("reminders/gone")]
        when = parse_when(text, turn.now, turn.zone)
        if when is None:
            return [replace(turn.say("reminders/bad_when", text=text), placeholder="tomorrow")]
        turn.end_flow()
        moved = replace(
            reminder,
            due_at=when.at,
            exact=when.exact,
            pinned=True,
            repeat=when.repeat or reminder.repeat,
            status=ReminderStatus.PENDING,
        )
        turn.store.save_reminders([moved])
        contact = turn.store.contact(moved.contact_id)
        return [
            turn.say(
                "reminders/moved",
                contact=contact,
                when=turn.local(deliverable_at(when.at, turn.profile)),
                quiet=_quiet_note(turn, when.at),
            )
        ]


# -- planning after a log ------------------------------------------------------
def plan_after_log(turn: Turn, saved: SavedLog) -> list[Reply]:
    """Plan and save the reminders a saved note calls for; say what they are."""
    plan = plan_log(
        saved.reading,
        saved.interaction,
        saved.contacts,
        _reminders_of(turn, saved.contacts),  # it looks at those of the people met only
        turn.profile,
        turn.now,
        told_of=saved.told_of,
    )
    turn.store.save_reminders(plan.to_save)
    for contact in saved.contacts:
        if contact.id in plan.birthdays:
            contact.birthday = plan.birthdays[contact.id]
            turn.store.save_contact(contact)
    told_of = {c.id for c in saved.told_of.values()}  # a birthday or thanks owed, no meeting
    plan.extend(replan_reminders(turn, only={c.id for c in saved.contacts} | told_of))
    contacts = {c.id: c for c in (*saved.contacts, *saved.told_of.values())}
    # Each new one as replanning left it (None: it is gone again).
    settled = (turn.store.reminder(r.id) for r in plan.created if r.contact_id in contacts)
    upcoming = sorted((r for r in settled if r is not None), key=lambda r: r.due_at)
    items = [_item(turn, r, contacts[r.contact_id]) for r in upcoming]
    if not items:
        return []
    return [turn.say("reminders/planned", items=items)]


def _reminders_of(turn: Turn, contacts: Sequence[Contact]) -> list[Reminder]:
    """The open reminders of `contacts`, found through the store's index by contact."""
    ids = dict.fromkeys(c.id for c in contacts)
    return [r for cid in ids for r in turn.store.reminders(OPEN, contact_id=cid)]


# -- pings -----------------------------------------------------------------------
@dataclass(frozen=True)
class PingLine:
    """One reminder in a ping: its line, the tip shown when it is alone, its buttons."""

    text: str
    tip: str = ""
    buttons: Rows = ()


PingRenderer = Callable[[Turn, Reminder, "Contact | None", str, str], PingLine]
_RENDERERS: dict[str, PingRenderer] = {}


def ping_kind(kind: str) -> Callable[[PingRenderer], PingRenderer]:
    """Register how reminders of `kind` are shown in a ping (a digest, a review...).

    The renderer gets (turn, reminder, contact or None, tag, ping id); `tag` is
    " #2" when the ping holds several items. Buttons should carry
    {"op": ..., "id": reminder.id, "p": ping id} so a press redraws the ping.
    """

    def decorate(render: PingRenderer) -> PingRenderer:
        _RENDERERS[kind] = render
        return render

    return decorate


def ping(turn: Turn, reminders: Sequence[Reminder], contacts: Mapping[str, Contact]) -> Reply:
    """Render one delivery message for `reminders`, with a set of buttons for each.

    The message is remembered, so a press on one of its buttons redraws it
    with that item marked done, snoozed... and its buttons gone.
    """
    pid = new_id("p")  # a record id: it packs into a few bytes of each button's token
    numbered = len(reminders) > 1
    lines = []
    for n, reminder in enumerate(reminders, start=1):
        lines.append(
            _ping_line(turn, reminder, contacts.get(reminder.contact_id), n, numbered, pid)
        )
    people = all(r.contact_id for r in reminders)
    _remember_ping(turn, pid, reminders, [line.text for line in lines], people)
    return _ping_reply(turn, lines, numbered, people=people)


def _ping_line(
    turn: Turn, reminder: Reminder, contact: Contact | None, n: int, numbered: bool, pid: str
) -> PingLine:
    tag = f" #{n}" if numbered else ""
    render = _RENDERERS.get(reminder.kind.value, _standard_line)
    return render(turn, reminder, contact, tag, pid)


def _standard_line(
    turn: Turn, reminder: Reminder, contact: Contact | None, tag: str, pid: str
) -> PingLine:
    item = _item(turn, reminder, contact)
    text = turn.render("reminders/item", item=item)
    tip = turn.render("reminders/tip", item=item)
    ref = {"id": reminder.id, "p": pid}
    rows: list[tuple[Button, ...]] = [
        (
            Button(f"✅ Done{tag}", payload={"op": "rem.done", **ref}),
            *(
                Button(f"⏰ {label}{tag}", payload={"op": "rem.snooze", "days": d, **ref})
                for d, label in SNOOZES
            ),
        )
    ]
    if contact is not None:
        second = [
            Button(f"✍️ Suggest{tag}", payload={"op": "rem.suggest", **ref}),
            Button(f"🗣 Talked already{tag}", payload={"op": "rem.talked", **ref}),
        ]
        if not contact.drifting:
            second.append(Button(f"🍃 Let it drift{tag}", payload={"op": "rem.drift", **ref}))
        rows.append(tuple(second))
    return PingLine(text, tip, tuple(rows))


def _ping_reply(
    turn: Turn,
    lines: Sequence[PingLine],
    numbered: bool,
    *,
    people: bool = True,
    outcomes: Mapping[int, str] | None = None,
) -> Reply:
    outcomes = outcomes or {}
    shown = [
        {"text": line.text, "tip": line.tip, "outcome": outcomes.get(n, "")}
        for n, line in enumerate(lines)
    ]
    buttons = tuple(
        row for n, line in enumerate(lines) if n not in outcomes for row in line.buttons
    )
    return turn.say(
        "reminders/ping", items=shown, numbered=numbered, people=people, buttons=buttons
    )


def _remember_ping(
    turn: Turn, pid: str, reminders: Sequence[Reminder], lines: list[str], people: bool
) -> None:
    pings = turn.store.state(PINGS_STATE) or {}
    record = {
        "ids": [r.id for r in reminders],
        "lines": lines,
        "out": {},
        "at": turn.now.isoformat(),
        "people": people,
        "seen": {r.id: _subject(r) for r in reminders},
    }
    pings[pid] = record
    newest = sorted(pings, key=lambda k: str(pings[k].get("at", "")))[-KEPT_PINGS:]
    turn.store.set_state(PINGS_STATE, {k: pings[k] for k in newest})


def _subject(reminder: Reminder) -> str:
    """What a reminder is about and when, as it was shown: a change makes its ping out of date."""
    about = (reminder.kind.value, reminder.contact_id, reminder.on, reminder.due_at, reminder.text)
    return hashlib.blake2b(repr(about).encode(), digest_size=6).hexdigest()


def _as_sent(record: Mapping[str, Any], reminder: Reminder | None) -> bool:
    """True while `reminder` is still the one its ping showed: out, unanswered, unchanged."""
    if reminder is None or reminder.status not in _OUT:
        return False
    seen = record.get("seen", {}).get(reminder.id)
    return seen is None or seen == _subject(reminder)  # older pings kept no subject


def _stands_now(turn: Turn, rid: str, reminder: Reminder | None) -> str | None:
    """How an item of a ping stands now, as its mark (None: it still waits for an answer)."""
    if reminder is None:
        # Done and cancelled reminders are kept apart, with what became of them.
        reminder = next((r for r in turn.store.finished_reminders() if r.id == rid), None)
    if reminder is None or reminder.status is ReminderStatus.CANCELLED:
        return "no longer planned"
    if reminder.status is ReminderStatus.DONE:
        return "already done"
    if reminder.status is ReminderStatus.PENDING:
        when = turn.local(deliverable_at(reminder.due_at, turn.profile))
        return f"now due {moment(when, turn.local(turn.now).date())}"
    return None


def _redraw_ping(turn: Turn, pid: str, acted_on: str = "", outcome: str = "") -> Reply | None:
    """The ping `pid` as things stand now, `outcome` noted against `acted_on`; None if forgotten.

    An item acted on elsewhere since (done in /reminders, its person forgotten,
    moved to another day) shows how it stands instead of its buttons; one whose
    subject changed but that still waits is shown anew, with working buttons.
    """
    pings = turn.store.state(PINGS_STATE) or {}
    record = pings.get(pid)
    if record is None or (acted_on and acted_on not in record["ids"]):
        return None
    if acted_on and outcome:
        record["out"][acted_on] = outcome
    contacts = {c.id: c for c in turn.store.contacts()}
    numbered = len(record["ids"]) > 1
    lines: list[PingLine] = []
    outcomes: dict[int, str] = {}
    for n, (rid, text) in enumerate(zip(record["ids"], record["lines"], strict=True)):
        reminder = turn.store.reminder(rid)
        done = record["out"].get(rid)
        if done is None:
            done = _stands_now(turn, rid, reminder)
        if done is not None or reminder is None:
            lines.append(PingLine(text))
            outcomes[n] = done or ""
            continue
        line = _ping_line(turn, reminder, contacts.get(reminder.contact_id), n + 1, numbered, pid)
        if not _as_sent(record, reminder):
            # Still waiting, but about something else now: this is what it says from here on.
            record["lines"][n] = line.text
            record.setdefault("seen", {})[rid] = _subject(reminder)
        lines.append(line)
    turn.store.set_state(PINGS_STATE, pings)
    people = bool(record.get("people", True))
    return _ping_reply(turn, lines, numbered, people=people, outcomes=outcomes)


def delivery_groups(
    turn: Turn, due: Sequence[Reminder], contacts: Mapping[str, Contact]
) -> tuple[list[list[Reminder]], list[Reminder]]:
    """Group the due reminders whose kind is delivered its own way (the digests).

    Each such reminder leads a group with the others it takes along; the
    reminders left over are returned for ordinary pings.
    """
    groups: list[list[Reminder]] = []
    rest = list(due)
    for reminder in due:
        own = turn.router.deliveries.get(reminder.kind.value)
        if own is None or reminder not in rest:
            continue
        rest.remove(reminder)
        taken = own.takes(turn, reminder, rest, contacts)
        rest = [r for r in rest if r not in taken]
        groups.append([reminder, *taken])
    return groups, rest


def render_delivery(
    turn: Turn, group: Sequence[Reminder], contacts: Mapping[str, Contact]
) -> Reply | None:
    """The message for one group: its leader's own renderer, else a ping (None: say nothing)."""
    own = turn.router.deliveries.get(group[0].kind.value) if group else None
    if own is None:
        return ping(turn, group, contacts)
    return own.render(turn, group[0], group[1:], contacts)


def describe(turn: Turn, reminder: Reminder, contact: Contact) -> dict[str, Any]:
    """What the reminder templates need to describe one reminder (for other features' lists)."""
    return _item(turn, reminder, contact)


# -- button handlers -------------------------------------------------------------
@dataclass(frozen=True)
class Outcome:
    """What a press on a reminder did: a short mark for the ping, and the full reply."""

    mark: str
    template: str
    context: dict[str, Any]


OnReminder = Callable[[Turn, Reminder, "Contact | None"], Outcome]


def _on_open(
    turn: Turn, payload: Payload, act: OnReminder, *, needs_contact: bool = False
) -> list[Reply]:
    """Run `act` if the button's reminder is still open, and answer where it was pressed.

    Pressed on a ping, the ping is redrawn with the item marked; pressed in
    /reminders, that page is redrawn; elsewhere the answer is a short toast.
    """
    reminder = turn.store.reminder(str(payload.get("id", "")))
    stale = _out_of_date(turn, payload, reminder)
    if stale is not None:
        return stale
    assert reminder is not None
    pid = str(payload.get("p", ""))
    contact = turn.store.contact(reminder.contact_id) if reminder.contact_id else None
    if (reminder.contact_id and contact is None) or (needs_contact and contact is None):
        turn.store.save_reminders([replace(reminder, status=ReminderStatus.CANCELLED)])
        return [turn.notice("reminders/gone")]
    outcome = act(turn, reminder, contact)
    replan_reminders(turn, only={reminder.contact_id})
    answer = turn.say(outcome.template, **outcome.context)
    if pid:
        redrawn = _redraw_ping(turn, pid, reminder.id, outcome.mark)
        if redrawn is not None:
            return [replace(redrawn, replaces=True, toast=toast_text(answer.text))]
        return [replace(answer, replaces=True)]
    if "pg" in payload:
        return [
            replace(
                _listing(turn, int(payload["pg"])), replaces=True, toast=toast_text(answer.text)
            )
        ]
    # Pressed elsewhere (a digest, the drafts' "Sent it", /due): the answer as a message.
    return [answer]


def _out_of_date(turn: Turn, payload: Payload, reminder: Reminder | None) -> list[Reply] | None:
    """The answer to a press on a reminder that is no longer as shown; None when it is.

    Pressed on a ping, the ping is redrawn as things stand now: acted on there
    already, it says "taken care of"; changed since (done elsewhere, its person
    forgotten, moved), it says "out of date". Pressed on a /reminders page, the
    page is redrawn. A ping too old to redraw gets the toast alone.
    """
    rid, pid = str(payload.get("id", "")), str(payload.get("p", ""))
    record = (turn.store.state(PINGS_STATE) or {}).get(pid) if pid else None
    if record is not None and rid in record["ids"]:
        if record["out"].get(rid):
            why = "reminders/gone"
        elif _as_sent(record, reminder):
            return None
        else:
            why = "reminders/out_of_date"
        redrawn = _redraw_ping(turn, pid)
        assert redrawn is not None
        return [replace(redrawn, replaces=True, toast=toast_text(turn.render(why)))]
    if reminder is not None and reminder.status in OPEN:
        return None
    gone = turn.render("reminders/gone")
    if "pg" in payload:
        return [replace(_listing(turn, int(payload["pg"])), replaces=True, toast=toast_text(gone))]
    if pid:
        # A ping whose record is gone (too old, or it named someone since forgotten):
        # its buttons can't be trusted any more, so they go; /reminders has what waits.
        return [keyboard_only(toast=turn.render("reminders/out_of_date"))]
    return [notice(gone)]


def _mark_done(turn: Turn, reminder: Reminder, contact: Contact | None) -> Outcome:
    finished = replace(reminder, status=ReminderStatus.DONE, closed_at=turn.now)
    follow: list[Reminder] = []
    if reminder.kind is ReminderKind.KEEP_IN_TOUCH and contact is not None and not contact.drifting:
        # They were in touch: the next keep-in-touch nudge is a full cadence away.
        later = morning_of((turn.now + contact.cadence).astimezone(turn.zone).date(), turn.zone)
        follow.append(keep_in_touch(contact.id, later, turn.now, not_before=later))
    turn.store.save_reminders([finished, *follow])
    return Outcome(
        "✅ Done",
        "reminders/done",
        {
            "item": _item(turn, reminder, contact),
            "next": turn.local(follow[0].due_at) if follow else None,
        },
    )


def _snooze(turn: Turn, reminder: Reminder, days: int) -> Outcome:
    due = turn.now + timedelta(days=max(1, min(days, 30)))
    turn.store.save_reminders(
        [replace(reminder, due_at=due, not_before=due, status=ReminderStatus.PENDING)]
    )
    when = turn.local(deliverable_at(due, turn.profile))
    contact = turn.store.contact(reminder.contact_id)
    today = turn.local(turn.now).date()
    return Outcome(
        f"⏰ Snoozed until {moment(when, today)}",
        "reminders/snoozed",
        {"contact": contact, "when": when},
    )


def _talked(turn: Turn, reminder: Reminder, contact: Contact | None) -> Outcome:
    assert contact is not None
    interaction = Interaction(
        id=new_id("i"),
        contact_ids=[contact.id],
        kind=InteractionKind.OTHER,
        occurred_at=turn.now,
        note="Talked (noted from a reminder)",
        created_at=turn.now,
    )
    turn.store.add_interaction(interaction)
    contact.last_interaction_at = turn.now
    count_interaction(turn, contact, interaction)
    turn.store.save_contact(contact)
    others = [r for r in turn.store.reminders(OPEN) if r.id != reminder.id]
    covered = supersede(contact.id, others, turn.now, interaction.id, turn.zone)
    done = replace(reminder, status=ReminderStatus.DONE, closed_at=turn.now)
    turn.store.save_reminders([done, *covered])
    replan_reminders(turn, only={contact.id})
    keep = [
        r
        for r in turn.store.reminders([ReminderStatus.PENDING], contact_id=contact.id)
        if r.kind is ReminderKind.KEEP_IN_TOUCH
    ]
    return Outcome(
        "🗣 Talked",
        "reminders/talked",
        {"contact": contact, "next": turn.local(keep[0].due_at) if keep else None},
    )


def _drift(turn: Turn, reminder: Reminder, contact: Contact | None) -> Outcome:
    assert contact is not None
    contact.drifting = True
    turn.store.save_contact(contact)
    if reminder.kind is ReminderKind.KEEP_IN_TOUCH:
        turn.store.save_reminders([replace(reminder, status=ReminderStatus.DONE)])
    return Outcome("🍃 Letting it drift", "reminders/drifting", {"contact": contact})


# -- /remind and /reminders ------------------------------------------------------
def _when_state(when: When) -> dict[str, Any]:
    return {
        "due": int(when.at.timestamp()),
        "exact": when.exact,
        "repeat": when.repeat.value if when.repeat else None,
    }


def _when_from_state(state: Mapping[str, Any], due: int) -> When:
    at = datetime.fromtimestamp(due, tz=UTC)
    if state.get("due") != due:
        return When(at)
    repeat = state.get("repeat")
    return When(at, bool(state.get("exact")), Repeat(repeat) if repeat else None)


def _create_custom(turn: Turn, contact: Contact | None, when: When, what: str) -> Reply:
    reminder = Reminder(
        id=new_id("r"),
        kind=ReminderKind.CUSTOM,
        due_at=when.at,
        contact_id=contact.id if contact else "",
        text=what,
        created_at=turn.now,
        exact=when.exact,
        repeat=when.repeat,
    )
    turn.store.save_reminders([reminder])
    return turn.say(
        "reminders/set",
        item=_item(turn, reminder, contact),
        quiet=_quiet_note(turn, when.at),
    )


def _quiet_note(turn: Turn, due: datetime) -> dict[str, str] | None:
    """Why a reminder comes later than asked, if quiet hours moved it."""
    profile = turn.profile
    delivered = deliverable_at(due, profile)
    if delivered == due:
        return None
    today = turn.local(turn.now).date()
    return {
        "asked": moment(turn.local(due), today),
        "start": clock(profile.quiet_start),
        "end": clock(profile.quiet_end),
        "comes": moment(turn.local(delivered), today),
    }


def _listing(turn: Turn, page: int) -> Reply:
    """One page of /reminders: what is waiting for you first, then what is coming."""
    # The user's index keeps them in this order between turns (refreshed by what
    # changed): with 1,000 people sorting them all was most of what /reminders cost.
    index = kept_index(turn)
    if index.usable:
        contacts: Mapping[str, Contact] = index.contacts
        waiting, total, listed = index.listing()
    else:
        people = turn.store.contacts()
        contacts = dict(zip(map(_ID, people), people, strict=True))
        waiting, total, listed = _listed(turn.store.reminders(OPEN), contacts)
    pages = max(1, -(-total // PAGE))
    page = max(0, min(page, pages - 1))
    start = page * PAGE
    shown = list(islice(listed, start, start + PAGE))
    items = []
    rows: list[tuple[Button, ...]] = []
    for n, reminder in enumerate(shown, start=start + 1):
        item = _item(turn, reminder, contacts.get(reminder.contact_id))
        items.append({**item, "number": n})
        ref = {"id": reminder.id, "pg": page}
        if reminder.status is ReminderStatus.DELIVERED:
            rows.append(
                (
                    Button(f"✅ Done #{n}", payload={"op": "rem.done", **ref}),
                    Button(f"⏰ Tomorrow #{n}", payload={"op": "rem.snooze", "days": 1, **ref}),
                    Button(f"✖ Cancel #{n}", payload={"op": "rem.cancel", **ref}),
                )
            )
        else:
            rows.append(
                (
                    Button(f"✏️ Change #{n}", payload={"op": "rem.edit", **ref}),
                    Button(f"✖ Cancel #{n}", payload={"op": "rem.cancel", **ref}),
                )
            )
    paging = []
    if page > 0:
        paging.append(Button("◀ Earlier", payload={"op": "rem.page", "pg": page - 1}))
    if page < pages - 1:
        paging.append(Button("Later ▶", payload={"op": "rem.page", "pg": page + 1}))
    if paging:
        rows.append(tuple(paging))
    return turn.say(
        "reminders/list",
        items=items,
        waiting=waiting,
        total=total,
        page=page + 1,
        pages=pages,
        buttons=tuple(rows),
    )


def _listed(
    reminders: Sequence[Reminder], contacts: Mapping[str, Contact]
) -> tuple[int, int, Iterator[Reminder]]:
    """As ReplanIndex.listing, from the records: how many delivered, how many, in order."""
    open_ = [r for r in reminders if not r.contact_id or r.contact_id in contacts]
    delivered = ReminderStatus.DELIVERED
    waiting = sorted(
        [r for r in open_ if r.status is delivered], key=lambda r: r.delivered_at or r.due_at
    )
    coming = [r for r in open_ if r.status is not delivered]
    coming.sort(key=_DUE)
    return len(waiting), len(open_), iter([*waiting, *coming])


def _item(turn: Turn, reminder: Reminder, contact: Contact | None) -> dict[str, Any]:
    """What the reminder templates need to describe one reminder."""
    due = reminder.due_at
    if reminder.status is ReminderStatus.PENDING:
        # Overdue at night (after downtime, say): it comes when quiet hours end.
        when = turn.local(deliverable_from(due, turn.profile, turn.now))
    else:
        when = turn.local(deliverable_at(due, turn.profile))
    last = (contact.last_interaction_at or contact.created_at) if contact else turn.now
    return {
        "kind": reminder.kind.value,
        "name": contact.name if contact else "",
        "first_name": contact.first_name if contact else "",
        "text": reminder.text,
        "when": when,
        "on": reminder.on,
        "today": turn.local(turn.now).date(),
        "since": ago(turn.now - last),
        "tier": contact.tier.value if contact else "",
        "status": reminder.status.value,
        "late": reminder.status is not ReminderStatus.PENDING and is_late(reminder, turn.now),
        "repeat": reminder.repeat.value if reminder.repeat else "",
    }


def resume_if_paused(turn: Turn) -> None:
    """Unpause a user who writes again after blocking the bot, and drop any backoff.

    Runs on every incoming message. Through the indexed store the profile save
    also lowers the due index, so waiting reminders go out right away.
    """
    profile = turn.profile
    if not profile.paused:
        return
    profile.paused = False
    turn.store.set_state(RETRY_STATE, None)
    turn.store.save_profile(profile)
    log.info("reminders resumed for a user who wrote again")
