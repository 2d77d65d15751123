"""Reading one free-text note: the pure, offline, deterministic extractor."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.domain.insight.exchange import propose_exchange
from bot.domain.model import Contact, FactKind, InteractionKind
from bot.domain.notes.affiliation import ORG, ROLE_NOUNS, clean_org, tidy_role
from bot.domain.notes.clauses import Clause, Subject, build_clauses
from bot.domain.notes.commitments import (
    A_MEETING,
    ACCEPTED_TAIL,
    ARRANGED,
    THANKFUL_AFTER,
    before_next_meeting,
    gratitude_from,
    is_vague,
    next_step_from,
    offer_from,
    owed_for_deed,
    owed_for_theirs,
    promise_from,
    question_from,
    request_from,
    rescheduled,
)
from bot.domain.notes.dates import MONTHS, WEEKDAYS, DateMention, find_dates
from bot.domain.notes.facts import (
    IT_IS,
    affiliation_from,
    birthday_from,
    details_from,
    event_from,
    said_age,
)
from bot.domain.notes.kinds import (
    clock_near,
    detect_kind,
    find_occasion,
    occurred_at,
    opening_end,
    planned_for,
)
from bot.domain.notes.lexicon import COMMON_WORD, SHORTHAND, frequency, is_given_name
from bot.domain.notes.names import RELATIONS
from bot.domain.notes.people import Found, find_people
from bot.domain.notes.phrases import without_recipient
from bot.domain.notes.presence import presence
from bot.domain.notes.reading import DatedItem, Detail, NoteReading, PersonMention
from bot.domain.notes.referring import last_thing, points_back, refer_back
from bot.domain.notes.text import WORD, fold, normalise, word_set
from bot.domain.notes.topics import topics_of

# Kinds a named gathering may refine: "met" at ProductCon is a conference.
_GATHERING_KINDS = frozenset(
    {
        InteractionKind.OTHER,
        InteractionKind.MEETING,
        InteractionKind.EVENT,
        InteractionKind.CONFERENCE,
    }
)
# "both of them", "them both", "everyone": a promise to each person met.
_EVERYONE = re.compile(
    r"\b(?:both(?:\s+of\s+them)?|them\s+both|all\s+of\s+them|everyone|each)\b", re.I
)
# A short remark with no verb that says more about the detail before it: "Really stressed."
_REMARK = re.compile(r"^(?:really|so|very|quite|pretty|super)?\s*\w+(?:ed|ing|ful|ous)?$", re.I)


def _asked_just_before(before: Clause | None, clause: Clause) -> bool:
    """True when the clause before, in the same sentence, was someone's."""
    return before is not None and bool(before.person) and before.sentence == clause.sentence


_IMPERATIVE_START = re.compile(r"^(?:send|buy|get|book|order|bring|call|text|email|write)\b", re.I)
# Zones whose people write 12/05 for December 5th.
_MONTH_FIRST_ZONES = ("America/", "US/", "Pacific/Honolulu", "Asia/Manila")


