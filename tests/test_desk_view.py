"""The review desk's view logic without Streamlit: filters, facets, search, URLs, table (issue #5)."""
from __future__ import annotations

import pytest

from lib import desk
from lib.desk import Filters
from lib.vocab import DESK_STATUSES

LABELS = {s.code: s.label for s in DESK_STATUSES}


def row(cid, text, *, speaker="HUR", status="unreviewed", outlets=("Politico",), cue="none",
        conflicts=(), assignee=None, story="s1", topic="t1", **extra):
    """A claim row with the fields the desk reads."""
    r = {
        "id": cid, "text": text, "speaker": speaker, "status": status, "story_id": story, "topic_id": topic,
        "figures": [], "cue": {"status": cue, "actor": None, "phrase": None},
        "cues": [{"report_id": f"r-{o}", "status": cue, "actor": o, "phrase": "x"} for o in outlets],
        "appearances": [{"report_id": f"r-{o}", "outlet": o, "sentence": text, "sentence_index": i}
                        for i, o in enumerate(outlets)],
        "conflicts_with": list(conflicts), "assignee": assignee, "suggested_status": None,
    }
    r.update(extra)
    return r


CLAIMS = [
    row("a", "Pyongyang has sent about 12,000 troops, including three generals.",
        outlets=("Politico", "Euronews", "CNN"), conflicts=("b", "c"), status="unverified", cue="unverified",
        figures=[{"value": 12000, "qualifier": "about", "unit": "troops", "what": "NK troops", "parts": []}]),
    row("b", "Budanov said about 11,000 North Korean soldiers were in Kursk.", speaker="Kyrylo Budanov",
        outlets=("Ukrainska Pravda",), conflicts=("a",), assignee="ana", cue="confirmed"),
    row("c", "John Kirby said at least 3,000 troops had moved to eastern Russia.", speaker="John Kirby",
        outlets=("CNN",), conflicts=("a",), status="denied", story="s2"),
    row("d", "Pyongyang dismissed the reports as groundless rumors.", speaker="Pyongyang",
        outlets=("Politico",), cue="denied", topic="t2", story="s3", assignee="ben"),
    row("e", "For more CNN news create an account.", dismissed=True),
    row("f", "Zelenskyy: Ukraine spotted officers in Donbas.", speaker="Volodymyr Zelenskyy",
        status="confirmed", marked_evidence_key="k1", evidence_key="k2",
        verdicts_disagree=[{"by": "alice", "status": "denied", "note": "no", "at": "2024-10-25T09:00:00"},
                           {"by": "bob", "status": "confirmed", "note": "yes", "at": "2024-10-26T10:00:00"}]),
]


def ids(rows):
    return [r["id"] for r in rows]


@pytest.mark.parametrize("filters, expected", [
    (Filters(), ["a", "b", "c", "d", "f"]),
    (Filters(status=("unreviewed",)), ["b", "d"]),
    (Filters(status=("denied", "confirmed")), ["c", "f"]),
    (Filters(story="s2"), ["c"]),
    (Filters(topic="t2"), ["d"]),
    (Filters(speaker=("John Kirby",)), ["c"]),
    (Filters(outlet=("CNN",)), ["a", "c"]),
    (Filters(cue=("denied", "confirmed")), ["b", "d"]),
    (Filters(conflict=True), ["a", "b", "c"]),
    (Filters(assignee="ana"), ["b"]),
    (Filters(assignee="me"), ["d"]),
    (Filters(assignee="none"), ["a", "c", "f"]),
    (Filters(new_evidence=True), ["f"]),
    (Filters(disagree=True), ["f"]),
    (Filters(disagree=True, status=("denied",)), []),
    (Filters(dismissed=True), ["e"]),
    (Filters(q="troops"), ["a", "c"]),
    (Filters(q="TROOPS -kirby"), ["a"]),
    (Filters(q='"three generals"'), ["a"]),
    (Filters(q="zelenskyy donbas"), ["f"]),
    (Filters(q="12000"), ["a"]),
    (Filters(q="12,000"), ["a"]),
    (Filters(q="euronews"), ["a"]),
    (Filters(q="'; DROP TABLE claim; --"), []),
    (Filters(q="troops", status=("denied",)), ["c"]),
])
def test_apply(filters, expected):
    assert ids(desk.apply(CLAIMS, filters, user="ben")) == expected


