"""Claim sheets: CSV, Excel, ClaimReview JSON-LD and a printable HTML sheet (issue #5).

Every format is built from an :class:`ExportData` (claims, the reports they
appear in, story titles and status labels), gathered from the store by
:func:`gather` so pages and CLI export exactly the same rows.

Hostile text (issue #6): any text cell that a spreadsheet would read as a
formula (starting with ``= + - @``, tab or carriage return, OWASP's CSV
injection list) is prefixed with an apostrophe by :func:`neutralise`; the
text stays readable and no cell becomes a formula. HTML escapes everything.
"""
from __future__ import annotations

import csv
import html
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Iterable, Mapping

from lib import desk
from lib.settings import Settings
from lib.vocab import DESK_STATUSES

FORMATS = ("csv", "xlsx", "claimreview", "html")
MEDIA_TYPES = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "claimreview": "application/ld+json",
    "html": "text/html",
}
EXTENSIONS = {"csv": "csv", "xlsx": "xlsx", "claimreview": "json", "html": "html"}

# OWASP CSV injection: characters that make a spreadsheet read a cell as a
# formula (plus their full-width forms, which some locales accept).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


def neutralise(value: Any) -> Any:
    """``value`` safe for a spreadsheet cell: text that a spreadsheet could
    read as a formula gets a leading apostrophe ('=1+1 -> "'=1+1"); numbers,
    dates and other text are returned unchanged."""
    if not isinstance(value, str) or not value:
        return value
    if value.startswith(_FORMULA_START) or value.lstrip(" ").startswith(_FORMULA_START):
        return "'" + value
    return value


@dataclass
class ExportData:
    """What a claim sheet is built from.

    ``reports``: {report id: {outlet, url, title, date}}; ``stories``: {story
    id: title}; ``labels``: {status code: screen label}.
    """

    claims: list[dict]
    reports: dict[str, dict] = field(default_factory=dict)
    stories: dict[str, str] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=lambda: {s.code: s.label for s in DESK_STATUSES})

    def label(self, code: str | None) -> str:
        code = code or "unreviewed"
        return self.labels.get(code, code)

    def story_title(self, claim: Mapping[str, Any]) -> str:
        sid = claim.get("story_id")
        return self.stories.get(sid, sid or "") if sid else ""

    def sources(self, claim: Mapping[str, Any]) -> list[dict]:
        """One entry per report carrying the claim: {report_id, outlet, url, title, date}."""
        out, seen = [], set()
        for a in claim.get("appearances") or []:
            rid = a.get("report_id")
            if rid in seen:
                continue
            seen.add(rid)
            r = self.reports.get(rid, {})
            out.append({"report_id": rid, "outlet": a.get("outlet") or r.get("outlet") or "",
                        "url": r.get("url") or "", "title": r.get("title") or "",
                        "date": _iso(r.get("date"))})
        return out


def _iso(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (date, datetime)):
        return value.isoformat()[:10]
    return str(value)[:10]


# -- gathering ----------------------------------------------------------------
def gather(store, *, story_id: str | None = None, status: str | None = None,
           claim_ids: Iterable[str] | None = None) -> ExportData:
    """Claims of a story, a status, a given id list, or all (dismissed ones left out)."""
    claims = [c for c in store.claims(story_id=story_id, status=status) if not c.get("dismissed")]
    states = store.desk_states()  # when each claim was last marked (ClaimReview's datePublished)
    claims = [{**c, "updated_at": states.get(c["id"], {}).get("updated_at")} for c in claims]
    if claim_ids is not None:
        wanted = set(claim_ids)
        claims = [c for c in claims if c.get("id") in wanted]
    reports = {r["id"]: r for r in store.reports()}
    stories = {s["id"]: s.get("title") or s["id"] for s in store.stories()}
    return ExportData(claims, reports, stories, store.status_labels())


# -- rows ---------------------------------------------------------------------
COLUMNS = ("Claim ID", "Story", "Claim", "Speaker", "Figures", "Outlets", "Report cues",
           "Suggested status", "Desk status", "Status code", "Note", "Evidence URL",
           "Assigned to", "Conflicts with", "Sources")


def rows(data: ExportData) -> list[dict[str, str]]:
    """One flat row per claim, columns as :data:`COLUMNS` (not yet neutralised)."""
    out = []
    for c in data.claims:
        sources = data.sources(c)
        out.append({
            "Claim ID": c.get("id") or "",
            "Story": data.story_title(c),
            "Claim": c.get("text") or "",
            "Speaker": c.get("speaker") or "",
            "Figures": desk.figures_text(c),
            "Outlets": ", ".join(desk.claim_outlets(c)),
            "Report cues": "; ".join(desk.cue_lines(c)),
            "Suggested status": data.label(c["suggested_status"]) if c.get("suggested_status") else "",
            "Desk status": data.label(c.get("status")),
            "Status code": c.get("status") or "unreviewed",
            "Note": c.get("note") or "",
            "Evidence URL": c.get("evidence_url") or "",
            "Assigned to": c.get("assignee") or "",
            "Conflicts with": ", ".join(c.get("conflicts_with") or []),
            "Sources": "\n".join(" ".join(x for x in (s["outlet"], s["date"], s["url"]) if x) for s in sources),
        })
    return out