def read_note(
    text: str, *, now: datetime, timezone: str, contacts: Sequence[Contact]
) -> NoteReading:
    """Understand one note: who, what kind, when, their events, promises, thanks, details.

    `now` is aware UTC and `timezone` the user's IANA zone: relative dates
    resolve against the user's local today. Never raises on odd input; a
    date that cannot be pinned down is kept as text with `on=None`.
    """
    zone = _zone(timezone)
    if now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    today = now.astimezone(zone).date()
    body = normalise(text)
    dates = find_dates(body, today, month_first=timezone.startswith(_MONTH_FIRST_ZONES))
    found = find_people(body, contacts)
    kind = detect_kind(body, with_someone=bool(found))
    companies = frozenset(c.company.casefold() for c in contacts if c.company)
    occasion = find_occasion(body, end=opening_end(body), companies=companies)
    if occasion is not None and kind in _GATHERING_KINDS:
        kind = occasion.kind  # "Met Dr. Shah at HLTH Europe": the gathering says what it was
    elif occasion is not None and occasion.start <= 3 and kind is InteractionKind.MESSAGE:
        kind = occasion.kind  # "at data council all day 🎤 ... over slack": the day was there
    # At a conference or meetup, everyone the note tells about was met there unless it says not.
    gathering = kind in (InteractionKind.CONFERENCE, InteractionKind.EVENT)
    seen = presence(body, found, gathering=gathering)
    mentioned = seen.mentioned
    present = [person for person in found if person.name not in mentioned]
    clauses = build_clauses(body, found, dates)
    opening = _opening_end(body, clauses)
    local_time = now.astimezone(zone).time()
    ahead = planned_for(body, dates, opening=opening, today=today, kind=kind, now=local_time)
    when_phrase: DateMention | None
    if ahead is not None and ahead.on is not None:
        # "lunch with Omar next week": nothing happened yet; it is planned for that day.
        said = clock_near(body, ahead.start, ahead.end)  # "tomorrow at 1pm"
        hour = said or time(ahead.hour if ahead.hour is not None else 12)
        when, when_phrase = datetime.combine(ahead.on, hour, tzinfo=zone).astimezone(UTC), ahead
        time_said = said is not None or ahead.hour is not None
    else:
        when, when_phrase, time_said = occurred_at(body, dates, opening=opening, now=now, zone=zone)
    # The phrase that dated the meeting is not an event's or promise's date, and the
    # clause it dates a meeting behind the note is that meeting, not a to-do of the user:
    # "call at 10:30 this morning w an investor" reads "call" as what happened.
    opens_with_meeting = bool(
        clauses and ahead is None and when_phrase is not None and when_phrase in clauses[0].dates
    )
    for clause in clauses:
        clause.dates = [d for d in clause.dates if d is not when_phrase]

    reading = NoteReading(
        text=text,
        kind=kind,
        occurred_at=when,
        time_said=time_said,
        occasion=occasion.name if occasion is not None else "",
        planned=ahead is not None,
    )
    by_name = {person.name: person for person in found}
    met_on = when.astimezone(zone).date()
    single = present[0].name if len(present) == 1 else ""
    reader = _Reader(
        reading,
        today,
        met_on,
        single,
        by_name,
        [p.name for p in present],
        text=body,
        companies=companies,
    )
    for n, clause in enumerate(clauses):
        reader.detail_clause = False
        reader.meeting = n == 0 and opens_with_meeting
        reader.read(clause)
        # Only an aside right after a detail's own clause joins that detail.
        reader.last_clause_end = clause.span.end if reader.detail_clause else -1
    # An early wish whose day was never said gives no birthday.
    reading.birthdays = [b for b in reading.birthdays if b.on is not None]
    for person in found:
        if occasion is not None and fold(person.company) == fold(occasion.name):
            person.company = ""  # "Dr. Shah at HLTH Europe": where they met, not where she works
    reading.people = [_mention(person) for person in present]
    reading.mentioned = [_mention(person) for person in found if person.name in mentioned]
    for mention in reading.mentioned:
        mention.company = mention.role = ""  # what the note says of them is not kept
    # Only a guess that decides something is worth asking about: one person, no one else.
    reading.unsure = [p.name for p in found if p.name in seen.guessed] if len(found) > 1 else []
    settle_items(reading)
    reading.topics = topics_of(body, reading, [p.name for p in found])
    reading.exchange = propose_exchange(body)
    return reading


# "zoom w jihoon + yuna seo (pm on his team) fri 10am": an aside that the opening goes on after.
# "marek's in town!!", "tom's back": news that someone is around, before what is planned.
_AROUND = re.compile(
    r"^(?:[^\W\d_][\w\-]*)?(?:'s|\s*\bis)\s+(?:in\s+town|back|here|visiting)\W*$", re.I
)
_ASIDE_THEN = re.compile(r"\s*\([^()]{0,60}\)[ \t]*(?=\w)")


def _opening_end(body: str, clauses: list[Clause]) -> int:
    """Where the opening clause ends, read past a short aside in brackets inside it."""
    if not clauses:
        return len(body)
    end = clauses[0].span.end
    if _AROUND.match(clauses[0].body) and len(clauses) > 1:
        return clauses[1].span.end  # "marek's in town!! drinks tonight 9ish": the plan follows
    aside = _ASIDE_THEN.match(body, end)
    if aside is None:
        return end
    after = next((c for c in clauses[1:] if c.span.start >= aside.end()), None)
    return after.span.end if after is not None else end


