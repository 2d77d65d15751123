"""The Jinja2 environment over prompts/.

Templates ending in .html.j2 are coach replies and autoescape everything
they are given, so user text is always shown as text in Telegram HTML.
Templates ending in .txt.j2 are drafts the user will send: plain text, escaped
later by whichever reply shows them. User text is only ever passed in as
data; nothing the user types is compiled as a template. The sandbox keeps
edited templates from reaching Python internals.
"""

from __future__ import annotations

import os
import re
import time
import tomllib
from collections.abc import Callable, MutableMapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from jinja2 import (
    Environment,
    FileSystemLoader,
    StrictUndefined,
    Template,
    TemplateNotFound,
    pass_context,
    select_autoescape,
)
from jinja2.runtime import Context
from jinja2.sandbox import SandboxedEnvironment

import bot
from bot.domain import humanize
from bot.domain.content.how_it_went import how_it_went
from bot.domain.content.told_to_you import told_to_you
from bot.domain.notes.deadlines import latest_day

LIST_SECONDS = 1.0
MAX_COMPILED = 400  # templates kept by name (Jinja's own cache keeps as many)
# Metadata is TOML inside the template's leading Jinja comment: easy to read and lint.
_FRONT_MATTER = re.compile(r"\A\{#-?(.*?)-?#\}", re.DOTALL)


@dataclass(frozen=True)
class TemplateMeta:
    """What a template is for and which details it needs."""

    name: str
    situation: str
    pillar: str = ""
    tone: str = ""
    needs: tuple[str, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)


def default_prompts_dir() -> Path:
    """Return the built-in prompts: inside the installed package, else the checkout's."""
    package = Path(bot.__file__).resolve().parent
    installed = package / "prompts"
    return installed if installed.is_dir() else package.parent / "prompts"


