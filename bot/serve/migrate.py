"""Copy every user of a TinyDB data folder into PostgreSQL, then check nothing is missing.

Each user is copied in one PostgreSQL transaction that first removes whatever
that user had there, so a run that stopped half-way (or a second run) ends
with the same rows as one clean run. Run it with the bot stopped: a user's
newer rows in PostgreSQL would be replaced by the folder's.

Besides the records, a user's conversation state (a half-finished flow) and
stored button payloads are copied, and so is the folder's signing key: the
buttons already in people's chats carry tokens signed with it, and they keep
working after the move.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from bot.config import Settings
from bot.storage.postgres import connect
from bot.storage.postgres.store import PostgresRepository, erase_rows
from bot.storage.postgres.user_store import LOAD, PostgresUserStore
from bot.storage.repository import Repository, UserStore
from bot.storage.tinydb_repository import TinyRepository

KINDS = ("contacts", "interactions", "reminders", "finished reminders", "state", "buttons")
BUTTON = "button:"  # how `rewrite` names a stored button payload beside the state values


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
            out.append("verified: every user has the same counts and state in PostgreSQL")
        else:
            shown = ", ".join(self.mismatched[:10])
            out.append(f"MISMATCH for {len(self.mismatched)} user(s): {shown}")
        return out


class _LookOnly(Exception):
    """Ends a session that only looked, so it commits nothing."""


def kept_state(repository: Repository, user_id: str) -> dict[str, dict[str, Any]]:
    """Every conversation state value and stored button payload ("button:<ref>") of a user.

    The port lists them only to `rewrite`; here it sees each one unchanged
    inside a session that is then abandoned, so nothing is written (a
    rewrite would also drop the user's undo records).
    """
    found: dict[str, dict[str, Any]] = {}

    def note(name: str, value: dict[str, Any]) -> dict[str, Any]:
        found[name] = value
        return value

    try:
        with repository.session(user_id) as store:
            store.rewrite(state=note)
            raise _LookOnly
    except _LookOnly:
        pass
    return found


def counts(store: UserStore, state: dict[str, dict[str, Any]]) -> Counter[str]:
    """How many records of each kind a user has (`state` as `kept_state` found it)."""
    buttons = sum(1 for name in state if name.startswith(BUTTON))
    return Counter(
        {
            "contacts": len(store.contacts()),
            "interactions": sum(1 for _ in store.interactions()),
            "reminders": len(store.reminders()),
            "finished reminders": sum(1 for _ in store.finished_reminders()),
            "state": len(state) - buttons,
            "buttons": buttons,
        }
    )


def copy_user(
    source: UserStore, target: PostgresUserStore, state: dict[str, dict[str, Any]]
) -> None:
    """Replace the target user's rows with the source's records, state and stored buttons.

    Undo records are not copied: the port keeps them only for undoing a recent turn.
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
    for name, value in state.items():
        if name.startswith(BUTTON):
            target.put_buttons({name.removeprefix(BUTTON): value})
        else:
            target.set_state(name, value)


def copy_secret(source: Repository, target: PostgresRepository) -> None:
    """Make the folder's signing key the database's, so buttons already shown still work."""
    key = source.secret()
    with target.pool.connection() as conn:
        conn.execute(
            "INSERT INTO store_secret (name, value) VALUES ('buttons', %s)"
            " ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value",
            (key,),
        )


def migrate_users(source: Repository, target: PostgresRepository) -> MigrationReport:
    """Copy every user of `source` into `target` and compare the counts (state included)."""
    report = MigrationReport()
    for user_id in source.user_ids():
        state = kept_state(source, user_id)
        # Without waiting for each commit's WAL flush: a crash loses at most the last few
        # users, and a re-run copies them again. The key's commit at the end waits for all.
        with source.session(user_id) as old, target.session(user_id, sync=False) as new:
            copy_user(old, new, state)
            expected = counts(old, state)
        copied = kept_state(target, user_id)
        with target.session(user_id) as new:
            found = counts(new, copied)
        if copied != state:
            found["state differs"] = 1
        report.users += 1
        report.source += expected
        report.target += found
        if found != expected:
            report.mismatched.append(user_id)
    copy_secret(source, target)
    return report


def migrate_folder(settings: Settings, url: str) -> MigrationReport:
    """`rapport-coach migrate`: the settings' data folder into the database at `url`."""
    target = connect(url)
    try:
        return migrate_users(TinyRepository(settings.data_dir), target)
    finally:
        target.close()
