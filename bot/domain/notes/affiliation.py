"""Where someone works and what they do: "Head of Design at Miro", "a recruiter at Wells Fargo".

A role and a company go on the contact, never into a detail. A phrase is a
role when its head noun names a job (a title such as CTO, or a word for
someone who does something: engineer, researcher, lawyer, chef).
"""

from __future__ import annotations

import re

from bot.domain.notes.text import word_set

# Job words that are not agent nouns, and agent nouns that are jobs.
ROLE_NOUNS = word_set(
    """
    ceo cto cfo coo cmo cpo cro cio ciso cso cdo vp svp evp avp md gm pm tpm em pmm vc ic
    sre swe sde
    head lead chief director officer president founder cofounder co-founder partner principal
    associate intern fellow chair chairman chairwoman chairperson dean provost rector
    engineer eng dev developer designer manager researcher scientist analyst consultant
    architect advisor adviser strategist recruiter investor lawyer attorney solicitor barrister
    judge nurse doctor gp physician surgeon dentist vet paramedic pharmacist therapist chef cook
    teacher professor lecturer tutor coach trainer editor writer journalist reporter author
    producer director photographer artist musician accountant auditor banker trader economist
    marketer salesperson seller buyer owner operator programmer coder scientist librarian
    pilot officer detective agent broker realtor planner administrator admin coordinator
    specialist expert evangelist advocate ambassador maintainer contributor student phd
    postdoc entrepreneur freelancer contractor secretary assistant clerk mechanic electrician
    plumber carpenter farmer baker barista bartender waiter manager staffer organiser organizer
    host curator counsel controller treasurer steward
    """
)
# Words ending like agent nouns that are not jobs.
_NOT_ROLES = word_set(
    """
    mother father brother sister daughter son partner-in-crime member number other another
    neighbour neighbor lover fan supporter follower customer user reader viewer listener
    runner swimmer climber hiker rider player gamer winner loser beginner foreigner stranger
    speaker attendee sponsor friend colleague boss cousin aunt uncle niece nephew wife husband
    vegetarian vegan pescatarian christian libertarian
    """
)
# Words a job title never holds.
_NOT_IN_ROLES = word_set(
    """
    to me my him her his their them us our you your i we she he they it for with on about from
    into is are was were be been will would can could should 'll 'd not no happy glad keen
    willing going looking trying wants want need needs just also really very so
    she's he's they're it's i'm we're you're who's she’s he’s they’re
    """
)
_AGENT_SUFFIX = re.compile(r"(?:ist|ian|eer|ologist|grapher)$")
# Job areas: "runs partnerships", "in legal", "head of growth".
AREAS = word_set(
    """
    partnerships sales marketing growth product engineering design ops operations finance
    legal hr people talent recruiting procurement research data security infrastructure infra
    platform strategy bd business development devrel communications comms pr brand content
    support success compliance risk policy investments treasury analytics devops ml ai
    payments fraud privacy tax audit accounting lending insurance sustainability ux ui
    frontend backend mobile ios android cloud qa logistics recruitment community editorial
    """
)
_ORG_WORD = r"[A-Z](?:[\w&'\-]|\.(?=\w))*"
# A company typed in lowercase is one word ("at zalando"); clean_org keeps it only
# when it reads as a name (places.lowercase_org), so "at the gym" gives none.
_LOWER_ORG = r"[a-zß-ÿ][\w\-]*"
# Only a capitalised company follows "of": "head of partnerships" is one role.
ORG_CAP = r"(?:the\s+)?" + _ORG_WORD + r"(?:\s+(?:&\s+)?" + _ORG_WORD + r"){0,3}"
ORG = (
    r"(?:the\s+)?(?:" + _ORG_WORD + r"(?:\s+(?:&\s+)?" + _ORG_WORD + r"){0,3}|" + _LOWER_ORG + r")"
)
# Where the company ends the clause, a lowercase one may run to three words ("at delivery
# hero", "at deutsche bank"); the words that start a new phrase never join it.
_RUN_BREAKERS = word_set(
    """
    in on at for as and or now since with to from by the a an of but so this that last next
    these again too there here today currently still who which where
    """
)
_LOWER_ORG_RUN = (
    _LOWER_ORG
    + r"(?:\s+(?!(?:"
    + "|".join(sorted(_RUN_BREAKERS))
    + r")\b)(?:[a-zß-ÿ][\w\-&]*|&)){0,2}"
)
ORG_END = (
    r"(?:the\s+)?(?:"
    + _ORG_WORD
    + r"(?:\s+(?:&\s+)?"
    + _ORG_WORD
    + r"){0,3}|"
    + _LOWER_ORG_RUN
    + r")"
)
_ROLE_WORD = r"[\w\-/]+"
# "is CFO at Flutterwave now", "'s a data eng at Zalando", "is the new VP Eng".
# "is a partner at Point Nine and focuses on B2B SaaS": what else they do is the rest (not
# "head of sales and marketing", where "and" goes on with the job).
_AND_DOES = (
    r"\s+and\s+(?=(?:focuses|loves|lives|has|is|runs|plays|wants|spends|travels|invests|"
    r"mentors|teaches|writes|hosts|also|still|just)\b)"
)
_IS_ROLE = re.compile(
    # (The promotion first: "'s been promoted to coo" is no "'s" and a job "been promoted".)
    r"^(?:(?:(?:just\s+)?got|was|has\s+been|'s\s+been|just)\s+promoted\s+to|"
    # "'s just been made cfo of ...": appointed, said the other way.
    r"(?:(?:just\s+)?(?:got|was|has\s+been|'s\s+been|'s\s+just\s+been|just\s+been)\s+made)|"
    r"(?:is|'s)\s+doing|is|'s|"
    r"was|became|works\s+as|working\s+as)\s+"
    r"(?:now\s+|also\s+|currently\s+|actually\s+|still\s+|finally\s+)*"
    r"(?:(?:a|an|the|our|their|his|her)\s+)?(?:(?:new|former|retired|senior|junior|acting|"
    r"interim)\s+)?(?P<role>" + _ROLE_WORD + r"(?:\s+" + _ROLE_WORD + r"){0,7}?)"
    r"(?:\s+(?:(?:at|@|for|with)\s+(?P<org>"
    + ORG_END
    + r")|of\s+(?P<org_of>"
    + ORG_CAP
    + r"|"
    + _LOWER_ORG
    + r"(?='s\s)))"
    r"(?:'s\s+[\w\- ]{1,20})?)?"
    # "head of ops there": "there" is the company just named, not part of the job.
    r"(?:\s+(?:now|these\s+days|currently|there|here))?"
    # "a postdoc at max planck in neuroscience": where or in what, said of the job only.
    # "a gp in galway now w 3 kids": who they live with is the rest.
    # "head of legal at ing but the merger drags on": what follows "but" is news of its own.
    r"(?:\s+in\s+[\w\-]+(?:\s+[\w\-]+)?)?(?:(?:,\s*|\s+but\s+|"
    + _AND_DOES
    + r"|\s+(?=(?:w/?|with)\s))"
    r"(?P<rest>.+))?$"
)
# "just started at N26 as a data analyst", "has joined Stripe as a PM", "got the job at
# revolut": where they are now.
_JOINED = re.compile(
    r"^(?:(?:has|'s|just|recently|finally)\s+)*(?:joined|started\s+(?:at|with)|"
    r"(?:got|landed)\s+(?:the|a|an)\s+(?:new\s+)?(?:job|role|position)\s+(?:at|with))\s+"
    r"(?P<org>"
    + ORG
    + r")(?:\s+as\s+(?:(?:a|an|the|their|its)\s+)?(?P<role>"
    + _ROLE_WORD
    + r"(?:\s+"
    + _ROLE_WORD
    + r"){0,4}?))?(?:\s+from\s+"
    + ORG
    + r")?"  # "joined Monzo from Revolut in October"
    r"(?:\s+(?:last\s+\w+|this\s+\w+|in\s+\w+))?$"
)
# "just joined us as a data analyst from lyon": a job on the user's own team.
_JOINED_US = re.compile(
    r"^(?:(?:has|'s|just|recently)\s+)*joined\s+(?:us|our\s+team)\s+as\s+(?:(?:a|an|our)\s+)?"
    r"(?P<role>" + _ROLE_WORD + r"(?:\s+" + _ROLE_WORD + r"){0,3}?)(?=\s+(?:from|in|on|at)\b|\W*$)"
)
# "leaving Deloitte at the end of the month", "retiring from Bosch in March": where they
# work now; the clause is still read as their event.
# "thinking of leaving satispay", "has decided to leave Doctolib": still there today.
_LEAVING = re.compile(
    r"^(?:(?:is|'s|are|has|'s\s+finally)\s+)?"
    r"(?:(?:thinking\s+(?:of|about)|about\s+to|decided\s+to|planning\s+(?:on|to)|going\s+to|"
    r"gonna|wants\s+to|considering)\s+)?"
    r"(?:leav(?:e|ing)|retir(?:e|ing)\s+from|quit(?:ting)?|stepp?(?:ing)?\s+down\s+(?:at|from))\s+"
    r"(?P<org>" + ORG + r")\b"
)
# "'s at Blue Bottle", "works at Goldman", "is with Accenture now".
_AT_ORG = re.compile(
    r"^(?:(?:is|'s)\s+(?:now\s+|also\s+|still\s+)*(?:at|with)|works?\s+(?:at|for)|"
    r"(?:is\s+|'s\s+)?working\s+(?:at|for))\s+(?P<org>" + ORG_END + r")(?P<rest>.*)$"
)


