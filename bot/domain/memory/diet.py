"""What someone eats or drinks, worth remembering for a table: "vegetarian", "doesn't drink"."""

from __future__ import annotations

import re

# The note reader keeps such a detail; the memory words it as nothing a draft may quote.
DIET = re.compile(
    r"\b(?:vegetarian|veggie|vegan|pescatarian|gluten[\s-]free|allergic|allergy|allergies|halal|kosher|"
    r"lactose|coeliac|celiac|teetotal|sober|(?:doesn'?t|does\s+not|don'?t)\s+drink|non-drinker)\b",
    re.I,
)
