"""Import and export through the CLI: fixtures, previews, no duplicates, bad files, 0600 files."""

from __future__ import annotations

import io
import json
import os
import stat
from pathlib import Path

import pytest

from bot.cli import main
from bot.storage.due_index import DueIndex
from bot.storage.tinydb_repository import TinyRepository

FIXTURES = Path(__file__).parent / "data" / "import"
MARIA = "/log Coffee with Maria Lopez from Acme. She is training for the Berlin marathon.\n"


def chat(
    data: Path,
    text: str,
    user: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> str:
    monkeypatch.setattr("sys.stdin", io.StringIO(text))
    assert main(["chat", "--data-dir", str(data), "--user", user]) == 0
    return capsys.readouterr().out


def run_import(data: Path, file: Path, *extra: str, user: str = "ann") -> int:
    return main(["import", "--data-dir", str(data), "--user", user, *extra, str(file)])


def snapshot(data: Path) -> list[tuple[str, bytes]]:
    return sorted(
        (str(p.relative_to(data)), p.read_bytes())
        for p in data.rglob("*")
        if p.is_file() and p.name != ".lock"
    )


def contacts_of(data: Path, user: str = "ann") -> dict[str, object]:
    with TinyRepository(data).session(user) as store:
        return {c.name: c for c in store.contacts()}


@pytest.mark.parametrize(
    ("fixture", "new", "skipped", "birthdays", "yearly"),
    [
        ("google_contacts.vcf", 198, 2, 49, 0),
        ("iphone.vcf", 5, 0, 3, 2),
        ("vcard4.vcf", 4, 1, 2, 1),
        ("Connections.csv", 29, 1, 0, 0),
        ("malformed.vcf", 4, 2, 0, 0),
    ],
)
def test_fixture_imports_with_expected_counts_and_never_twice(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    fixture: str,
    new: int,
    skipped: int,
    birthdays: int,
    yearly: int,
) -> None:
    data = tmp_path / "data"
    assert run_import(data, FIXTURES / fixture, "--yes") == 0
    out = capsys.readouterr().out
    assert f"{new} new" in out
    if skipped:
        assert f"{skipped} skipped" in out
    with TinyRepository(data).session("ann") as store:
        assert len(store.contacts()) == new
        kinds = [r.kind.value for r in store.reminders()]
    assert kinds.count("birthday") == birthdays
    assert kinds.count("yearly") == yearly
    before = snapshot(data)

    assert run_import(data, FIXTURES / fixture, "--yes") == 0
    assert "nothing new" in capsys.readouterr().out
    assert snapshot(data) == before


@pytest.mark.parametrize(
    ("fixture", "said"),
    [("iphone.vcf", "1 card had one"), ("google_contacts.vcf", "20 cards had one")],
)
def test_photos_are_said_to_be_left_out_and_the_rest_of_the_card_kept(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], fixture: str, said: str
) -> None:
    data = tmp_path / "data"
    assert run_import(data, FIXTURES / fixture, "--yes") == 0
    assert f"Photos are not imported ({said})." in capsys.readouterr().out
    if fixture == "iphone.vcf":  # Johnny's card carries the photo; the rest of it is kept
        johnny = contacts_of(data)["Johnny Appleseed"]
        assert johnny.company == "Apple Inc."  # type: ignore[attr-defined]
        assert johnny.emails == ["johnny@example.com"]  # type: ignore[attr-defined]
    assert not any(b"AAECAwQF" in content for _, content in snapshot(data))


def test_preview_asks_and_a_no_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "data"
    monkeypatch.setattr("sys.stdin", io.StringIO("n\n"))
    assert run_import(data, FIXTURES / "Connections.csv") == 1
    out = capsys.readouterr().out
    assert "29 new people" in out
    assert "row 17: no name" in out
    assert "Skipped 2 note lines before the header row." in out
    assert "Nothing was imported" in out
    assert not (data / "users").exists()