# "leads the ML team at Zalando", "runs infra at Trendyol", "runs partnerships".
_LEADS = re.compile(
    # "she's leading the new ai team at miro", "'s been running the loans unit since oct"
    r"^(?:(?:is|'s|has\s+been|'s\s+been)\s+(?:now\s+)?)?"
    r"(?P<role>(?i:leads|runs|heads(?:\s+up)?|manages|oversees|does|leading|running|heading"
    r"(?:\s+up)?|managing)\s+(?P<what>[\w&/\- ]{2,40}?))"
    r"(?:\s+(?P<prep>at|@|for)\s+(?P<org>" + ORG_END + r"))?(?:\s+(?:now|these\s+days|there))*"
    r"(?:\s+since\s+[\w\-]+(?:\s+\d{4})?)?"
    # "runs a tiny game studio in tampere and wants feedback": where, and what else.
    r"(?P<where>\s+in\s+[\w\-]+)?(?:(?P<rest>,.*)|" + _AND_DOES + r"(?P<more>.+))?$"
)
# What someone may run of their own: "runs a bakery", "runs a tiny game studio".
_BUSINESSES = word_set(
    """
    studio startup company business biz shop store agency firm bakery cafe café restaurant bar
    clinic practice consultancy label gallery brewery winery farm hotel school fund
    wholesaler distributor factory garage salon gym nonprofit charity
    """
)