def _zone(name: str) -> ZoneInfo:
    """The user's zone, or UTC for a name that is not one ("America", "", "x" * 300)."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return ZoneInfo("UTC")


def _mention(person: Found) -> PersonMention:
    role = tidy_role(person.role)  # one place for every phrasing that found a role
    if len(person.contact_ids) == 1 and person.sure:
        return PersonMention(
            name=person.name,
            contact_id=person.contact_ids[0],
            company=person.company,
            role=role,
        )
    return PersonMention(
        name=person.name,
        candidates=list(person.contact_ids),
        company=person.company,
        role=role,
    )


@dataclass
class _Reader:
    """Reads clauses in order into `reading`, remembering what the last clause gave."""

    reading: NoteReading
    today: date
    met_on: date
    single: str
    people: dict[str, Found]
    present: list[str]
    last_promise: DatedItem | None = None
    last_offer: DatedItem | None = None
    pending: DatedItem | None = None
    dated_before: tuple[int, date, str] | None = None
    last_detail: tuple[int, Detail] | None = None
    text: str = ""
    last_clause_end: int = -1
    detail_clause: bool = False
    meeting: bool = False  # the clause says the meeting itself happened (see read_note)
    thing_before: str = ""  # the last thing the clause before named ("our deck")
    clause_before: Clause | None = None
    wished: DatedItem | None = None  # a birthday dated by the day it was wished
    companies: frozenset[str] = frozenset()  # the contacts' companies, casefolded
    deeds: set[str] = dataclasses.field(default_factory=set)  # whose thanks came from a deed alone
    _meeting_before: Clause | None = None  # the last clause that named a meeting of ours

    def read(self, clause: Clause) -> None:
        thing, self.thing_before = self.thing_before, last_thing(clause.body)
        if A_MEETING.search(clause.body):
            self._meeting_before = clause  # "cancelled our call, …, rescheduled for fri"
        deed, self.clause_before = self.clause_before, clause
        if self._aside(clause):
            return
        owed = owed_for_deed(clause, deed) or owed_for_theirs(clause, deed)
        if owed is not None:
            # "gosia set it all up, owe her a dinner": thanks for the set-up, not a dinner to buy.
            _add_gratitude(self.reading, owed)
            return
        undated = next((b for b in self.reading.birthdays if b.on is None), None)
        if undated is not None and IT_IS.match(clause.body):
            # "early bday wishes, it's tmrw": that is the day.
            undated.on = next((d.on for d in clause.dates if d.on is not None), None)
            self.reading.birthdays = [b for b in self.reading.birthdays if b.on is not None]
            return
        wished, self.wished = self.wished, None
        day = next((d.on for d in clause.dates if d.on is not None), None)
        if wished is not None and day is not None and IT_IS.match(clause.body):
            wished.on = day  # "wished tina happy bday (it was yesterday)": that was the day
            return
        birthday = birthday_from(clause, self.met_on)
        if birthday is not None:
            # "Her birthday is March 20" is only a birthday: never a plan or a detail.
            if said_age(clause):
                # "bday drinks for lea tonight, she turns 35 tmrw": the age names the day.
                self.reading.birthdays = [
                    b for b in self.reading.birthdays if b.person != birthday.person
                ]
            if not any(b.person == birthday.person for b in self.reading.birthdays):
                self.reading.birthdays.append(birthday)
                if not any(d.on is not None for d in clause.dates):
                    self.wished = birthday  # dated by the wish alone: a day said next wins
            self._note_date(clause)
            return
        if said_age(clause):
            return  # "he's 40 today": an age, not an event or a detail
        if self._job_apposed(clause):
            return  # "ingrid de boer, their ceo's chief of staff": her job, already on her card
        self._team_at(clause)
        affiliation = affiliation_from(clause, self.companies)
        person = self.people.get(clause.person)
        if affiliation is not None and person is not None:
            # "He's CFO at Flutterwave now" goes on the person, not into a detail.
            role, company, rest = affiliation
            # "efua's cofounder kojo … he's the cto": the job said of him outright wins.
            person.role = role or person.role
            person.company = person.company or company
            if not rest:
                return
            clause = replace(clause, body=rest, body_start=clause.span.end - len(rest))
        # A step agreed with several people goes to the first met, the note's main one.
        main = self.single or next(iter(self.present), "")
        step = next_step_from(clause, main) or rescheduled(clause, self._meeting_before, main)
        if step is not None:
            self.reading.next_steps.append(step)
            self.last_promise = None
            head = before_next_meeting(clause)
            if head is None:
                return
            clause = head  # what comes before ", next call in 2 wks" is read as well
        request = request_from(clause) or question_from(clause, self.text)
        if request is not None:
            # Asked of the user: theirs to do once it has a deadline or they take it on.
            self.pending = request
            if request.on is not None or ACCEPTED_TAIL.search(clause.body):
                self.reading.promises.append(request)
                self.last_promise = request
            return
        if self.pending is not None and _ACCEPTS.match(_without_dates(clause)):
            # "she asked if i could send her the survey - said yes": the user took it on,
            # by the day the yes named ("will do by mon").
            # "asked if i can cover her review on tues, said yes": the day asked for, else.
            dated = [*clause.dates, *(deed.dates if deed is not None else [])]
            said = next((d for d in dated if d.on is not None and not d.past), None)
            if said is not None and self.pending.on is None:
                self.pending.on, self.pending.date_text = said.on, said.text
            vague = next((d for d in clause.dates if d.on is None), None)
            if vague is not None and not self.pending.date_text:
                self.pending.date_text = vague.text  # "said i'd do it this wk": no day, but when
            if self.pending not in self.reading.promises:  # a deadline already made it one
                self.reading.promises.append(self.pending)
            self.last_promise, self.pending = self.pending, None
            return
        promise = None if self.meeting else promise_from(clause, self.single)
        previous, self.last_promise = self.last_promise, None
        pending, self.pending = self.pending, None
        if promise is not None:
            target = previous or pending
            # "wants our redline by the 18th, i'll get our lawyer on it tmrw": the same task.
            if target is not None and (is_vague(promise) or _ON_IT.search(promise.text)):
                # "She needs the Q1 numbers, I'll do that first thing": one promise.
                target.on = target.on or promise.on
                target.date_text = target.date_text or promise.date_text
                if target not in self.reading.promises:
                    self.reading.promises.append(target)
                self.last_promise = target
                return
            if promise.on is None and self.dated_before is not None:
                sentence, on, words = self.dated_before
                if sentence == clause.sentence and _IMPERATIVE_START.match(clause.body):
                    # "her birthday's the 12th, send flowers": the to-do is for that day.
                    promise.on, promise.date_text = on, words
            if (
                not promise.person
                and _asked_just_before(deed, clause)
                and points_back(promise.text)
            ):
                # "omar asked for a new laptop, i'll raise it w finance": it is his ask.
                promise.person = deed.person if deed is not None else ""
            if thing:
                # "wants to see our deck, i'll send it tmrw": "it" is the deck.
                promise.text = refer_back(promise.text, thing)
            for each in self._for_each(promise, clause):
                self.reading.promises.append(each)
            self.last_promise = promise
            _add_gratitude(self.reading, gratitude_from(clause))  # "thank Tom for the referral"
            return
        self._note_date(clause)
        offer = offer_from(clause)
        last_offer, self.last_offer = self.last_offer, None
        if offer is not None:
            if last_offer is not None and last_offer.person == offer.person and is_vague(offer):
                # "Owes me the API docs, said he'd send them monday": one offer, now dated.
                last_offer.on = last_offer.on or offer.on
                last_offer.date_text = last_offer.date_text or offer.date_text
                return
            self.reading.offers.append(offer)
            self.last_offer = offer
            return
        more = _another_favour(clause, last_offer)
        if more is not None:
            # "she'll send their partner deck + put me in touch w ruben by next week".
            self.reading.offers.append(more)
            self.last_offer = more
            return
        thanks = gratitude_from(clause)
        arranged = thanks is not None and ARRANGED.match(thanks.text)
        if arranged and not THANKFUL_AFTER.match(self.text, clause.span.end):
            thanks = None
        if thanks is not None:
            if clause.subject is Subject.PERSON:
                self.deeds.add(thanks.person)  # "tina introduced us": thanks only inferred
            elif thanks.person in self.deeds:
                # "... tina introduced us. owe tina a bubble tea for this": the thanks said wins.
                self.deeds.discard(thanks.person)
                self.reading.gratitude = [
                    g for g in self.reading.gratitude if g.person != thanks.person
                ]
            _add_gratitude(self.reading, thanks)
            return
        event = event_from(clause, self.today)
        if event is not None:
            self.reading.events.append(event)
        # "a cricket nut, still plays every sunday": "still" goes on about the one before.
        goes_on = _GOES_ON.match(clause.body) is not None
        for found in details_from(clause, is_event=event is not None):
            for detail in _two_interests(found):
                self._add_detail(clause.sentence, detail, goes_on=goes_on)

    def _job_apposed(self, clause: Clause) -> bool:
        """A clause right after someone's name and a comma that their role was read from."""
        gap = self.text[max(0, clause.span.start - 2) : clause.span.start]
        if not clause.possessive or gap != ", ":
            return False
        return any(
            person.role and end == clause.span.start - 2 and name != clause.person
            for name, person in self.people.items()
            for _, end in person.spans
        )

    def _team_at(self, clause: Clause) -> None:
        """ "her team at sap might get cut", "jens & marta from her team at sap": where her team
        is, she works."""
        said = _TEAM_AT.search(clause.body)
        if said is None:
            return
        whose = said.group("whose")
        if whose is None and not (clause.possessive and said.start() == 0):
            return
        person = self.people.get(clause.pronoun_person(whose) if whose else clause.person)
        if person is not None and not person.company:
            person.company = clean_org(said.group("org"), after_role=True)

    def _aside(self, clause: Clause) -> bool:
        """ "getting into Go (the board game, not the language)": the aside joins the detail."""
        if self.last_detail is None or self.last_clause_end < 0:
            return False
        gap = self.text[self.last_clause_end : clause.span.start]
        if gap.strip() != "(" or clause.subject is not Subject.NONE or clause.dates:
            return False
        aside = re.sub(r"\s*\b(?:lol|haha|lmao)\b", "", clause.span.text).strip(" ,.")
        if not aside or len(aside) > 60:
            return False
        detail = self.last_detail[1]
        detail.text = f"{detail.text} ({aside})"
        return True

    def _note_date(self, clause: Clause) -> None:
        dated = next((d for d in clause.dates if d.on is not None and not d.past), None)
        self.dated_before = (clause.sentence, dated.on, dated.text) if dated and dated.on else None

    def _for_each(self, promise: DatedItem, clause: Clause) -> list[DatedItem]:
        """ "promised both of them a proper catch-up": one promise for each person met."""
        if len(self.present) > 1 and _EVERYONE.search(clause.body):
            return [replace(promise, person=name) for name in self.present]
        return [promise]

    def _add_detail(self, sentence: int, detail: Detail, *, goes_on: bool = False) -> None:
        """Add a detail, joining it to the previous one when it goes on about the same thing.

        "Stressed about the reorg, her team might be cut" is one challenge, and
        "Really stressed." after it says more about the same one.
        """
        if self.last_detail is not None:
            last_sentence, last = self.last_detail
            same = (last.person, last.kind) == (detail.person, detail.kind)
            joins = goes_on or detail.kind in (FactKind.CHALLENGE, FactKind.FAMILY)
            if same and joins and last_sentence == sentence:
                last.text = f"{last.text}, {detail.text}"
                return
            if (
                last.person == detail.person
                and sentence - last_sentence == 1
                and _REMARK.match(detail.text)
            ):
                last.text = f"{last.text}; {detail.text.lower()}"
                return
        self.reading.details.append(detail)
        self.last_detail = (sentence, detail)
        self.detail_clause = True