# -- CSV ----------------------------------------------------------------------
def to_csv(data: ExportData) -> bytes:
    """UTF-8 with a BOM (Excel then shows accents), every field quoted and neutralised."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=COLUMNS, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writeheader()
    for row in rows(data):
        writer.writerow({k: neutralise(v) for k, v in row.items()})
    return buf.getvalue().encode("utf-8-sig")


# -- Excel --------------------------------------------------------------------
_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")
_WIDTHS = {"Claim ID": 18, "Story": 30, "Claim": 70, "Speaker": 24, "Figures": 24, "Outlets": 22,
           "Report cues": 36, "Suggested status": 18, "Desk status": 22, "Status code": 12,
           "Note": 30, "Evidence URL": 30, "Assigned to": 14, "Conflicts with": 20}


def _sheet_name(title: str, used: set[str]) -> str:
    base = _SHEET_BAD.sub(" ", title or "Claims").strip().strip("'")[:28] or "Claims"
    name, n = base, 2
    while name.lower() in used:
        name = f"{base[:25]} {n}"
        n += 1
    used.add(name.lower())
    return name


def _safe_url(url: str) -> bool:
    return url.lower().startswith(("http://", "https://"))


def to_xlsx(data: ExportData, *, sheet_per_story: bool = False) -> bytes:
    """An .xlsx workbook: bold, filled, frozen header with filters; wrapped
    text; a Story column, or one sheet per story; sources as hyperlinks
    (one column per report, 'Source 1', 'Source 2'...). No cell is a formula."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    groups: dict[str, list[dict]] = {}
    if sheet_per_story:
        for c in data.claims:
            groups.setdefault(data.story_title(c) or "No story", []).append(c)
    else:
        groups["Claims"] = list(data.claims)
    if not groups:
        groups["Claims"] = []

    wb = Workbook()
    wb.remove(wb.active)
    used: set[str] = set()
    header_font = Font(bold=True, color="FFFFFF")
    header_fill = PatternFill("solid", fgColor="1F3A5F")
    link_font = Font(color="0563C1", underline="single")
    wrap = Alignment(wrap_text=True, vertical="top")
    for title, claims in groups.items():
        ws = wb.create_sheet(_sheet_name(title, used))
        sub = ExportData(claims, data.reports, data.stories, data.labels)
        columns = [c for c in COLUMNS if c != "Sources" and not (sheet_per_story and c == "Story")]
        sheet_rows = rows(sub)
        n_sources = max((len(sub.sources(c)) for c in claims), default=1) or 1
        header = columns + [f"Source {i + 1}" for i in range(n_sources)]
        for col, name in enumerate(header, start=1):
            cell = ws.cell(row=1, column=col, value=name)
            cell.font, cell.fill = header_font, header_fill
            cell.alignment = Alignment(vertical="center", wrap_text=True)
            ws.column_dimensions[get_column_letter(col)].width = _WIDTHS.get(name, 28)
        for r, (claim, row) in enumerate(zip(claims, sheet_rows), start=2):
            for col, name in enumerate(columns, start=1):
                cell = ws.cell(row=r, column=col, value=neutralise(row[name]))
                cell.data_type = "s"  # text, never a formula
                cell.alignment = wrap
                if name == "Evidence URL" and _safe_url(row[name]):
                    cell.hyperlink, cell.font = row[name], link_font
            for i, src in enumerate(sub.sources(claim)):
                text = " ".join(x for x in (src["outlet"], src["date"]) if x) or src["url"] or src["report_id"]
                cell = ws.cell(row=r, column=len(columns) + 1 + i, value=neutralise(text))
                cell.data_type = "s"
                cell.alignment = wrap
                if src["url"] and _safe_url(src["url"]):
                    cell.hyperlink, cell.font = src["url"], link_font
        ws.freeze_panes = "A2"
        ws.auto_filter.ref = ws.dimensions
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# -- ClaimReview --------------------------------------------------------------
_ORG_WORDS = re.compile(r"\b(intelligence|ministry|military|army|forces|government|media|agency|office|"
                        r"news|press|service|council|command|kremlin|pentagon|department|official|officials|"
                        r"sources|reuters|politico|nato|un|eu|hur|isw)\b", re.I)


def _author_type(speaker: str) -> str:
    """'Person' for a name-like speaker ('John Kirby'), else 'Organization'."""
    words = speaker.split()
    if 2 <= len(words) <= 4 and all(w[:1].isupper() for w in words) and not _ORG_WORDS.search(speaker):
        return "Person"
    return "Organization"


