"""Where commands, button actions and multi-step flows are registered.

Each feature module has a `register(router)` function; the coach only
dispatches. Adding a command never means editing the dispatcher.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from bot.engine.kept import PerUser
from bot.engine.replies import Payload, Reply

if TYPE_CHECKING:
    from bot.domain.model import Contact, Reminder
    from bot.engine.journal import SavedLog
    from bot.engine.turn import Turn

T = TypeVar("T")
CommandHandler = Callable[["Turn", str], list[Reply]]
ActionHandler = Callable[["Turn", Payload], list[Reply]]
FlowHandler = Callable[["Turn", str], list[Reply]]
AfterLogHook = Callable[["Turn", "SavedLog"], list[Reply]]
IncomingHook = Callable[["Turn"], None]


@dataclass(frozen=True)
class OwnDelivery:
    """How a reminder kind is delivered instead of as a ping (the digests).

    `takes` picks, from the others due with it, those its message carries;
    `render` writes that message, or returns None when there is nothing worth
    sending (the reminders still count as delivered).
    """

    takes: Callable[[Turn, Reminder, Sequence[Reminder], Mapping[str, Contact]], list[Reminder]]
    render: Callable[[Turn, Reminder, Sequence[Reminder], Mapping[str, Contact]], Reply | None]


@dataclass(frozen=True)
class Command:
    """A slash command: its handler and the one line /help and menus show."""

    name: str
    summary: str
    handler: CommandHandler
    usage: str = ""
    in_menu: bool = True
    # True for commands that manage the running flow themselves (/cancel).
    handles_flow: bool = False


@dataclass
class Router:
    """The registry the coach dispatches through."""

    commands: dict[str, Command] = field(default_factory=dict)
    actions: dict[str, ActionHandler] = field(default_factory=dict)
    flows: dict[str, FlowHandler] = field(default_factory=dict)
    # Flows that are one short question: any command means the user moved on.
    brief_flows: set[str] = field(default_factory=set)
    after_log: list[AfterLogHook] = field(default_factory=list)
    # Run on every message and button press, before it is answered.
    on_incoming: list[IncomingHook] = field(default_factory=list)
    # Run with the user's id when they forget someone or everything: what a feature
    # keeps in memory between turns (a ranking's index) is dropped with it.
    on_forget: list[Callable[[str], None]] = field(default_factory=list)
    plain_text: CommandHandler | None = None
    # Reminder kind (value) -> how it is delivered; other kinds become pings.
    deliveries: dict[str, OwnDelivery] = field(default_factory=dict)
    # The menu's order (by how often people use each command); the rest follow.
    menu_order: list[str] = field(default_factory=list)
    # What is kept per recent user for every feature that asks (see `kept`).
    _kept: dict[Callable[[], Any], PerUser[Any]] = field(default_factory=dict, repr=False)

    def kept(self, make: Callable[[], T]) -> PerUser[T]:
        """This router's one PerUser of `make()` (see kept.py), dropped with every forget.

        For what a module that registers nothing keeps between turns (the
        replanning index); a feature may keep its own in `register`.
        """
        found = self._kept.get(make)
        if found is None:
            mine: PerUser[T] = PerUser(make)
            found = self._kept.setdefault(make, mine)  # one wins if two threads ask at once
            if found is mine:
                self.on_forget.append(mine.drop)
        return found

    def forgot(self, user_id: str) -> None:
        """Tell every on_forget hook that the user forgot someone or everything."""
        for hook in self.on_forget:
            hook(user_id)

    def menu(self) -> list[Command]:
        """Commands for /help and the Telegram menu, most used first."""
        ranked = {name: rank for rank, name in enumerate(self.menu_order)}
        shown = [c for c in self.commands.values() if c.in_menu]
        return sorted(shown, key=lambda c: ranked.get(c.name, len(ranked)))

    def command(
        self,
        name: str,
        summary: str,
        *,
        usage: str = "",
        in_menu: bool = True,
        handles_flow: bool = False,
    ) -> Callable[[CommandHandler], CommandHandler]:
        """Register the decorated function as `/name`."""

        def decorate(handler: CommandHandler) -> CommandHandler:
            if name in self.commands:
                raise ValueError(f"/{name} registered twice")
            self.commands[name] = Command(name, summary, handler, usage, in_menu, handles_flow)
            return handler

        return decorate

    def action(self, op: str) -> Callable[[ActionHandler], ActionHandler]:
        """Register the decorated function for buttons whose payload op is `op`."""

        def decorate(handler: ActionHandler) -> ActionHandler:
            if op in self.actions:
                raise ValueError(f"action {op!r} registered twice")
            self.actions[op] = handler
            return handler

        return decorate

    def flow(
        self, name: str, *, ends_on_command: bool = False
    ) -> Callable[[FlowHandler], FlowHandler]:
        """Register the decorated function to receive plain text while flow `name` runs.

        With `ends_on_command`, any command ends the flow first, so a later
        line of text is not taken as a late answer to a forgotten question.
        """

        def decorate(handler: FlowHandler) -> FlowHandler:
            self.flows[name] = handler
            if ends_on_command:
                self.brief_flows.add(name)
            return handler

        return decorate
