"""Who in an import is new, who is already known, and what importing would change.

Planning is pure: it gets the user's records and returns what to save, so
the preview and the import itself are the same computation, and nothing is
written until the user says so. A known contact only gains what it lacks:
nothing the user wrote is ever overwritten.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from zoneinfo import ZoneInfo

from rapidfuzz import fuzz, process

from bot.domain.ids import new_id
from bot.domain.insight.digests import DIGEST_KINDS, USER_LEVEL
from bot.domain.insight.ledger import tally
from bot.domain.model import (
    Contact,
    Interaction,
    Reminder,
    ReminderKind,
    ReminderStatus,
    Tier,
    UserProfile,
)
from bot.domain.reminders.timing import next_yearly
from bot.storage.repository import UserStore
from bot.transfer.bundle import Restore
from bot.transfer.people import AddressBook, Person, Skipped, add_unique, fold_name, phone_key

Progress = Callable[[int, int], None]
# token_sort_ratio: "Lopez, Maria" is "Maria Lopez"; 90 lets "Jon Smith" match "John Smith".
FUZZY_SCORE = 90
ANNIVERSARY = "anniversary"
OPEN = (ReminderStatus.PENDING, ReminderStatus.SENDING, ReminderStatus.DELIVERED)
# People imported from an address book start here: the coach knows nothing of how close they are.
IMPORTED_TIER = Tier.ACQUAINTANCE


@dataclass
class Match:
    """An imported person who is already one of the user's contacts."""

    imported_name: str
    contact: Contact
    how: str  # "e-mail", "phone", "name", "similar name", "same record"
    filled: list[str] = field(default_factory=list)


@dataclass
class ImportPlan:
    """What an import would do; `apply` does exactly this."""

    kind: str
    new: list[Contact] = field(default_factory=list)
    matched: list[Match] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    remarks: list[str] = field(default_factory=list)
    reminders: list[Reminder] = field(default_factory=list)
    interactions: list[Interaction] = field(default_factory=list)  # oldest first
    profile: UserProfile | None = None
    already: int = 0  # logs and reminders of an export that are here already
    # Digest plans made here before a restore that brings its own settings (never sent).
    superseded: list[str] = field(default_factory=list)

    @property
    def updated(self) -> list[Match]:
        """Matches that gain something."""
        return [m for m in self.matched if m.filled]

    @property
    def changes_anything(self) -> bool:
        """Tell whether applying the plan would write anything."""
        return bool(
            self.new
            or self.updated
            or self.reminders
            or self.interactions
            or self.profile
            or self.superseded
        )


class Matcher:
    """Finds the contact an imported person is: by e-mail, phone, name, then a similar name."""

    def __init__(self, contacts: Iterable[Contact]) -> None:
        self._by_email: dict[str, Contact] = {}
        self._by_phone: dict[str, Contact] = {}
        self._by_name: dict[str, list[Contact]] = {}
        self._by_first: dict[str, list[Contact]] = {}
        # Fuzzy matching looks only at contacts that were here before the import.
        self._blocks: dict[str, tuple[list[str], list[Contact]]] = {}
        for contact in contacts:
            self.add(contact)
            for name in (contact.name, *contact.aliases):
                folded = _sorted_name(name)
                if folded:
                    names, owners = self._blocks.setdefault(folded[0], ([], []))
                    names.append(folded)
                    owners.append(contact)

    def add(self, contact: Contact) -> None:
        """Make `contact` findable (new ones too, so a file's repeats merge)."""
        for email in contact.emails:
            self._by_email.setdefault(email.lower(), contact)
        for phone in contact.phones:
            if key := phone_key(phone):
                self._by_phone.setdefault(key, contact)
        for name in (contact.name, *contact.aliases):
            folded = fold_name(name)
            if folded and contact not in self._by_name.get(folded, []):
                self._by_name.setdefault(folded, []).append(contact)
            if folded and " " not in folded:
                self._by_first.setdefault(folded, []).append(contact)

    def find(self, person: Person) -> tuple[Contact, str] | None:
        """Return (contact, how it matched) or None for a new person."""
        for email in person.emails:
            if found := self._by_email.get(email.lower()):
                return found, "e-mail"
        for phone in person.phones:
            if (key := phone_key(phone)) and (found := self._by_phone.get(key)):
                return found, "phone"
        folded = fold_name(person.name)
        named = self._by_name.get(folded, [])
        if len(named) == 1:
            return named[0], "name"
        if named:
            # Namesakes: only the company can tell them apart.
            same_company = [c for c in named if _same_company(c.company, person.company)]
            return (same_company[0], "name") if len(same_company) == 1 else None
        first = folded.split(" ")[0] if folded else ""
        # "Maria" logged from a note, "Maria Lopez" in the address book: same person only
        # when both name the same company.
        firsts = [c for c in self._by_first.get(first, []) if c.company]
        if len(firsts) == 1 and person.company and _same_company(firsts[0].company, person.company):
            return firsts[0], "name"
        return self._similar(person)

    def _similar(self, person: Person) -> tuple[Contact, str] | None:
        query = _sorted_name(person.name)
        names, owners = self._blocks.get(query[:1], ([], []))
        if not query or not names:
            return None
        best = process.extractOne(
            query, names, scorer=fuzz.token_sort_ratio, score_cutoff=FUZZY_SCORE
        )
        if best is None:
            return None
        contact = owners[best[2]]
        if (
            person.company
            and contact.company
            and not _same_company(person.company, contact.company)
        ):
            return None
        return contact, "similar name"


