"""Your data: /import (a file or a path), /export (three files) and the import preview.

An upload is read and planned, and the preview shown; the file's contents wait
in the user's own store (conversation state), so the Import button works after
a restart and carries only a short id. Nothing is written to contacts until
the user taps Import; then the plan is made again against the data as it is
now and applied in that one turn.
"""

from __future__ import annotations

import secrets
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.engine import progress
from bot.engine.replies import Button, Payload, Reply
from bot.engine.router import Router
from bot.engine.turn import Turn
from bot.templates import TemplateLibrary

if TYPE_CHECKING:
    from bot.transfer.bundle import Restore
    from bot.transfer.merge import ImportPlan
    from bot.transfer.people import AddressBook

IMPORT_STATE = "import"
FORGET_ME_STATE = "forget_me"
SHOWN_SKIPS = 6
SHOWN_NAMES = 5

# Set by the terminal entry point: only there may /import read a path on this machine.
_local_files: ContextVar[bool] = ContextVar("local_files", default=False)


@contextmanager
def local_files_allowed() -> Iterator[None]:
    """Let `/import PATH` read files on this machine during the block (the terminal chat)."""
    token = _local_files.set(True)
    try:
        yield
    finally:
        _local_files.reset(token)


def register(router: Router) -> None:
    """Register /import, /export and the import buttons."""

    @router.command("import", "Bring in contacts (phone, Google, LinkedIn, CSV)", usage="[file]")
    def import_(turn: Turn, args: str) -> list[Reply]:
        local = _local_files.get()
        if not args:
            return [turn.say("data/import_usage", local=local)]
        if not local:
            return [turn.say("data/import_usage", local=False, typed_path=True)]
        return _import_path(turn, args)

    @router.action("imp.go")
    def go(turn: Turn, payload: Payload) -> list[Reply]:
        pending = _pending(turn, payload)
        if pending is None:
            return [turn.say("data/import_gone")]
        from bot.transfer.merge import apply, plan_for

        name, upload = pending
        plan = plan_for(turn.store, upload, turn.now, progress.report)
        apply(turn.store, plan)
        turn.store.set_state(IMPORT_STATE, None)
        return [turn.say("data/import_done", name=name, plan=plan, **_counts(plan))]

    @router.action("imp.no")
    def cancel(turn: Turn, payload: Payload) -> list[Reply]:
        if _pending(turn, payload) is not None:
            turn.store.set_state(IMPORT_STATE, None)
        return [turn.say("data/import_cancelled")]

    @router.command("export", "Download everything I keep about you")
    def export(turn: Turn, args: str) -> list[Reply]:
        from bot.transfer.exports import build_export

        files = build_export(turn.store, turn.templates, turn.now)
        reply = turn.say(
            "data/export",
            names=[f.name for f in files],
            people=len(turn.store.contacts()),
            reminders=len(turn.store.reminders()),
        )
        return [Reply(reply.text, files=tuple(files))]

    _register_forget_me(router)


def ask_forget_me(turn: Turn) -> list[Reply]:
    """First of two steps before erasing everything: say what goes, offer an export first."""
    nonce = secrets.token_hex(4)
    turn.store.set_state(FORGET_ME_STATE, {"n": nonce})
    buttons = (
        (
            Button("Continue", payload={"op": "me.forget.next", "n": nonce}),
            Button("Keep everything", payload={"op": "me.forget.keep"}),
        ),
    )
    return [turn.say("data/forget_me_ask", **_holdings(turn), buttons=buttons)]


def _register_forget_me(router: Router) -> None:
    @router.action("me.forget.next")
    def forget_me_next(turn: Turn, payload: Payload) -> list[Reply]:
        if not _fresh_forget_me(turn, payload):
            return [turn.say("stale_button")]
        buttons = (
            (
                Button(
                    "Erase everything now", payload={"op": "me.forget.erase", "n": payload["n"]}
                ),
                Button("Keep everything", payload={"op": "me.forget.keep"}),
            ),
        )
        return [turn.say("data/forget_me_last", **_holdings(turn), buttons=buttons)]

    @router.action("me.forget.erase")
    def forget_me_erase(turn: Turn, payload: Payload) -> list[Reply]:
        if not _fresh_forget_me(turn, payload):
            return [turn.say("stale_button")]
        holdings = _holdings(turn)
        # Everything goes: folder, schedule entries, temp files; this turn then writes nothing.
        turn.erase_user()
        turn.router.forgot(turn.store.user_id)
        return [turn.say("data/forget_me_done", **holdings)]  # no buttons: nothing to store

    @router.action("me.forget.keep")
    def forget_me_keep(turn: Turn, payload: Payload) -> list[Reply]:
        turn.store.set_state(FORGET_ME_STATE, None)
        return [turn.say("forget_kept", contact=None)]


