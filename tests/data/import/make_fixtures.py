"""Write the import fixtures in this folder (fixed content: run it again, get the same files).

    python tests/data/import/make_fixtures.py

The counts the tests expect follow from the rules spelled out below.
"""

from __future__ import annotations

import base64
from pathlib import Path

HERE = Path(__file__).resolve().parent

FIRST = [
    "Zoë",
    "José",
    "Anaïs",
    "Jürgen",
    "Søren",
    "Łucja",
    "Mei",
    "Priya",
    "Tomás",
    "Ingrid",
    "Chidi",
    "Aarav",
    "Élodie",
    "Ngozi",
    "Björn",
    "Yuki",
    "Fatima",
    "Olek",
    "Renée",
    "Kai",
]
LAST = [
    "Müller",
    "Álvarez",
    "Dubois",
    "Nørgaard",
    "Kowalczyk",
    "Chen",
    "Raman",
    "O'Brien",
    "Lindqvist",
    "Okafor",
    "Sharma",
    "García-López",
    "Tanaka",
    "Haddad",
    "Nowak",
]
COMPANIES = [
    "Acme",
    "Globex",
    "Initech",
    "Umbrella",
    "Stark Industries",
    "Wayne Enterprises",
    "Telefónica",
    "Zalando",
    "Spotify",
    "Klarna",
]
ROLES = ["Engineer", "Head of Design", "CTO", "Product Manager", "Recruiter", "Founder"]
PHOTO = base64.b64encode(bytes(range(256)) * 4).decode()


def fold(line: str) -> str:
    """Fold a long vCard line at 75 characters, as phones do."""
    chunks = [line[i : i + 74] for i in range(0, len(line), 74)]
    return "\r\n ".join(chunks)


def google() -> str:
    """200 cards as Google Contacts exports them (vCard 3.0).

    Cards 1-198 are distinct people; every 4th has a birthday (alternately with
    and without a year); every 10th has a photo URL and card 5 an inline photo.
    Card 199 has only a company (skipped: no name); card 200 repeats card 1's
    e-mail (merged). Expected: 198 new, 2 skipped, 49 birthdays.
    """
    cards = []
    for i in range(1, 199):
        first, last = FIRST[i % len(FIRST)], LAST[(i * 7) % len(LAST)]
        lines = [
            "BEGIN:VCARD",
            "VERSION:3.0",
            f"FN:{first} {last} {i}",
            f"N:{last} {i};{first};;;",
            f"EMAIL;TYPE=INTERNET;TYPE=WORK:{first.lower()}.{i}@example.org",
            f"TEL;TYPE=CELL:+49 151 {i:07d}",
            f"item1.ORG:{COMPANIES[i % len(COMPANIES)]}",
            "item1.X-ABLabel:",
            f"TITLE:{ROLES[i % len(ROLES)]}",
        ]
        if i % 4 == 0:
            month, day = 1 + i % 12, 1 + i % 28
            lines.append(
                f"BDAY:{1970 + i % 30}-{month:02d}-{day:02d}"
                if i % 8
                else f"BDAY:--{month:02d}-{day:02d}"
            )
        if i % 10 == 0:
            lines.append(f"PHOTO:https://lh3.googleusercontent.com/contacts/photo{i}")
        if i == 5:
            lines.append(fold(f"PHOTO;ENCODING=b;TYPE=JPEG:{PHOTO}"))
        lines.append("CATEGORIES:myContacts")
        lines.append("END:VCARD")
        cards.append("\r\n".join(lines))
    cards.append(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:\r\nORG:Pizzeria Napoli\r\n"
        "TEL:+39 06 1234567\r\nEND:VCARD"
    )
    cards.append(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Kai Müller\r\n"
        f"EMAIL;TYPE=INTERNET:{FIRST[1].lower()}.1@example.org\r\nNOTE:same as card 1\r\nEND:VCARD"
    )
    return "\r\n".join(cards) + "\r\n"


def iphone() -> str:
    """5 people as an iPhone shares them: groups, X-ABDATE anniversaries, inline photos.

    Expected: 5 new, 3 birthdays, 2 anniversaries, 1 card with a photo.
    """
    return (
        "\r\n".join(
            [
                "BEGIN:VCARD",
                "VERSION:3.0",
                "PRODID:-//Apple Inc.//iPhone OS 17.2//EN",
                "N:Appleseed;Johnny;;;",
                "FN:Johnny Appleseed",
                "ORG:Apple Inc.;Orchards",
                "TITLE:Orchard Lead",
                "item1.EMAIL;type=INTERNET;type=pref:johnny@example.com",
                "TEL;type=CELL;type=VOICE;type=pref:(408) 555-0101",
                "item2.X-ABDATE;type=pref:2010-06-05",
                "item2.X-ABLabel:_$!<Anniversary>!$_",
                "BDAY;value=date:1980-02-29",
                fold(f"PHOTO;ENCODING=b;TYPE=JPEG:{PHOTO}"),
                "END:VCARD",
                "BEGIN:VCARD",
                "VERSION:3.0",
                "N:Nakamura;Hana;;;",
                "FN:Hana Nakamura",
                "TEL;type=HOME;type=VOICE:+81 3-1234-5678",
                "BDAY:1991-11-03",
                "END:VCARD",
                "BEGIN:VCARD",
                "VERSION:3.0",
                "N:Kaplan;Dana;;;",
                "FN:Dana Kaplan",
                "ORG:Wix;",
                "item1.EMAIL;type=INTERNET:dana@wix.example",
                "item1.X-ABLabel:_$!<Other>!$_",
                "item2.X-ABDATE:2015-09-12",
                "item2.X-ABLabel:_$!<Anniversary>!$_",
                "END:VCARD",
                "BEGIN:VCARD",
                "VERSION:3.0",
                "N:O'Neill;Siobhán;;;",
                "FN:Siobhán O'Neill",
                "NOTE:Met at the Dublin meetup.\\nLoves sea swimming.",
                "BDAY;value=date:1987-07-14",
                "END:VCARD",
                "BEGIN:VCARD",
                "VERSION:3.0",
                "N:;Marco;;;",
                "FN:Marco",
                "TEL;type=CELL:+39 333 1234567",
                "END:VCARD",
            ]
        )
        + "\r\n"
    )