def plan_people(
    book: AddressBook,
    contacts: Sequence[Contact],
    open_reminders: Sequence[Reminder],
    profile: UserProfile,
    now: datetime,
    progress: Progress | None = None,
) -> ImportPlan:
    """Plan importing an address book into the user's contacts."""
    plan = ImportPlan(kind=book.kind, skipped=list(book.skipped), remarks=list(book.remarks))
    known = {c.id: copy.deepcopy(c) for c in contacts}
    matcher = Matcher(known.values())
    created: dict[str, Contact] = {}
    matched: dict[str, Match] = {}
    new_birthdays: dict[str, None] = {}  # ordered, so a plan is the same every time
    anniversaries: dict[str, date] = {}
    for number, person in enumerate(book.people, start=1):
        if progress is not None:
            progress(number, len(book.people))
        found = matcher.find(person)
        if found is not None and _namesakes_in_one_file(found, person, created):
            found = None
        if found is None:
            contact = _new_contact(person, now)
            created[contact.id] = contact
            matcher.add(contact)
            if contact.birthday:
                new_birthdays[contact.id] = None
        else:
            contact, how = found
            filled = fill(contact, person)
            if "birthday" in filled:
                new_birthdays[contact.id] = None
            if contact.id in created:
                plan.skipped.append(
                    Skipped(person.where, f"{person.name} appears twice in the file; merged")
                )
            elif contact.id in matched:
                matched[contact.id].filled += [
                    f for f in filled if f not in matched[contact.id].filled
                ]
            else:
                matched[contact.id] = Match(person.name, contact, how, filled)
            matcher.add(contact)
        if person.anniversary is not None:
            anniversaries.setdefault(contact.id, person.anniversary)
    plan.new = list(created.values())
    plan.matched = list(matched.values())
    zone = ZoneInfo(profile.timezone)
    everyone = {**known, **created}
    for contact_id in new_birthdays:
        birthday = everyone[contact_id].birthday
        if birthday is not None and not _has_open(
            open_reminders, contact_id, ReminderKind.BIRTHDAY
        ):
            plan.reminders.append(
                _yearly(contact_id, ReminderKind.BIRTHDAY, birthday, "", now, zone)
            )
    for contact_id, on in anniversaries.items():
        if not _has_open(open_reminders, contact_id, ReminderKind.YEARLY, ANNIVERSARY):
            plan.reminders.append(
                _yearly(contact_id, ReminderKind.YEARLY, on, ANNIVERSARY, now, zone)
            )
    return plan