def _two_interests(detail: Detail) -> list[Detail]:
    """ "massive ajax fan + plays bass in a band": two interests, joined by a "+"."""
    first, plus, second = detail.text.partition(" + ")
    if not plus or detail.kind is not FactKind.INTEREST or not _INTEREST_VERB.match(second):
        return [detail]
    return [Detail(detail.kind, first, detail.person), Detail(detail.kind, second, detail.person)]


_INTEREST_VERB = re.compile(r"(?:plays|loves|collects|paints|sings|runs|climbs|surfs|sails)\b")
_ON_IT = re.compile(r"\bon\s+it$", re.I)
_GOES_ON = re.compile(r"^(?:and\s+)?still\s+", re.I)


def _add_gratitude(reading: NoteReading, thanks: DatedItem | None) -> None:
    """Keep one gratitude cue per person: the first, most specific one."""
    if thanks is not None and not any(g.person == thanks.person for g in reading.gratitude):
        reading.gratitude.append(thanks)


def settle_items(reading: NoteReading) -> None:
    """Give every item a person met (or ""); a birthday or thanks may name a known contact.

    What a mentioned person does or plans is not kept ("Zoë is flying to
    Montréal" when Zoë was not there); what the user promises concerning them
    is the met person's ("set up a call w/ Raj" for Sam, who asked).
    """
    names = {p.name for p in reading.people}
    by_fold = {fold(p.name): p.name for p in reading.people}
    away = {p.name for p in reading.mentioned}
    single = reading.people[0].name if len(reading.people) == 1 else ""
    away_words = {fold(p.name.split()[0]) for p in reading.mentioned}
    for field in ("events", "offers", "details"):
        items: list[DatedItem | Detail] = getattr(reading, field)
        setattr(reading, field, [item for item in items if item.person not in away])
    # "piet turns 35 on the 19th" told by his partner, "owe emeka big for connecting us": a
    # birthday, and thanks owed, concern the contact, not the meeting; a known contact's are
    # kept even when they were not there.
    known_away = {p.name for p in reading.mentioned if p.contact_id}
    for field in ("birthdays", "gratitude"):
        owed: list[DatedItem] = getattr(reading, field)
        setattr(reading, field, [i for i in owed if i.person not in away or i.person in known_away])
    # "mentioned his boss Raj wants to meet our team" is about Raj (but "her daughter Léa
    # turned one" is still her family).
    reading.details = [
        d
        for d in reading.details
        if d.kind is FactKind.FAMILY or not away_words & {fold(w) for w in WORD.findall(d.text)}
    ]
    for promise in [*reading.promises, *reading.next_steps]:
        if promise.person in away:
            promise.person = single
    items = [
        *reading.events,
        *reading.promises,
        *reading.offers,
        *reading.gratitude,
        *reading.next_steps,
        *reading.details,
        *reading.birthdays,
    ]
    for item in items:
        if item.person not in names and item.person not in known_away:
            item.person = by_fold.get(fold(item.person), "")
    _give_names_their_capitals(reading, items)
    for item in items:
        item.text = _tidy(item.text)
    for promise in reading.promises:
        promise.text = without_recipient(promise.text, promise.person)
    reading.details = _unique(reading.details)


