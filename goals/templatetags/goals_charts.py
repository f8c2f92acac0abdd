"""Server-rendered inline SVG charts of a key result's progress updates, and number formatting.

    {% load goals_charts %}
    {{ value|num }}                                     60, not 60.0000
    {{ row.progress|percent }}                          70.8 (a 0–100 score, one decimal at most)
    {{ plan.budget_amount|money }}                      50,000.00
    {% for currency, total in action_plans|budget_totals %}…{% endfor %}
    {% sparkline row.points target=kr.target label=kr.title %}
    {% line_chart points baseline=kr.baseline target=kr.target stretch=kr.stretch unit=kr.unit
                  title=… desc=… chart_id="kr-12" %}

`points` is a list of (date, number) pairs, oldest first. No JavaScript, no library: the
markup is built here, every text escaped, and the result is valid XML.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date
from decimal import Decimal, InvalidOperation

from django import template
from django.utils import formats
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

register = template.Library()

SVG_NS = "http://www.w3.org/2000/svg"
GROUPING_FROM = Decimal("10000")


# --- numbers -----------------------------------------------------------------------


def plain_number(value) -> str:
    """A number without trailing zeros or exponent: 60, 12.5, -3, 45,000 ("" for None)."""
    if value is None or value == "":
        return ""
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    if not number.is_finite():
        return str(value)
    number = number.normalize()
    if number == 0:
        number = Decimal("0")
    spec = ",f" if abs(number) >= GROUPING_FROM else "f"
    return format(number, spec)


@register.filter
def num(value) -> str:
    return plain_number(value)


@register.filter
def percent(value) -> str:
    """A 0–100 score for a progress bar, to one decimal at most: 70.8, 100 ("" for None)."""
    if value is None or value == "":
        return ""
    number = value if isinstance(value, Decimal) else Decimal(str(value))
    return plain_number(number.quantize(Decimal("0.1")))


# --- geometry ----------------------------------------------------------------------


def _f(value: float) -> str:
    """A coordinate with one decimal, no "-0"."""
    text = f"{value:.1f}"
    return "0.0" if text == "-0.0" else text


def _clean(points: Sequence) -> list[tuple[date, float, Decimal]]:
    result = []
    for day, value in points or []:
        if value is None:
            continue
        number = value if isinstance(value, Decimal) else Decimal(str(value))
        result.append((day, float(number), number))
    return result


def _domain(values: list[float]) -> tuple[float, float]:
    low, high = min(values), max(values)
    if low == high:
        pad = abs(low) * 0.1 or 1.0
        return low - pad, high + pad
    pad = (high - low) * 0.08
    return low - pad, high + pad


def _nice_step(span: float, count: int) -> float:
    raw = span / max(count, 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * magnitude:
            return factor * magnitude
    return 10 * magnitude


def _ticks(low: float, high: float, count: int = 5) -> list[float]:
    step = _nice_step(high - low, count)
    first = math.ceil(low / step) * step
    ticks = []
    value = first
    while value <= high + step * 1e-9:
        ticks.append(round(value, 10))
        value += step
    return ticks


def _tick_label(value: float) -> str:
    return plain_number(Decimal(repr(value)).quantize(Decimal("0.0001")))


class _Scale:
    def __init__(self, days: list[date], low: float, high: float, box: tuple[float, float, float, float]):
        self.left, self.top, self.right, self.bottom = box
        self.first = min(days) if days else None
        self.span_days = (max(days) - self.first).days if days else 0
        self.low, self.high = low, high

    def x(self, day: date) -> float:
        if not self.span_days:
            return (self.left + self.right) / 2
        return self.left + (day - self.first).days / self.span_days * (self.right - self.left)

    def y(self, value: float) -> float:
        return self.bottom - (value - self.low) / (self.high - self.low) * (self.bottom - self.top)


def _date_label(day: date, many_years: bool) -> str:
    return formats.date_format(day, "YEAR_MONTH_FORMAT" if many_years else "MONTH_DAY_FORMAT")


def _svg_open(*, css: str, width: int, height: int, label_attrs: str) -> str:
    return (
        f'<svg xmlns="{SVG_NS}" class="{css}" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" preserveAspectRatio="xMidYMid meet" role="img" {label_attrs}>'
    )


# --- sparkline ---------------------------------------------------------------------


def render_sparkline(points: Sequence, *, target=None, label: str = "", width: int = 120, height: int = 32) -> str:
    data = _clean(points)
    if data:
        last_day, _last_value, last_number = data[-1]
        summary = _("%(label)s: %(count)s progress updates, latest %(value)s on %(day)s.") % {
            "label": label,
            "count": len(data),
            "value": plain_number(last_number),
            "day": formats.date_format(last_day, "SHORT_DATE_FORMAT"),
        }
    else:
        summary = _("%(label)s: no progress updates yet.") % {"label": label}
    parts = [_svg_open(css="kr-spark", width=width, height=height, label_attrs=f'aria-label="{escape(summary)}"')]
    parts.append(f"<title>{escape(summary)}</title>")
    pad = 3.0
    if not data:
        middle = _f(height / 2)
        parts.append(
            f'<line class="kr-spark-empty" x1="{_f(pad)}" y1="{middle}" x2="{_f(width - pad)}" y2="{middle}" '
            'stroke="currentColor" stroke-opacity="0.35" stroke-dasharray="2 3"/>'
        )
        parts.append("</svg>")
        return "".join(parts)
    values = [v for _d, v, _n in data]
    target_value = float(target) if target is not None else None
    low, high = _domain([*values, *([target_value] if target_value is not None else [])])
    scale = _Scale([d for d, _v, _n in data], low, high, (pad, pad, width - pad, height - pad))
    if target_value is not None:
        y = _f(scale.y(target_value))
        parts.append(
            f'<line class="kr-spark-target" x1="{_f(pad)}" y1="{y}" x2="{_f(width - pad)}" y2="{y}" '
            'stroke="currentColor" stroke-opacity="0.45" stroke-dasharray="3 2"/>'
        )
    coords = [(scale.x(d), scale.y(v)) for d, v, _n in data]
    if len(coords) > 1:
        line = " ".join(f"{_f(x)},{_f(y)}" for x, y in coords)
        parts.append(
            f'<polyline class="kr-spark-line" points="{line}" fill="none" stroke="currentColor" '
            'stroke-width="1.5" stroke-linejoin="round" stroke-linecap="round"/>'
        )
    x, y = coords[-1]
    parts.append(f'<circle class="kr-spark-dot" cx="{_f(x)}" cy="{_f(y)}" r="2.5" fill="currentColor"/>')
    parts.append("</svg>")
    return "".join(parts)


@register.simple_tag
def sparkline(points, target=None, label="", width=120, height=32) -> SafeString:
    return mark_safe(render_sparkline(points, target=target, label=label, width=int(width), height=int(height)))  # noqa: S308 (every text is escaped)


# --- line chart --------------------------------------------------------------------


def render_line_chart(
    points: Sequence,
    *,
    baseline=None,
    target=None,
    stretch=None,
    range_low=None,
    range_high=None,
    unit: str = "",
    title: str = "",
    desc: str = "",
    chart_id: str = "chart",
    width: int = 640,
    height: int = 260,
) -> str:
    data = _clean(points)
    chart_id = "".join(ch for ch in str(chart_id) if ch.isalnum() or ch in "-_") or "chart"
    references = [
        (kind, label, float(value), value)
        for kind, label, value in (
            ("baseline", _("Baseline"), baseline),
            ("target", _("Target"), target),
            ("stretch", _("Stretch"), stretch),
            ("range", _("Range from"), range_low),
            ("range", _("Range to"), range_high),
        )
        if value is not None
    ]
    values = [v for _d, v, _n in data] + [r[2] for r in references]
    low, high = _domain(values) if values else (0.0, 1.0)
    ticks = _ticks(low, high)
    low, high = min(low, ticks[0]), max(high, ticks[-1])
    left, top, right, bottom = 64.0, 14.0, width - 96.0, height - 34.0
    days = [d for d, _v, _n in data]
    scale = _Scale(days, low, high, (left, top, right, bottom))
    suffix = f" {unit}" if unit else ""

    title_id, desc_id = f"{chart_id}-title", f"{chart_id}-desc"
    parts = [
        _svg_open(css="kr-chart", width=width, height=height, label_attrs=f'aria-labelledby="{title_id} {desc_id}"'),
        f'<title id="{title_id}">{escape(title)}</title>',
        f'<desc id="{desc_id}">{escape(desc)}</desc>',
        f'<rect class="kr-chart-frame" x="{_f(left)}" y="{_f(top)}" width="{_f(right - left)}" '
        f'height="{_f(bottom - top)}" fill="none" stroke="#dfe3e8"/>',
    ]
    # the y axis: grid lines with labels
    for tick in ticks:
        y = _f(scale.y(tick))
        parts.append(
            f'<line class="kr-chart-grid" x1="{_f(left)}" y1="{y}" x2="{_f(right)}" y2="{y}" stroke="#eef0f3"/>'
        )
        parts.append(
            f'<text class="kr-chart-axis" x="{_f(left - 6)}" y="{y}" text-anchor="end" dominant-baseline="middle" '
            f'font-size="11" fill="#5f6b7a">{escape(_tick_label(tick))}</text>'
        )
    if low < 0 < high:
        y = _f(scale.y(0))
        parts.append(
            f'<line class="kr-chart-zero" x1="{_f(left)}" y1="{y}" x2="{_f(right)}" y2="{y}" stroke="#8a94a3"/>'
        )
    if unit:
        parts.append(
            f'<text class="kr-chart-unit" x="{_f(left - 6)}" y="{_f(top - 3)}" text-anchor="end" font-size="11" '
            f'fill="#5f6b7a">{escape(unit)}</text>'
        )
    # the x axis: dates of the updates, at most one label per ~110 px
    unique_days = sorted(set(days))
    if unique_days:
        many_years = unique_days[0].year != unique_days[-1].year
        room = max(2, int((right - left) // 110))
        if len(unique_days) <= room:
            shown = unique_days
        else:
            step = (len(unique_days) - 1) / (room - 1)
            shown = sorted({unique_days[round(i * step)] for i in range(room)})
        parts.extend(
            f'<text class="kr-chart-axis" x="{_f(scale.x(day))}" y="{_f(bottom + 18)}" text-anchor="middle" '
            f'font-size="11" fill="#5f6b7a">{escape(_date_label(day, many_years))}</text>'
            for day in shown
        )
    # reference lines: baseline solid, target dashed, stretch dotted, a range as a band
    if range_low is not None and range_high is not None:
        y_high, y_low = scale.y(float(range_high)), scale.y(float(range_low))
        parts.append(
            f'<rect class="kr-chart-range" x="{_f(left)}" y="{_f(y_high)}" width="{_f(right - left)}" '
            f'height="{_f(max(y_low - y_high, 1))}" fill="#1e7b4d" fill-opacity="0.08"/>'
        )
    styles = {
        "baseline": 'stroke="#8a94a3" stroke-width="1"',
        "target": 'stroke="#1e7b4d" stroke-width="1.5" stroke-dasharray="6 4"',
        "stretch": 'stroke="#8a5a00" stroke-width="1.5" stroke-dasharray="2 3"',
        "range": 'stroke="#1e7b4d" stroke-width="1" stroke-dasharray="1 3"',
    }
    for kind, label, value, number in references:
        y = _f(scale.y(value))
        parts.append(
            f'<line class="kr-chart-{kind}" x1="{_f(left)}" y1="{y}" x2="{_f(right)}" y2="{y}" {styles[kind]}/>'
        )
        parts.append(
            f'<text class="kr-chart-ref" x="{_f(right + 4)}" y="{y}" dominant-baseline="middle" font-size="11" '
            f'fill="#5f6b7a">{escape(label)} {escape(plain_number(number))}</text>'
        )
    # the values
    if not data:
        parts.append(
            f'<text class="kr-chart-empty" x="{_f((left + right) / 2)}" y="{_f((top + bottom) / 2)}" '
            f'text-anchor="middle" font-size="13" fill="#5f6b7a">{escape(_("No progress updates yet"))}</text>'
        )
    else:
        coords = [(scale.x(d), scale.y(v)) for d, v, _n in data]
        if len(coords) > 1:
            line = " ".join(f"{_f(x)},{_f(y)}" for x, y in coords)
            parts.append(
                f'<polyline class="kr-chart-line" points="{line}" fill="none" stroke="#3456d1" stroke-width="2" '
                'stroke-linejoin="round" stroke-linecap="round"/>'
            )
        for (day, _v, number), (x, y) in zip(data, coords, strict=True):
            point_label = f"{formats.date_format(day, 'SHORT_DATE_FORMAT')}: {plain_number(number)}{suffix}"
            parts.append(
                f'<circle class="kr-chart-point" cx="{_f(x)}" cy="{_f(y)}" r="3.5" fill="#3456d1">'
                f"<title>{escape(point_label)}</title></circle>"
            )
    parts.append("</svg>")
    return "".join(parts)


@register.simple_tag
def line_chart(points, **options) -> SafeString:
    for name in ("width", "height"):
        if name in options:
            options[name] = int(options[name])
    return mark_safe(render_line_chart(points, **options))  # noqa: S308 (every text is escaped)


# --- money (action-plan budgets) -----------------------------------------------------


@register.filter
def money(value) -> str:
    """An amount with two decimals and thousands separators: 50,000.00 ("" for None)."""
    if value is None or value == "":
        return ""
    number = value if isinstance(value, Decimal) else Decimal(str(value))
    return format(number.quantize(Decimal("0.01")), ",f")


@register.filter
def budget_totals(action_plans) -> list[tuple[str, Decimal]]:
    """Σ budget per currency over action plans that are not cancelled, by currency code."""
    totals: dict[str, Decimal] = {}
    for plan in action_plans or []:
        if plan.budget_amount is None or plan.status == "cancelled":
            continue
        currency = plan.budget_currency or "CNY"
        totals[currency] = totals.get(currency, Decimal("0")) + plan.budget_amount
    return sorted(totals.items())
