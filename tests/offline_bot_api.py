"""The Telegram edge for offline tests: a BaseRequest whose subclasses answer each call.

PTB sends every Bot API call through a `telegram.request.BaseRequest`; replacing
it is the one place tests stand in for Telegram's servers.
"""

from __future__ import annotations

import json
from typing import Any

from telegram.request import BaseRequest, RequestData


def answer_json(status: int, body: dict[str, Any]) -> tuple[int, bytes]:
    """Encode a Bot API answer."""
    return status, json.dumps(body).encode()


def ok(result: Any) -> tuple[int, bytes]:
    """A successful Bot API answer carrying `result`."""
    return answer_json(200, {"ok": True, "result": result})


class OfflineBotAPI(BaseRequest):
    """Answers Bot API calls in-process; subclasses implement `answer`."""

    @property
    def read_timeout(self) -> float | None:
        return 1.0

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = None,
        write_timeout: Any = None,
        connect_timeout: Any = None,
        pool_timeout: Any = None,
    ) -> tuple[int, bytes]:
        endpoint = url.rsplit("/", 1)[-1]
        params = dict(request_data.parameters) if request_data else {}
        if request_data is not None and request_data.multipart_data:
            # Uploaded files (a photo): part name -> (file name, content, mime type).
            params["_files"] = dict(request_data.multipart_data)
        return self.answer(endpoint, params)

    def answer(self, endpoint: str, params: dict[str, Any]) -> tuple[int, bytes]:
        """Return (HTTP status, body) for one call to `endpoint`."""
        raise NotImplementedError
