"""The laptop's kept connection to the office (sync_client.Connection): a request whose kept
connection breaks without an answer is sent once more on a new connection; when the office
refuses that one too (it went down mid-request) the line is the broken connection's, not
"niet bereikbaar" (which one used to depend on how fast the office's process ended)."""

from __future__ import annotations

import http.client
from typing import Any, ClassVar

import pytest

from bwo_desktop.services import sync_client
from bwo_desktop.services.sync_client import SyncRefused


class _Office:
    """Stands in for http.client.HTTPSConnection: answers a hello, then goes down
    mid-request (the kept connection ends without an answer), then refuses connections."""

    requests: ClassVar[list[str]] = []

    def __init__(self, *_args: Any, **_kwargs: Any) -> None:
        self.opened = len(_Office.requests)

    def request(self, _method: str, path: str, **_kwargs: Any) -> None:
        _Office.requests.append(path)
        if path == "/push":
            if self.opened == 0:
                raise http.client.RemoteDisconnected("closed without an answer")
            raise ConnectionRefusedError(111, "Connection refused")

    def getresponse(self) -> Any:
        class Answer:
            status, will_close, headers = 200, False, {}

            def read(self) -> bytes:
                return b'{"protocol": 1}'

        return Answer()

    def close(self) -> None:
        pass


def test_an_office_down_mid_request_is_a_broken_connection(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sync_client.http.client, "HTTPSConnection", _Office)
    monkeypatch.setattr(_Office, "requests", [])
    connection = object.__new__(sync_client.Connection)
    connection.base, connection.context = "https://127.0.0.1:9", None  # type: ignore[assignment]
    connection._host, connection._port, connection._prefix = "127.0.0.1", 9, ""
    connection._http = None

    assert connection.post("/hello", {}) == {"protocol": 1}
    with pytest.raises(SyncRefused) as refused:
        connection.post("/push", {"batch_id": "x", "rows": []})
    assert str(refused.value) == sync_client.BROKEN
    assert _Office.requests == ["/hello", "/push", "/push"]  # tried once more, then refused