def plan_restore(
    restore: Restore,
    contacts: Sequence[Contact],
    interaction_ids: set[str],
    reminder_ids: set[str],
    profile: UserProfile,
    progress: Progress | None = None,
    open_reminders: Sequence[Reminder] = (),
) -> ImportPlan:
    """Plan reading one of our exports back: new records are added, known ones kept as they are.

    With the export's settings come its digest plans: the ones planned here
    for the settings being replaced (never sent) are dropped, not kept
    cancelled, so a restore gives back the data as it was exported.
    """
    bundle = restore.bundle
    plan = ImportPlan(
        kind=restore.kind, skipped=list(restore.skipped), remarks=list(restore.remarks)
    )
    known = {c.id: copy.deepcopy(c) for c in contacts}
    matcher = Matcher(known.values())
    same: dict[str, str] = {}  # the export's contact id -> the id it has here
    total = len(bundle.contacts)
    for number, imported in enumerate(bundle.contacts, start=1):
        if progress is not None:
            progress(number, total)
        if imported.id in known:
            target, how = known[imported.id], "same record"
        else:
            found = matcher.find(_as_person(imported))
            if found is None:
                plan.new.append(imported)
                known[imported.id] = imported
                matcher.add(imported)
                same[imported.id] = imported.id
                continue
            target, how = found
        same[imported.id] = target.id
        filled = fill(target, _as_person(imported), imported)
        plan.matched.append(Match(imported.name, target, how, filled))
    for interaction in reversed(bundle.interactions):  # exported newest first
        if interaction.id in interaction_ids:
            plan.already += 1
            continue
        ids = [same[c] for c in interaction.contact_ids if c in same]
        if not ids:
            plan.skipped.append(Skipped(f"log {interaction.id}", "is about nobody in the file"))
            continue
        plan.interactions.append(replace(interaction, contact_ids=ids))
        for contact_id in ids:
            contact = known[contact_id]
            if (
                contact.last_interaction_at is None
                or interaction.occurred_at > contact.last_interaction_at
            ):
                contact.last_interaction_at = interaction.occurred_at
                _note_filled(plan, contact, "last contact")
    for reminder in bundle.reminders:
        if reminder.id in reminder_ids:
            plan.already += 1
        elif reminder.contact_id and reminder.contact_id not in same:
            plan.skipped.append(Skipped(f"reminder {reminder.id}", "is about nobody in the file"))
        else:
            kept = replace(reminder, contact_id=same.get(reminder.contact_id, ""))
            if kept.status is ReminderStatus.SENDING:
                # A send in flight when exported belongs to that store's deliverer: start over.
                kept = replace(kept, status=ReminderStatus.PENDING, retry_at=None)
            plan.reminders.append(kept)
    if restore.has_settings:
        restored = replace(
            bundle.profile,
            user_id=profile.user_id,
            paused=profile.paused,
            channel=profile.channel or bundle.profile.channel,
        )
        if restored != profile:
            plan.profile = restored
        exported = {r.id for r in bundle.reminders}
        plan.superseded = [
            r.id
            for r in open_reminders
            if r.kind in DIGEST_KINDS
            and r.contact_id == USER_LEVEL
            and r.status is ReminderStatus.PENDING
            and r.delivered_at is None
            and r.id not in exported
        ]
    return plan


def fill(contact: Contact, person: Person, record: Contact | None = None) -> list[str]:
    """Give `contact` what `person` knows and it lacks; return the names of what it gained.

    `record` is the full contact when the person comes from one of our exports
    (facts, interests and notes travel too).
    """
    filled: list[str] = []
    for attribute, label in (("company", "company"), ("role", "role"), ("how_met", "how you met")):
        value = getattr(person, attribute)
        if value and not getattr(contact, attribute):
            setattr(contact, attribute, value)
            filled.append(label)
    if person.birthday and contact.birthday is None:
        contact.birthday = person.birthday
        filled.append("birthday")
    for values, new, key, label in (
        (contact.emails, person.emails, str.casefold, "e-mail"),
        (contact.phones, person.phones, phone_key, "phone"),
        (contact.urls, person.urls, str.casefold, "link"),
    ):
        if sum(add_unique(values, v, key) for v in new) and label not in filled:
            filled.append(label)
    if person.note and add_unique(contact.notes, person.note):
        filled.append("note")
    if fold_name(person.name) != fold_name(contact.name) and add_unique(
        contact.aliases, person.name, fold_name
    ):
        filled.append("other name")
    if record is not None:
        texts = {f.text.casefold() for f in contact.facts}
        facts = [f for f in record.facts if f.text.casefold() not in texts]
        if facts:
            contact.facts = [*contact.facts, *facts]
            filled.append("details")
        if sum(add_unique(contact.interests, i) for i in record.interests):
            filled.append("interests")
        for note in record.notes:
            if add_unique(contact.notes, note) and "note" not in filled:
                filled.append("note")
    return filled


def _note_filled(plan: ImportPlan, contact: Contact, label: str) -> None:
    for match in plan.matched:
        if match.contact is contact and label not in match.filled:
            match.filled.append(label)


def _new_contact(person: Person, now: datetime) -> Contact:
    return Contact(
        id=new_id("c"),
        name=person.name,
        company=person.company,
        role=person.role,
        how_met=person.how_met,
        emails=list(person.emails),
        phones=list(person.phones),
        urls=list(person.urls),
        notes=[person.note] if person.note else [],
        birthday=person.birthday,
        tier=IMPORTED_TIER,
        created_at=now,
    )