def is_role(phrase: str) -> bool:
    """True when `phrase` names a job: "Head of Design", "data eng", "fintech lawyer"."""
    words = phrase.lower().replace(",", " ").split()
    if not words or len(words) > 8:
        return False
    if words[0].endswith("ing") and words[0] not in ROLE_NOUNS and words[0] not in AREAS:
        return False  # "hiring a designer" is what they do, not who they are
    # "head of design", "gm for europe": the job is said before "of" or "for" ("of of": not 0).
    cut = next((i for i, w in enumerate(words) if i and w in ("of", "for")), len(words))
    head, tail = words[:cut], words[cut + 1 :]
    if words[cut : cut + 1] == ["for"] and not 0 < len(tail) <= 3:
        return False  # "for" names a region or a team, not a whole story
    # "head of us expansion": "us" before a noun is the US.
    tail = [w for i, w in enumerate(tail) if not (w == "us" and i + 1 < len(tail))]
    if any(w in _NOT_IN_ROLES for w in head) or any(w in _NOT_IN_ROLES - {"for"} for w in tail):
        return False  # "happy to intro me to their VP" is an offer, not a job
    last = head[-1]
    if last in _NOT_ROLES:
        return False
    return (
        last in ROLE_NOUNS
        or singular_role(last) != ""
        or bool(_AGENT_SUFFIX.search(last))
        or (len(head) >= 2 and head[0] in ROLE_NOUNS and head[-1] in AREAS)
    )


