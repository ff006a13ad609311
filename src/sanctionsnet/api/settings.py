"""What one service process needs to know, passed to every worker through the environment.

uvicorn starts each worker by importing the app factory, so settings given on the
command line travel to the workers as environment variables (`to_env` in the
parent, `from_env` in each worker). Tests build `ServiceSettings` directly.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path

from sanctionsnet.errors import SanctionsNetError

ENV_PREFIX = "SANCTIONSNET_API_"

#: Largest request body accepted, in bytes (larger: 413).
MAX_BODY_BYTES = 1_000_000
#: Most queries in one /match or /reconcile request (more: 422).
MAX_QUERIES = 500
#: Longest single property value or search text, in characters.
MAX_VALUE_CHARS = 2_000
#: Most property values in one query (all properties together).
MAX_VALUES = 200
#: Seconds between two checks of the store for new list versions.
RELOAD_INTERVAL = 5.0
#: Batches of more queries than this are screened off the event loop.
INLINE_QUERIES = 4


class SettingsError(SanctionsNetError):
    """A service setting that cannot be used (unreadable keys file, bad number)."""


@dataclass(frozen=True)
class ServiceSettings:
    """Settings of the screening service; every field has a working default."""

    home: Path | None = None  # store location; None: $SANCTIONSNET_HOME or the user data dir
    api_keys: tuple[str, ...] = ()  # empty: no authentication
    audit_log: Path | None = None  # None: <home>/logs/audit.jsonl
    audit: bool = True
    max_body_bytes: int = MAX_BODY_BYTES
    max_queries: int = MAX_QUERIES
    max_value_chars: int = MAX_VALUE_CHARS
    max_values: int = MAX_VALUES
    reload_interval: float = RELOAD_INTERVAL  # 0 or less: never reload
    inline_queries: int = INLINE_QUERIES
    title: str = "sanctionsnet screening API"

    def store_home(self) -> Path:
        from sanctionsnet.config import home_dir

        return self.home if self.home is not None else home_dir()

    def audit_path(self) -> Path:
        return self.audit_log or self.store_home() / "logs" / "audit.jsonl"

    def with_keys_file(self, path: Path) -> ServiceSettings:
        """These settings plus the keys read from `path`."""
        return replace(self, api_keys=tuple(dict.fromkeys(self.api_keys + read_keys_file(path))))

    # -- environment ----------------------------------------------------------

    def to_env(self) -> dict[str, str]:
        env = {
            f"{ENV_PREFIX}AUDIT": "1" if self.audit else "0",
            f"{ENV_PREFIX}MAX_BODY_BYTES": str(self.max_body_bytes),
            f"{ENV_PREFIX}MAX_QUERIES": str(self.max_queries),
            f"{ENV_PREFIX}RELOAD_INTERVAL": str(self.reload_interval),
        }
        if self.home is not None:
            env["SANCTIONSNET_HOME"] = str(self.home)
        if self.api_keys:
            env[f"{ENV_PREFIX}KEYS"] = "\n".join(self.api_keys)
        if self.audit_log is not None:
            env[f"{ENV_PREFIX}AUDIT_LOG"] = str(self.audit_log)
        return env

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> ServiceSettings:
        env = dict(os.environ if environ is None else environ)
        keys = tuple(k.strip() for k in env.get(f"{ENV_PREFIX}KEYS", "").splitlines() if k.strip())
        settings = cls(
            home=Path(env["SANCTIONSNET_HOME"]) if env.get("SANCTIONSNET_HOME") else None,
            api_keys=keys,
            audit_log=Path(env[f"{ENV_PREFIX}AUDIT_LOG"])
            if env.get(f"{ENV_PREFIX}AUDIT_LOG")
            else None,
            audit=env.get(f"{ENV_PREFIX}AUDIT", "1") != "0",
            max_body_bytes=_int(env, "MAX_BODY_BYTES", MAX_BODY_BYTES),
            max_queries=_int(env, "MAX_QUERIES", MAX_QUERIES),
            reload_interval=_float(env, "RELOAD_INTERVAL", RELOAD_INTERVAL),
        )
        keys_file = env.get(f"{ENV_PREFIX}KEYS_FILE")
        if keys_file:
            settings = settings.with_keys_file(Path(keys_file))
        return settings


def read_keys_file(path: Path) -> tuple[str, ...]:
    """API keys from a file: one per line; blank lines and lines starting with # are skipped."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SettingsError(f"{path}: cannot read API keys file ({exc})") from exc
    keys = []
    for number, line in enumerate(text.splitlines(), start=1):
        key = line.strip()
        if not key or key.startswith("#"):
            continue
        if any(c.isspace() for c in key):
            raise SettingsError(f"{path}, line {number}: an API key cannot contain spaces")
        keys.append(key)
    if not keys:
        raise SettingsError(f"{path}: no API keys in the file")
    return tuple(keys)


def _int(env: dict[str, str], name: str, default: int) -> int:
    raw = env.get(ENV_PREFIX + name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(f"{ENV_PREFIX}{name}: not an integer: {raw!r}") from None
    if value < 1:
        raise SettingsError(f"{ENV_PREFIX}{name}: must be at least 1, got {value}")
    return value


def _float(env: dict[str, str], name: str, default: float) -> float:
    raw = env.get(ENV_PREFIX + name)
    if raw is None or raw == "":
        return default
    try:
        return float(raw)
    except ValueError:
        raise SettingsError(f"{ENV_PREFIX}{name}: not a number: {raw!r}") from None
