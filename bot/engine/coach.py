"""The conversation engine: (user, incoming text or button press) -> replies."""

from __future__ import annotations

import html
import logging
import secrets
from collections.abc import Callable
from dataclasses import replace

from bot.domain.clock import Clock
from bot.engine.features import build_router
from bot.engine.replies import Button, Reply
from bot.engine.router import Router
from bot.engine.turn import Turn
from bot.storage.atomic_json import StoreError
from bot.storage.repository import Repository
from bot.templates import TemplateLibrary

log = logging.getLogger(__name__)

# Telegram's own limit is 4096; a note longer than this is refused whole
# rather than cut, so nothing the user wrote is silently lost.
MAX_TEXT = 4000


class Coach:
    """Answers one user at a time; every channel talks to it."""

    def __init__(
        self,
        *,
        repository: Repository,
        templates: TemplateLibrary,
        clock: Clock,
        router: Router | None = None,
    ) -> None:
        self.repository = repository
        self.templates = templates
        self.clock = clock
        self.router = router or build_router()

    def handle_text(self, user_id: str, text: str) -> list[Reply]:
        """Answer a text message: a command, a step of a running flow, or a note."""
        return self._in_session(user_id, lambda turn: self._dispatch_text(turn, text))

    def handle_press(self, user_id: str, ref: str) -> list[Reply]:
        """Answer a button press identified by its opaque `ref`."""
        return self._in_session(user_id, lambda turn: self._dispatch_press(turn, ref))

    def handle_turn(self, user_id: str, answer: Callable[[Turn], list[Reply]]) -> list[Reply]:
        """Answer with `answer(turn)`: for what is neither text nor a press (an uploaded file)."""
        return self._in_session(user_id, answer)

    def _in_session(self, user_id: str, answer: Callable[[Turn], list[Reply]]) -> list[Reply]:
        try:
            with self.repository.session(user_id) as store:
                turn = Turn(store, self.templates, self.router, self.clock.now())
                for hook in self.router.on_incoming:
                    hook(turn)
                return self.issue_refs(turn, answer(turn))
        except StoreError as exc:
            # The file is left exactly as it was; the operator must look at it.
            log.error("store problem for a user: %s", exc)
            problem = html.escape(f"{exc.path.name} {exc.problem}")
            return [
                Reply(
                    f"I can't open your saved data right now ({problem}). "
                    "Nothing was changed. Please tell the person who runs this coach."
                )
            ]

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
        payload = turn.store.button(ref) if ref else None
        handler = self.router.actions.get(str(payload.get("op"))) if payload else None
        if payload is None or handler is None:
            return [turn.say("stale_button")]
        return handler(turn, payload)

    def issue_refs(self, turn: Turn, replies: list[Reply]) -> list[Reply]:
        """Swap each action payload for an opaque ref stored in the user's own store."""
        issued: dict[str, dict[str, object]] = {}
        out = []
        for reply in replies:
            rows = []
            for row in reply.buttons:
                new_row = []
                for button in row:
                    if button.payload is not None:
                        # 12 url-safe characters: far below Telegram's 64-byte callback limit.
                        ref = secrets.token_urlsafe(9)
                        issued[ref] = button.payload
                        button = Button(label=button.label, ref=ref)
                    new_row.append(button)
                rows.append(tuple(new_row))
            out.append(replace(reply, buttons=tuple(rows)))
        turn.store.put_buttons(issued)
        return out

    def menu(self) -> list[tuple[str, str]]:
        """Return (command, summary) pairs for /help and the Telegram menu."""
        return [(c.name, c.summary) for c in self.router.commands.values() if c.in_menu]
