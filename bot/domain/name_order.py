"""Names said family name first, and how their bearers are greeted.

The commonest Chinese, Korean and Vietnamese family names. A Chinese name is
said and greeted whole ("Li Na"); a Korean one by the given name after it
("Park Ji-hoon" is Ji-hoon), and a Vietnamese one by its last word ("Nguyen
Van Minh" is Minh). "Lee" and "Kim" are western given names too, so a Korean
name needs its hyphenated given name to be read as one.
"""

from __future__ import annotations

CHINESE = frozenset(
    "li wang zhang liu chen yang huang zhao wu zhou xu sun ma zhu hu guo he lin luo gao "  # noqa: SIM905
    "zheng liang xie tang song deng feng cao peng zeng xiao tian dong pan yuan cai jiang".split()
)
KOREAN = frozenset(
    "kim lee park choi jung kang cho yoon jang lim han oh seo shin kwon hwang ahn song".split()  # noqa: SIM905
)
VIETNAMESE = frozenset(
    "nguyen tran le pham hoang phan vu vo dang bui do ho ngo duong ly".split()  # noqa: SIM905
)
FAMILY_NAME_FIRST = CHINESE | KOREAN | VIETNAMESE
# Vietnamese family names that open French or English names too ("Le Roux", "Do Carmo").
_ALSO_WESTERN = frozenset({"le", "do", "ho", "ly"})


def greeted_as(words: list[str]) -> str | None:
    """The name to greet a family-name-first name by, or None if it is not one."""
    if len(words) < 2:
        return None
    family, rest = words[0].casefold(), words[1:]
    if family in VIETNAMESE and (len(words) >= 3 or family not in _ALSO_WESTERN):
        return rest[-1]  # "Le Van Minh" is Minh; "Le Roux" is no Vietnamese name
    if family in KOREAN and len(rest) == 1 and "-" in rest[0]:
        return rest[0]
    if family in CHINESE and len(rest) == 1 and rest[0].isalpha() and len(rest[0]) <= 6:
        return " ".join(words)
    return None
