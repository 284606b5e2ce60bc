"""What stands between the page and anyone else on the machine or on the web.

- **The secret.** Each run makes a random secret. The address printed by `qiframe serve` carries it once
  (`?token=…`); the first request with it gets an HttpOnly, SameSite=Strict cookie and is redirected to
  the same address without the token. Every request without the cookie (or the token) is refused with 403,
  so another user of the machine, or a page in another browser tab that guesses the port, reads nothing.
- **The Host header.** Only `127.0.0.1:PORT` and `localhost:PORT` are served: a DNS-rebinding page whose
  name now points at 127.0.0.1 still sends its own name, and is refused.
- **Forms.** A POST must come from the page itself: a browser's `Origin` and `Sec-Fetch-Site` headers,
  when sent, must say so, and every form carries a CSRF token derived from the secret (checked in `app`).
  SameSite=Strict already keeps the cookie off a cross-site POST; the token makes that not the only line.
- **Headers.** A content security policy that allows only the page's own scripts and styles (no inline
  script), no framing, no referrer sent to other sites, no caching of pages.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from urllib.parse import urlencode

from starlette.datastructures import URL
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse

SAFE_METHODS = ("GET", "HEAD")
HEADERS = {
    "content-security-policy": "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'",
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "same-origin",  # "no-referrer" would make browsers send `Origin: null` on forms
    "cache-control": "no-store",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
}


def new_secret() -> str:
    return secrets.token_urlsafe(24)


def csrf_token(secret: str) -> str:
    """The token every form carries: derived from the secret, so only a page served by this run has it."""
    return hmac.new(secret.encode(), b"qiframe form", hashlib.sha256).hexdigest()[:32]


def same(a: str | None, b: str) -> bool:
    return a is not None and hmac.compare_digest(a.encode(), b.encode())


class Guard:
    """ASGI middleware: the secret, the Host check and the origin of forms, before any route runs."""

    def __init__(self, app, secret: str, port: int) -> None:
        self.app = app
        self.secret = secret
        self.hosts = {f"127.0.0.1:{port}", f"localhost:{port}"}
        self.origins = {f"http://{h}" for h in self.hosts}
        self.cookie = f"qiframe-{port}"

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        refusal = self.refusal(Request(scope))

        async def send_with_headers(message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k.decode().lower() not in HEADERS]
                headers += [(k.encode(), v.encode()) for k, v in HEADERS.items()]
                message = {**message, "headers": headers}
            await send(message)

        await (refusal or self.app)(scope, receive, send_with_headers)

    def refusal(self, request: Request):
        """The response refusing the request, a redirect setting the cookie, or None to let it through."""
        if request.headers.get("host", "") not in self.hosts:
            return _refuse("This page is served only as 127.0.0.1 or localhost with its port.")
        if request.method not in (*SAFE_METHODS, "POST"):
            return PlainTextResponse("Method not allowed.", 405)
        token = request.query_params.get("token")
        if token is not None:
            if not same(token, self.secret):
                return _refuse("This address's token is not the one of the running server.")
            if request.method in SAFE_METHODS:
                rest = [(k, v) for k, v in request.query_params.multi_items() if k != "token"]
                target = URL(path=request.url.path, query=urlencode(rest))
                response = RedirectResponse(str(target), 303)
                response.set_cookie(self.cookie, self.secret, httponly=True, samesite="strict", path="/")
                return response
        elif not same(request.cookies.get(self.cookie), self.secret):
            return _refuse("Open the address that `qiframe serve` printed: it holds this run's secret.")
        if request.method == "POST":
            origin = request.headers.get("origin")
            if origin is not None and origin not in self.origins:
                return _refuse("A form from another site cannot change this evaluation.")
            if request.headers.get("sec-fetch-site", "same-origin") not in ("same-origin", "none"):
                return _refuse("A form from another site cannot change this evaluation.")
        return None


def _refuse(message: str) -> PlainTextResponse:
    return PlainTextResponse(f"403 Forbidden: {message}\n", 403)