def test_apply_uses_given_haystacks():
    hay = {c["id"]: desk.search_text(c) for c in CLAIMS}
    hay["b"] = "nothing here"
    assert ids(desk.apply(CLAIMS, Filters(q="budanov"), haystacks=hay)) == []


def test_search_folds_accents():
    r = row("x", "Żółć and café in Kyïv")
    assert desk.matches(desk.search_text(r), "zolc CAFE kyiv")


@pytest.mark.parametrize("filters", [
    Filters(),
    Filters(story="s1", status=("unverified", "denied"), q='troops "three generals"'),
    Filters(speaker=("Ukraine's military intelligence", "a, b"), outlet=("CNN",), cue=("none",)),
    Filters(conflict=True, new_evidence=True, assignee="me", topic="t9", dismissed=True),
    Filters(disagree=True, status=("confirmed",)),
])
def test_filters_round_trip_through_query_params(filters):
    params = filters.to_params()
    assert all(isinstance(v, (str, list)) for v in params.values())
    assert Filters.from_params(params) == filters


def test_filters_from_messy_params():
    f = Filters.from_params({"status": "unverified,denied", "conflict": "true", "q": ["old", "new"],
                             "bogus": "x", "story": "", "speaker": ["", "HUR"]})
    assert f == Filters(status=("unverified", "denied"), conflict=True, q="new", speaker=("HUR",))


def test_query_params_dict_handles_plain_mapping():
    assert desk.query_params_dict({"a": "1", "b": ["2", "3"]}) == {"a": ["1"], "b": ["2", "3"]}


def test_facets_count_claims_once_per_value():
    f = desk.facets([c for c in CLAIMS if not c.get("dismissed")])
    assert f["status"] == {"unreviewed": 2, "unverified": 1, "denied": 1, "confirmed": 1}
    assert f["outlet"]["CNN"] == 2 and f["outlet"]["Politico"] == 3
    assert f["conflict"] == {"yes": 3, "no": 2}
    opts = desk.facet_options(f["status"], LABELS)
    assert opts[0] == ("unreviewed", "Unreviewed (2)")


@pytest.mark.parametrize("figure, text", [
    ({"value": 12000, "qualifier": "exact", "unit": "troops"}, "12,000 troops"),
    ({"value": 11000, "qualifier": "about", "unit": "troops"}, "about 11,000 troops"),
    ({"value": 3000, "qualifier": "at_least", "unit": None}, "at least 3,000"),
    ({"value": 20e6, "qualifier": "more_than", "unit": "people"}, "more than 20,000,000 people"),
    ({"value": 12000, "qualifier": "exact", "unit": "people", "parts": [2, 6000]}, "12,000 people (2 × 6,000)"),
    ({"value": 2.5, "qualifier": "up_to", "unit": "km"}, "up to 2.5 km"),
])
def test_format_figure(figure, text):
    assert desk.format_figure(figure) == text


def test_cue_lines_name_outlet_and_actor():
    r = row("x", "t", outlets=("Euronews", "CNN"), cue="unverified")
    r["cues"][1]["status"] = "none"
    r["cues"][0]["actor"] = "Euronews"
    assert desk.cue_lines(r) == ["Euronews: unable to independently verify"]
    r["cues"][0].update(status="denied", actor="Pyongyang")
    assert desk.cue_lines(r) == ["Euronews: denied (Pyongyang)"]


@pytest.mark.parametrize("claim, flagged", [
    ({"status": "confirmed", "new_evidence": True}, True),
    ({"status": "confirmed", "marked_evidence_key": "a", "evidence_key": "b"}, True),
    ({"status": "confirmed", "marked_evidence_key": "a", "evidence_key": "a"}, False),
    ({"status": "unreviewed", "marked_evidence_key": "a", "evidence_key": "b"}, False),
    ({"status": "confirmed"}, False),
])
def test_new_evidence_flag(claim, flagged):
    assert desk.has_new_evidence(claim) is flagged


