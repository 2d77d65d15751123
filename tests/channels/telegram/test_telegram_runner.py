"""`rapport-coach run` as a real process against a local stub of the Bot API."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from telegram_fakes import ALICE, BOT, DATE

from bot.cli import main

REPO = Path(__file__).resolve().parents[3]
TOKEN = "424242:RUNNER-secret-token-abcdefghijklmnop"


class StubBotAPI(ThreadingHTTPServer):
    """Answers Bot API calls like Telegram would, recording (method, params)."""

    def __init__(self, reject_token: bool = False) -> None:
        super().__init__(("127.0.0.1", 0), _StubHandler)
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.paths: list[str] = []
        self.reject_token = reject_token

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def methods(self) -> list[str]:
        return [method for method, _ in self.calls]

    def wait_for(
        self, method: str, process: subprocess.Popen[str] | None = None, timeout: float = 20
    ) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for name, params in list(self.calls):
                if name == method:
                    return params
            if process is not None and process.poll() is not None:
                _, err = process.communicate()
                raise AssertionError(f"bot exited {process.returncode} before {method}: {err}")
            time.sleep(0.05)
        raise AssertionError(f"{method} never called; calls: {self.methods()}")


def form_params(body: str) -> dict[str, Any]:
    """Decode PTB's form body: each value is JSON unless it is a plain string."""
    params: dict[str, Any] = {}
    for key, value in urllib.parse.parse_qsl(body):
        try:
            params[key] = json.loads(value)
        except ValueError:
            params[key] = value
    return params


class _StubHandler(BaseHTTPRequestHandler):
    server: StubBotAPI

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length)
        method = self.path.rsplit("/", 1)[-1]
        params = form_params(body.decode())
        self.server.calls.append((method, params))
        self.server.paths.append(self.path)
        if self.server.reject_token:
            self._reply(401, {"ok": False, "error_code": 401, "description": "Unauthorized"})
            return
        if method == "getUpdates":
            time.sleep(0.2)  # a short long-poll keeps the log quiet
        result: Any = True
        if method == "getMe":
            result = BOT
        elif method == "getUpdates":
            result = []
        elif method == "sendMessage":
            chat = {"id": int(params["chat_id"]), "type": "private"}
            result = {"message_id": 1, "date": DATE, "chat": chat, "text": params["text"]}
        self._reply(200, {"ok": True, "result": result})

    def _reply(self, status: int, payload: dict[str, Any]) -> None:
        data = json.dumps(payload).encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the bot stopped while a long poll was open

    def log_message(self, format: str, *args: Any) -> None:
        return None


@pytest.fixture
def stub() -> Iterator[StubBotAPI]:
    server = StubBotAPI()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def rapport_coach(cwd: Path, *args: str, token: str | None = None) -> subprocess.Popen[str]:
    env = {
        k: v for k, v in os.environ.items() if k not in ("TELEGRAM_BOT_TOKEN", "RAPPORT_DATA_DIR")
    }
    env["PYTHONPATH"] = str(REPO)
    if token is not None:
        env["TELEGRAM_BOT_TOKEN"] = token
    return subprocess.Popen(
        [sys.executable, "-m", "bot", "run", *args],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def stop(process: subprocess.Popen[str]) -> tuple[int, str]:
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=20)
    return process.returncode, out + err


def test_run_without_a_token_exits_2_with_one_line(tmp_path: Path) -> None:
    process = rapport_coach(tmp_path)
    out, err = process.communicate(timeout=30)

    assert process.returncode == 2
    assert out == ""
    assert len(err.strip().splitlines()) == 1
    assert "TELEGRAM_BOT_TOKEN" in err
    assert "Traceback" not in err


@pytest.mark.parametrize("token", ["", "changeme", "your-token-here", "no-colon-here"])
def test_run_with_a_placeholder_token_exits_2_with_one_line(
    tmp_path: Path,
    token: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".env").write_text(f"TELEGRAM_BOT_TOKEN={token}\n")
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)

    code = main(["run", "--data-dir", str(tmp_path / "d")])

    out, err = capsys.readouterr()
    assert code == 2
    assert out == ""
    assert len(err.strip().splitlines()) == 1
    assert "TELEGRAM_BOT_TOKEN" in err


