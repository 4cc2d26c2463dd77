"""Plotly figures for the dashboard (issue #5). Pure: rows in, figure out.

User text reaches plotly only as data (hover text, category names), never as
HTML: plotly renders hover labels with its own tiny markup, so every text we
pass is escaped with :func:`plain`.
"""
from __future__ import annotations

import html
from collections import Counter, defaultdict
from typing import Any, Iterable, Mapping, Sequence

import plotly.graph_objects as go

from lib import desk

_LAYOUT = dict(margin=dict(l=10, r=10, t=40, b=10), legend=dict(orientation="h", y=-0.2),
               hoverlabel=dict(align="left"))


def plain(text: Any, limit: int = 160) -> str:
    """Text safe for plotly's hover/label markup: escaped, shortened."""
    text = str(text or "")
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return html.escape(text, quote=False)


def status_by_story(claims: Iterable[Mapping[str, Any]], stories: Mapping[str, str],
                    statuses: Sequence[Mapping[str, Any]], *, top: int = 15) -> go.Figure:
    """Stacked horizontal bars: claims per desk status for the ``top`` stories with most claims.

    ``stories``: {story id: title}; ``statuses``: [{code, label, colour}] in
    display order.
    """
    counts: dict[str, Counter] = defaultdict(Counter)
    for c in claims:
        if c.get("dismissed"):
            continue
        counts[c.get("story_id") or ""][c.get("status") or "unreviewed"] += 1
    order = sorted(counts, key=lambda s: -sum(counts[s].values()))[:top][::-1]
    names = [plain(stories.get(s, s) or "No story", 60) for s in order]
    fig = go.Figure()
    for st in statuses:
        values = [counts[s][st["code"]] for s in order]
        if any(values):
            fig.add_bar(y=names, x=values, name=plain(st["label"]), orientation="h",
                        marker_color=st.get("colour"), customdata=order,
                        hovertemplate="%{y}<br>" + plain(st["label"]) + ": %{x}<extra></extra>")
    fig.update_layout(barmode="stack", title="Claims by desk status per story",
                      height=max(260, 40 * len(order) + 120), xaxis_title="claims", **_LAYOUT)
    return fig


def coverage_timeline(reports: Iterable[Mapping[str, Any]]) -> go.Figure:
    """Reports by outlet and date: one marker per report, sized by how many that day."""
    per: Counter = Counter()
    titles: dict[tuple, list[str]] = defaultdict(list)
    for r in reports:
        if not r.get("date"):
            continue
        key = (r.get("outlet") or "unknown outlet", str(r["date"])[:10])
        per[key] += 1
        titles[key].append(plain(r.get("title"), 90))
    fig = go.Figure()
    outlets = sorted({k[0] for k in per})
    for outlet in outlets:
        keys = sorted(k for k in per if k[0] == outlet)
        fig.add_scatter(x=[k[1] for k in keys], y=[plain(outlet, 40)] * len(keys), mode="markers",
                        name=plain(outlet, 40), marker=dict(size=[10 + 4 * per[k] for k in keys]),
                        text=["<br>".join(titles[k][:5]) for k in keys],
                        hovertemplate="%{x}<br>%{text}<extra>%{y}</extra>")
    fig.update_layout(title="Coverage: reports by outlet and date", showlegend=False,
                      height=max(220, 36 * len(outlets) + 120), xaxis_type="date", **_LAYOUT)
    return fig


def figures_over_time(points: Sequence[Mapping[str, Any]], what: str) -> go.Figure:
    """The figures given for one quantity over time, one trace per source.

    ``points`` as :func:`lib.desk.figure_points` returns them; each marker
    carries its claim id in ``customdata`` so a selection leads to the claim.
    """
    fig = go.Figure()
    by_source: dict[str, list] = defaultdict(list)
    for p in points:
        if p["what"] == what:
            by_source[p["source"]].append(p)
    for source, pts in sorted(by_source.items()):
        pts = sorted(pts, key=lambda p: p["date"])
        fig.add_scatter(
            x=[p["date"] for p in pts], y=[p["value"] for p in pts], mode="markers+lines",
            name=plain(source, 50), marker=dict(size=12), line=dict(dash="dot"),
            customdata=[p["claim_id"] for p in pts],
            text=[f"{plain(p['label'], 60)}<br>{plain(p['text'], 120)}" for p in pts],
            hovertemplate="%{x}: %{text}<extra>" + plain(source, 50) + "</extra>")
    fig.update_layout(title=f"Figures over time: {plain(what, 80)}", xaxis_type="date",
                      yaxis_title=plain(what, 40), yaxis_tickformat=",", yaxis_rangemode="tozero", height=420, **_LAYOUT)
    return fig


def figure_caption(points: Sequence[Mapping[str, Any]], what: str) -> str:
    """'12,000 / 11,000 / 10,000 / 3,000' — the distinct values, largest first."""
    values = sorted({p["value"] for p in points if p["what"] == what}, reverse=True)
    return " / ".join(desk.format_number(v) for v in values)
