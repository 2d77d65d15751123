"""`rapport-coach run` against a Bot API that answers badly: one clear line, never the token."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_telegram_runner import TOKEN, StubBotAPI, _StubHandler, rapport_coach


class _BadGateway(_StubHandler):
    def do_POST(self) -> None:
        # A proxy error page that echoes the request path, token and all.
        page = f"<html><body><h1>502 Bad Gateway</h1><p>{self.path}</p></body></html>"
        self._raw(502, page)

    def _raw(self, status: int, page: str) -> None:
        data = page.encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


class _HtmlOk(_BadGateway):
    def do_POST(self) -> None:
        self._raw(200, f"<html><body>Welcome to nginx! {self.path}</body></html>")


def serve(handler: type[_StubHandler]) -> Iterator[StubBotAPI]:
    server = StubBotAPI()
    server.RequestHandlerClass = handler
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture(params=[_BadGateway, _HtmlOk], ids=["502-echoing-the-path", "html-answer"])
def bad_api(request: pytest.FixtureRequest) -> Iterator[StubBotAPI]:
    yield from serve(request.param)


@pytest.mark.parametrize("mode", ["polling", "webhook"])
def test_a_bad_bot_api_answer_ends_run_with_one_redacted_line(
    tmp_path: Path, bad_api: StubBotAPI, mode: str
) -> None:
    webhook = ["--webhook-url", "https://coach.example.org/hook", "--port", "18443"]
    process = rapport_coach(
        tmp_path,
        "--base-url",
        bad_api.url,
        "--data-dir",
        str(tmp_path / "d"),
        *(webhook if mode == "webhook" else []),
        token=TOKEN,
    )
    out, err = process.communicate(timeout=60)
    assert process.returncode == 1
    assert TOKEN not in out + err
    assert TOKEN.split(":")[1] not in out + err
    last = err.strip().splitlines()[-1]
    assert last.startswith("rapport-coach run: ")
    assert "Traceback" not in err