def vcard4() -> str:
    """vCard 4.0 with what vobject leaves to us.

    Expected: 4 new (the group card is skipped), 2 birthdays (the text one is
    dropped), 1 anniversary, 1 photo.
    """
    return (
        "\n".join(
            [
                "BEGIN:VCARD",
                "VERSION:4.0",
                "FN:Zoë Müller",
                "N:Müller;Zoë;;;",
                "EMAIL;TYPE=work:zoe@example.org",
                'TEL;VALUE=uri;TYPE="voice,cell":tel:+49-151-1234567',
                "BDAY:--0412",
                "ANNIVERSARY:20090808T1430-0500",
                "ORG:Acme GmbH;R&D",
                "TITLE:Head of Design",
                "PHOTO:data:image/jpeg;base64,/9j/4AAQSkZJRgABAQAAAQABAAD",
                "NOTE:Met at PyCon\\, great talk",
                "END:VCARD",
                "BEGIN:VCARD",
                "VERSION:4.0",
                "FN:Li Wei",
                "BDAY;VALUE=text:circa 1980",
                "KIND:individual",
                "URL:https://example.cn/liwei",
                "END:VCARD",
                "BEGIN:VCARD",
                "VERSION:4.0",
                "FN:Amara Nwosu",
                "BDAY:19850412",
                "EMAIL;PREF=1:amara@example.ng",
                "END:VCARD",
                "BEGIN:VCARD",
                "VERSION:4.0",
                "KIND:group",
                "FN:Book club",
                "MEMBER:urn:uuid:03a0e51f-d1aa-4385-8a53-e29025acd8af",
                "END:VCARD",
                "BEGIN:VCARD",
                "VERSION:4.0",
                "FN:Rafael Souza",
                "ORG:Nubank",
                "TEL;VALUE=uri;TYPE=work:tel:+55-11-5555-0100",
                "END:VCARD",
            ]
        )
        + "\n"
    )


def linkedin() -> str:
    """Connections.csv as LinkedIn exports it: note lines, then the header.

    30 rows: row 13 has no name (a deleted account) and is skipped; the rest
    are new. Expected: 29 new, 1 skipped, 2 note lines before the header.
    """
    rows = [
        "Notes:",
        '"When exporting your connection data, you may notice that some of the email addresses '
        "are missing. You will only see email addresses for connections who have allowed their "
        'connections to see or download their email address."',
        "",
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On",
    ]
    for i in range(1, 31):
        if i == 13:
            rows.append(",,https://www.linkedin.com/in/unknown,,,,01 Jan 2020")
            continue
        first, last = FIRST[(i + 3) % len(FIRST)], LAST[(i * 3) % len(LAST)]
        email = f"{first.lower()}.{i}@example.com" if i % 3 == 0 else ""
        company = '"Stark Industries, Inc."' if i == 7 else COMPANIES[i % len(COMPANIES)]
        rows.append(
            f"{first},{last} {i},https://www.linkedin.com/in/{i:04d},{email},{company},"
            f"{ROLES[i % len(ROLES)]},{1 + i % 28:02d} Mar 20{10 + i % 14}"
        )
    return "\n".join(rows) + "\n"


def malformed() -> str:
    """A vCard file with broken parts; each card's fate is below.

    1 Ada Lovelace: fine.  2 Grace Hopper: a garbage line (read leniently).
    3 Alan Turing: no END line (ends at the next BEGIN).  4: no name at all
    (skipped).  5 Edsger Dijkstra: a birthday that is no date (dropped).
    6: garbage so bad vobject cannot read it (skipped).  Lines between cards
    are ignored.  Expected: 4 new, 2 skipped.
    """
    return (
        "\n".join(
            [
                "BEGIN:VCARD",
                "VERSION:3.0",
                "FN:Ada Lovelace",
                "EMAIL:ada@example.org",
                "END:VCARD",
                "this line belongs to no card",
                "BEGIN:VCARD",
                "VERSION:3.0",
                "FN:Grace Hopper",
                "this is not a property",
                "TEL:+1 555 0100 999",
                "END:VCARD",
                "BEGIN:VCARD",
                "VERSION:3.0",
                "FN:Alan Turing",
                "ORG:Bletchley Park",
                "BEGIN:VCARD",
                "VERSION:3.0",
                "TEL:+44 20 7946 0000",
                "END:VCARD",
                "BEGIN:VCARD",
                "VERSION:3.0",
                "FN:Edsger Dijkstra",
                "BDAY:the 11th of May",
                "END:VCARD",
                "BEGIN:VCARD",
                "VERSION:3.0",
                "FN:Broken",
                "BEGIN:VCALENDAR",
                "END:VCARD",
            ]
        )
        + "\n"
    )


FIXTURES = {
    "google_contacts.vcf": google,
    "iphone.vcf": iphone,
    "vcard4.vcf": vcard4,
    "Connections.csv": linkedin,
    "malformed.vcf": malformed,
}


def main() -> None:
    for name, make in FIXTURES.items():
        (HERE / name).write_bytes(make().encode("utf-8"))
        print(HERE / name)


if __name__ == "__main__":
    main()