def test_claim_table_and_status_edits():
    shown = CLAIMS[:3]
    table = desk.claim_table(shown, LABELS)
    assert table["index"] == ["a", "b", "c"]
    cols = table["columns"]
    assert cols["Desk status"] == ["Unable to independently verify", "Unreviewed", "Denied"]
    assert cols["Outlets"][0] == "Politico, Euronews, CNN"
    assert cols["Figures"][0] == "about 12,000 troops"
    assert "conflicts with 2" in cols["Flags"][0]
    state = {"edited_rows": {1: {"Desk status": "Confirmed"}, "2": {"Select": True},
                             0: {"Desk status": "Nonsense"}, 9: {"Desk status": "Denied"}},
             "added_rows": [], "deleted_rows": []}
    changes, selected = desk.status_edits(state, table["index"], LABELS)
    assert changes == [("b", "confirmed")]
    assert selected == ["c"]


def test_page_of():
    rows = list(range(450))
    assert desk.page_of(rows, 3, 200) == (list(range(400, 450)), 3, 3)
    assert desk.page_of(rows, 99, 200)[1] == 3
    assert desk.page_of([], 1, 200) == ([], 1, 1)


def test_escape_markdown_makes_links_and_html_inert():
    text = "[click](javascript:alert(1)) <img src=x onerror=alert(1)> *bold*"
    out = desk.escape_markdown(text)
    assert "\\[click\\]" in out and "\\<img" in out and "\\*bold\\*" in out


def test_figure_points_and_contested():
    claims = [
        {"id": "a", "speaker": "HUR", "appearances": [{"report_id": "r1"}], "conflicts_with": ["b"],
         "figures": [{"value": 12000, "qualifier": "exact", "unit": "troops", "what": "NK troops",
                      "stated_on": None, "report_id": "r1"}]},
        {"id": "b", "speaker": "Budanov", "appearances": [{"report_id": "r2"}], "conflicts_with": ["a"],
         "figures": [{"value": 11000, "qualifier": "about", "unit": "troops", "what": "NK troops",
                      "stated_on": "2024-10-18", "source": "Kyrylo Budanov"}]},
        {"id": "c", "speaker": "x", "appearances": [],
         "figures": [{"value": 3, "qualifier": "exact", "unit": "generals", "what": "generals"}]},
    ]
    pts = desk.figure_points(claims, {"r1": "2024-10-25", "r2": "2024-10-24"})
    assert [(p["date"], p["value"], p["source"]) for p in pts] == [
        ("2024-10-18", 11000.0, "Kyrylo Budanov"), ("2024-10-25", 12000.0, "HUR")]
    assert desk.contested(pts) == ["NK troops"]


def test_overview_counts():
    assert desk.overview_counts(CLAIMS, stories=3) == {
        "stories": 3, "claims": 5, "unreviewed": 2, "conflicting": 3, "new_evidence": 1, "disagree": 1}


def test_verdicts_line_names_every_verdict_with_labels():
    assert desk.verdicts_line(CLAIMS[5], LABELS) == "Verdicts disagree: Denied by alice, Confirmed by bob"
    assert desk.verdicts_line(CLAIMS[0], LABELS) == ""
    assert desk.Filters.from_params({"disagree": "1"}).to_params() == {"disagree": "1"}
    table = desk.claim_table(CLAIMS, LABELS)["columns"]
    assert [f for f in table["Flags"] if "verdicts disagree" in f] == [table["Flags"][5]]


def test_history_rows_show_labels():
    from datetime import datetime

    rows = desk.history_rows([{"at": datetime(2024, 10, 26, 9, 5), "editor": "ana", "from_status": "unreviewed",
                               "to_status": "unverified", "note": "n", "evidence_url": None}], LABELS)
    assert rows == [{"When": "2024-10-26 09:05", "Who": "ana", "From": "Unreviewed",
                     "To": "Unable to independently verify", "Note": "n", "Evidence": ""}]