def _fresh_forget_me(turn: Turn, payload: Payload) -> bool:
    state = turn.store.state(FORGET_ME_STATE)
    return state is not None and bool(payload.get("n")) and state.get("n") == payload.get("n")


def _holdings(turn: Turn) -> dict[str, Any]:
    return {
        "people": len(turn.store.contacts()),
        "logs": sum(1 for _ in turn.store.interactions()),
        "reminders": len(turn.store.reminders()),
    }


def preview_upload(
    turn: Turn, name: str, data: bytes, *, columns: dict[str, str] | None = None
) -> list[Reply]:
    """Read an uploaded file and show what importing it would do; nothing is saved yet."""
    from bot.transfer.merge import plan_for
    from bot.transfer.people import UnreadableFile
    from bot.transfer.upload import read_upload

    try:
        upload = read_upload(name, data, columns=columns)
    except UnreadableFile as exc:
        return [turn.say("data/import_bad_file", name=name, problem=str(exc))]
    plan = plan_for(turn.store, upload, turn.now, progress.report)
    if not plan.changes_anything:
        turn.store.set_state(IMPORT_STATE, None)
        return [turn.say("data/import_nothing_new", name=name, plan=plan, **_counts(plan))]
    pending = secrets.token_hex(4)
    turn.store.set_state(IMPORT_STATE, _pack(pending, name, upload))
    adding = len(plan.new) + len(plan.updated)
    buttons = (
        (
            Button(
                f"Import {adding:,} {'person' if adding == 1 else 'people'}"
                if adding
                else "Import",
                payload={"op": "imp.go", "id": pending},
            ),
            Button("Cancel", payload={"op": "imp.no", "id": pending}),
        ),
    )
    return [turn.say("data/import_preview", name=name, plan=plan, buttons=buttons, **_counts(plan))]


def describe_plan(templates: TemplateLibrary, template: str, name: str, plan: ImportPlan) -> str:
    """Render a preview or summary template for `plan` (the command line prints these)."""
    return templates.render(
        f"replies/data/{template}.html.j2", name=name, plan=plan, cli=True, **_counts(plan)
    )


def _import_path(turn: Turn, typed: str) -> list[Reply]:
    from bot.transfer.upload import MAX_BYTES

    path = Path(typed.strip().strip("\"'")).expanduser()
    try:
        size = path.stat().st_size
        if path.is_dir():
            problem = "is a folder; give me the file inside it"
        elif size > MAX_BYTES:
            problem = f"is {size / 1_048_576:.1f} MB; I read files up to 5 MB"
        else:
            return preview_upload(turn, path.name, path.read_bytes())
    except OSError as exc:
        problem = f"can't be read ({exc.strerror or exc})"
    return [turn.say("data/import_bad_file", name=str(path), problem=problem)]


def _pack(pending: str, name: str, upload: AddressBook | Restore) -> dict[str, Any]:
    from bot.storage.records import to_record
    from bot.transfer.bundle import Restore

    what = "restore" if isinstance(upload, Restore) else "book"
    return {"id": pending, "file": name, "what": what, "upload": to_record(upload)}


def _pending(turn: Turn, payload: Payload) -> tuple[str, AddressBook | Restore] | None:
    """Return (file name, upload) if the button belongs to the import waiting now."""
    state = turn.store.state(IMPORT_STATE)
    if state is None or state.get("id") != payload.get("id"):
        return None
    from bot.storage.records import from_record
    from bot.transfer.bundle import Restore
    from bot.transfer.people import AddressBook

    upload: AddressBook | Restore = (
        from_record(Restore, state["upload"])
        if state.get("what") == "restore"
        else from_record(AddressBook, state["upload"])
    )
    return str(state.get("file", "")), upload


def _counts(plan: ImportPlan) -> dict[str, Any]:
    """What the preview and the summary say, worked out once."""
    reasons = Counter(s.reason for s in plan.skipped)
    birthdays = sum(1 for r in plan.reminders if r.kind.value == "birthday")
    return {
        "new_names": [c.name for c in plan.new[:SHOWN_NAMES]],
        "updated_fields": sorted({f for m in plan.updated for f in m.filled}),
        "shown_skips": plan.skipped[:SHOWN_SKIPS],
        "more_skips": max(0, len(plan.skipped) - SHOWN_SKIPS),
        "skip_reasons": reasons.most_common(4) if len(plan.skipped) > SHOWN_SKIPS else [],
        "birthdays": birthdays,
        "yearly": len(plan.reminders) - birthdays,
    }
