"""The conversation engine: (user, incoming text or button press) -> replies."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from dataclasses import replace
from functools import partial

from bot.domain.clock import Clock
from bot.domain.memory.memory import remember
from bot.domain.model import FactKind
from bot.domain.notes.extractor import read_note
from bot.engine.buttons import STORED_OP, ButtonTokens, DoesNotFit
from bot.engine.features import build_router
from bot.engine.replies import Button, Payload, Reply, answer_to_press
from bot.engine.router import Router
from bot.engine.turn import Turn
from bot.storage.errors import StoreError
from bot.storage.repository import Repository, UserStore
from bot.templates import TemplateLibrary

log = logging.getLogger(__name__)

# Telegram's own limit is 4096; a note longer than this is refused whole
# rather than cut, so nothing the user wrote is silently lost.
MAX_TEXT = 4000


def clean_text(text: str) -> str:
    """Make incoming text valid Unicode: a lone surrogate becomes U+FFFD, NUL goes.

    Telegram and piped terminals can hand over both; either would fail
    later, when the text is written to disk or sent back.
    """
    if text.isascii():
        return text.replace("\x00", "")
    fixed = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    return fixed.replace("\x00", "")


# A note like a user's first: it meets the names, dates and word forms on the way.
WARM_UP_NOTE = (
    "Coffee with Maria Lopez (Acme). She loves trail running and runs the Berlin marathon "
    "on May 3. I promised to send her the podcast link by Friday."
)


class Coach:
    """Answers one user at a time; every channel talks to it.

    `channel` ("telegram", "terminal") is recorded with each new user, so
    their reminders are delivered by that channel only.
    """

    def __init__(
        self,
        *,
        repository: Repository,
        templates: TemplateLibrary,
        clock: Clock,
        router: Router | None = None,
        channel: str | None = None,
    ) -> None:
        self.repository = repository
        self.templates = templates
        self.clock = clock
        self.router = router or build_router()
        self.channel = channel
        self._tokens: ButtonTokens | None = None
        self.router.on_forget.append(self._forget_tokens)  # the tokens kept for them go too
        # How many payloads were too big for a token and had to be stored (a write each).
        self.stored_payloads = 0

    def warm_up(self) -> None:
        """Load what reading and remembering a note needs (name lists, word forms, dates) now.

        For a long-running server's start-up: otherwise the first user to log
        after a start waits about a second for it. Touches no store.
        """
        reading = read_note(WARM_UP_NOTE, now=self.clock.now(), timezone="UTC", contacts=[])
        for event in reading.events:
            remember(FactKind.EVENT, event.text, past=event.past)
        for detail in reading.details:
            remember(detail.kind, detail.text)

    @property
    def tokens(self) -> ButtonTokens:
        """The signer of this store's buttons."""
        if self._tokens is None:
            self._tokens = ButtonTokens(self.repository.secret(), self.router.actions.keys())
        return self._tokens

    def _forget_tokens(self, user_id: str) -> None:
        if self._tokens is not None:
            self._tokens.forget(user_id)

    def handle_text(self, user_id: str, text: str) -> list[Reply]:
        """Answer a text message: a command, a step of a running flow, or a note."""
        text = clean_text(text)
        return self._in_session(user_id, lambda turn: self._dispatch_text(turn, text))

    def handle_press(self, user_id: str, ref: str) -> list[Reply]:
        """Answer a button press identified by its opaque `ref`."""
        ref = clean_text(ref)
        return self._in_session(user_id, lambda turn: self._dispatch_press(turn, ref))

    def handle_turn(self, user_id: str, answer: Callable[[Turn], list[Reply]]) -> list[Reply]:
        """Answer with `answer(turn)`: for what is neither text nor a press (an uploaded file)."""
        return self._in_session(user_id, answer)

    def _in_session(self, user_id: str, answer: Callable[[Turn], list[Reply]]) -> list[Reply]:
        replies: list[Reply] | None = None
        try:
            with self.repository.session(user_id, channel=self.channel) as store:
                turn = Turn(
                    store,
                    self.templates,
                    self.router,
                    self.clock.now(),
                    erase_user=partial(self.repository.erase, user_id),
                )
                for hook in self.router.on_incoming:
                    hook(turn)
                replies = self.issue_refs(turn, answer(turn))
            # Kept in a name: the commit at the block's end may fail after this line.
            return replies  # noqa: RET504
        except StoreError as exc:
            # One line, no traceback: the condition is outside the code (a disk, a mount).
            log.error("store problem (%s) for a user: %s", exc.reason, exc)
            if replies is not None and not exc.records_unsaved:
                # Only conversation bookkeeping failed to save: the answer itself holds.
                return [*replies, self.store_problem(exc)]
            return [self.store_problem(exc)]

    def store_problem(self, exc: StoreError) -> Reply:
        """The one clear reply for a store failure; the files are as they were."""
        text = self.templates.render(
            f"replies/store/{exc.reason}.html.j2", file=exc.path.name, problem=exc.problem
        )
        return Reply(text)

    def _dispatch_text(self, turn: Turn, raw: str) -> list[Reply]:
        text = raw.strip()
        if not text:
            return [turn.say("empty")]
        if len(text) > MAX_TEXT:
            return [turn.say("too_long", length=len(text), limit=MAX_TEXT)]
        if text.startswith("/"):
            head, _, args = text.partition(" ")
            name = head[1:].split("@", 1)[0].lower()
            command = self.router.commands.get(name)
            if command is None:
                return [turn.say("unknown_command", command=head, commands=self.menu())]
            brief = (turn.flow() or {}).get("name") in self.router.brief_flows
            if brief and not command.handles_flow:
                turn.end_flow()
            return command.handler(turn, args.strip())
        flow = turn.flow()
        if flow is not None and flow.get("name") in self.router.flows:
            return self.router.flows[flow["name"]](turn, text)
        if self.router.plain_text is not None:
            return self.router.plain_text(turn, text)
        return [turn.say("plain_text_hint")]

    def _dispatch_press(self, turn: Turn, ref: str) -> list[Reply]:
        payload = self.payload(turn.store, ref)
        handler = self.router.actions.get(str(payload.get("op"))) if payload else None
        if payload is None or handler is None:
            return [turn.notice("stale_button")]
        return answer_to_press(payload, handler(turn, payload))

    def payload(self, store: UserStore, ref: str) -> Payload | None:
        """The payload behind a button `ref` pressed by the store's user, or None."""
        payload = self.tokens.read(store.user_id, ref) if ref else None
        if payload is not None and payload.get("op") == STORED_OP:
            return store.button(str(payload.get("ref", "")))
        # Refs from before signed tokens were kept in the store.
        return payload if payload is not None else (store.button(ref) if ref else None)

    def issue_refs(self, turn: Turn, replies: list[Reply]) -> list[Reply]:
        """Swap each action payload for a signed token (or, if it's too big, a stored one)."""
        stored: dict[str, Payload] = {}
        out = []
        user_id = turn.store.user_id
        for reply in replies:
            rows = []
            for row in reply.buttons:
                new_row = []
                for button in row:
                    if button.payload is not None:
                        button = Button(
                            label=button.label, ref=self._token(user_id, button.payload, stored)
                        )
                    new_row.append(button)
                rows.append(tuple(new_row))
            out.append(replace(reply, buttons=tuple(rows)))
        if stored:
            turn.store.put_buttons(stored)
        return out

    def _token(self, user_id: str, payload: Payload, stored: dict[str, Payload]) -> str:
        try:
            return self.tokens.make(user_id, payload)
        except DoesNotFit as exc:
            # Kept in the store instead: this costs the reply a write.
            log.debug("button payload %r kept in the store (%s)", payload.get("op"), exc)
            self.stored_payloads += 1
            ref = secrets.token_urlsafe(9)
            stored[ref] = payload
            return self.tokens.make(user_id, {"op": STORED_OP, "ref": ref})

    def menu(self) -> list[tuple[str, str]]:
        """Return (command, summary) pairs for /help and the Telegram menu."""
        return [(c.name, c.summary) for c in self.router.menu()]