def singular_role(word: str) -> str:
    """ "cofounders" gives "cofounder": a job said of several people at once; else ""."""
    low = word.casefold()
    return low[:-1] if low.endswith("s") and low[:-1] in ROLE_NOUNS - {"partner"} else ""


# Job titles and areas that are acronyms, however they were typed ("pm at n26" is a PM).
_ACRONYMS = word_set(
    """
    ceo cto cfo coo cmo cpo cro cio ciso cso cdo vp svp evp avp md gm pm tpm em pmm vc
    ux ui ml ai hr pr bd qa seo sre swe sde us uk eu emea apac latam dach gp
    """
)


def tidy_role(role: str) -> str:
    """A role as it should read: acronyms and places in capitals ("gm for europe": "GM for
    Europe", "ux researcher": "UX researcher")."""
    from bot.domain.notes.places import proper_place  # its lists load on first use

    return " ".join(
        w.upper() if w.casefold() in _ACRONYMS else (proper_place(w) or w) if w.islower() else w
        for w in role.split()
    )


def role_and_company(
    body: str, companies: frozenset[str] = frozenset()
) -> tuple[str, str, str] | None:
    """A clause body that says what someone does or where: (role, company, rest).

    "is CFO at Flutterwave now" gives ("CFO", "Flutterwave", ""); "'s at
    Blue Bottle" gives ("", "Blue Bottle", ""). The rest is what is still
    worth reading as a detail: "12 people" after "manages the payments team
    at Square now, 12 people", "loves sailing" after "is CFO and", or all of
    "works at Goldman in risk". A clause that says something else gives None.
    """
    # "head of people at gorillas (still around apparently)": the aside says nothing of the job.
    text = _TRAILING_ASIDE.sub("", body.strip().rstrip(".!"))
    match = _IS_ROLE.match(text)
    described = described_role(match.group("role")) if match is not None else None
    if match is not None and described is not None:
        return described[0], described[1], (match.group("rest") or "").strip()
    if match is not None and is_role(match.group("role")):
        org = match.group("org") or match.group("org_of") or ""
        # A promotion is news too: the clause stays a work detail ("got promoted to VP").
        rest = text if "promoted" in text[: match.start("role")] else match.group("rest") or ""
        # After a job, "at" names a company even when the word is also a first name ("at miro").
        return match.group("role"), clean_org(org, after_role=True), rest.strip()
    us = _JOINED_US.match(text)
    if us is not None and is_role(us.group("role")):
        return us.group("role"), "", text  # "just joined us as a data analyst": our new hire
    joined = _JOINED.match(text)
    if joined is not None and clean_org(joined.group("org")):
        # A move is news too: the clause stays a work detail ("just joined Stripe as a PM").
        role = joined.group("role") or ""
        return (role if is_role(role) else ""), clean_org(joined.group("org")), text
    leads = _LEADS.match(text)
    if leads is not None:
        what = leads.group("what").casefold()
        own = not what.startswith("their ") and what.split()[-1] in _BUSINESSES
        # "runs a wholesaler for spaza shops": whom it serves, not where they work.
        serves = own and leads.group("prep") == "for"
        org = "" if serves else clean_org(leads.group("org") or "", after_job=True)
        does = leads.group("role").casefold().startswith("does")
        # "does UX research at Spotify" says a job only with the company.
        # "running their uk expansion": "their" is the firm's, so this is the job there.
        theirs = not does and what.startswith("their ")
        if (
            org
            or theirs
            or (own and not does)
            or is_area(leads.group("what"))
            or _area_of_work(leads.group("what"))
            or (does and _is_field(leads.group("what")))
        ):
            rest = (leads.group("rest") or leads.group("more") or "").strip(" ,")
            if leads.group("where"):
                rest = text  # "runs a ceramics studio in kyoto": where is worth keeping too
            return (leads.group("what") if does else leads.group("role")), org, rest
    leaving = _LEAVING.match(text)
    if leaving is not None and not leaving.group("org").startswith(("the ", "The ")):
        org = _known_company(text[leaving.start("org") :], companies) or clean_org(
            leaving.group("org")
        )
        if org:
            return "", org, text
    at = _AT_ORG.match(text)
    if at is not None:
        org, more = leading_org(at.group("org"))
        if org:
            # "works at SAP in walldorf": the company, and the whole clause is still a detail.
            rest = (more + at.group("rest")).strip(" ,")
            area = _IN_AREA.match(rest)
            if area is not None and is_area(area.group("area")):
                return area.group("area"), org, ""  # "works at stripe in payments": a job
            # "in walldorf" is worth keeping as a detail; "now" says nothing more.
            return "", org, text if rest and not _ONLY_NOW.match(rest) else ""
    return None


