"""Template metadata follows edits to the file, as the template body does."""

from __future__ import annotations

import os
from pathlib import Path

from bot.templates import TemplateLibrary

DRAFT = """{{#-
situation = "check-in"
pillar = "{pillar}"
needs = ["interest"]
-#}}
Hi {{{{ first_name }}}}, how is {{{{ interest }}}} going?
"""


def test_an_edited_template_is_read_again(tmp_path: Path) -> None:
    path = tmp_path / "drafts" / "check-in" / "mine.txt.j2"
    path.parent.mkdir(parents=True)
    path.write_text(DRAFT.format(pillar="trust"))
    library = TemplateLibrary(tmp_path)
    name = "drafts/check-in/mine.txt.j2"
    meta = library.meta(name)
    assert meta is not None
    assert (meta.situation, meta.pillar, meta.needs) == ("check-in", "trust", ("interest",))
    assert library.render(name, first_name="Maria", interest="the marathon") == (
        "Hi Maria, how is the marathon going?"
    )

    path.write_text(DRAFT.format(pillar="collaboration"))
    stat = path.stat()
    os.utime(path, (stat.st_atime, stat.st_mtime + 5))  # a later edit, whatever the clock
    edited = library.meta(name)
    assert edited is not None
    assert edited.pillar == "collaboration"
