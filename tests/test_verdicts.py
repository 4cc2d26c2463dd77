"""A merge never hides a verdict (issue #9, item 1).

Two short reports of our own, fifty days apart (so two stories in two
topics), carry the same HUR claim. Alice marks one Denied with a note, Bob
the other Confirmed. A recompute (recluster, an ingest's regroup) must never
fold the two marked claims into one; an editor's story merge joins them by
an explicit, audited path that keeps both verdicts. Real model, real SQLite
and PostgreSQL.
"""
from __future__ import annotations

import csv
import io
import json
from datetime import date

import pytest
from click.testing import CliRunner

from lib.cli import cli
from lib.ingest import ReportInput
from lib.pipeline import Pipeline

CLAIM = "Ukraine's military intelligence said that 12,000 North Korean soldiers are in Russia's Kursk region."
KURSK = ReportInput(
    title="Kursk: troops from the North", outlet="Wire A", published=date(2024, 10, 1),
    text=CLAIM + " The agency published satellite images on its website. Officials in Seoul declined "
                 "to comment on the report. Residents near the border described long convoys of trucks at night.")
BUDGET = ReportInput(
    title="Budget week in Kyiv", outlet="Wire B", published=date(2024, 11, 20),
    text=CLAIM + " A parliamentary committee in Kyiv will meet next week to discuss the budget. Farmers in "
                 "the south reported a record grain harvest this year. The central bank left interest rates "
                 "unchanged on Thursday.")
# Close to KURSK in time and words: an ingest puts it in KURSK's topic.
FOLLOW_UP = ReportInput(
    title="More convoys near Kursk", outlet="Wire C", published=date(2024, 10, 3),
    text="Residents near the border described more long convoys of trucks at night. The agency published "
         "new satellite images on its website on Thursday. Officials in Seoul again declined to comment.")

# claims --json fields before issue #9 (kept exactly; verdicts_disagree is added)
OLD_FIELDS = {"id", "story_id", "text", "speaker", "figures", "cue", "cues", "suggested_status", "status",
              "appearances", "conflicts_with", "origin", "active", "dismissed", "note", "evidence_url",
              "assignee", "version", "new_evidence"}


class Desk:
    """The two-report store with both claims marked: ids of reports, stories and claims."""

    def __init__(self, store, model):
        self.store = store
        self.pipeline = Pipeline(store, store.settings, model=model)
        self.kursk = self.pipeline.ingest_items([KURSK], name="kursk.txt", actor="test").report_ids[0]
        self.budget = self.pipeline.ingest_items([BUDGET], name="budget.txt", actor="test").report_ids[0]
        claims = store.claims()
        self.denied = self.claim_in(claims, self.kursk)["id"]
        self.confirmed = self.claim_in(claims, self.budget)["id"]
        assert self.denied != self.confirmed, "two stories in two topics: two claims to start with"
        store.set_status(self.denied, "denied", "alice", note="HUR withdrew the figure on 3 October")
        store.set_status(self.confirmed, "confirmed", "bob", note="Seoul's NIS confirmed 12,000 on 20 November")

    @staticmethod
    def claim_in(claims, report_id):
        return next(c for c in claims if c["text"] == CLAIM
                    and report_id in {a["report_id"] for a in c["appearances"]})

    def stories(self):
        return self.store.story_of(self.kursk), self.store.story_of(self.budget)

    def troop_claims(self, **kw):
        return [c for c in self.store.claims(**kw) if c["text"] == CLAIM]


@pytest.fixture
def two_verdicts(store, model):
    """Two marked claims of one statement in two topics, on this test's backend."""
    return Desk(store, model)


def _both_kept(desk: Desk) -> None:
    by_id = {c["id"]: c for c in desk.store.claims()}
    assert desk.denied in by_id and desk.confirmed in by_id, "a marked claim vanished"
    assert (by_id[desk.denied]["status"], by_id[desk.denied]["note"]) == (
        "denied", "HUR withdrew the figure on 3 October")
    assert (by_id[desk.confirmed]["status"], by_id[desk.confirmed]["note"]) == (
        "confirmed", "Seoul's NIS confirmed 12,000 on 20 November")
    assert [h["to_status"] for h in desk.store.claim_history(desk.denied)] == ["denied"]


