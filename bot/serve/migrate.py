"""Copy every user of a TinyDB data folder into PostgreSQL, then check nothing is missing.

Each user is copied in one PostgreSQL transaction that first removes whatever
that user had there, so a run that stopped half-way (or a second run) ends
with the same rows as one clean run. Run it with the bot stopped: a user's
newer rows in PostgreSQL would be replaced by the folder's.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from bot.config import Settings
from bot.storage.postgres import connect
from bot.storage.postgres.store import PostgresRepository, erase_rows
from bot.storage.postgres.user_store import LOAD, PostgresUserStore
from bot.storage.repository import Repository, UserStore
from bot.storage.tinydb_repository import TinyRepository

KINDS = ("contacts", "interactions", "reminders", "finished reminders")


@dataclass
class MigrationReport:
    """Per-kind totals on each side, and the users whose counts differ."""

    users: int = 0
    source: Counter[str] = field(default_factory=Counter)
    target: Counter[str] = field(default_factory=Counter)
    mismatched: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.mismatched and self.source == self.target

    def lines(self) -> list[str]:
        totals = ", ".join(f"{self.source[k]:,} {k}" for k in KINDS)
        out = [f"copied {self.users:,} users: {totals}"]
        if self.ok:
            out.append("verified: every user has the same counts in PostgreSQL")
        else:
            shown = ", ".join(self.mismatched[:10])
            out.append(f"MISMATCH for {len(self.mismatched)} user(s): {shown}")
        return out


def counts(store: UserStore) -> Counter[str]:
    """How many records of each kind a user has."""
    return Counter(
        {
            "contacts": len(store.contacts()),
            "interactions": sum(1 for _ in store.interactions()),
            "reminders": len(store.reminders()),
            "finished reminders": sum(1 for _ in store.finished_reminders()),
        }
    )


def copy_user(source: UserStore, target: PostgresUserStore) -> None:
    """Replace the target user's rows with the source's records.

    Conversation state (a half-finished flow, an unsaved card) is not copied:
    the port does not list it, and it is only ever a moment's work.
    """
    erase_rows(target.conn, target.user_id)
    target.preload(None, {table: {} for table in LOAD}, registered=False)
    target.save_profile(source.profile())
    for contact in source.contacts():
        target.save_contact(contact)
    # Oldest first, so the history keeps its order.
    for interaction in reversed(list(source.interactions())):
        target.add_interaction(interaction)
    target.save_reminders(list(reversed(list(source.finished_reminders()))))
    target.save_reminders(source.reminders())


def migrate_users(source: Repository, target: PostgresRepository) -> MigrationReport:
    """Copy every user of `source` into `target` and compare the counts."""
    report = MigrationReport()
    for user_id in source.user_ids():
        with source.session(user_id) as old, target.session(user_id) as new:
            copy_user(old, new)
            expected = counts(old)
        with target.session(user_id) as new:
            found = counts(new)
        report.users += 1
        report.source += expected
        report.target += found
        if found != expected:
            report.mismatched.append(user_id)
    return report


def migrate_folder(settings: Settings, url: str) -> MigrationReport:
    """`rapport-coach migrate`: the settings' data folder into the database at `url`."""
    target = connect(url)
    try:
        return migrate_users(TinyRepository(settings.data_dir), target)
    finally:
        target.close()