def claim_review(claim: Mapping[str, Any], data: ExportData, settings: Settings) -> dict:
    """One schema.org ClaimReview for a claim with a desk status."""
    sources = data.sources(claim)
    appearance = []
    for s in sources:
        work: dict[str, Any] = {"@type": "CreativeWork"}
        if s["url"]:
            work["url"] = s["url"]
        if s["title"]:
            work["headline"] = s["title"]
        if s["date"]:
            work["datePublished"] = s["date"]
        if s["outlet"]:
            work["publisher"] = {"@type": "Organization", "name": s["outlet"]}
        appearance.append(work)
    item: dict[str, Any] = {"@type": "Claim", "appearance": appearance}
    if claim.get("speaker"):
        item["author"] = {"@type": _author_type(claim["speaker"]), "name": claim["speaker"]}
    dates = sorted(s["date"] for s in sources if s["date"])
    if dates:
        item["datePublished"] = dates[0]
    reviewed_at = claim.get("status_at") or claim.get("updated_at") or date.today()
    rating: dict[str, Any] = {"@type": "Rating", "alternateName": data.label(claim.get("status"))}
    review = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": settings.review_url.replace("{claim_id}", str(claim.get("id"))),
        "claimReviewed": claim.get("text") or "",
        "datePublished": _iso(reviewed_at),
        "author": {"@type": "Organization", "name": settings.newsroom},
        "reviewRating": rating,
        "itemReviewed": item,
    }
    return review


def to_claimreview(data: ExportData, settings: Settings) -> list[dict]:
    """ClaimReview objects for the claims with a desk status other than unreviewed."""
    return [claim_review(c, data, settings) for c in data.claims
            if (c.get("status") or "unreviewed") != "unreviewed" and not c.get("dismissed")]


# -- printable HTML -----------------------------------------------------------
_CSS = """
body{font:14px/1.45 system-ui,sans-serif;margin:2em;color:#111}
h1{font-size:1.5em;margin:0 0 .2em} h2{font-size:1.15em;margin:1.6em 0 .4em;border-bottom:2px solid #1f3a5f}
.meta{color:#555;margin-bottom:1.2em}
table{border-collapse:collapse;width:100%} th,td{border:1px solid #bbb;padding:4px 6px;vertical-align:top;text-align:left}
th{background:#1f3a5f;color:#fff} td.status{white-space:nowrap;font-weight:600}
@media print{body{margin:0} h2{break-after:avoid} tr{break-inside:avoid} a{color:inherit}}
"""


def to_html(data: ExportData, settings: Settings, *, title: str = "Claim sheet") -> str:
    """A self-contained printable sheet, one table per story; all text escaped."""
    e = html.escape
    groups: dict[str, list[dict]] = {}
    for c in data.claims:
        groups.setdefault(data.story_title(c) or "No story", []).append(c)
    parts = [f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{e(title)}</title>",
             f"<style>{_CSS}</style></head><body>",
             f"<h1>{e(title)}</h1><div class='meta'>{e(settings.newsroom)} · {len(data.claims)} claims · "
             f"printed {date.today().isoformat()}</div>"]
    for story, claims in groups.items():
        parts.append(f"<h2>{e(story)}</h2><table><thead><tr><th>Claim</th><th>Speaker</th><th>Figures</th>"
                     "<th>Sources</th><th>Report cues</th><th>Desk status</th><th>Note / evidence</th></tr></thead><tbody>")
        for c in claims:
            srcs = []
            for s in data.sources(c):
                label = e(" ".join(x for x in (s["outlet"], s["date"]) if x) or s["report_id"] or "")
                srcs.append(f"<a href='{e(s['url'])}'>{label}</a>" if _safe_url(s["url"]) else label)
            ev = c.get("evidence_url") or ""
            note = e(c.get("note") or "")
            if ev:
                note += (" " if note else "") + (f"<a href='{e(ev)}'>{e(ev)}</a>" if _safe_url(ev) else e(ev))
            # a joined claim's other verdicts stay on paper too (issue #9)
            line = desk.verdicts_line(c, data.labels)
            disagree = f"<br><small>{e(line)}</small>" if line else ""
            parts.append(
                "<tr>" f"<td>{e(c.get('text') or '')}</td><td>{e(c.get('speaker') or '')}</td>"
                f"<td>{e(desk.figures_text(c))}</td><td>{'<br>'.join(srcs)}</td>"
                f"<td>{'<br>'.join(e(x) for x in desk.cue_lines(c))}</td>"
                f"<td class='status'>{e(data.label(c.get('status')))}{disagree}</td><td>{note}</td></tr>")
        parts.append("</tbody></table>")
    parts.append("</body></html>")
    return "".join(parts)


# -- one entry point ----------------------------------------------------------
def render(data: ExportData, fmt: str, settings: Settings, *, sheet_per_story: bool = False,
           title: str = "Claim sheet") -> bytes:
    """The sheet in format ``fmt`` (one of :data:`FORMATS`) as bytes."""
    import json

    if fmt == "csv":
        return to_csv(data)
    if fmt == "xlsx":
        return to_xlsx(data, sheet_per_story=sheet_per_story)
    if fmt == "claimreview":
        return json.dumps(to_claimreview(data, settings), ensure_ascii=False, indent=2).encode("utf-8")
    if fmt == "html":
        return to_html(data, settings, title=title).encode("utf-8")
    from lib.errors import InvalidValue

    raise InvalidValue(f"Unknown export format {fmt!r}; expected one of {', '.join(FORMATS)}")
