"""The review desk's view logic, free of Streamlit (issue #5).

Pages read widgets and call these functions; tests call them directly with
hand-written claim rows. A claim row is a dict shaped like
``python -m lib claims --json`` (issue #4) plus the editors' fields
(``note``, ``evidence_url``, ``assignee``, ``dismissed``, ``version``,
``story_id``, ``new_evidence``...); every function here tolerates a missing
optional field.

- :class:`Filters`: what the editor filters on, to and from ``st.query_params``
  so every view is a shareable URL (codes in URLs, labels on screen).
- :func:`apply`, :func:`facets`, :func:`matches`: filtering, facet counts and
  full-text search over claim rows.
- :func:`claim_table`, :func:`status_edits`: the desk table and what an editor
  changed in it.
- :func:`format_figure`, :func:`cue_lines`...: how things read on screen.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, fields, replace
from typing import Any, Iterable, Mapping, Sequence

from lib.vocab import CUE_LABELS

QUALIFIER_WORDS = {"exact": "", "about": "about", "at_least": "at least",
                   "more_than": "more than", "up_to": "up to"}
PAGE_SIZE = 200


# -- how things read on screen ------------------------------------------------
def format_number(value: float | int | None) -> str:
    """12000 -> '12,000'; 2.5 -> '2.5'; None -> ''."""
    if value is None:
        return ""
    value = float(value)
    if value.is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def format_figure(figure: Mapping[str, Any]) -> str:
    """{'value': 12000, 'qualifier': 'about', 'unit': 'troops', 'parts': [2, 6000]}
    -> 'about 12,000 troops (2 × 6,000)'."""
    words = [QUALIFIER_WORDS.get(figure.get("qualifier") or "exact", ""),
             format_number(figure.get("value")), figure.get("unit") or ""]
    text = " ".join(w for w in words if w)
    parts = figure.get("parts") or []
    if len(parts) > 1:
        text += " (" + " × ".join(format_number(p) for p in parts) + ")"
    return text


def figures_text(claim: Mapping[str, Any]) -> str:
    return "; ".join(format_figure(f) for f in claim.get("figures") or [])


def claim_outlets(claim: Mapping[str, Any]) -> list[str]:
    """Outlets carrying the claim, in order of first appearance, no repeats."""
    seen: dict[str, None] = {}
    for a in claim.get("appearances") or []:
        seen.setdefault(a.get("outlet") or "unknown outlet", None)
    return list(seen)


def cue_lines(claim: Mapping[str, Any], outlet_of: Mapping[str, str] | None = None) -> list[str]:
    """The reports' own cues as read on the desk: 'Euronews: unable to independently verify'.

    ``outlet_of`` maps report ids to outlets; by default the claim's
    appearances give it. Reports without a cue are left out.
    """
    outlet_of = dict(outlet_of or {})
    for a in claim.get("appearances") or []:
        outlet_of.setdefault(a.get("report_id"), a.get("outlet") or "unknown outlet")
    lines: dict[str, None] = {}
    for cue in claim.get("cues") or []:
        status = cue.get("status") or "none"
        if status == "none":
            continue
        outlet = outlet_of.get(cue.get("report_id"), "a report")
        actor = cue.get("actor")
        who = f" ({actor})" if actor and actor != outlet else ""
        lines.setdefault(f"{outlet}: {CUE_LABELS.get(status, status)}{who}", None)
    return list(lines)


def cue_status(claim: Mapping[str, Any]) -> str:
    return ((claim.get("cue") or {}).get("status")) or "none"


def has_new_evidence(claim: Mapping[str, Any]) -> bool:
    """The 'new evidence since marked' flag (issue #5).

    The store may give it as ``new_evidence``; otherwise it is derived from
    ``evidence_key`` (cues + figures now) against ``marked_evidence_key``
    (what they were when an editor last marked or looked at the claim).
    """
    if "new_evidence" in claim:
        return bool(claim["new_evidence"])
    if (claim.get("status") or "unreviewed") == "unreviewed":
        return False
    marked, now = claim.get("marked_evidence_key"), claim.get("evidence_key")
    return bool(marked and now and marked != now)


def verdicts_line(claim: Mapping[str, Any], labels: Mapping[str, str] | None = None) -> str:
    """'Verdicts disagree: Denied by alice, Confirmed by bob' for a claim an
    editor's story merge joined from claims marked differently (issue #9);
    '' when its verdicts agree."""
    verdicts = claim.get("verdicts_disagree") or []
    if not verdicts:
        return ""
    labels = labels or {}
    return "Verdicts disagree: " + ", ".join(
        f"{labels.get(v.get('status'), v.get('status') or '')} by {v.get('by') or 'an editor'}" for v in verdicts)


def escape_markdown(text: str | None) -> str:
    """User text made inert for st.markdown/st.caption: markdown and HTML
    characters escaped, so a report's ``[link](...)`` or ``<img>`` shows literally."""
    if not text:
        return ""
    return re.sub(r"([\\`*_{}\[\]()#+\-.!|<>~$:])", r"\\\1", text)


# -- filters and shareable URLs ---------------------------------------------
_LIST_FIELDS = ("status", "speaker", "outlet", "cue")
_BOOL_FIELDS = ("conflict", "new_evidence", "dismissed", "disagree")


@dataclass(frozen=True)
class Filters:
    """What the desk shows. Empty means 'no restriction'.

    ``assignee`` is a user name, ``"me"`` (resolved against the signed-in
    user) or ``"none"`` (unassigned). ``q`` is a full-text query.
    """

    story: str = ""
    topic: str = ""
    status: tuple[str, ...] = ()
    speaker: tuple[str, ...] = ()
    outlet: tuple[str, ...] = ()
    cue: tuple[str, ...] = ()
    assignee: str = ""
    q: str = ""
    conflict: bool = False
    new_evidence: bool = False
    dismissed: bool = False  # show dismissed non-claims instead of live claims
    disagree: bool = False  # only claims whose joined verdicts disagree (issue #9)

    def to_params(self) -> dict[str, str | list[str]]:
        """Query-string form: only fields that are set; codes, not labels."""
        out: dict[str, str | list[str]] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if not value:
                continue
            if f.name in _LIST_FIELDS:
                out[f.name] = list(value)
            elif f.name in _BOOL_FIELDS:
                out[f.name] = "1"
            else:
                out[f.name] = str(value)
        return out

    @classmethod
    def from_params(cls, params: Mapping[str, str | Sequence[str]]) -> "Filters":
        """Inverse of :meth:`to_params`; unknown keys are ignored, bad values dropped.

        Each value may be a string or a list of strings (repeated keys, as
        ``st.query_params.get_all`` gives them); list fields also accept
        comma-separated codes.
        """
        values: dict[str, Any] = {}
        for f in fields(cls):
            raw = params.get(f.name)
            if raw is None:
                continue
            items = [raw] if isinstance(raw, str) else list(raw)
            items = [str(i).strip() for i in items if str(i).strip()]
            if not items:
                continue
            if f.name in _LIST_FIELDS:
                split = [p.strip() for i in items for p in (i.split(",") if f.name in ("status", "cue") else [i])]
                values[f.name] = tuple(dict.fromkeys(p for p in split if p))
            elif f.name in _BOOL_FIELDS:
                values[f.name] = items[-1].lower() in ("1", "true", "yes", "on")
            else:
                values[f.name] = items[-1][:500]
        return cls(**values)

    def with_(self, **changes: Any) -> "Filters":
        return replace(self, **changes)

    @property
    def active(self) -> bool:
        return self != Filters()


def query_params_dict(query_params: Any) -> dict[str, list[str]]:
    """``st.query_params`` (or any mapping) as {key: [values]} for :meth:`Filters.from_params`."""
    if hasattr(query_params, "get_all"):
        return {k: query_params.get_all(k) for k in query_params.keys()}
    return {k: ([v] if isinstance(v, str) else list(v)) for k, v in dict(query_params).items()}


# -- full-text search --------------------------------------------------------
# Letters NFKD does not decompose.
_FOLD_EXTRA = str.maketrans({"ł": "l", "ø": "o", "đ": "d", "ß": "ss", "æ": "ae", "œ": "oe", "ı": "i"})


class _FoldTable(dict):
    """str.translate table: combining marks dropped, _FOLD_EXTRA applied, any
    other character kept; each character looked up once, then remembered."""

    def __missing__(self, code: int) -> str | None:
        char = chr(code)
        self[code] = value = None if unicodedata.combining(char) else _FOLD_EXTRA.get(code, char)
        return value


_FOLD_TABLE = _FoldTable()


def fold(text: str) -> str:
    """Lower case without accents, so 'Zelenskyy' finds 'ZELENSKYY' and 'é' finds 'e'."""
    if text.isascii():  # most text: NFKD, casefold and the tables change ASCII only by lower()
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return decomposed if decomposed.isascii() else decomposed.translate(_FOLD_TABLE)


def search_text(claim: Mapping[str, Any], include_note: bool = True) -> str:
    """Everything a search looks in: text, speaker, figures, outlets, sentences, cues, note.

    ``include_note=False`` leaves the editor's note out (for a cached index;
    :func:`apply` adds the current note)."""
    parts = [claim.get("text") or "", claim.get("speaker") or "", figures_text(claim),
             (claim.get("note") or "") if include_note else "", claim.get("id") or ""]
    for a in claim.get("appearances") or []:
        parts += [a.get("outlet") or "", a.get("sentence") or ""]
    for c in claim.get("cues") or []:
        parts += [c.get("actor") or "", c.get("phrase") or ""]
    for f in claim.get("figures") or []:
        parts += [f.get("what") or "", str(int(f["value"])) if isinstance(f.get("value"), (int, float)) and float(f["value"]).is_integer() else ""]
    text = " ".join(parts)
    if text.isascii():
        return text.lower()
    # Part by part: the same as folding the whole (folding never looks across
    # a space), and one accented sentence leaves the rest on the fast path.
    return " ".join(map(fold, parts))


_TERM = re.compile(r'"([^"]+)"|(\S+)')


def parse_query(query: str) -> tuple[list[str], list[str]]:
    """'troops "three generals" -Kirby' -> (['troops', 'three generals'], ['kirby'])."""
    include, exclude = [], []
    for phrase, word in _TERM.findall(query or ""):
        term = phrase or word
        target = include
        if not phrase and term.startswith("-") and len(term) > 1:
            term, target = term[1:], exclude
        term = fold(term).replace(",", "") if re.fullmatch(r"[\d,]+", term) else fold(term)
        if term:
            target.append(term)
    return include, exclude


def matches(haystack: str, query: str) -> bool:
    """Every term (or "quoted phrase") of ``query`` occurs in ``haystack``
    (already folded) and no ``-term`` does; an empty query matches everything."""
    include, exclude = parse_query(query)
    return all(t in haystack for t in include) and not any(t in haystack for t in exclude)


# -- filtering and facets ---------------------------------------------------
def _value(claim: Mapping[str, Any], name: str) -> list[str]:
    """The facet values of one claim (a claim may carry several outlets)."""
    if name == "status":
        return [claim.get("status") or "unreviewed"]
    if name == "speaker":
        return [claim.get("speaker") or ""]
    if name == "outlet":
        return claim_outlets(claim)
    if name == "cue":
        return [cue_status(claim)]
    if name == "story":
        return [claim.get("story_id") or ""]
    if name == "topic":
        return [claim.get("topic_id") or ""]
    if name == "assignee":
        return [claim.get("assignee") or ""]
    if name == "conflict":
        return ["yes" if claim.get("conflicts_with") else "no"]
    raise KeyError(name)


def apply(claims: Iterable[Mapping[str, Any]], filters: Filters, *, user: str | None = None,
          haystacks: Mapping[str, str] | None = None) -> list[Mapping[str, Any]]:
    """The claims ``filters`` lets through, in their given order.

    ``user`` resolves ``assignee="me"``; ``haystacks`` ({claim id:
    search_text}) saves rebuilding search text on every rerun.
    """
    f = filters
    assignee = user if f.assignee == "me" else f.assignee
    out = []
    for c in claims:
        if bool(c.get("dismissed")) != f.dismissed:
            continue
        if f.story and c.get("story_id") != f.story:
            continue
        if f.topic and c.get("topic_id") != f.topic:
            continue
        if f.status and (c.get("status") or "unreviewed") not in f.status:
            continue
        if f.speaker and (c.get("speaker") or "") not in f.speaker:
            continue
        if f.outlet and not set(f.outlet) & set(claim_outlets(c)):
            continue
        if f.cue and cue_status(c) not in f.cue:
            continue
        if f.assignee == "none" and c.get("assignee"):
            continue
        if f.assignee and f.assignee != "none" and c.get("assignee") != assignee:
            continue
        if f.conflict and not c.get("conflicts_with"):
            continue
        if f.new_evidence and not has_new_evidence(c):
            continue
        if f.disagree and not c.get("verdicts_disagree"):
            continue
        if f.q:
            hay = haystacks.get(c.get("id")) if haystacks else None
            if hay is None:
                hay = search_text(c)
            elif c.get("note"):
                hay = f"{hay} {fold(c['note'])}"
            if not matches(hay, f.q):
                continue
        out.append(c)
    return out


FACETS = ("status", "speaker", "outlet", "cue", "assignee", "conflict")


# The one value of each single-valued facet (as _value gives it), for counting
# 20k claims without a set per claim and facet.
_SINGLE = {
    "status": lambda c: c.get("status") or "unreviewed",
    "speaker": lambda c: c.get("speaker") or "",
    "cue": cue_status,
    "story": lambda c: c.get("story_id") or "",
    "topic": lambda c: c.get("topic_id") or "",
    "assignee": lambda c: c.get("assignee") or "",
    "conflict": lambda c: "yes" if c.get("conflicts_with") else "no",
}


def facets(claims: Iterable[Mapping[str, Any]], names: Sequence[str] = FACETS) -> dict[str, Counter]:
    """{facet: Counter(value -> number of claims)} over ``claims``."""
    claims = claims if isinstance(claims, (list, tuple)) else list(claims)
    out = {n: Counter() for n in names}
    for n in names:
        counter = out[n]
        if n == "outlet":
            for c in claims:
                counter.update(claim_outlets(c))  # no repeats: each outlet counts a claim once
        elif n in _SINGLE:
            counter.update(map(_SINGLE[n], claims))
        else:
            for c in claims:
                counter.update(set(_value(c, n)))
    return out


def facet_options(counter: Counter, label: Mapping[str, str] | None = None) -> list[tuple[str, str]]:
    """(value, 'Label (n)') pairs, commonest first, for a multiselect."""
    label = label or {}
    return [(v, f"{label.get(v, v) or '—'} ({n})")
            for v, n in sorted(counter.items(), key=lambda kv: (-kv[1], str(kv[0])))]


# -- the desk table ---------------------------------------------------------
TABLE_COLUMNS = ("Select", "Claim", "Desk status", "Speaker", "Figures", "Report cues", "Suggested",
                 "Outlets", "Assigned", "Flags")  # what a reviewer reads first comes first


def claim_table(claims: Sequence[Mapping[str, Any]], labels: Mapping[str, str]) -> dict[str, list]:
    """Columns for st.data_editor (a dict of equal-length lists, index = claim ids).

    Statuses appear as labels; ``status_edits`` turns edited labels back into codes.
    """
    cols: dict[str, list] = {c: [] for c in TABLE_COLUMNS}
    ids = []
    for c in claims:
        ids.append(c.get("id"))
        cols["Select"].append(False)
        cols["Claim"].append(c.get("text") or "")
        cols["Speaker"].append(c.get("speaker") or "")
        cols["Figures"].append(figures_text(c))
        cols["Outlets"].append(", ".join(claim_outlets(c)))
        cols["Report cues"].append("; ".join(cue_lines(c)))
        suggested = c.get("suggested_status")
        cols["Suggested"].append(labels.get(suggested, suggested) if suggested else "")
        status = c.get("status") or "unreviewed"
        cols["Desk status"].append(labels.get(status, status))
        cols["Assigned"].append(c.get("assignee") or "")
        flags = []
        if c.get("verdicts_disagree"):
            flags.append("verdicts disagree")
        if has_new_evidence(c):
            flags.append("new evidence since marked")
        if c.get("conflicts_with"):
            flags.append(f"conflicts with {len(c['conflicts_with'])}")
        if c.get("origin") == "manual":
            flags.append("added by hand")
        cols["Flags"].append("; ".join(flags))
    return {"index": ids, "columns": cols}


def status_edits(editor_state: Mapping[str, Any] | None, ids: Sequence[str],
                 labels: Mapping[str, str]) -> tuple[list[tuple[str, str]], list[str]]:
    """What the editor did in the desk table.

    ``editor_state`` is st.data_editor's session state (``edited_rows``:
    {row position: {column: value}}). Returns ([(claim id, new status code)],
    [selected claim ids]). Unknown labels are ignored.
    """
    code_of = {label: code for code, label in labels.items()}
    changes, selected = [], []
    for pos, edit in ((editor_state or {}).get("edited_rows") or {}).items():
        pos = int(pos)
        if not 0 <= pos < len(ids):
            continue
        if "Desk status" in edit and edit["Desk status"] in code_of:
            changes.append((ids[pos], code_of[edit["Desk status"]]))
        if edit.get("Select"):
            selected.append(ids[pos])
    return changes, selected


def page_of(rows: Sequence[Any], page: int, size: int = PAGE_SIZE) -> tuple[Sequence[Any], int, int]:
    """(rows of page ``page`` counted from 1, clamped page, number of pages)."""
    pages = max(1, -(-len(rows) // size))
    page = min(max(1, page), pages)
    return rows[(page - 1) * size: page * size], page, pages


# -- other views ------------------------------------------------------------
def history_rows(history: Iterable[Mapping[str, Any]], labels: Mapping[str, str]) -> list[dict]:
    """A claim's status history for a table: who, when, from, to, note, evidence."""
    out = []
    for h in history:
        at = h.get("at")
        out.append({
            "When": at.strftime("%Y-%m-%d %H:%M") if hasattr(at, "strftime") else str(at or "")[:16],
            "Who": h.get("editor") or h.get("actor") or "",
            "From": labels.get(h.get("from_status"), h.get("from_status") or ""),
            "To": labels.get(h.get("to_status"), h.get("to_status") or ""),
            "Note": h.get("note") or "",
            "Evidence": h.get("evidence_url") or "",
        })
    return out


def figure_points(claims: Iterable[Mapping[str, Any]], report_dates: Mapping[str, str] | None = None) -> list[dict]:
    """One point per figure for the tracker: {what, value, label, date, source, claim_id, text, conflict}.

    A figure's date is its ``stated_on`` when the text gives one, else the date
    of its report (``report_dates``: {report id: ISO date}), else the first
    appearance's report date. Figures without a date are left out.
    """
    report_dates = report_dates or {}
    points = []
    for c in claims:
        first_report = next((a.get("report_id") for a in c.get("appearances") or []), None)
        for f in c.get("figures") or []:
            when = f.get("stated_on") or report_dates.get(f.get("report_id")) or report_dates.get(first_report)
            if not when or f.get("value") is None:
                continue
            points.append({
                "what": f.get("what") or f.get("unit") or "figure",
                "value": float(f["value"]), "label": format_figure(f),
                "date": str(when)[:10],
                "source": f.get("source") or c.get("speaker") or "unknown source",
                "claim_id": c.get("id"), "text": c.get("text") or "",
                "conflict": bool(c.get("conflicts_with")),
            })
    points.sort(key=lambda p: (p["what"], p["date"], p["value"]))
    return points


def contested(points: Sequence[Mapping[str, Any]]) -> list[str]:
    """Quantities ('what') that have more than one distinct value, most points first."""
    values: dict[str, set] = {}
    counts: Counter = Counter()
    for p in points:
        values.setdefault(p["what"], set()).add(p["value"])
        counts[p["what"]] += 1
    return sorted((w for w, v in values.items() if len(v) > 1), key=lambda w: (-counts[w], w))


def overview_counts(claims: Iterable[Mapping[str, Any]], stories: int) -> dict[str, int]:
    """The counts that matter on a desk (issue #5)."""
    live = [c for c in claims if not c.get("dismissed")]
    return {
        "stories": stories,
        "claims": len(live),
        "unreviewed": sum((c.get("status") or "unreviewed") == "unreviewed" for c in live),
        "conflicting": sum(bool(c.get("conflicts_with")) for c in live),
        "new_evidence": sum(has_new_evidence(c) for c in live),
        "disagree": sum(bool(c.get("verdicts_disagree")) for c in live),
    }


# -- stories ------------------------------------------------------------------
def story_rows(stories: Iterable[Mapping[str, Any]], claim_counts: Mapping[str, int] | None = None) -> list[dict]:
    """The stories list: title, outlets, dates, versions, claims (newest story first).

    ``claim_counts``: {story id: live claims}; else the story's own count, if any."""
    out = []
    for s in stories:
        reports = s.get("reports") or []
        dates = sorted(str(r["date"])[:10] for r in reports if r.get("date"))
        outlets = list(dict.fromkeys(r.get("outlet") or "unknown" for r in reports))
        out.append({
            "id": s["id"], "Title": s.get("title") or s["id"],
            "Outlets": ", ".join(outlets),
            "Dates": (dates[0] if dates and dates[0] == dates[-1] else f"{dates[0]} – {dates[-1]}") if dates else "",
            "Versions": s.get("versions", len(reports)),
            "Claims": (claim_counts or {}).get(s["id"], 0) if claim_counts is not None else story_claim_count(s),
            "Topic": s.get("topic_title") or "",
            "_last": dates[-1] if dates else "",
        })
    out.sort(key=lambda r: (r["_last"], r["Versions"]), reverse=True)
    for r in out:
        del r["_last"]
    return out


def story_claim_count(story: Mapping[str, Any]) -> int:
    for key in ("claims", "claim_count", "n_claims"):
        value = story.get(key)
        if isinstance(value, int):
            return value
        if isinstance(value, list):
            return len(value)
    return 0


def version_lines(diff: Mapping[str, Any], report_id: str, sentences: Sequence[str]) -> list[dict]:
    """A version's sentences marked against the others: ``kind`` is 'shared' (every
    version has it), 'only' (no other version has it) or 'some' (some others have it).

    ``diff`` as ``store.story_diff`` returns it; ``sentences`` the version's texts in order.
    """
    shared = {row["sentences"].get(report_id) for row in diff.get("shared") or []}
    version = next((v for v in diff.get("versions") or [] if v.get("id") == report_id), {})
    only = {item["idx"] for item in version.get("only") or []}
    return [{"idx": i, "text": t, "kind": "shared" if i in shared else "only" if i in only else "some"}
            for i, t in enumerate(sentences)]


def diff_summary(diff: Mapping[str, Any]) -> list[str]:
    """Plain sentences an editor reads: what the versions share and what each adds or drops."""
    versions = diff.get("versions") or []
    if len(versions) < 2:
        return ["This story has one version: nothing to compare yet."]
    base = next((v for v in versions if v.get("id") == diff.get("base")), versions[0])
    name = lambda v: f"{v.get('outlet') or 'unknown outlet'} ({v.get('date') or 'no date'})"  # noqa: E731
    out = [f"All {len(versions)} versions share {len(diff.get('shared') or [])} sentences; "
           f"each is compared with the earliest, {name(base)}."]
    for v in versions:
        if v is base:
            continue
        out.append(f"{name(v)} adds {len(v.get('adds') or [])} sentences the earliest lacks, "
                   f"drops {len(v.get('drops') or [])} of its sentences, and has "
                   f"{len(v.get('only') or [])} no other version has.")
    return out


def story_label(story: Mapping[str, Any]) -> str:
    """'Title — Politico, CNN · 2024-10-24': titles alone can repeat across stories."""
    reports = story.get("reports") or []
    outlets = ", ".join(dict.fromkeys(r.get("outlet") or "unknown" for r in reports))
    dates = sorted(str(r["date"])[:10] for r in reports if r.get("date"))
    when = (dates[0] if dates[0] == dates[-1] else f"{dates[0]} – {dates[-1]}") if dates else "no date"
    return f"{story.get('title') or story.get('id')} — {outlets or 'no reports'} · {when}"