def test_linkedin_fills_company_role_and_how_we_met(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    assert run_import(data, FIXTURES / "Connections.csv", "--yes") == 0
    contacts = contacts_of(data)
    stark = next(c for n, c in contacts.items() if n.endswith(" 7"))
    assert stark.company == "Stark Industries, Inc."  # type: ignore[attr-defined]
    assert stark.role  # type: ignore[attr-defined]
    assert stark.how_met.startswith("Connected on LinkedIn on ")  # type: ignore[attr-defined]
    assert stark.urls == ["https://www.linkedin.com/in/0007"]  # type: ignore[attr-defined]


def test_reimport_fills_empty_fields_and_keeps_what_the_user_wrote(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "data"
    chat(
        data,
        "/log Lunch with Zoë Müller from Initech. She is hiring.\n",
        "ann",
        capsys,
        monkeypatch,
    )
    assert run_import(data, FIXTURES / "vcard4.vcf", "--yes") == 0
    out = capsys.readouterr().out
    assert "3 new people" in out
    assert "1 known person updated" in out
    zoe = contacts_of(data)["Zoë Müller"]
    assert zoe.company == "Initech"  # type: ignore[attr-defined]  # the user's, not the card's
    assert zoe.role == "Head of Design"  # type: ignore[attr-defined]  # was empty: filled
    assert zoe.emails == ["zoe@example.org"]  # type: ignore[attr-defined]
    assert zoe.birthday is not None  # type: ignore[attr-defined]


def test_match_by_email_or_phone_despite_another_name(tmp_path: Path) -> None:
    data = tmp_path / "data"
    first = tmp_path / "a.csv"
    first.write_text("Name,Email,Phone\nRobert Smith,bob@example.org,\nAnn Lee,,+49 151 2345678\n")
    second = tmp_path / "b.csv"
    second.write_text("Name,Email,Phone\nBob Smith,BOB@example.org,\nAnnie Lee,,0151 2345678\n")
    assert run_import(data, first, "--yes") == 0
    assert run_import(data, second, "--yes") == 0
    contacts = contacts_of(data)
    assert sorted(contacts) == ["Ann Lee", "Robert Smith"]
    assert contacts["Robert Smith"].aliases == ["Bob Smith"]  # type: ignore[attr-defined]


def test_similar_names_match_and_namesakes_are_told_apart_by_company(tmp_path: Path) -> None:
    data = tmp_path / "data"
    first = tmp_path / "a.csv"
    first.write_text("Name,Company\nJonathan Miller,Acme\nMaria Lopez,Acme\nMaria Lopez,Globex\n")
    second = tmp_path / "b.csv"
    second.write_text('Name,Company,Role\n"Miller, Jonathon",Acme,CTO\nMaria Lopez,Globex,CFO\n')
    assert run_import(data, first, "--yes") == 0
    assert run_import(data, second, "--yes") == 0
    with TinyRepository(data).session("ann") as store:
        contacts = sorted((c.name, c.company, c.role) for c in store.contacts())
    # A similar name is the same person; of two namesakes, the company picks one.
    assert contacts == [
        ("Jonathan Miller", "Acme", "CTO"),
        ("Maria Lopez", "Acme", ""),
        ("Maria Lopez", "Globex", "CFO"),
    ]


def test_generic_csv_with_a_header_mapping(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data, table = tmp_path / "data", tmp_path / "people.csv"
    table.write_text("Who;Mail;Firm\nIrene Adler;irene@example.org;Baker Street\n")
    assert run_import(data, table, "--yes") == 2
    assert "no column I can read names from" in capsys.readouterr().err
    args = ["--yes", "--map", "name=Who", "--map", "email=Mail", "--map", "company=Firm"]
    assert run_import(data, table, *args) == 0
    irene = contacts_of(data)["Irene Adler"]
    assert irene.emails == ["irene@example.org"]  # type: ignore[attr-defined]
    assert irene.company == "Baker Street"  # type: ignore[attr-defined]


def test_importing_again_says_so_in_plain_words(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    one, two = tmp_path / "one.csv", tmp_path / "two.csv"
    one.write_text("Name,Company\nZoë Brontë,Haworth\n")
    two.write_text("Name,Company\nZoë Brontë,Haworth\nJosé Müller,Café Zürich\n")
    for file in (one, two, one, two):
        assert run_import(tmp_path / "data", file, "--yes") == 0
    out = capsys.readouterr().out
    assert "The one person in it is already in your contacts" in out
    assert "All 2 people are already in your contacts" in out
    assert "All 1" not in out


@pytest.mark.parametrize(
    ("encoding", "label"),
    [("utf-16", "UTF-16"), ("utf-16-le", "UTF-16"), ("cp1252", "Latin-1"), ("utf-8-sig", "")],
)
def test_other_encodings_are_read_and_said(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], encoding: str, label: str
) -> None:
    data, table = tmp_path / "data", tmp_path / "contacts.csv"
    table.write_bytes(
        "First Name,Last Name,Company\nRenée,Dubois,Société Générale\n".encode(encoding)
    )
    assert run_import(data, table, "--yes") == 0
    out = capsys.readouterr().out
    assert label in out
    assert contacts_of(data)["Renée Dubois"].company == "Société Générale"  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b"", "is empty"),
        (b"PK\x03\x04\x14\x00 xlsx", "Excel"),
        (b"%PDF-1.7 ...", "PDF"),
        (b"\x00\x01\x02\x03binary\x00\xff", "binary"),
        (b"just some words\nand more words\n", "neither a vCard"),
        (b'{"format": "something-else"}', "not a Rapport Coach export"),
        (b"{not json", "not valid JSON"),
        (b"Foo,Bar\n1,2\n", "no column I can read names from"),
    ],
)
def test_bad_files_are_refused_whole_and_change_nothing(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    content: bytes,
    says: str,
) -> None:
    data, bad = tmp_path / "data", tmp_path / "bad.file"
    chat(data, MARIA, "ann", capsys, monkeypatch)
    before = snapshot(data)
    bad.write_bytes(content)
    assert run_import(data, bad, "--yes") == 2
    err = capsys.readouterr().err
    assert says in err
    assert "Nothing was changed" in err
    assert snapshot(data) == before