class TemplateLibrary:
    """Renders prompts/ templates; `extra_dir` templates override built-in ones."""

    def __init__(self, extra_dir: Path | None = None) -> None:
        self.folders = [p for p in (extra_dir, default_prompts_dir()) if p is not None]
        self.env = _Sandbox(
            loader=_Loader([str(p) for p in self.folders], built_in=default_prompts_dir()),
            undefined=StrictUndefined,
            autoescape=select_autoescape(enabled_extensions=("html.j2",), default_for_string=False),
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.env.filters.update(
            span=humanize.span,
            ago=humanize.ago,
            day=_day,
            # "b4 xmas": no day was said, but the last day it leaves is known.
            latest=_latest,
            moment=_moment,
            clock=humanize.clock,
            day_month=humanize.day_month,
            month_year=humanize.month_year,
            # The note's "vouch for me" said back by the coach: "vouch for you".
            to_you=told_to_you,
            # "Ask Jonas how the Berlin half went", not "how it went: runs the Berlin half".
            how_it_went=how_it_went,
        )
        # name -> (metadata, "is the file unchanged?"), like Jinja's own template cache.
        self._meta: dict[str, tuple[TemplateMeta | None, Callable[[], bool]]] = {}
        self._listed: tuple[float, list[str]] | None = None
        # folder -> (the listing it was found in, its names): a log asks for its reflection
        # question's names each turn, and filtering every template's name costs 0.1 ms.
        self._named: dict[str, tuple[list[str], list[str]]] = {}
        self._compiled: dict[str, Template] = {}

    def render(self, name: str, /, **context: Any) -> str:
        """Render template `name` with `context`, trimmed of outer whitespace."""
        return self.template(name).render(**context).strip()

    def template(self, name: str) -> Template:
        """The compiled template `name`, loaded again once its file changed (as Jinja does).

        Kept by name here: Jinja's own cache takes a lock and reorders its LRU list on
        every lookup, a reminder ping renders three templates, and a burst sends thousands.
        """
        compiled = self._compiled.get(name)
        if compiled is None or not compiled.is_up_to_date:
            if len(self._compiled) >= MAX_COMPILED:
                self._compiled.clear()
            compiled = self._compiled[name] = self.env.get_template(name)
        return compiled

    def exists(self, name: str) -> bool:
        """Tell whether a template called `name` exists."""
        try:
            self.env.get_template(name)
        except TemplateNotFound:
            return False
        return True

    def names(self, folder: str) -> list[str]:
        """List template names under `folder` (e.g. "drafts/check-in"), sorted."""
        everything = self._all_names()
        kept = self._named.get(folder)
        if kept is None or kept[0] is not everything:
            if len(self._named) >= MAX_COMPILED:
                self._named.clear()
            prefix = folder.rstrip("/") + "/"
            kept = self._named[folder] = (
                everything,
                sorted(n for n in everything if n.startswith(prefix)),
            )
        return list(kept[1])

    def _all_names(self) -> list[str]:
        # Listing walks every folder (milliseconds); a new template shows within a second.
        now = time.monotonic()
        if self._listed is None or now - self._listed[0] > LIST_SECONDS:
            self._listed = (now, self.env.list_templates(extensions=["j2"]))
        return self._listed[1]

    def meta(self, name: str) -> TemplateMeta | None:
        """Return the TOML metadata of template `name`, or None if it has none.

        Re-read when the file changes, so an edited template's metadata and
        body (which Jinja reloads) never disagree.
        """
        cached = self._meta.get(name)
        if cached is None or not cached[1]():
            assert self.env.loader is not None
            source, _, uptodate = self.env.loader.get_source(self.env, name)
            self._meta[name] = (parse_meta(name, source), uptodate or (lambda: True))
        return self._meta[name][0]


class _Sandbox(SandboxedEnvironment):
    """The sandbox, remembering its verdicts: whether an attribute is safe depends
    only on the object's type and the attribute's name, and checking costs about
    as much as the rest of a reply's render."""

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self._verdicts: dict[tuple[type, str], bool] = {}

    def make_globals(self, d: MutableMapping[str, Any] | None) -> MutableMapping[str, Any]:
        """A template's globals as a plain dict, not Jinja's ChainMap over the environment's.

        Every render copies them into a new context, and iterating a ChainMap costs
        more than the rest of a short template's render. Nothing here changes the
        environment's globals after templates are loaded (Jinja advises against it).
        """
        return {**self.globals, **(d or {})}

    def getattr(self, obj: Any, attribute: str) -> Any:
        """`item.kind` on a plain dict: its key, looked up first when no dict attribute
        has that name. The same answer as Jinja's, which tries the attribute, catches
        the AttributeError and only then reads the key, on every field of every item."""
        if type(obj) is dict and not hasattr(dict, attribute):
            try:
                return obj[attribute]
            except KeyError:
                return self.undefined(obj=obj, name=attribute)
        return super().getattr(obj, attribute)

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        key = (type(obj), attr)
        verdict = self._verdicts.get(key)
        if verdict is None:
            if len(self._verdicts) >= _MAX_VERDICTS:  # subscripts may be user text
                self._verdicts.clear()
            verdict = self._verdicts[key] = super().is_safe_attribute(obj, attr, value)
        return verdict


_MAX_VERDICTS = 4096


class _Loader(FileSystemLoader):
    """Built-in templates are checked for edits at most once a second (a stat per
    template per reply otherwise); the user's own folder is checked every time."""

    def __init__(self, folders: list[str], built_in: Path) -> None:
        super().__init__(folders)
        self.built_in = os.path.join(built_in, "")  # with the trailing separator

    def get_source(
        self, environment: Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        source, path, uptodate = super().get_source(environment, template)
        if path.startswith(self.built_in):
            uptodate = _at_most_every(LIST_SECONDS, uptodate)
        return source, path, uptodate


def _at_most_every(seconds: float, check: Callable[[], bool]) -> Callable[[], bool]:
    """`check`, asked again only once `seconds` have passed; a False answer stays False."""
    last = [time.monotonic(), True]

    def uptodate() -> bool:
        now = time.monotonic()
        if last[1] and now - last[0] >= seconds:
            last[0], last[1] = now, check()
        return bool(last[1])

    return uptodate


# Dates read relative to the `today` a reply is rendered with (see humanize.day).
@pass_context
def _day(context: Context, on: Any, today: Any = None) -> str:
    return humanize.day(on, today or context.get("today"))


@pass_context
def _latest(context: Context, phrase: Any) -> Any:
    today = context.get("today")
    if not isinstance(phrase, str) or not isinstance(today, date):
        return None
    return latest_day(phrase, today)


@pass_context
def _moment(context: Context, when: Any, today: Any = None) -> str:
    return humanize.moment(when, today or context.get("today"))


def parse_meta(name: str, source: str) -> TemplateMeta | None:
    """Read the metadata from a template's leading comment, if it has any."""
    match = _FRONT_MATTER.match(source)
    if not match:
        return None
    data = tomllib.loads(match.group(1))
    if "situation" not in data:
        return None
    return TemplateMeta(
        name=name,
        situation=str(data.pop("situation")),
        pillar=str(data.pop("pillar", "")),
        tone=str(data.pop("tone", "")),
        needs=tuple(data.pop("needs", ())),
        extra=data,
    )