_SPACE_BEFORE_MARK = re.compile(r"\s+([,;:.!?])")
_LONE_I = re.compile(r"(?<![\w'])i(?=(?:'[a-z]+)?(?![\w']))")


def _tidy(text: str) -> str:
    """What a cut date leaves ("applying , super stressed") and a phone's "i", shown back."""
    text = _LONE_I.sub("I", _SPACE_BEFORE_MARK.sub(r"\1", text))
    return re.sub(r"([,;:])\1+", r"\1", text).strip(" ,;:")


def _give_names_their_capitals(reading: NoteReading, items: list[DatedItem | Detail]) -> None:
    """ "intro him to priya" keeps "Priya": a draft quotes the item's words as typed.

    The people's own names, then any other first name, place, month or weekday
    typed in lowercase ("the intro to tom", "the lisbon half in april").
    """
    words = {
        w.lower(): w
        for p in [*reading.people, *reading.mentioned]
        for w in f"{p.name} {p.company}".split()  # "works at stripe" quotes "Stripe"
        # "will" or "grace" may be the word, not the name: only names English seldom uses.
        if len(w) > 1 and w[:1].isupper() and frequency(w) < COMMON_WORD
    }
    from bot.domain.notes.places import capitalise_places  # its lists load on first use

    for item in items:
        text = capitalise_places(item.text)
        item.text = _LOWER_WORD.sub(lambda match: _capitalised(match, words), text)


