"""The office's ASGI app (Starlette) and how `server run` serves it (uvicorn, mutual TLS).

uvicorn does not put the peer certificate into the ASGI scope, so `PeerCertProtocol` (its
h11 protocol with one addition) reads the client certificate from the TLS connection when
the connection is made and puts its SHA-256 fingerprint into the connection's scope state.
Every request is then matched to an enrolled device by that fingerprint: a certificate of
this CA that was never enrolled (or one from another CA, which TLS already refuses) gets
nothing.
"""

from __future__ import annotations

import asyncio
import gzip
import json
import ssl
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from sqlalchemy import Engine
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route
from uvicorn.protocols.http.h11_impl import H11Protocol

from bwo_desktop.server import device_audit, store, tls

PEER_FINGERPRINT = "bwo_peer_fingerprint"
MAX_BODY = 64 * 1024 * 1024


class PeerCertProtocol(H11Protocol):
    """uvicorn's h11 protocol that records the client certificate's fingerprint."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        ssl_object = transport.get_extra_info("ssl_object")
        der = ssl_object.getpeercert(binary_form=True) if ssl_object is not None else None
        # A copy per connection: app_state is shared by all connections of the server.
        self.app_state = {
            **self.app_state,
            PEER_FINGERPRINT: tls.fingerprint_der(der) if der else None,
        }


async def _body(request: Request) -> Any:
    raw = await request.body()
    if len(raw) > MAX_BODY:
        raise store.Refused(413, "verzoek te groot")
    if request.headers.get("content-encoding") == "gzip":
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError):
            raise store.Refused(400, "verzoek onleesbaar (gzip)") from None
    try:
        return json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise store.Refused(400, "verzoek onleesbaar (geen JSON)") from None


Handler = Callable[[Engine, store.Device, Any], dict[str, Any]]


def _endpoint(engine: Engine, handler: Handler) -> Callable[[Request], Awaitable[JSONResponse]]:
    async def endpoint(request: Request) -> JSONResponse:
        try:
            fingerprint = request.scope.get("state", {}).get(PEER_FINGERPRINT)
            device = await run_in_threadpool(store.device_for, engine, fingerprint)
            body = await _body(request)
            answer = await run_in_threadpool(handler, engine, device, body)
        except store.Refused as refused:
            error: dict[str, Any] = {"error": refused.message}
            if refused.code:
                error["code"] = refused.code
            return JSONResponse(error, status_code=refused.status)
        return JSONResponse(answer)

    return endpoint


def create_app(engine: Engine) -> Starlette:
    routes = [
        Route("/hello", _endpoint(engine, store.hello), methods=["POST"]),
        Route("/push", _endpoint(engine, store.push), methods=["POST"]),
        Route("/pull", _endpoint(engine, store.pull), methods=["POST"]),
        Route("/audit", _endpoint(engine, device_audit.receive), methods=["POST"]),
    ]
    return Starlette(routes=routes, middleware=[Middleware(GZipMiddleware, minimum_size=1024)])


def serve(engine: Engine, host: str, port: int, tls_dir: Path) -> None:
    import uvicorn

    tls.ensure_ca(tls_dir)
    cert, key = tls.issue_server(tls_dir, host, port)
    uvicorn.run(
        create_app(engine),
        host=host,
        port=port,
        http=PeerCertProtocol,
        ssl_certfile=str(cert),
        ssl_keyfile=str(key),
        ssl_ca_certs=str(tls_dir / tls.CA_CERT),
        ssl_cert_reqs=ssl.CERT_REQUIRED,
        log_level="warning",
        access_log=False,  # paths only, but a log of who synced when is the audit chain's job
    )
