"""A tiny write-ahead record of confirmed sends, to shrink the duplicate window.

Recording a delivery in the user's store rewrites and fsyncs a JSON file
(several milliseconds). Appending one line here and fdatasyncing it takes
about one. It is written the moment the channel confirms a message, replayed
into the stores at the next start (marking those reminders DELIVERED instead
of sending them again), and then emptied.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from bot.storage.atomic_json import ensure_private_dir

# Emptied while running once this big; every line in it is already in the stores by then.
ROTATE_BYTES = 1 << 20


class SentJournal:
    """Append-only lines of {"u": user id, "r": {reminder id: claim attempt}}.

    The attempt number tells this send from a later one of the same reminder
    (after a snooze, say), so a replay never marks an unsent claim delivered.
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._fd: int | None = None

    def open(self) -> None:
        ensure_private_dir(self.path.parent)
        self._fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def note(self, user_id: str, claims: dict[str, int]) -> None:
        """Durably note that these reminders (id -> attempt) reached the user."""
        assert self._fd is not None, "open() the journal first"
        line = json.dumps({"u": user_id, "r": claims}, separators=(",", ":")) + "\n"
        os.write(self._fd, line.encode())
        os.fdatasync(self._fd)

    def entries(self) -> dict[str, dict[str, int]]:
        """Return user id -> {reminder id: attempt} noted since the journal was last emptied."""
        found: dict[str, dict[str, int]] = {}
        try:
            lines = self.path.read_text(encoding="utf-8").splitlines()
        except FileNotFoundError:
            return found
        for line in lines:
            try:
                entry = json.loads(line)
            except json.JSONDecodeError:
                continue  # a line torn by a crash: its send was never confirmed to us
            claims = {str(r): int(a) for r, a in entry["r"].items()}
            found.setdefault(str(entry["u"]), {}).update(claims)
        return found

    def empty(self) -> None:
        """Forget every entry (call only when all are recorded in the stores)."""
        os.truncate(self.path, 0)

    def rotate_if_big(self) -> None:
        if self._fd is not None and os.fstat(self._fd).st_size > ROTATE_BYTES:
            self.empty()


def forget_user(path: Path, user_id: str) -> None:
    """Remove `user_id`'s lines from the journal, in place (a running deliverer appends to it)."""
    try:
        with open(path, "r+b") as fh:
            lines = fh.read().splitlines(keepends=True)
            kept = [line for line in lines if not _is_users(line, user_id)]
            if len(kept) != len(lines):
                fh.seek(0)
                fh.write(b"".join(kept))
                fh.truncate()
                os.fsync(fh.fileno())
    except FileNotFoundError:
        return


def _is_users(line: bytes, user_id: str) -> bool:
    try:
        entry = json.loads(line)
    except ValueError:
        return False
    return isinstance(entry, dict) and str(entry.get("u")) == user_id