def test_file_over_five_megabytes_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    big = tmp_path / "big.vcf"
    big.write_bytes(b"BEGIN:VCARD\n" + b"x" * (5 * 1024 * 1024) + b"\nEND:VCARD\n")
    assert run_import(tmp_path / "data", big, "--yes") == 2
    assert "5 MB" in capsys.readouterr().err
    assert not (tmp_path / "data").exists()


def test_ten_thousand_contacts_import_in_one_go(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    data, book = tmp_path / "data", tmp_path / "all.vcf"
    book.write_text(
        "".join(
            f"BEGIN:VCARD\nVERSION:3.0\nFN:Person {i:05d}\nEMAIL:p{i}@example.org\nEND:VCARD\n"
            for i in range(10_000)
        )
    )
    assert run_import(data, book, "--yes") == 0
    assert "10,000 new people" in capsys.readouterr().out
    assert len(contacts_of(data)) == 10_000
    people = chat(data, "/people\n", "ann", capsys, monkeypatch)
    assert "Your people (10,000)" in people
    assert "and 9,960 more" in people  # one message, not a hundred


def test_a_large_import_shows_a_progress_bar_on_a_terminal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    book = tmp_path / "many.vcf"
    book.write_text("".join(f"BEGIN:VCARD\nFN:Person {i:05d}\nEND:VCARD\n" for i in range(2000)))
    # rich draws its bar only on a terminal; these say stderr is one.
    monkeypatch.setenv("TTY_COMPATIBLE", "1")
    monkeypatch.setenv("TTY_INTERACTIVE", "1")
    assert run_import(tmp_path / "data", book, "--yes") == 0
    printed = capsys.readouterr()
    assert "2,000 new people" in printed.out
    assert "Importing" in printed.err
    assert "100%" in printed.err
    assert "Importing" not in printed.out  # the bar never mixes with what a script reads


def test_json_records_are_checked_one_by_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    data, export = tmp_path / "data", tmp_path / "export.json"
    contact = {"id": "c-1", "name": "Maria Lopez", "created_at": "2026-01-01T00:00:00+00:00"}
    document = {
        "format": "rapport-coach/1",
        "profile": {"user_id": "x", "timezone": "Mars/Olympus_Mons"},
        "contacts": [
            contact,
            {"id": "c-2", "name": 42},
            {"id": "c-3", "name": "Naive", "created_at": "2026-01-01T00:00:00"},
            "not a record",
            {"id": "c-5", "name": "Odd", "company": 7},
            {"id": "c-6", "name": "Odd", "aliases": ["ok", 3]},
        ],
        "interactions": [],
        "reminders": [{"id": "r", "kind": "nonsense", "due_at": "x", "contact_id": "c-1"}],
    }
    export.write_text(json.dumps(document))
    assert run_import(data, export, "--yes") == 0
    out = capsys.readouterr().out
    assert "7 skipped" in out
    assert "your settings: has an unknown time zone (Mars/Olympus_Mons)" in out
    assert "contact 2" in out
    assert "contact 2: has a bad field (name: expected text, got a number)" in out
    assert "contact 5: has a bad field (company: expected text, got a number)" in out
    assert "contact 3: has a bad field (created_at: '2026-01-01T00:00:00' has no time zone" in out
    assert list(contacts_of(data)) == ["Maria Lopez"]
    # The imported contact works everywhere.
    assert "Maria Lopez" in chat(data, "/people\n/due\n", "ann", capsys, monkeypatch)


def test_export_writes_three_private_files_even_over_old_ones(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    data, out = tmp_path / "data", tmp_path / "out"
    chat(data, MARIA, "ann", capsys, monkeypatch)
    out.mkdir()
    assert main(["export", "--data-dir", str(data), "--user", "ann", "--out", str(out)]) == 0
    files = sorted(out.iterdir())
    assert sorted(f.suffix for f in files) == [".csv", ".ics", ".json"]
    for file in files:
        file.chmod(0o644)
    assert main(["export", "--data-dir", str(data), "--user", "ann", "--out", str(out)]) == 0
    assert sorted(out.iterdir()) == files
    assert all(stat.S_IMODE(f.stat().st_mode) == 0o600 for f in files)
    printed = capsys.readouterr().out
    assert all(str(f) in printed for f in files)


def test_a_birthday_is_on_its_day_in_the_calendar_with_the_nudge_as_its_alarm(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from icalendar import Calendar

    data, out = tmp_path / "data", tmp_path / "out"
    chat(data, "/log Lunch with Maria Lopez. Her birthday is 12 May.\n", "ann", capsys, monkeypatch)
    with TinyRepository(data).session("ann") as store:
        (nudge,) = [r for r in store.reminders() if r.kind.value == "birthday"]
    assert main(["export", "--data-dir", str(data), "--user", "ann", "--out", str(out)]) == 0
    calendar = Calendar.from_ical(next(out.glob("*.ics")).read_bytes())
    (birthday,) = [e for e in calendar.walk("VEVENT") if "birthday" in str(e["SUMMARY"])]
    start = birthday.decoded("DTSTART")
    assert (start.month, start.day, start.hour) == (5, 12, 9)  # the day, not 3 days before
    assert birthday["RRULE"]["FREQ"] == ["YEARLY"]
    (alarm,) = birthday.walk("VALARM")
    assert start + alarm.decoded("TRIGGER") == nudge.due_at  # when the coach would remind


def test_exporting_an_unknown_user_is_an_error_that_creates_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data, out = tmp_path / "data", tmp_path / "out"
    assert main(["export", "--data-dir", str(data), "--user", "nobody", "--out", str(out)]) == 2
    assert "no data for user 'nobody'" in capsys.readouterr().err
    assert not data.exists()
    assert not out.exists()


def test_round_trip_into_another_user(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    data, out = tmp_path / "data", tmp_path / "out"
    chat(data, "/settings\n", "ann", capsys, monkeypatch)
    chat(data, MARIA, "ann", capsys, monkeypatch)
    assert main(["export", "--data-dir", str(data), "--user", "ann", "--out", str(out)]) == 0
    export = next(out.glob("*.json"))
    assert run_import(data, export, "--yes", user="ben") == 0
    assert "Berlin marathon" in chat(data, "/person Maria\n", "ben", capsys, monkeypatch)
    # Imported reminders are on the delivery schedule, not just in the store.
    assert DueIndex(data / "schedule").get("ben") is not None
    assert run_import(data, export, "--yes", user="ben") == 0
    assert "nothing new" in capsys.readouterr().out


def test_contacts_csv_reads_back_and_guards_formulas(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data, out, table = tmp_path / "data", tmp_path / "out", tmp_path / "in.csv"
    table.write_text('Name,Company,Phone\n"=HYPERLINK(""http://x"")",Acme,+49 151 1234567\n')
    assert run_import(data, table, "--yes") == 0
    assert main(["export", "--data-dir", str(data), "--user", "ann", "--out", str(out)]) == 0
    exported = next(out.glob("*.csv")).read_text()
    assert "'=HYPERLINK" in exported
    assert ",+49 151 1234567," in exported  # a phone number is not a formula
    assert run_import(data, next(out.glob("*.csv")), "--yes", user="ben") == 0
    assert list(contacts_of(data, "ben")) == ['=HYPERLINK("http://x")']


def test_missing_import_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["import", "--data-dir", str(tmp_path), str(tmp_path / "nope.json")]) == 2
    assert "cannot be read" in capsys.readouterr().err


def test_import_path_in_the_terminal_chat(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "data"
    out = chat(data, f"/import {FIXTURES / 'iphone.vcf'}\n1\n/people\n", "ann", capsys, monkeypatch)
    assert "5 new people" in out
    assert "Imported from iphone.vcf" in out
    assert "Johnny Appleseed" in out.split("Your people")[1]


def test_export_in_the_terminal_chat_saves_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "data"
    monkeypatch.chdir(tmp_path)
    out = chat(data, MARIA + "/export\n", "ann", capsys, monkeypatch)
    saved = [Path(line.split("saved ", 1)[1]) for line in out.splitlines() if "saved " in line]
    assert len(saved) == 3
    assert all(p.exists() and stat.S_IMODE(p.stat().st_mode) == 0o600 for p in saved)
    assert os.path.commonpath(saved) == str(tmp_path.resolve())
