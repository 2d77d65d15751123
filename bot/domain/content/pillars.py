"""The seven pillars from the seed chapter: why a message is worth sending."""

from __future__ import annotations

from enum import StrEnum


class Pillar(StrEnum):
    """A benefit of an authentic connection; every suggestion serves one."""

    TRUST = "trust"
    COLLABORATION = "collaboration"
    MENTORSHIP = "mentorship"
    OPPORTUNITIES = "opportunities"
    REPUTATION = "reputation"
    LONG_TERM = "long-term"
    FULFILMENT = "fulfilment"

    @property
    def label(self) -> str:
        """The pillar's name as the user sees it."""
        return _LABELS[self]

    @property
    def short(self) -> str:
        """A word or two for it, to sit quietly under a draft."""
        return _SHORT[self]


_LABELS = {
    Pillar.TRUST: "Trust and loyalty",
    Pillar.COLLABORATION: "Collaboration and knowledge sharing",
    Pillar.MENTORSHIP: "Emotional support and mentorship",
    Pillar.OPPORTUNITIES: "Referrals and opportunities",
    Pillar.REPUTATION: "Professional reputation",
    Pillar.LONG_TERM: "Long-term support",
    Pillar.FULFILMENT: "Personal fulfilment",
}
_SHORT = {
    Pillar.TRUST: "trust",
    Pillar.COLLABORATION: "knowledge sharing",
    Pillar.MENTORSHIP: "support",
    Pillar.OPPORTUNITIES: "opportunities",
    Pillar.REPUTATION: "reputation",
    Pillar.LONG_TERM: "long-term",
    Pillar.FULFILMENT: "fulfilment",
}
