"""Finding and reading regime files: the packaged ones by id, any other by path."""

from __future__ import annotations

from pathlib import Path

from sanctionsnet.errors import SanctionsNetError
from sanctionsnet.regime.hs import HSNomenclature
from sanctionsnet.regime.model import Regime
from sanctionsnet.regime.schema import Issue, RegimeError, parse_regime
from sanctionsnet.regime.yamlines import YamlSyntaxError, load

DATA_DIR = Path(__file__).resolve().parent / "data"
DEFAULT_REGIME = "un_dprk"

_CACHE: dict[tuple[Path, int, int, bool], Regime] = {}


def packaged_regimes() -> dict[str, Path]:
    """Regimes shipped with sanctionsnet, by id (the file name)."""
    return {p.stem: p for p in sorted(DATA_DIR.glob("*.yaml"))}


def regime_path(name: str) -> Path:
    """A packaged regime's id, or the path of a regime file."""
    packaged = packaged_regimes()
    if name in packaged:
        return packaged[name]
    path = Path(name).expanduser()
    if path.suffix.lower() in (".yaml", ".yml") or path.exists():
        if not path.is_file():
            raise SanctionsNetError(f"{path}: regime file not found")
        return path
    known = ", ".join(packaged) or "none"
    raise SanctionsNetError(
        f"unknown regime {name!r} (packaged: {known}; or give the path of a YAML file)"
    )


def read_regime(path: Path, hs: HSNomenclature | None = None) -> Regime:
    """Parse and check one regime file; RegimeError lists every bad rule with its line.

    With `hs`, every HS code of the rules must exist in the nomenclature.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise SanctionsNetError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise SanctionsNetError(f"{path}: not UTF-8 text ({exc.reason})") from None
    try:
        doc = load(text)
    except YamlSyntaxError as exc:
        raise RegimeError(str(path), [Issue(exc.line, "", exc.message)]) from None
    return parse_regime(doc, str(path), hs)


def load_regime(name: str = DEFAULT_REGIME, hs: HSNomenclature | None = None) -> Regime:
    """A regime by id or path, parsed once per file version."""
    path = regime_path(name).resolve()
    stat = path.stat()
    key = (path, stat.st_mtime_ns, stat.st_size, hs is not None)
    regime = _CACHE.get(key)
    if regime is None:
        regime = read_regime(path, hs)
        _CACHE[key] = regime
    return regime