# -- a recompute never folds two marked claims ------------------------------------------
def test_recluster_after_a_story_merge_never_folds_two_marked_claims(two_verdicts):
    """The issue's reproduction: merge the stories (the store's merge alone, no
    claims regroup) and recluster. Both marked claims stay, each with its mark."""
    desk = two_verdicts
    desk.store.merge_stories(*desk.stories(), actor="carol")
    desk.pipeline.recluster(actor="night-desk")
    assert desk.stories()[0] == desk.stories()[1]
    _both_kept(desk)
    claims = desk.troop_claims()
    assert {c["id"] for c in claims} == {desk.denied, desk.confirmed}
    assert all(c["verdicts_disagree"] is None for c in claims)  # two claims, each one verdict


def test_an_ingest_regroup_never_folds_two_marked_claims(two_verdicts):
    """An ingest regroups its topic's claims: after the stories were merged,
    a new report in that topic must not fold the two marked claims either."""
    desk = two_verdicts
    desk.store.merge_stories(*desk.stories(), actor="carol")
    result = desk.pipeline.ingest_items([FOLLOW_UP], name="follow-up.txt", actor="test")
    assert result.status == "added"
    topic = {s["id"]: s["topic"] for s in desk.store.stories()}
    assert topic[desk.store.story_of(result.report_ids[0])] == topic[desk.stories()[0]]  # regrouped there
    _both_kept(desk)


def test_exports_keep_every_marked_claim(two_verdicts):
    from lib import export

    desk = two_verdicts
    desk.store.merge_stories(*desk.stories(), actor="carol")
    desk.pipeline.recluster(actor="night-desk")
    data = export.gather(desk.store)
    sheet = list(csv.DictReader(io.StringIO(export.to_csv(data).decode("utf-8-sig"))))
    assert {desk.denied, desk.confirmed} <= {row["Claim ID"] for row in sheet}
    reviews = export.to_claimreview(data, desk.store.settings)
    assert sorted(r["reviewRating"]["alternateName"] for r in reviews
                  if r["claimReviewed"] == CLAIM) == ["Confirmed", "Denied"]
    page = export.to_html(data, desk.store.settings)
    assert "HUR withdrew the figure on 3 October" in page and "Seoul&#x27;s NIS confirmed" in page
    from openpyxl import load_workbook

    ws = load_workbook(io.BytesIO(export.to_xlsx(data))).active
    ids = {row[0] for row in ws.iter_rows(min_row=2, values_only=True)}
    assert {desk.denied, desk.confirmed} <= ids


# -- an editor's merge joins them, explicitly --------------------------------------------
def test_an_editors_merge_joins_marked_claims_keeping_both_verdicts(two_verdicts):
    desk = two_verdicts
    merged = desk.pipeline.merge_stories(*desk.stories(), actor="carol")
    claims = desk.troop_claims()
    assert len(claims) == 1, "the merge brought one statement together: one claim"
    survivor = claims[0]
    absorbed = ({desk.denied, desk.confirmed} - {survivor["id"]}).pop()
    # its status is the later mark, with that mark's note; flagged with both verdicts
    assert (survivor["status"], survivor["note"]) == ("confirmed", "Seoul's NIS confirmed 12,000 on 20 November")
    flag = survivor["verdicts_disagree"]
    assert [(v["by"], v["status"], v["note"]) for v in flag] == [
        ("alice", "denied", "HUR withdrew the figure on 3 October"),
        ("bob", "confirmed", "Seoul's NIS confirmed 12,000 on 20 November")]
    assert all(v["at"] for v in flag)
    assert {a["report_id"] for a in survivor["appearances"]} == {desk.kursk, desk.budget}
    assert survivor["story_id"] == merged
    # nothing disappears: the absorbed claim says where it went, its history is the survivor's too
    state = desk.store.desk_claim(absorbed)
    assert (state["active"], state["merged_into"]) == (False, survivor["id"])
    history = desk.store.claim_history(survivor["id"])
    assert {(h["editor"], h["to_status"]) for h in history if h["action"] == "set_status"} == {
        ("alice", "denied"), ("bob", "confirmed")}
    assert any(h["action"] == "merge_claims" and h["editor"] == "carol" for h in history)
    # audited, as carol (who merged the stories)
    event = desk.store.audit_events(action="merge_claims")[0]
    assert (event["actor"], event["entity_id"]) == ("carol", survivor["id"])
    assert set(event["after"]["absorbed"]) == {absorbed}
    assert {c["status"] for c in event["before"]["claims"].values()} == {"denied", "confirmed"}
    # a recompute keeps the join and the flag
    desk.pipeline.recluster(actor="night-desk")
    again = desk.troop_claims()
    assert [(c["id"], c["status"], c["verdicts_disagree"]) for c in again] == [
        (survivor["id"], "confirmed", flag)]
    # ... until an editor marks it again
    out = desk.store.set_status(survivor["id"], "denied", "dora", note="NIS walked it back")
    assert out["verdicts_disagree"] is None
    assert desk.troop_claims()[0]["verdicts_disagree"] is None