# What someone does for the user, said after "+" with the offer's "will" left out.
_FAVOUR = re.compile(
    r"^(?:put|get|send|intro|introduce|connect|loop|share|forward|email|ping)\s+(?:me|us)\b", re.I
)


def _another_favour(clause: Clause, last_offer: DatedItem | None) -> DatedItem | None:
    """The next favour in one breath with an offer: the same person's, by the same day."""
    if last_offer is None or clause.person != last_offer.person or not _FAVOUR.match(clause.body):
        return None
    text = _without_dates(clause)
    said = next((d for d in clause.dates if d.on is not None and not d.past), None)
    if said is not None and last_offer.on is None:
        last_offer.on, last_offer.date_text = said.on, said.text
    on, date_text = (said.on, said.text) if said else (last_offer.on, last_offer.date_text)
    return DatedItem(text=text, person=last_offer.person, on=on, date_text=date_text)


# (No re.I: ORG's capitalised names must stay capitalised, or "sap might get cut" is one.)
_TEAM_AT = re.compile(
    r"(?:\b(?P<whose>(?i:her|his|their))\s+|^)(?i:(?:whole\s+|new\s+)?team\s+(?:at|@))\s+"
    r"(?P<org>" + ORG + r")"
)


def _without_dates(clause: Clause) -> str:
    body = clause.body
    for mention in clause.dates:
        body = body.replace(mention.text, " ")
    return " ".join(body.split())


