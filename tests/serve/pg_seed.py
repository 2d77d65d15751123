"""Seed many users with due reminders straight into PostgreSQL (COPY), for tests and benches.

The rows are what the store itself writes (records from bot/storage/records.py,
a due-index row per user), only written in bulk: 10,000 users take about a
second instead of a session each.
"""

from __future__ import annotations

import json
from datetime import datetime, time
from typing import Any

from bot.domain.model import Contact, Reminder, ReminderKind, UserProfile
from bot.storage.records import to_record

# No quiet hours: the seeded reminders are deliverable the moment they are due.
OFF = time(0, 0)
FIRST_USER = 20_000_000


def reminder_token(user_index: int, n: int) -> str:
    """A token unique to one reminder, carried in its text so sends can be counted."""
    return f"tok-{user_index:x}-{n:x}"


def seed_due(
    conn: Any,
    *,
    users: int,
    per_user: int,
    due_at: datetime | list[datetime],
    first_user: int = FIRST_USER,
) -> dict[str, datetime]:
    """Create `users` Telegram users with `per_user` reminders each; return reminder token -> due.

    `due_at` is one moment for all, or one per user.
    """
    due_of: dict[str, datetime] = {}
    created = datetime(
        2030, 1, 1, tzinfo=due_at[0].tzinfo if isinstance(due_at, list) else due_at.tzinfo
    )
    with conn.transaction(), conn.cursor() as cur:
        with cur.copy("COPY users (user_id, profile) FROM STDIN") as copy:
            for u in range(users):
                user_id = str(first_user + u)
                profile = UserProfile(
                    user_id,
                    quiet_start=OFF,
                    quiet_end=OFF,
                    timezone_confirmed=True,
                    created_at=created,
                )
                copy.write_row((user_id, json.dumps(to_record(profile))))
        with cur.copy("COPY contacts (user_id, id, record) FROM STDIN") as copy:
            for u in range(users):
                contact = Contact(id="c-1", name=f"Person {u}", created_at=created)
                copy.write_row((str(first_user + u), "c-1", json.dumps(to_record(contact))))
        with cur.copy(
            "COPY reminders (user_id, id, status, contact_id, due_at, record) FROM STDIN"
        ) as copy:
            for u in range(users):
                due = due_at[u] if isinstance(due_at, list) else due_at
                for n in range(per_user):
                    token = reminder_token(u, n)
                    reminder = Reminder(
                        id=f"r-{n}",
                        kind=ReminderKind.CUSTOM,
                        due_at=due,
                        contact_id="c-1",
                        text=f"call about {token}",
                        created_at=created,
                    )
                    copy.write_row(
                        (
                            str(first_user + u),
                            reminder.id,
                            "pending",
                            "c-1",
                            due,
                            json.dumps(to_record(reminder)),
                        )
                    )
                    due_of[token] = due
        with cur.copy("COPY due_users (user_id, channel, next_at) FROM STDIN") as copy:
            for u in range(users):
                due = due_at[u] if isinstance(due_at, list) else due_at
                copy.write_row((str(first_user + u), "telegram", due))
    conn.execute("ANALYZE")
    return due_of