def test_a_merge_of_agreeing_verdicts_is_not_flagged(store, model):
    desk = Desk(store, model)
    store.set_status(desk.denied, "confirmed", "alice", note="first source")
    desk.pipeline.merge_stories(*desk.stories(), actor="carol")
    (survivor,) = desk.troop_claims()
    assert survivor["status"] == "confirmed" and survivor["verdicts_disagree"] is None
    assert len([h for h in store.claim_history(survivor["id"]) if h["action"] == "set_status"]) == 3


def test_claims_json_carries_the_flag_and_keeps_every_field(two_verdicts):
    desk = two_verdicts
    desk.pipeline.merge_stories(*desk.stories(), actor="carol")
    result = CliRunner().invoke(cli, ["--db", desk.store.settings.database_url, "claims", "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert all(set(r) == OLD_FIELDS | {"verdicts_disagree"} for r in rows)
    flagged = [r for r in rows if r["verdicts_disagree"]]
    assert len(flagged) == 1 and flagged[0]["text"] == CLAIM
    verdicts = flagged[0]["verdicts_disagree"]
    assert [sorted(v) for v in verdicts] == [["at", "by", "note", "status"]] * 2
    assert [(v["by"], v["status"]) for v in verdicts] == [("alice", "denied"), ("bob", "confirmed")]
    assert all(len(v["at"]) >= 19 and v["at"][10] == "T" for v in verdicts)  # ISO date-times
    assert all(r["verdicts_disagree"] is None for r in rows if r is not flagged[0])


def test_exports_after_a_join_keep_the_claim_and_show_both_verdicts(two_verdicts):
    from lib import export

    desk = two_verdicts
    desk.pipeline.merge_stories(*desk.stories(), actor="carol")
    (survivor,) = desk.troop_claims()
    data = export.gather(desk.store)
    assert survivor["id"] in {row["Claim ID"] for row in csv.DictReader(
        io.StringIO(export.to_csv(data).decode("utf-8-sig")))}
    assert [r["reviewRating"]["alternateName"] for r in export.to_claimreview(data, desk.store.settings)
            if r["claimReviewed"] == CLAIM] == ["Confirmed"]
    assert "Verdicts disagree: Denied by alice, Confirmed by bob" in export.to_html(data, desk.store.settings)


# -- pure parts: grouping, ids, joins (hand-made vectors, milliseconds) ------------------
def _units(n):
    from lib.claims.assemble import Unit

    return [Unit(report_id=f"r{i}", sentence_index=0, text=f"s{i}", speaker=None, speaker_key=None,
                 figures=[], order=(str(i),)) for i in range(n)]


def test_group_claims_never_puts_two_marked_claims_in_one_group():
    import numpy as np

    from lib.claims.match import group_claims

    same = np.tile(np.array([[1.0, 0.0, 0.0]], dtype=np.float32), (4, 1))
    nothing = [set()] * 4
    assert group_claims(same, nothing) == [[0, 1, 2, 3]]
    # rows 0 and 2 were appearances of marked claim X, row 1 of marked Y, row 3 of none
    apart = group_claims(same, nothing, owners=["X", "Y", "X", None])
    assert sorted(map(sorted, apart)) == [[0, 2, 3], [1]]
    assert group_claims(same, nothing, owners=["X", "Y", "X", None],
                        joinable=lambda a, b: {a, b} == {"X", "Y"}) == [[0, 1, 2, 3]]


def test_stable_ids_keep_ids_and_put_a_marked_claim_first():
    from lib.claims.assemble import Draft, new_claim_id, stable_ids

    u = _units(5)
    previous = {"cBIG": {("r0", 0), ("r1", 0), ("r2", 0)}, "cMARKED": {("r3", 0)}}
    drafts = [Draft(units=u[:4]), Draft(units=[u[4]])]
    # unmarked: the claim sharing most appearances keeps its id; the other draft is new
    assert stable_ids(drafts, previous) == ["cBIG", new_claim_id(u[4])]
    # marked: a draft holding any of its appearances keeps the marked claim's id
    assert stable_ids(drafts, previous, marked={"cMARKED"}) == ["cMARKED", new_claim_id(u[4])]
    # a new claim never takes the id of a marked claim
    clash = {new_claim_id(u[4]): {("rX", 9)}}
    assert stable_ids([Draft(units=[u[4]])], clash, marked=set(clash)) != [new_claim_id(u[4])]


def test_absorbed_and_editors_merge_sides():
    from lib.claims.assemble import Draft, EditorsMerge, absorbed

    u = _units(4)
    previous = {"X": {("r0", 0)}, "Y": {("r1", 0)}, "Z": {("r2", 0), ("r3", 0)}}
    drafts = [Draft(units=u[:2]), Draft(units=u[2:])]
    assert absorbed(drafts, ["X", "Z"], previous, {"X", "Y", "Z"}) == {"Y": "X"}
    assert absorbed(drafts, ["X", "Z"], previous, {"X", "Z"}) == {}  # Y carried no work: not a join
    merge = EditorsMerge(by="carol", sides=(frozenset({"r0"}), frozenset({"r1", "r2", "r3"})))
    joinable = merge.joinable(previous)
    assert joinable("X", "Y") and joinable("X", "Z") and not joinable("Y", "Z")  # Y, Z: one side already


# -- the desk: filter, count and panel (AppTest) ------------------------------------------
@pytest.fixture
def joined_app(store, model, monkeypatch):
    """The two-verdict store after carol's merge, with the dashboard pointed at it."""
    import streamlit as st

    from tests.test_pages import _point_app_at

    desk = Desk(store, model)
    desk.pipeline.merge_stories(*desk.stories(), actor="carol")
    _point_app_at(monkeypatch, store.settings.database_url)
    yield desk
    st.cache_resource.clear()
    st.cache_data.clear()


def test_desk_filters_counts_and_shows_disagreeing_verdicts(joined_app):
    from tests.test_pages import desk_table, no_errors, run, texts

    (survivor,) = joined_app.troop_claims()
    at = run("dashboard.py")
    no_errors(at)
    assert {m.label: m.value for m in at.metric}["Verdicts disagree"] == "1"
    at = run("pages/2_Claims.py", params={"disagree": "1"})
    no_errors(at)
    assert list(desk_table(at).index) == [survivor["id"]]
    assert at.query_params["disagree"] in ("1", ["1"])  # the filter lives in the URL
    assert any(t.key == "claims_disagree" and t.value for t in at.toggle)
    shown = texts(at).replace("\\", "")  # user text is markdown-escaped on screen
    assert "Verdicts disagree: Denied by alice, Confirmed by bob" in shown
    assert "HUR withdrew the figure on 3 October" in shown  # the other verdict's note, on the panel
    everything = run("pages/2_Claims.py")
    assert len(desk_table(everything)) == len(joined_app.store.claims()) > 1


def test_the_stories_page_merge_joins_claims_through_the_audited_path(store, model, monkeypatch):
    import streamlit as st

    from tests.test_pages import _point_app_at, app_test, no_errors, sign_in

    desk = Desk(store, model)
    store.add_user("carol", "editor", "correct horse battery", actor="test")
    _point_app_at(monkeypatch, store.settings.database_url)
    try:
        kursk, budget = desk.stories()
        at = sign_in(app_test("pages/1_Stories.py"), "carol")
        at.query_params["story"] = kursk
        at.run()
        at.selectbox(key="stories_merge_other").set_value(budget)
        at.button[[x.label for x in at.button].index("Merge stories")].click().run()
        no_errors(at)
    finally:
        st.cache_resource.clear()
        st.cache_data.clear()
    (survivor,) = desk.troop_claims()
    assert [v["by"] for v in survivor["verdicts_disagree"]] == ["alice", "bob"]
    assert store.audit_events(action="merge_claims")[0]["actor"] == "carol"
