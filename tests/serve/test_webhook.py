"""The webhook worker app: the secret, each update applied once, and nothing kept from a crash."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

import pytest
from channels.telegram.telegram_fakes import ALICE, BOB, DATE, TOKEN, RecordingRequest
from starlette.testclient import TestClient

from bot.config import Settings
from bot.serve import webhook
from bot.serve.webhook import SECRET_HEADER, create_app

SECRET = "webhook-secret-for-tests"
_ids = itertools.count(100)


def update(user: dict[str, Any], text: str, update_id: int | None = None) -> dict[str, Any]:
    content: dict[str, Any] = {"text": text}
    if text.startswith("/"):
        content["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
    return {
        "update_id": next(_ids) if update_id is None else update_id,
        "message": {
            "message_id": next(_ids),
            "date": DATE,
            "chat": {"id": user["id"], "type": "private", "first_name": user["first_name"]},
            "from": user,
            **content,
        },
    }


@pytest.fixture
def bot_api() -> RecordingRequest:
    return RecordingRequest()


@pytest.fixture
def client(pg_repository_for: Any, pg_url: str, bot_api: RecordingRequest) -> Iterator[TestClient]:
    settings = Settings(
        telegram_token=TOKEN, database_url=pg_url, webhook_secret=SECRET, serve_delivery=False
    )
    with TestClient(create_app(settings, request=bot_api)) as test_client:
        yield test_client


def post(client: TestClient, body: dict[str, Any], secret: str = SECRET) -> Any:
    return client.post("/telegram", json=body, headers={SECRET_HEADER: secret})


def sent_to(bot_api: RecordingRequest, user: dict[str, Any]) -> list[str]:
    return [
        str(c.params["text"])
        for c in bot_api.calls
        if c.method == "sendMessage" and int(c.params["chat_id"]) == user["id"]
    ]


def interactions(pg_url: str, user: dict[str, Any]) -> list[str]:
    import psycopg

    with psycopg.connect(pg_url) as conn:
        rows = conn.execute(
            "SELECT record->>'note' FROM interactions WHERE user_id = %s ORDER BY seq",
            (str(user["id"]),),
        ).fetchall()
    return [r[0] for r in rows]


def test_a_wrong_or_missing_secret_is_refused(
    client: TestClient, bot_api: RecordingRequest, pg_url: str
) -> None:
    body = update(ALICE, "/log Coffee with Maria Lopez")
    assert post(client, body, secret="guess").status_code == 403
    assert client.post("/telegram", json=body).status_code == 403
    assert sent_to(bot_api, ALICE) == []
    assert interactions(pg_url, ALICE) == []


def test_a_redelivered_update_is_applied_once(
    client: TestClient, bot_api: RecordingRequest, pg_url: str
) -> None:
    body = update(ALICE, "/log Coffee with Maria Lopez about her marathon")
    first = post(client, body)
    again = post(client, body)
    assert (first.status_code, first.text) == (200, "ok")
    assert (again.status_code, again.text) == (200, "duplicate")
    assert len(interactions(pg_url, ALICE)) == 1
    assert sum("Logged coffee with <b>Maria Lopez</b>" in t for t in sent_to(bot_api, ALICE)) == 1


def test_users_are_kept_apart(client: TestClient, bot_api: RecordingRequest) -> None:
    post(client, update(ALICE, "/log Coffee with Maria Lopez"))
    post(client, update(BOB, "/log Lunch with Tom Becker"))
    post(client, update(BOB, "/people"))
    bobs = "\n".join(sent_to(bot_api, BOB))
    assert "Tom Becker" in bobs
    assert "Maria" not in bobs


def test_a_crash_mid_update_keeps_nothing_and_the_retry_applies_it(
    client: TestClient, bot_api: RecordingRequest, pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = webhook.Application.process_update

    async def crash_after_the_turn(self: Any, update: Any) -> None:
        await real(self, update)
        raise RuntimeError("worker died before its commit")

    body = update(ALICE, "/log Coffee with Maria Lopez")
    monkeypatch.setattr(webhook.Application, "process_update", crash_after_the_turn)
    with pytest.raises(RuntimeError):
        post(client, body)
    assert interactions(pg_url, ALICE) == []
    monkeypatch.undo()
    assert post(client, body).text == "ok"
    assert len(interactions(pg_url, ALICE)) == 1
    assert post(client, body).text == "duplicate"


def test_not_an_update_is_a_bad_request(client: TestClient) -> None:
    response = client.post("/telegram", content=b"{not json", headers={SECRET_HEADER: SECRET})
    assert response.status_code == 400
    assert post(client, {"no": "update_id"}).status_code == 400


def test_health(client: TestClient) -> None:
    assert client.get("/healthz").text == "ok"
