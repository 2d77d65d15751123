"""/garden: a valid PNG of sensible size for 0, 1, 5, 50 and 500 contacts, drawn lazily."""

from __future__ import annotations

import io
import random
import subprocess
import sys
from datetime import timedelta

import pytest
from PIL import Image

from bot.domain.clock import ManualClock
from bot.domain.insight.garden import LABEL_CELL, lay_out
from bot.domain.model import Contact, Tier
from bot.engine.coach import Coach
from bot.storage.tinydb_repository import TinyRepository

FIRST = [
    "Maria",
    "Tom",
    "Priya",
    "Sam",
    "Yuki",
    "Bilal",
    "Ana",
    "Kofi",
    "Lena",
    "Jonas",
    "Grace",
    "Zoë",
    "Siobhán",
    "Jürgen",
]
LAST = [
    "Lopez",
    "Baker",
    "Raman",
    "Ortiz",
    "Tanaka",
    "Hussain",
    "García",
    "Mensah",
    "Meyer",
    "Müller",
    "Kim",
    "O'Neill",
]


def people(count: int, clock: ManualClock, seed: int = 7) -> list[Contact]:
    rng = random.Random(seed)
    now = clock.now()
    return [
        Contact(
            id=f"c{n:04d}",
            name=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
            tier=rng.choices(list(Tier), weights=[1, 3, 10, 5])[0],
            created_at=now - timedelta(days=400),
            last_interaction_at=now - timedelta(days=rng.randint(0, 300)),
        )
        for n in range(count)
    ]


@pytest.mark.parametrize("count", [0, 1, 5, 50, 500])
def test_garden_is_a_valid_png_of_sensible_size(
    count: int, coach: Coach, repo: TinyRepository, clock: ManualClock
) -> None:
    with repo.session("u") as store:
        for contact in people(count, clock):
            store.save_contact(contact)
    (reply,) = coach.handle_text("u", "/garden")
    (picture,) = reply.files
    assert picture.photo
    data = picture.data
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    assert picture.name == "garden.png"
    with Image.open(io.BytesIO(data)) as image:
        image.verify()  # the whole file decodes
    with Image.open(io.BytesIO(data)) as image:
        width, height = image.size
        assert image.format == "PNG"
    assert width == 1200
    assert 300 <= height <= 4000  # Telegram takes up to 10,000 px across both sides
    assert 5_000 < len(data) < 2_000_000  # flat colours compress well; never megabytes
    if count == 0:
        assert "empty" in reply.text
    else:
        assert f"{count} plant" in reply.text


def test_small_plants_lose_their_labels_only_when_the_garden_is_crowded(clock: ManualClock) -> None:
    now = clock.now()
    for count in (1, 5, 50):
        garden = lay_out(people(count, clock), {}, now)
        assert garden.unlabelled == 0, count
    crowded = lay_out(people(500, clock), {}, now)
    assert crowded.unlabelled > 0
    labelled = [p for b in crowded.beds for p in b.plants if p.labelled]
    assert labelled, "the big plants (inner circle) keep their names"
    assert all(b.cell >= LABEL_CELL for b in crowded.beds if any(p.labelled for p in b.plants))


def test_size_follows_closeness_colour_freshness_and_drifting_wilts(clock: ManualClock) -> None:
    now = clock.now()
    inner = Contact(id="a", name="Ana", tier=Tier.INNER, last_interaction_at=now, created_at=now)
    far = Contact(
        id="b", name="Ben", tier=Tier.ACQUAINTANCE, last_interaction_at=now, created_at=now
    )
    late = Contact(
        id="c",
        name="Cem",
        tier=Tier.NETWORK,
        last_interaction_at=now - timedelta(days=200),
        created_at=now - timedelta(days=300),
    )
    drifting = Contact(id="d", name="Dev", drifting=True, last_interaction_at=now, created_at=now)
    garden = lay_out([inner, far, late, drifting], {"b": 10}, now)
    plants = {p.name: p for b in garden.beds for p in b.plants}
    assert plants["Ana"].closeness > plants["Ben"].closeness
    assert plants["Ana"].overdue == 0
    assert not plants["Ana"].wilting
    assert plants["Cem"].overdue == 2.0
    assert plants["Cem"].wilting
    assert plants["Dev"].wilting
    assert [b.title for b in garden.beds] == ["Inner circle", "Network", "Acquaintances"]
    assert garden.wilting == 2


def test_chat_start_up_does_not_import_pillow_or_rapidfuzz() -> None:
    code = (
        "import sys\n"
        "from bot.bootstrap import build_coach\n"
        "from bot.config import Settings\n"
        "import tempfile, pathlib\n"
        "coach = build_coach(Settings(data_dir=pathlib.Path(tempfile.mkdtemp())))\n"
        "coach.handle_text('me', '/help')\n"
        "assert 'PIL' not in sys.modules, 'Pillow imported at start-up'\n"
        "assert 'rapidfuzz' not in sys.modules, 'rapidfuzz imported at start-up'\n"
        "coach.handle_text('me', '/garden')\n"
        "assert 'PIL' in sys.modules\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
