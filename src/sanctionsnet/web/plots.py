"""Charts drawn on the server as SVG: no JavaScript, printable, readable by screen readers.

Each chart is an `<svg role="img">` with a title and a description, a `<title>` on every
mark (a tooltip on hover, a label for assistive technology), colours from the Okabe-Ito
palette (distinguishable with colour-blindness) and text in the page's own colour. The
pages show the same numbers in a table beside each chart.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from datetime import date

from markupsafe import Markup, escape

PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#B45309", "#56B4E9", "#000000")
_ids = itertools.count(1)


#: Colours with a meaning, each at least 3:1 against white (WCAG non-text contrast).
STATUS_COLOURS = {
    "open": "#C2410C",
    "reopened": "#7C3AED",
    "confirmed": "#0072B2",
    "suppressed": "#767676",
}
OUTCOME_COLOURS = {
    "breach": "#B91C1C",
    "notify": "#B45309",
    "review": "#0072B2",
    "exempt": "#047857",
    "clear": "#767676",
}


def nice_ticks(top: float, count: int = 5, integer: bool = False) -> list[float]:
    """Round tick values from 0 to at least `top` (whole numbers only for counts)."""
    if top <= 0:
        return [0.0, 1.0]
    raw = top / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    if integer:
        step = max(1.0, math.ceil(step))
    ticks = [0.0]
    while ticks[-1] < top:
        ticks.append(round(ticks[-1] + step, 10))
    return ticks


def _fmt(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


def _svg(width: int, height: int, title: str, desc: str, body: list[str]) -> Markup:
    n = next(_ids)
    return Markup(
        f'<svg class="chart" viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'aria-labelledby="chart{n}-t chart{n}-d" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="chart{n}-t">{escape(title)}</title><desc id="chart{n}-d">{escape(desc)}</desc>'
        + "".join(body)
        + "</svg>"
    )


def line_chart(
    series: Mapping[str, Sequence[tuple[date, float]]],
    *,
    title: str,
    y_label: str,
    width: int = 760,
    height: int = 320,
) -> Markup:
    """One line per series over dates (list sizes over versions); a point per version."""
    points = [p for values in series.values() for p in values]
    if not points:
        return _svg(width, 60, title, "no data", ['<text x="10" y="30">No data yet.</text>'])
    left, right, top, bottom = 70, 170, 20, 40
    x0, x1 = min(p[0] for p in points).toordinal(), max(p[0] for p in points).toordinal()
    if x0 == x1:
        x0, x1 = x0 - 1, x1 + 1
    ticks = nice_ticks(max(p[1] for p in points))
    y_top = ticks[-1]
    plot_w, plot_h = width - left - right, height - top - bottom

    def x(day: date) -> float:
        return left + (day.toordinal() - x0) / (x1 - x0) * plot_w

    def y(value: float) -> float:
        return top + plot_h - value / y_top * plot_h

    body = [
        f'<text x="14" y="{top + plot_h / 2}" class="axis-label" '
        f'transform="rotate(-90 14 {top + plot_h / 2})" text-anchor="middle">{escape(y_label)}</text>'
    ]
    for tick in ticks:
        body.append(
            f'<line x1="{left}" x2="{left + plot_w}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" '
            'class="grid"/>'
            f'<text x="{left - 6}" y="{y(tick) + 4:.1f}" text-anchor="end">{_fmt(tick)}</text>'
        )
    first, last = date.fromordinal(x0), date.fromordinal(x1)
    for day in _date_ticks(first, last):
        body.append(
            f'<text x="{x(day):.1f}" y="{top + plot_h + 18}" text-anchor="middle">{day:%Y-%m}</text>'
        )
    body.append(
        f'<line x1="{left}" x2="{left}" y1="{top}" y2="{top + plot_h}" class="axis"/>'
        f'<line x1="{left}" x2="{left + plot_w}" y1="{top + plot_h}" y2="{top + plot_h}" class="axis"/>'
    )
    for i, (name, values) in enumerate(series.items()):
        colour = PALETTE[i % len(PALETTE)]
        ordered = sorted(values)
        path = " ".join(f"{x(d):.1f},{y(v):.1f}" for d, v in ordered)
        body.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2.5"/>')
        for d, v in ordered:
            body.append(
                f'<circle cx="{x(d):.1f}" cy="{y(v):.1f}" r="4" fill="{colour}">'
                f"<title>{escape(name)} {d.isoformat()}: {_fmt(v)}</title></circle>"
            )
        ly = top + 14 + i * 20
        body.append(
            f'<rect x="{width - right + 14}" y="{ly - 9}" width="12" height="12" fill="{colour}"/>'
            f'<text x="{width - right + 32}" y="{ly + 1}">{escape(name)}</text>'
        )
    desc = "; ".join(
        f"{name}: " + ", ".join(f"{d.isoformat()} {_fmt(v)}" for d, v in sorted(values))
        for name, values in series.items()
    )
    return _svg(width, height, title, desc, body)


def _date_ticks(first: date, last: date) -> list[date]:
    span = last.year - first.year
    if span >= 2:
        step = max(1, math.ceil(span / 6))
        return [date(year, 1, 1) for year in range(first.year + 1, last.year + 1, step)] or [first]
    return [first, last] if first != last else [first]


def bar_chart(
    bars: Sequence[tuple[str, Mapping[str, float]]],
    *,
    title: str,
    x_label: str,
    series: Sequence[str] | None = None,
    labels: dict[str, str] | None = None,
    colours: Mapping[str, str] | None = None,
    width: int = 760,
) -> Markup:
    """Horizontal bars, stacked by series (alerts per score band and status, findings per measure).

    `colours` gives a series its own colour where it means something (red for a breach).
    """
    if not bars:
        return _svg(width, 60, title, "no data", ['<text x="10" y="30">No data yet.</text>'])
    names = list(series or dict.fromkeys(k for _, parts in bars for k in parts))
    labels = labels or {}
    label_w = min(300, 12 + 7 * max(len(label) for label, _ in bars))
    left, right, top = label_w, 30, 10
    bar_h, gap = 22, 8
    legend_h = 26 if len(names) > 1 else 0
    plot_h = len(bars) * (bar_h + gap)
    height = top + plot_h + 40 + legend_h
    counts = all(float(v).is_integer() for _, parts in bars for v in parts.values())
    ticks = nice_ticks(max(sum(parts.values()) for _, parts in bars), integer=counts)
    plot_w = width - left - right

    def x(value: float) -> float:
        return left + value / ticks[-1] * plot_w

    body: list[str] = []
    for tick in ticks:
        body.append(
            f'<line x1="{x(tick):.1f}" x2="{x(tick):.1f}" y1="{top}" y2="{top + plot_h}" class="grid"/>'
            f'<text x="{x(tick):.1f}" y="{top + plot_h + 16}" text-anchor="middle">{_fmt(tick)}</text>'
        )
    body.append(
        f'<text x="{left + plot_w / 2}" y="{top + plot_h + 34}" text-anchor="middle" '
        f'class="axis-label">{escape(x_label)}</text>'
    )
    for row, (label, parts) in enumerate(bars):
        y = top + row * (bar_h + gap)
        shown = label if len(label) * 7 <= label_w - 12 else label[: (label_w - 12) // 7 - 1] + "…"
        body.append(
            f'<text x="{left - 8}" y="{y + bar_h * 0.7:.1f}" text-anchor="end">'
            f"<title>{escape(label)}</title>{escape(shown)}</text>"
        )
        start = 0.0
        for i, name in enumerate(names):
            value = parts.get(name, 0)
            if not value:
                continue
            colour = (colours or {}).get(name, PALETTE[i % len(PALETTE)])
            body.append(
                f'<rect x="{x(start):.1f}" y="{y}" width="{x(start + value) - x(start):.1f}" '
                f'height="{bar_h}" fill="{colour}"><title>{escape(label)}: '
                f"{escape(labels.get(name, name))} {_fmt(value)}</title></rect>"
            )
            start += value
        body.append(f'<text x="{x(start) + 4:.1f}" y="{y + bar_h * 0.7:.1f}">{_fmt(start)}</text>')
    if legend_h:
        lx = left
        ly = top + plot_h + 44
        for i, name in enumerate(names):
            text = labels.get(name, name)
            body.append(
                f'<rect x="{lx}" y="{ly}" width="12" height="12" '
                f'fill="{(colours or {}).get(name, PALETTE[i % len(PALETTE)])}"/>'
                f'<text x="{lx + 16}" y="{ly + 11}">{escape(text)}</text>'
            )
            lx += 30 + 7 * len(text)
    desc = "; ".join(
        f"{label}: " + ", ".join(f"{labels.get(k, k)} {_fmt(v)}" for k, v in parts.items() if v)
        for label, parts in bars
    )
    return _svg(width, height, title, desc, body)