# A yes to what was just asked of the user.
_ACCEPTS = re.compile(
    r"^(?:i\s+)?(?:(?:said|told\s+(?:him|her|them))\s+)?(?:yes|yep|yeah|sure|ok(?:ay)?|"
    r"of\s+course|happy\s+to|agreed|absolutely|definitely|will\s+do|on\s+it|no\s+problem|"
    # "asked for an intro to karim, said i'd do it this wk"
    r"(?<=said\s)(?:that\s+)?(?:i'd|i'll|i\s+would|i\s+will|i\s+can)\s+do\s+(?:it|that|this))"
    r"(?:[\s,]+(?:obvs|obviously|of\s+course|ofc|happily|gladly))?"
    # "will do over the wknd": what is left once the day is cut.
    r"(?:\s+(?:over\s+the|over|this|by|on|at|in|after\s+the|before\s+the|first\s+thing))?\W*$",
    re.I,
)
# A lowercase word not inside an address ("tom@acme.com", "acme.io/tom").
_LOWER_WORD = re.compile(r"(?<![\w@./:#-])[a-z][a-z'-]+(?![\w@/]|\.\w)")
# Months and weekdays, but not "may", "sun" or "wed", which are words too.
_CALENDAR = frozenset(w for w in (*MONTHS, *WEEKDAYS) if len(w) > 3)
# A first name seldom follows one of these: "the visa paperwork" is no one called Visa.
_DETERMINER = re.compile(r"\b(?:the|a|an|my|his|her|their|our|your|this|that|some|any)\s+$", re.I)
# Nor ends a noun phrase a determiner opened ("the hiring doc"), unless a person noun
# comes just before it ("her friend tom"); the last group is that word.
_INSIDE_NOUN_PHRASE = re.compile(
    r"\b(?:the|a|an|my|his|her|their|our|your|this|that|some|any)\s+(?:[a-z-]+\s+)?([a-z-]+)\s+$"
)
_NO_NOUN = word_set("to for with and or but of from at in on by about w abt")


def _capitalised(match: re.Match[str], names: dict[str, str]) -> str:
    """A word as English writes it: "tom" is "Tom", "lisbon" "Lisbon", "coffee" stays."""
    word, mark, tail = match.group().partition("'")  # "tom's" is "Tom's"
    return _proper(word, match, names) + mark + tail


def _proper(word: str, match: re.Match[str], names: dict[str, str]) -> str:
    if word in names:
        return names[word]
    if word in _CALENDAR:
        return word.capitalize()
    from bot.domain.notes.places import proper_place  # its lists load on first use

    place = proper_place(word)
    if place:
        return place
    # Two letters are as often shorthand as a name ("yr", "mo"): a person's own name aside;
    # so is phone shorthand ("til then" is no one called Til).
    if len(word) < 3 or word in SHORTHAND:
        return word
    before = match.string[max(0, match.start() - 30) : match.start()]
    if is_given_name(word) and frequency(word) < COMMON_WORD and not _in_noun_phrase(before):
        return word.capitalize()
    return word


def _in_noun_phrase(before: str) -> bool:
    if _DETERMINER.search(before):
        return True
    phrase = _INSIDE_NOUN_PHRASE.search(before)
    if phrase is None:
        return False
    last = phrase.group(1)
    return last not in _NO_NOUN and last not in RELATIONS and last not in ROLE_NOUNS


def _unique(details: list[Detail]) -> list[Detail]:
    seen: set[tuple[str, str]] = set()
    kept: list[Detail] = []
    for detail in details:
        key = (detail.person, re.sub(r"\W+", " ", detail.text.lower()))
        if key not in seen:
            seen.add(key)
            kept.append(detail)
    return kept