def _as_person(contact: Contact) -> Person:
    return Person(
        name=contact.name,
        emails=list(contact.emails),
        phones=list(contact.phones),
        urls=list(contact.urls),
        company=contact.company,
        role=contact.role,
        how_met=contact.how_met,
        birthday=contact.birthday,
    )


def _yearly(
    contact_id: str, kind: ReminderKind, on: date, text: str, now: datetime, zone: ZoneInfo
) -> Reminder:
    return Reminder(
        id=new_id("r"),
        kind=kind,
        due_at=next_yearly(on.month, on.day, now, zone),
        contact_id=contact_id,
        text=text,
        created_at=now,
    )


def _has_open(
    reminders: Iterable[Reminder], contact_id: str, kind: ReminderKind, text: str | None = None
) -> bool:
    return any(
        r.contact_id == contact_id
        and r.kind is kind
        and r.status in OPEN
        and (text is None or text in r.text.lower())
        for r in reminders
    )


def _namesakes_in_one_file(
    found: tuple[Contact, str], person: Person, created: dict[str, Contact]
) -> bool:
    """Two rows of one file with one name and different companies are two people.

    (A known contact at another company has more likely changed jobs.)
    """
    contact, how = found
    return (
        contact.id in created
        and how in ("name", "similar name")
        and bool(person.company and contact.company)
        and not _same_company(person.company, contact.company)
    )


def _same_company(a: str, b: str) -> bool:
    return fuzz.token_set_ratio(fold_name(a), fold_name(b)) >= FUZZY_SCORE


def _sorted_name(name: str) -> str:
    return " ".join(sorted(fold_name(name).split()))


def apply(store: UserStore, plan: ImportPlan) -> None:
    """Write `plan` to the user's store (inside the caller's session: all of it or nothing)."""
    if plan.profile is not None:
        # First: reminders saved next are scheduled in the restored time zone.
        store.save_profile(plan.profile)
    if plan.superseded:
        store.delete_reminders(plan.superseded)
    for contact in [*plan.new, *(m.contact for m in plan.updated)]:
        store.save_contact(contact)
    for interaction in plan.interactions:
        store.add_interaction(interaction)
    for contact_id in dict.fromkeys(c for i in plan.interactions for c in i.contact_ids):
        known = store.contact(contact_id)
        if known is not None:
            # Their give-and-ask counts must take in the imported history: counted afresh.
            counts = tally(store.interactions(contact_id=contact_id))
            if counts != known.exchanges:
                store.save_contact(replace(known, exchanges=counts))
    if plan.reminders:
        store.save_reminders(plan.reminders)


@dataclass(frozen=True)
class Snapshot:
    """What planning needs to know about the user's data."""

    profile: UserProfile
    contacts: list[Contact]
    reminders: list[Reminder]  # open ones
    interaction_ids: frozenset[str]
    finished_reminder_ids: frozenset[str]

    @classmethod
    def of(cls, store: UserStore, *, restore: bool = True) -> Snapshot:
        """Read the snapshot from `store` (history ids only when restoring an export)."""
        logs = frozenset(i.id for i in store.interactions()) if restore else frozenset()
        done = frozenset(r.id for r in store.finished_reminders()) if restore else frozenset()
        return cls(store.profile(), store.contacts(), store.reminders(), logs, done)

    @classmethod
    def empty(cls, user_id: str) -> Snapshot:
        """A user with no data yet."""
        return cls(UserProfile(user_id=user_id), [], [], frozenset(), frozenset())


def plan_for(
    snapshot: Snapshot | UserStore,
    upload: AddressBook | Restore,
    now: datetime,
    progress: Progress | None = None,
) -> ImportPlan:
    """Plan importing `upload` into a user's data as things stand now."""
    if not isinstance(snapshot, Snapshot):
        snapshot = Snapshot.of(snapshot, restore=isinstance(upload, Restore))
    if isinstance(upload, Restore):
        return plan_restore(
            upload,
            snapshot.contacts,
            set(snapshot.interaction_ids),
            {r.id for r in snapshot.reminders} | snapshot.finished_reminder_ids,
            snapshot.profile,
            progress,
            snapshot.reminders,
        )
    return plan_people(
        upload, snapshot.contacts, snapshot.reminders, snapshot.profile, now, progress
    )
