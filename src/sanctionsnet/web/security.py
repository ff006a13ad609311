"""The secret that signs the web interface's cookies, its login sessions and CSRF tokens.

- **Secret**: 32 random bytes in `<home>/web/secret.key`, created once (mode 0600) and
  shared by every worker of the server, so a cookie signed by one worker is valid in all
  and survives a restart; `$SANCTIONSNET_WEB_SECRET` overrides it.
- **Login**: with API keys configured, a browser logs in once with a key. The session
  cookie holds the key's short id (as the audit log names it), an expiry and an HMAC,
  never the key itself; removing a key from the configuration ends its sessions.
- **CSRF**: a signed double submit. A random nonce lives in an HttpOnly, SameSite=Strict
  cookie and every form that changes state carries HMAC(secret, nonce). A page on another
  site can neither read the cookie nor compute the token; the Origin header, when the
  browser sends one, must also be this site.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import os
import secrets
import time
from collections.abc import Iterable, Mapping
from pathlib import Path

from sanctionsnet.api.auth import key_id

SECRET_ENV = "SANCTIONSNET_WEB_SECRET"
SECRET_FILE = "secret.key"
SESSION_COOKIE = "sanctionsnet_session"
CSRF_COOKIE = "sanctionsnet_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
#: How long a login lasts.
SESSION_SECONDS = 12 * 3600


class CsrfError(Exception):
    """A state-changing request without a valid CSRF token (answered with 403)."""


def load_secret(web_home: Path) -> bytes:
    """The signing secret: from the environment, else the shared file (created on first use)."""
    env = os.environ.get(SECRET_ENV)
    if env:
        return hashlib.sha256(env.encode("utf-8")).digest()
    path = web_home / SECRET_FILE
    with contextlib.suppress(FileNotFoundError):
        data = path.read_bytes()
        if len(data) >= 32:
            return data[:32]
    try:
        web_home.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another worker created it first
        return _wait_for(path)
    except OSError:  # a read-only store: sessions last as long as this process
        return secrets.token_bytes(32)
    secret = secrets.token_bytes(32)
    with os.fdopen(fd, "wb") as fh:
        fh.write(secret)
        fh.flush()
        os.fsync(fh.fileno())
    return secret


def _wait_for(path: Path) -> bytes:
    for _ in range(100):
        data = path.read_bytes()
        if len(data) >= 32:
            return data[:32]
        time.sleep(0.01)
    raise OSError(f"{path}: the web secret file is incomplete; delete it and restart")


class Signer:
    """HMAC-SHA256 signatures, separated by purpose so a token of one kind never passes as another."""

    def __init__(self, secret: bytes) -> None:
        self._secret = secret

    def mac(self, purpose: str, payload: str) -> str:
        digest = hmac.new(self._secret, f"{purpose}\x00{payload}".encode(), hashlib.sha256)
        return base64.urlsafe_b64encode(digest.digest()).decode().rstrip("=")

    def sign(self, purpose: str, payload: str) -> str:
        return f"{payload}.{self.mac(purpose, payload)}"

    def unsign(self, purpose: str, token: str) -> str | None:
        payload, _, mac = token.rpartition(".")
        if not payload or not hmac.compare_digest(mac, self.mac(purpose, payload)):
            return None
        return payload

    # -- login sessions --------------------------------------------------------------

    def session(self, key: str, now: float | None = None) -> str:
        """A session cookie value for a login with `key`."""
        expires = int((now or time.time()) + SESSION_SECONDS)
        return self.sign("session", f"{key_id(key)}:{expires}")

    def session_key_id(
        self, value: str | None, valid_ids: Iterable[str], now: float | None = None
    ) -> str | None:
        """The key id of a valid, unexpired session whose key is still configured."""
        if not value:
            return None
        payload = self.unsign("session", value)
        if payload is None:
            return None
        ident, _, expires = payload.rpartition(":")
        if not expires.isdigit() or int(expires) < (now or time.time()):
            return None
        return ident if ident in set(valid_ids) else None

    # -- CSRF --------------------------------------------------------------------------

    def csrf_token(self, nonce: str) -> str:
        return self.mac("csrf", nonce)

    def check_csrf(
        self, nonce: str | None, token: str | None, origin: str | None, hosts: Iterable[str]
    ) -> None:
        """Raise CsrfError unless `token` is the one for the cookie's `nonce`, from this site.

        `hosts` are the names this server answers to in this request (its Host header, and
        a proxy's X-Forwarded-Host); a browser's Origin header must name one of them.
        """
        if origin == "null":
            raise CsrfError("the form was sent from an opaque origin")
        if origin and origin.split("://", 1)[-1].rstrip("/") not in set(hosts):
            raise CsrfError("the form was sent from another site")
        if not nonce or not token:
            raise CsrfError("the form has no CSRF token; reload the page and try again")
        if not hmac.compare_digest(token, self.csrf_token(nonce)):
            raise CsrfError("the form's CSRF token is not valid; reload the page and try again")


def new_nonce() -> str:
    return secrets.token_urlsafe(24)


def valid_nonce(value: str | None) -> bool:
    return (
        bool(value)
        and 16 <= len(value or "") <= 64
        and (value or "").replace("-", "").replace("_", "").isalnum()
    )


def key_ids(keys: Iterable[str]) -> dict[bytes, str]:
    """Configured keys by their SHA-256 digest -> short id (what the API middleware uses)."""
    return {hashlib.sha256(k.encode("utf-8")).digest(): key_id(k) for k in keys}


def presented_key(headers: Mapping[str, str]) -> str | None:
    """A key sent the way API clients send one (Authorization: Bearer/ApiKey, X-API-Key)."""
    auth = headers.get("authorization", "").strip()
    scheme, _, rest = auth.partition(" ")
    if scheme.lower() in ("bearer", "apikey") and rest.strip():
        return rest.strip()
    value = headers.get("x-api-key", "").strip()
    return value or None


def check_key(presented: str | None, keys: Iterable[str]) -> str | None:
    """The short id of `presented` if it is one of `keys`, else None (constant-time lookup)."""
    if not presented:
        return None
    digest = hashlib.sha256(presented.encode("utf-8", "replace")).digest()
    return key_ids(keys).get(digest)
