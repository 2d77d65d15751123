"""A stand-in Bot API server on loopback for worker processes: records every sendMessage.

Real worker processes (`rapport-coach serve`) talk to it over HTTP through
RAPPORT_BOT_API_URL, exactly as they would talk to a self-hosted Bot API.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl

BOT_USER = {"id": 999, "is_bot": True, "first_name": "Coach", "username": "coach_bot"}


@dataclass(frozen=True)
class Message:
    chat_id: int
    text: str
    at: float


class BotAPIServer:
    """Serve on 127.0.0.1:<free port> until `close`; `messages` lists what was sent."""

    def __init__(self) -> None:
        self.messages: list[Message] = []
        self.calls: dict[str, int] = {}
        self._lock = threading.Lock()
        self._ids = itertools.count(1)
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, as httpx expects

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                body = self.rfile.read(length).decode()
                kind = self.headers.get("Content-Type", "")
                params = json.loads(body) if "json" in kind else dict(parse_qsl(body))
                method = self.path.rsplit("/", 1)[-1]
                answer = json.dumps({"ok": True, "result": server.answer(method, params)})
                data = answer.encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args: Any) -> None:
                return None

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self._thread.start()

    def answer(self, method: str, params: dict[str, Any]) -> Any:
        with self._lock:
            self.calls[method] = self.calls.get(method, 0) + 1
        if method == "getMe":
            return BOT_USER
        if method == "sendMessage":
            chat_id = int(params["chat_id"])
            text = str(params.get("text", ""))
            with self._lock:
                self.messages.append(Message(chat_id, text, time.time()))
                message_id = next(self._ids)
            return {
                "message_id": message_id,
                "date": int(time.time()),
                "chat": {"id": chat_id, "type": "private"},
                "text": text,
            }
        return True

    def sent_to(self, chat_id: int) -> list[str]:
        with self._lock:
            return [m.text for m in self.messages if m.chat_id == chat_id]

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