def job_of_company(role: str) -> tuple[str, str]:
    """A job said with its company after "of", typed in lowercase: "cofounder of freightly" gives
    ("cofounder", "Freightly"), "director of volvo's design studio" ("director of design
    studio", "Volvo"); "head of quality" stays a job with no company."""
    head, of, tail = role.partition(" of ")
    if not of or not is_role(head) or is_area(tail) or re.match(r"(?:the|a|an)\s", tail, re.I):
        return role, ""
    owner, owns, unit = tail.partition("'s ")
    if owns:  # the company owns the unit the job heads
        company = clean_org(owner, after_job=True)
        return (f"{head} of {unit}", company) if company and unit else (role, "")
    company, rest = leading_org(tail)
    # "md of tandem bikes co": the name may end on an everyday word; it is still the name.
    return (head, company) if company and len(rest.split()) <= 1 else (role, "")


def _area_of_work(what: str) -> bool:
    """ "apac partnerships", "smb sales": a kind of an area is one too (not "the
    show", nor "partnerships" after "their")."""
    words = what.lower().split()
    return (
        2 <= len(words) <= 3 and words[-1] in AREAS and words[0] not in _NOT_IN_ROLES | {"the", "a"}
    )


def _known_company(text: str, companies: frozenset[str]) -> str:
    """A company of the user's contacts that `text` opens with, typed in lowercase over two
    or three words ("leaving mercado libre to start..."): a known name ends where it ends."""
    words = text.split()
    for size in (3, 2):
        said = " ".join(words[:size])
        if len(words) >= size and said.islower() and said in companies:
            return said.title()
    return ""


# "works at stripe in payments now": payments is the job.
_IN_AREA = re.compile(
    r"^in\s+(?P<area>[\w\-]+(?:\s+[\w\-]+)??)(?:\s+(?:now|these\s+days|currently))?$",
    re.I,
)
_ONLY_NOW = re.compile(r"^(?:now|these\s+days|currently|again|atm|rn)$", re.I)


_TRAILING_ASIDE = re.compile(r"\s*\([^()]{0,60}\)$")


def leading_org(org: str, *, after_job: bool = True) -> tuple[str, str]:
    """The company at the start of a lowercase run, and what follows it: "miro now" gives
    ("Miro", " now"), "stripe in payments" ("Stripe", " in payments"). Without `after_job`
    a first name is no company ("from anna's team")."""
    found = clean_org(org, after_job=after_job)
    if found or not org[:1].islower():
        return found, ""
    words = org.split()
    for size in range(len(words) - 1, 0, -1):
        found = clean_org(" ".join(words[:size]), after_job=after_job)
        if found:
            return found, " " + " ".join(words[size:])
    return "", ""


# "founder of a logistics startup", "partner at a vc fund in paris": a job, then what the
# place is like rather than its name.
_DESCRIBED = re.compile(r"^(?P<role>.+?)\s+(?:at|of|for|in|with)\s+(?:a|an|some)\s+(?P<what>.+)$")
_CALLED = re.compile(r"\b(?:called|named)\s+(?P<org>" + ORG + r")\s*$")


