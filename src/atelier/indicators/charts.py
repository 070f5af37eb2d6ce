"""Tiny server-side charts: inline SVG built here (no library, no JavaScript, no CDN), readable on paper (black
text, patterns of grey lines, no colour needed). Each chart is a `Chart`: its SVG and the table it draws, which
the page shows under it and exports as CSV."""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape

from django.utils.safestring import SafeString, mark_safe

WIDTH = 640
STROKES = ("#1f4e79", "#b35900", "#2e7d32", "#6a1b9a")  # dark enough to print in grey
DASHES = ("", "6 3", "2 3", "8 3 2 3")


@dataclass
class Chart:
    code: str
    title: str
    headers: list[str]
    rows: list[list[str]]
    svg: SafeString = field(default_factory=lambda: mark_safe(""))


def _num(value: float) -> str:
    return f"{value:.1f}"


def _label(value: float) -> str:
    text = f"{value:,.1f}".rstrip("0").rstrip(".") if value % 1 else f"{int(value):,}"
    return text.replace(",", "\u00a0").replace(".", ",")


def line_chart(
    labels: list[str], series: list[tuple[str, list[float | None]]], *, title: str, unit: str = ""
) -> SafeString:
    """Lines over the labels (months); a missing value (None) breaks the line."""
    height, left, right, top, bottom = 240, 44, 36, 14, 44
    legend_h = 18 * len(series)
    values = [v for _name, vs in series for v in vs if v is not None]
    high = max(values, default=0) or 1
    plot_w, plot_h = WIDTH - left - right, height - top - bottom
    step = plot_w / max(1, len(labels) - 1)
    parts = [
        f'<svg class="ind-chart" viewBox="0 0 {WIDTH} {height + legend_h}" '
        f'role="img" aria-label="{escape(title)}" width="100%">',
        f'<line x1="{left}" y1="{top + plot_h}" x2="{WIDTH - right}" y2="{top + plot_h}" class="axis"/>',
        f'<line x1="{left}" y1="{top}" x2="{left}" y2="{top + plot_h}" class="axis"/>',
        f'<text x="{left - 4}" y="{top + 4}" text-anchor="end" '
        f'class="tick">{_label(high)}{escape(unit)}</text>',
        f'<text x="{left - 4}" y="{top + plot_h}" text-anchor="end" class="tick">0</text>',
    ]
    for i, label in enumerate(labels):
        x = left + i * step
        parts.append(
            f'<text x="{_num(x)}" y="{top + plot_h + 16}" '
            f'text-anchor="middle" class="tick">{escape(label)}</text>'
        )
    for n, (name, vs) in enumerate(series):
        stroke, dash = STROKES[n % len(STROKES)], DASHES[n % len(DASHES)]
        runs: list[list[str]] = [[]]
        for i, v in enumerate(vs):
            if v is None:
                runs.append([])
                continue
            x, y = left + i * step, top + plot_h - v / high * plot_h
            runs[-1].append(f"{_num(x)},{_num(y)}")
            parts.append(
                f'<circle cx="{_num(x)}" cy="{_num(y)}" r="2.5" fill="{stroke}"><title>{escape(name)} '
                f"· {escape(labels[i])} : {_label(v)}{escape(unit)}</title></circle>"
            )
        for run in runs:
            if len(run) > 1:
                parts.append(
                    f'<polyline points="{" ".join(run)}" fill="none" '
                    f'stroke="{stroke}" stroke-width="2" stroke-dasharray="{dash}"/>'
                )
        ly = height + 18 * n
        parts.append(
            f'<line x1="{left}" y1="{ly - 4}" x2="{left + 24}" y2="{ly - 4}" '
            f'stroke="{stroke}" stroke-width="2" stroke-dasharray="{dash}"/>'
        )
        parts.append(f'<text x="{left + 30}" y="{ly}" class="legend">{escape(name)}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))


def bar_chart(items: list[tuple[str, float]], *, title: str, unit: str = "") -> SafeString:
    """Horizontal bars, one per item, the value written at the end of each bar."""
    label_w, right, bar_h, gap = 180, 60, 16, 6
    height = max(1, len(items)) * (bar_h + gap) + gap
    high = max((v for _l, v in items), default=0) or 1
    plot_w = WIDTH - label_w - right
    parts = [
        f'<svg class="ind-chart" viewBox="0 0 {WIDTH} {height}" '
        f'role="img" aria-label="{escape(title)}" width="100%">'
    ]
    for i, (label, value) in enumerate(items):
        y = gap + i * (bar_h + gap)
        w = value / high * plot_w
        parts.append(
            f'<text x="{label_w - 6}" y="{y + bar_h - 4}" '
            f'text-anchor="end" class="tick">{escape(label[:28])}</text>'
        )
        parts.append(
            f'<rect x="{label_w}" y="{y}" width="{_num(w)}" height="{bar_h}" '
            f'class="bar"><title>{escape(label)} : {_label(value)}{escape(unit)}</title></rect>'
        )
        parts.append(
            f'<text x="{_num(label_w + w + 4)}" y="{y + bar_h - 4}" '
            f'class="tick">{_label(value)}{escape(unit)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))


def pareto(items: list[tuple[str, int]]) -> list[tuple[str, int, float]]:
    """Causes from the most frequent, each with the cumulative share (%) — the few causes that make most."""
    ordered = sorted(items, key=lambda kv: (-kv[1], kv[0]))
    total = sum(n for _l, n in ordered) or 1
    out, running = [], 0
    for label, n in ordered:
        running += n
        out.append((label, n, running * 100 / total))
    return out


def pareto_chart(rows: list[tuple[str, int, float]], *, title: str) -> SafeString:
    """Vertical bars from the most frequent cause, and the cumulative share as a line on a 0–100 % scale."""
    height, left, right, top, bottom = 260, 36, 40, 14, 90
    plot_w, plot_h = WIDTH - left - right, height - top - bottom
    high = max((n for _l, n, _c in rows), default=0) or 1
    slot = plot_w / max(1, len(rows))
    parts = [
        f'<svg class="ind-chart" viewBox="0 0 {WIDTH} {height}" '
        f'role="img" aria-label="{escape(title)}" width="100%">',
        f'<line x1="{left}" y1="{top + plot_h}" x2="{WIDTH - right}" y2="{top + plot_h}" class="axis"/>',
        f'<text x="{left - 4}" y="{top + 4}" text-anchor="end" class="tick">{high}</text>',
        f'<text x="{WIDTH - right + 4}" y="{top + 4}" class="tick">100 %</text>',
    ]
    points = []
    for i, (label, n, cumulative) in enumerate(rows):
        x = left + i * slot
        h = n / high * plot_h
        parts.append(
            f'<rect x="{_num(x + slot * 0.15)}" y="{_num(top + plot_h - h)}" width="{_num(slot * 0.7)}" '
            f'height="{_num(h)}" class="bar"><title>{escape(label)} : {n}</title></rect>'
        )
        cx = x + slot / 2
        parts.append(
            f'<text transform="translate({_num(cx)},{top + plot_h + 10}) '
            f'rotate(35)" class="tick">{escape(label[:22])}</text>'
        )
        points.append(f"{_num(cx)},{_num(top + plot_h - cumulative / 100 * plot_h)}")
    if points:
        parts.append(
            f'<polyline points="{" ".join(points)}" fill="none" '
            f'stroke="{STROKES[1]}" stroke-width="2" stroke-dasharray="6 3"/>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))