@pytest.mark.parametrize(
    "options",
    [
        ["--base-url", "localhost:8081"],
        ["--webhook-url", "ftp://example.org/hook"],
        ["--port", "70000"],
        ["--secret-token", "has spaces!"],
    ],
)
def test_bad_options_exit_2_with_one_line(
    tmp_path: Path,
    options: list[str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TOKEN)

    code = main(["run", *options])

    err = capsys.readouterr().err
    assert code == 2
    assert len(err.strip().splitlines()) == 1
    assert options[0] in err
    assert TOKEN not in err


def test_rejected_token_exits_2_without_a_traceback(tmp_path: Path) -> None:
    server = StubBotAPI(reject_token=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        process = rapport_coach(tmp_path, "--base-url", server.url, token=TOKEN)
        out, err = process.communicate(timeout=30)
    finally:
        server.shutdown()
        server.server_close()

    assert process.returncode == 2
    assert "rejected the bot token" in err
    assert "Traceback" not in err
    assert TOKEN not in out + err


def test_run_polls_a_self_hosted_bot_api_with_the_token_from_dotenv(
    tmp_path: Path, stub: StubBotAPI
) -> None:
    (tmp_path / ".env").write_text(f"TELEGRAM_BOT_TOKEN={TOKEN}\n")
    process = rapport_coach(
        tmp_path, "--base-url", stub.url, "--data-dir", str(tmp_path / "d"), "--log-level", "DEBUG"
    )
    try:
        stub.wait_for("getUpdates", process)
    finally:
        code, output = stop(process)

    methods = stub.methods()
    assert methods.index("getMe") < methods.index("setMyCommands") < methods.index("getUpdates")
    assert "deleteWebhook" in methods
    commands = stub.wait_for("setMyCommands")["commands"]
    assert {"command": "log", "description": "Log a meeting"} in commands
    assert all(path.startswith(f"/bot{TOKEN}/") for path in stub.paths)
    assert code == 0
    assert "getUpdates" in output or "Application started" in output  # it did log
    assert TOKEN not in output
    assert TOKEN.split(":")[1] not in output


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_webhook_mode_registers_the_hook_and_answers_updates_with_the_secret(
    tmp_path: Path, stub: StubBotAPI
) -> None:
    port = free_port()
    process = rapport_coach(
        tmp_path,
        "--base-url", stub.url,
        "--data-dir", str(tmp_path / "d"),
        "--webhook-url", "https://coach.example.org/telegram",
        "--listen", "127.0.0.1",
        "--port", str(port),
        "--secret-token", "s3cret_Value",
        token=TOKEN,
    )  # fmt: skip
    try:
        hook = stub.wait_for("setWebhook", process)
        update = {
            "update_id": 1,
            "message": {
                "message_id": 1,
                "date": DATE,
                "chat": {"id": ALICE["id"], "type": "private"},
                "from": ALICE,
                "text": "/help",
            },
        }

        def post(secret: str) -> int:
            request = urllib.request.Request(
                f"http://127.0.0.1:{port}/telegram",
                data=json.dumps(update).encode(),
                headers={
                    "Content-Type": "application/json",
                    "X-Telegram-Bot-Api-Secret-Token": secret,
                },
            )
            deadline = time.monotonic() + 20
            while True:
                try:
                    with urllib.request.urlopen(request, timeout=5) as response:
                        return int(response.status)
                except urllib.error.HTTPError as error:
                    return error.code
                except urllib.error.URLError as error:
                    # setWebhook can reach the stub a moment before the listener is up.
                    refused = isinstance(error.reason, ConnectionRefusedError)
                    if not refused or time.monotonic() > deadline:
                        raise
                    time.sleep(0.1)

        assert post("wrong") == 403
        assert post("s3cret_Value") == 200
        reply = stub.wait_for("sendMessage")
    finally:
        code, output = stop(process)

    assert hook["url"] == "https://coach.example.org/telegram"
    assert hook["secret_token"] == "s3cret_Value"
    assert reply["chat_id"] == ALICE["id"]
    assert "/log" in reply["text"]
    assert code == 0
    assert TOKEN not in output
    assert "s3cret_Value" not in output
