"""Reading stakes as people write them: `50`, `50%`, `25-50`, `majority`, `>50`.

A stake that is not known exactly becomes an interval, so that the 50 % rules can be
computed at both ends and an entity blocked only at the upper end is reported as
"possibly blocked" instead of being decided silently.
"""

from __future__ import annotations

import re

from sanctionsnet.network.model import MAJORITY_LOW, Share

_NUMBER = r"(\d+(?:[.,]\d+)?)"
_EXACT_RE = re.compile(rf"^{_NUMBER}\s*%?$")
_RANGE_RE = re.compile(rf"^{_NUMBER}\s*%?\s*(?:-|–|—|to|\.\.)\s*{_NUMBER}\s*%?$", re.IGNORECASE)
_BOUND_RE = re.compile(rf"^(>=|≥|=>|>|<=|≤|=<|<)\s*{_NUMBER}\s*%?$")
_WORDS = {
    "majority": Share(MAJORITY_LOW, 100.0, "majority"),
    "majority stake": Share(MAJORITY_LOW, 100.0, "majority"),
    "minority": Share(0.0, 50.0, "minority"),
    "minority stake": Share(0.0, 50.0, "minority"),
    "all": Share(100.0, 100.0, "all"),
    "wholly owned": Share(100.0, 100.0, "wholly owned"),
    "sole": Share(100.0, 100.0, "sole"),
}


class ShareError(ValueError):
    """A stake that cannot be read; the message says what is accepted."""


def _number(text: str) -> float:
    value = float(text.replace(",", "."))
    if not 0.0 <= value <= 100.0:
        raise ShareError(f"stake {text}% is outside 0-100 %")
    return value


def parse_share(text: str | float | int | None) -> Share | None:
    """The stake written in `text`, or None when it is empty (control or unknown stake).

    Accepted: a percentage (`50`, `50%`, `33.3`, `33,3 %`), a range (`25-50`, `25 % to
    50 %`), a bound (`>50`, `>=50`, `<25`) and the words `majority` (more than 50 %),
    `minority` (up to 50 %), `all`/`wholly owned`/`sole` (100 %).
    """
    if text is None:
        return None
    if isinstance(text, int | float):
        value = float(text)
        if not 0.0 <= value <= 100.0:
            raise ShareError(f"stake {value:g}% is outside 0-100 %")
        return Share(value, value, f"{value:g}")
    raw = str(text).strip()
    if not raw:
        return None
    lowered = raw.casefold()
    if lowered in _WORDS:
        return _WORDS[lowered]
    m = _EXACT_RE.match(raw)
    if m:
        value = _number(m.group(1))
        return Share(value, value, raw)
    m = _RANGE_RE.match(raw)
    if m:
        low, high = _number(m.group(1)), _number(m.group(2))
        if low > high:
            raise ShareError(f"range {raw!r} has its lower bound above its upper bound")
        return Share(low, high, raw)
    m = _BOUND_RE.match(raw)
    if m:
        op, value = m.group(1), _number(m.group(2))
        if op == ">":
            # "More than": an infinitesimal above, as for "majority" (>50 is a majority).
            return Share(min(value + (MAJORITY_LOW - 50.0), 100.0), 100.0, raw)
        if op in (">=", "≥", "=>"):
            return Share(value, 100.0, raw)
        return Share(0.0, value, raw)
    raise ShareError(
        f"stake {raw!r} is not a percentage (50, 50%), a range (25-50), a bound (>50) "
        "or 'majority'; leave it empty for control or an unknown stake"
    )