def described_role(phrase: str) -> tuple[str, str] | None:
    """ "founder of a fintech startup called Pagar" gives ("founder", "Pagar"); else None."""
    match = _DESCRIBED.match(phrase.strip())
    if match is None or not is_role(match.group("role")):
        return None
    called = _CALLED.search(match.group("what"))
    return match.group("role"), clean_org(called.group("org")) if called else ""


# "does freelance illustration", "does consultancy": a field of work ("does yoga" is not).
_FIELD_SUFFIX = re.compile(r"(?:ion|ry|ics|ment|ancy|ency|ism|ography)$")


def _is_field(what: str) -> bool:
    words = what.lower().split()
    if not words or any(w in _NOT_IN_ROLES or w in ("the", "a", "an", "some") for w in words):
        return False
    return words[-1] in AREAS or bool(_FIELD_SUFFIX.search(words[-1]))


def is_area(what: str) -> bool:
    """ "partnerships", "the data team": a job area, not "their wholesale side"."""
    words = what.lower().split()
    if words[:1] == ["the"]:
        words = words[1:]
    if words[-1:] == ["team"]:
        return len(words) > 1  # "their ebike battery team": a team is a job, whatever it does
    return bool(words) and all(w in AREAS for w in words)


def clean_org(org: str, *, after_job: bool = False, after_role: bool = False) -> str:
    """ "the NHS" is NHS; "Nubank's" is Nubank; "Globex." is Globex; "bosch" is Bosch.

    A lowercase word that is no company's name ("the gym", "munich") gives "".
    `after_role` is for a company just after a job title ("partner at cherry"): an
    everyday word is a name there, unless "the" comes first ("pm at the moment").
    """
    after_role = after_role and not re.match(r"the\s", org.strip(), re.I)
    org = re.sub(r"^the\s+", "", org.strip().rstrip(".,;:!?"), flags=re.I)
    org = re.sub(r"'s$", "", org)
    if org[:1].islower() and " " in org:
        return _lowercase_org_run(org)
    if org[:1].islower():
        from bot.domain.notes.places import lowercase_org  # its lists load on first use

        return lowercase_org(org, may_be_a_name=after_job or after_role, after_role=after_role)
    return org


_NO_LAST_WORD = frozenset({"and", "or", "&", "of", "the", "for", "with", "at", "in", "on", "to"})


def _lowercase_org_run(org: str) -> str:
    """ "delivery hero" gives "Delivery Hero"; "" when a word is no part of a company name."""
    from bot.domain.notes.places import not_org_word

    words = org.split()
    if any(w.casefold() in _RUN_BREAKERS for w in words[1:]):
        return ""  # "feedzai and inês's old boss": the name ended at "and"
    # "aluko & oyebode": an ampersand joins a firm's names.
    if any(w != "&" and not_org_word(w) for w in words) or words[-1].casefold() in _NO_LAST_WORD:
        return ""  # "acme and [his cofounder]": a name ends on no joining word
    from bot.domain.notes.places import proper_org_word

    return " ".join(proper_org_word(w) for w in words)


_CLEAR = re.compile(r"^(?:-|none|nothing|no|clear|remove|delete|n/?a)$", re.I)


def parse_affiliation(text: str) -> tuple[str, str]:
    """What the user typed for someone's work: (role, company).

    "Head of Design at Miro" and "CFO @ Flutterwave" give both; "Miro" alone is
    a company and "product lead" alone a role; "-" or "none" clears both.
    """
    words = " ".join(text.split())[:120]
    if not words or _CLEAR.match(words):
        return "", ""
    parts = re.split(r"\s+(?:at|@)\s+|\s*@\s*|,\s+", words, maxsplit=1)
    if len(parts) == 2:
        return parts[0].strip(), clean_org(parts[1])
    return (words, "") if is_role(words) else ("", clean_org(words))


def corrected_affiliation(role: str, company: str, text: str) -> tuple[str, str]:
    """(role, company) after the user typed `text` for them: one part typed alone keeps
    the other ("GP", then "Northside Clinic", is a GP at Northside Clinic); "-" clears both."""
    new_role, new_company = parse_affiliation(text)
    if not new_role and not new_company:
        return "", ""
    return new_role or role, new_company or company
