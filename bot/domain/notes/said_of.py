"""A verb in the form said of he or she, going on like one: "turns 40", "retires from".

Such a word after a name is no surname ("hamish retires"), and after "+" it goes on
about the one just spoken of ("doing an ironman + turns 40 on jan 9").
"""

from __future__ import annotations

import re

# What a verb said of someone goes on with: "turns 40", "surfs in", "retires from the yard".
_GOES_ON = re.compile(
    r"\s+(?:\d|(?:a|an|the|his|her|their|to|in|on|at|from|for|up|out|off|back|him|them)\b)"
)


def verb_said_of_someone(word: str, text: str, end: int) -> bool:
    """Whether `word`, ending at `end` in `text`, is such a verb and goes on like one."""
    if not word.endswith("s") or not _GOES_ON.match(text, end):
        return False
    from bot.domain.memory.morphology import verb_tags  # lemminflect loads on first use

    return "VBZ" in verb_tags(word.casefold())
