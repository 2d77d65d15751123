"""A store's private copy of a record is what copy.copy gives, with its own lists."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from bot.domain.model import Contact, Fact, FactKind
from bot.storage.tinydb_repository import _shallow, clone

NOW = datetime(2026, 11, 27, 10, tzinfo=UTC)


def test_a_clone_has_its_own_lists_and_facts() -> None:
    facts = [Fact(FactKind.INTEREST, f"likes topic {n}", NOW) for n in range(3)]
    contact = Contact(id="c-000000000001", name="Maria Lopez", facts=facts, aliases=["M"])
    copied = clone(contact)
    assert copied == contact
    assert type(copied) is Contact
    assert copied.facts is not contact.facts
    assert copied.aliases is not contact.aliases
    assert all(a is not b and a == b for a, b in zip(copied.facts, facts, strict=True))
    copied.facts[0].text = "changed"
    assert facts[0].text == "likes topic 0"


@dataclass
class _OwnCopy:
    value: list[int] = field(default_factory=list)
    copies: int = 0

    def __copy__(self) -> Any:
        return _OwnCopy(list(self.value), self.copies + 1)


@dataclass
class _Slotted:
    __slots__ = ("value",)
    value: int


def test_a_class_with_its_own_copy_is_copied_its_way() -> None:
    assert _shallow(_OwnCopy([1])).copies == 1
    assert _shallow(_Slotted(3)).value == 3
    plain = Fact(FactKind.INTEREST, "likes sailing", NOW)
    assert _shallow(plain) == copy.copy(plain)
    assert _shallow(plain) is not plain
