"""Trend charts drawn at build time as inline SVG (no JavaScript, no libraries).

Bars per year; a missing (blank) figure leaves a gap marked 无数据, never a
zero bar. Colours come from CSS classes so both light and dark themes work.
"""

from __future__ import annotations

import math
from decimal import Decimal
from html import escape

from markupsafe import Markup

Number = int | Decimal
W, H, PAD_L, PAD_B, PAD_T = 640, 220, 44, 28, 16


def _fmt(v: float) -> str:
    return f"{v:.1f}".rstrip("0").rstrip(".")


def _scale(top: float) -> float:
    """A round axis maximum at or above ``top``: four round steps (1, 2, 2.5, 3, 4, 5, 6, 8 × 10^k)."""
    if top <= 0:
        return 4.0
    raw = top / 4
    magnitude = 10 ** math.floor(math.log10(raw)) if raw >= 1 else 1
    step = next(m * magnitude for m in (1, 2, 2.5, 3, 4, 5, 6, 8, 10) if m * magnitude >= raw)
    return float(step * 4)


def _frame(
    title: str, ident: str, top: float, body: list[str], legend: list[tuple[str, str]]
) -> Markup:
    plot_h = H - PAD_B - PAD_T
    parts = [
        f'<svg class="gk-chart" viewBox="0 0 {W} {H + (18 if legend else 0)}" role="img" '
        f'aria-labelledby="{ident}-t" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{ident}-t">{escape(title)}</title>',
    ]
    for i in range(5):
        y = PAD_T + plot_h * i / 4
        parts.append(f'<line class="gk-grid" x1="{PAD_L}" x2="{W}" y1="{_fmt(y)}" y2="{_fmt(y)}"/>')
        label = _fmt(top * (4 - i) / 4)
        parts.append(
            f'<text class="gk-axis" x="{PAD_L - 6}" y="{_fmt(y + 4)}" text-anchor="end">{label}</text>'
        )
    parts += body
    step = min(100.0, (W - PAD_L) / max(len(legend), 1))
    for i, (css, text) in enumerate(legend):
        x = _fmt(PAD_L + i * step)
        parts.append(f'<rect class="{css}" x="{x}" y="{H + 4}" width="10" height="10"/>')
        parts.append(
            f'<text class="gk-axis" x="{_fmt(float(x) + 14)}" y="{H + 13}">{escape(text)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def bar_chart(
    title: str, ident: str, years: list[int], series: list[tuple[str, str, list[Number | None]]]
) -> Markup:
    """Grouped bars: ``series`` is (css class, legend label, one value per year)."""
    values = [float(v) for _, _, vs in series for v in vs if v is not None]
    top = _scale(max(values, default=0))
    plot_h = H - PAD_B - PAD_T
    slot = (W - PAD_L) / max(len(years), 1)
    bar = min(slot * 0.8 / max(len(series), 1), 48)
    body = []
    for i, year in enumerate(years):
        x0 = PAD_L + slot * i + (slot - bar * len(series)) / 2
        body.append(
            f'<text class="gk-axis" x="{_fmt(PAD_L + slot * (i + 0.5))}" y="{H - 8}" text-anchor="middle">{year}</text>'
        )
        if all(vs[i] is None for _, _, vs in series):
            body.append(
                f'<text class="gk-nodata" x="{_fmt(PAD_L + slot * (i + 0.5))}" y="{H - PAD_B - 4}" '
                'text-anchor="middle">无数据</text>'
            )
            continue
        for j, (css, label, vs) in enumerate(series):
            v = vs[i]
            x = x0 + bar * j
            if v is None:
                body.append(
                    f'<text class="gk-nodata" x="{_fmt(x + bar / 2)}" y="{H - PAD_B - 4}" '
                    f'text-anchor="middle">–<title>{year} {escape(label)}：无数据</title></text>'
                )
                continue
            h = plot_h * float(v) / top
            body.append(
                f'<rect class="{css}" x="{_fmt(x)}" y="{_fmt(H - PAD_B - h)}" width="{_fmt(bar - 2)}" '
                f'height="{_fmt(h)}"><title>{year} {escape(label)}：{v}</title></rect>'
            )
    legend = [(css, label) for css, label, _ in series] if len(series) > 1 else []
    return _frame(title, ident, top, body, legend)


def stacked_chart(
    title: str, ident: str, years: list[int], series: list[tuple[str, str, list[Number | None]]]
) -> Markup:
    """Stacked bars per year (e.g. the outcome mix); a year with any blank shows 无数据."""
    totals = [
        None
        if any(vs[i] is None for _, _, vs in series)
        else sum(float(vs[i]) for _, _, vs in series)  # type: ignore[arg-type]
        for i in range(len(years))
    ]
    top = _scale(max((t for t in totals if t is not None), default=0))
    plot_h = H - PAD_B - PAD_T
    slot = (W - PAD_L) / max(len(years), 1)
    bar = min(slot * 0.6, 48)
    body = []
    for i, year in enumerate(years):
        x = PAD_L + slot * i + (slot - bar) / 2
        body.append(
            f'<text class="gk-axis" x="{_fmt(x + bar / 2)}" y="{H - 8}" text-anchor="middle">{year}</text>'
        )
        if totals[i] is None:
            body.append(
                f'<text class="gk-nodata" x="{_fmt(x + bar / 2)}" y="{H - PAD_B - 4}" text-anchor="middle">无数据</text>'
            )
            continue
        y = float(H - PAD_B)
        for css, label, vs in series:
            h = plot_h * float(vs[i]) / top  # type: ignore[arg-type]
            if h > 0:
                y -= h
                body.append(
                    f'<rect class="{css}" x="{_fmt(x)}" y="{_fmt(y)}" width="{_fmt(bar)}" '
                    f'height="{_fmt(h)}"><title>{year} {escape(label)}：{vs[i]}</title></rect>'
                )
    return _frame(title, ident, top, body, [(css, label) for css, label, _ in series])
