"""Every dashboard page under streamlit's AppTest, on both backends (issue #5).

Smoke: each page runs on the seeded store without an exception. Behaviour:
mark a status and see it in the history, filter by status through the URL,
merge and split a story, bulk-mark, stale edits, the URL round trip.
"""
from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from lib import settings as settings_module

ROOT = Path(__file__).resolve().parent.parent
PAGES = ["dashboard.py", "pages/1_Stories.py", "pages/2_Claims.py", "pages/3_Figures.py",
         "pages/4_Ingest.py", "pages/5_Sheets.py"]
TIMEOUT = 60


def _point_app_at(monkeypatch, url: str) -> None:
    monkeypatch.setenv("FACTDESK_DATABASE_URL", url)
    monkeypatch.setattr(settings_module, "_cached", None)
    st.cache_resource.clear()
    st.cache_data.clear()


@pytest.fixture
def app_store(seeded_store, monkeypatch):
    """The seeded store, with the dashboard's settings and caches pointed at it."""
    _point_app_at(monkeypatch, seeded_store.settings.database_url)
    yield seeded_store
    st.cache_resource.clear()
    st.cache_data.clear()


@pytest.fixture
def editor(app_store):
    """An editor account 'ed' in the store; returns its name."""
    app_store.add_user("ed", "editor", "correct horse battery", actor="test")
    return "ed"


def app_test(path: str, timeout: float = TIMEOUT) -> AppTest:
    """An AppTest of the whole app (dashboard.py as main script, so page links
    resolve as on the server) that will open ``path``."""
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=timeout)
    if path != "dashboard.py":
        at.switch_page(path)
    return at


def run(path: str, params: dict | None = None, session: dict | None = None) -> AppTest:
    at = app_test(path)
    for k, v in (params or {}).items():
        at.query_params[k] = v
    for k, v in (session or {}).items():
        at.session_state[k] = v
    return at.run()


def sign_in(at: AppTest, name: str) -> AppTest:
    """Sign in the way lib.signin keeps the user: in session state."""
    from lib import signin

    signin.sign_in_for_tests(at.session_state, name)
    return at


def no_errors(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [m.value for m in at.caption] + [m.value for m in at.subheader]
    parts += [m.value for m in at.success] + [m.value for m in at.warning] + [m.value for m in at.info]
    return "\n".join(str(p) for p in parts)


@pytest.mark.parametrize("path", PAGES)
def test_page_runs(app_store, path):
    at = run(path)
    no_errors(at)


def test_overview_counts(app_store):
    at = run("dashboard.py")
    metrics = {m.label: m.value for m in at.metric}
    assert int(metrics["Claims"]) == sum(not c.get("dismissed") for c in app_store.claims())
    assert int(metrics["Stories"]) >= 1
    assert at.get("plotly_chart")


def seed_claim(store, needle="12,000"):
    return next(c for c in store.claims() if needle in c["text"])


# -- the claims desk ---------------------------------------------------------------
def desk_table(at: AppTest):
    """The desk table as a DataFrame (st.data_editor is the page's first dataframe)."""
    return at.dataframe[0].value


def test_desk_shows_claims_with_cues_and_labels(app_store):
    at = run("pages/2_Claims.py")
    no_errors(at)
    table = desk_table(at)
    assert len(table) == sum(not c.get("dismissed") for c in app_store.claims())
    assert set(table["Desk status"]) == {"Unreviewed"}
    assert any("12,000" in f for f in table["Figures"])
    assert any("Euronews: unable to independently verify" in c for c in table["Report cues"])


def test_mark_status_inline_and_see_it_in_history(app_store, editor):
    claim = seed_claim(app_store)
    at = sign_in(app_test("pages/2_Claims.py"), editor).run()
    ids = list(at.session_state["claims_shown"]["ids"])
    at.session_state["claims_table"] = {
        "edited_rows": {ids.index(claim["id"]): {"Desk status": "Unable to independently verify"}},
        "added_rows": [], "deleted_rows": []}
    at.run()
    no_errors(at)
    assert any("Stored 1 status change" in s.value for s in at.success)
    stored = next(c for c in app_store.claims() if c["id"] == claim["id"])
    assert stored["status"] == "unverified"
    history = app_store.claim_history(claim["id"])
    assert [(h["editor"], h["from_status"], h["to_status"]) for h in history] == [("ed", "unreviewed", "unverified")]
    # the panel of that claim shows the change in its history table
    at.session_state["claims_open"] = claim["id"]
    at.run()
    hist = at.dataframe[-1].value
    assert list(hist["To"]) == ["Unable to independently verify"] and list(hist["Who"]) == ["ed"]
    # the status survives a fresh session (reload)
    again = run("pages/2_Claims.py", params={"claim": claim["id"]})
    row = desk_table(again)
    assert "Unable to independently verify" in set(row["Desk status"])


def test_inline_edit_needs_an_editor(app_store):
    claim = seed_claim(app_store)
    at = run("pages/2_Claims.py")
    ids = list(at.session_state["claims_shown"]["ids"])
    at.session_state["claims_table"] = {"edited_rows": {ids.index(claim["id"]): {"Desk status": "Confirmed"}},
                                        "added_rows": [], "deleted_rows": []}
    at.run()
    assert not at.exception
    assert any("editor role" in e.value and "Sign in" in e.value for e in at.error)
    assert next(c for c in app_store.claims() if c["id"] == claim["id"])["status"] == "unreviewed"


def test_mark_in_claim_panel_with_note_and_evidence(app_store, editor):
    claim = seed_claim(app_store)
    at = sign_in(app_test("pages/2_Claims.py"), editor)
    at.query_params["claim"] = claim["id"]
    at.run()
    no_errors(at)
    cid = claim["id"]
    at.selectbox(key=f"claims_mark_status_{cid}").set_value("denied")
    at.text_area(key=f"claims_mark_note_{cid}").input("Pyongyang denies it")
    at.text_input(key=f"claims_mark_evidence_{cid}").input("https://example.org/kcna")
    at.button[[b.label for b in at.button].index("Save status")].click().run()
    no_errors(at)
    h = app_store.claim_history(cid)[0]
    assert (h["to_status"], h["note"], h["evidence_url"]) == ("denied", "Pyongyang denies it", "https://example.org/kcna")
    assert "Marked Denied." in texts(at)


def test_stale_edit_is_explained_and_can_be_reapplied(app_store, editor):
    claim = seed_claim(app_store)
    cid = claim["id"]
    at = sign_in(app_test("pages/2_Claims.py"), editor)
    at.query_params["claim"] = cid
    at.run()
    app_store.set_status(cid, "confirmed", "other", note="seen the video")  # a second editor
    at.selectbox(key=f"claims_mark_status_{cid}").set_value("denied")
    at.button[[b.label for b in at.button].index("Save status")].click().run()
    assert not at.exception
    assert any("changed since you opened it" in w.value for w in at.warning)
    assert "Confirmed" in texts(at) and "seen the video" in texts(at)
    assert app_store.claim_history(cid)[0]["to_status"] == "confirmed"
    at.button(key="claims_reapply_btn").click().run()
    no_errors(at)
    assert app_store.claim_history(cid)[0]["to_status"] == "denied"


@pytest.mark.parametrize("status", ["unverified", "unreviewed"])
def test_filter_by_status_from_the_url(app_store, status):
    claim = seed_claim(app_store)
    app_store.set_status(claim["id"], "unverified", "ana")
    at = run("pages/2_Claims.py", params={"status": status})
    no_errors(at)
    table = desk_table(at)
    expected = [c for c in app_store.claims() if c["status"] == status and not c.get("dismissed")]
    assert len(table) == len(expected) and len(table) > 0
    assert at.multiselect(key="claims_status").value == [status]


def test_filters_go_into_the_url(app_store):
    at = run("pages/2_Claims.py")
    at.multiselect(key="claims_status").set_value(["unreviewed"])
    at.text_input(key="claims_q").input("troops").run()
    no_errors(at)
    assert at.query_params["status"] in ("unreviewed", ["unreviewed"])
    assert at.query_params["q"] in ("troops", ["troops"])
    assert 0 < len(desk_table(at)) < len(app_store.claims())


def test_search_finds_the_troop_claims(app_store):
    at = run("pages/2_Claims.py", params={"q": '"12,000"'})
    table = desk_table(at)
    assert len(table) >= 1 and all("12" in f for f in table["Figures"])


def test_bulk_mark_selected(app_store, editor):
    at = sign_in(app_test("pages/2_Claims.py"), editor).run()
    ids = list(at.session_state["claims_shown"]["ids"])
    at.session_state["claims_table"] = {"edited_rows": {0: {"Select": True}, 1: {"Select": True}},
                                        "added_rows": [], "deleted_rows": []}
    at.run()
    at.selectbox(key="claims_bulk_status").set_value("unverified")
    at.button(key="claims_bulk_mark").click().run()
    no_errors(at)
    statuses = {c["id"]: c["status"] for c in app_store.claims()}
    assert statuses[ids[0]] == statuses[ids[1]] == "unverified"
    assert sum(s == "unverified" for s in statuses.values()) == 2


def test_add_and_dismiss_claims(app_store, editor):
    at = sign_in(app_test("pages/2_Claims.py"), editor).run()
    at.text_area[[t.label for t in at.text_area].index("Claim text")].input("Russia has 50,000 troops in Kursk.")
    at.button[[b.label for b in at.button].index("Add claim")].click().run()
    no_errors(at)
    added = next(c for c in app_store.claims() if c["text"] == "Russia has 50,000 troops in Kursk.")
    assert added["origin"] == "manual" and at.session_state["claims_open"] == added["id"]
    at.button(key="claims_dismiss").click().run()
    no_errors(at)
    assert next(c for c in app_store.claims() if c["id"] == added["id"])["dismissed"]


def test_report_text_is_shown_as_text(app_store, editor):
    from lib.pipeline import Pipeline
    from lib.ingest import ReportInput

    payload = "<script>window.pwned=1</script> <img src=x onerror=alert(1)> [click](javascript:alert(1))"
    text = f"Kyiv said 5,000 North Korean troops had arrived in Kursk. {payload} The ministry said 4,000 troops."
    Pipeline(app_store, app_store.settings).ingest_items(
        [ReportInput(text=text, title="Hostile <b>title</b>", outlet="Evil [Outlet](javascript:x)")],
        name="hostile", actor="test")
    st.cache_data.clear()
    for page in PAGES:
        at = run(page)
        assert not at.exception, page
        for m in list(at.markdown) + list(at.caption):
            assert "<script>" not in m.value or "\\<script\\>" in m.value, (page, m.value)
            assert "](javascript" not in m.value, (page, m.value)


# -- stories -------------------------------------------------------------------------
def test_story_view_shows_versions_and_diff(app_store):
    story = max(app_store.stories(), key=lambda s: s["versions"])
    at = run("pages/1_Stories.py", params={"story": story["id"]})
    no_errors(at)
    page = texts(at)
    assert f"All {story['versions']} versions share" in page
    for r in story["reports"]:
        assert r["outlet"] in page


def test_unknown_story_is_explained(app_store):
    at = run("pages/1_Stories.py", params={"story": "nope"})
    assert not at.exception
    assert any("does not exist" in e.value for e in at.error)


def test_merge_and_split_a_story(app_store, editor):
    before = app_store.stories()
    assert len(before) >= 2
    a, b = before[0], before[1]
    at = sign_in(app_test("pages/1_Stories.py"), editor)
    at.query_params["story"] = a["id"]
    at.run()
    no_errors(at)
    at.selectbox(key="stories_merge_other").set_value(b["id"])
    at.button[[x.label for x in at.button].index("Merge stories")].click().run()
    no_errors(at)
    after = app_store.stories()
    assert len(after) == len(before) - 1
    merged = next(s for s in after if {r["id"] for r in a["reports"]} <= {r["id"] for r in s["reports"]})
    assert {r["id"] for r in b["reports"]} <= {r["id"] for r in merged["reports"]}
    assert "Stories merged." in texts(at)

    at = sign_in(app_test("pages/1_Stories.py"), editor)
    at.query_params["story"] = merged["id"]
    at.run()
    out_id = b["reports"][0]["id"]
    at.selectbox(key="stories_split_report").set_value(out_id)
    at.button[[x.label for x in at.button].index("Split it out")].click().run()
    no_errors(at)
    final = app_store.stories()
    assert len(final) == len(after) + 1
    assert any([r["id"] for r in s["reports"]] == [out_id] for s in final)
    actions = [e["action"] for e in app_store.audit_events(actor="ed")]
    assert "merge_stories" in actions and "split_report" in actions


def test_merge_needs_an_editor(app_store):
    n = len(app_store.stories())
    a, b = app_store.stories()[:2]
    at = run("pages/1_Stories.py", params={"story": a["id"]})
    at.selectbox(key="stories_merge_other").set_value(b["id"])
    at.button[[x.label for x in at.button].index("Merge stories")].click().run()
    assert not at.exception
    assert any("editor role" in e.value for e in at.error)
    assert len(app_store.stories()) == n


# -- figures, ingest, sheets -----------------------------------------------------------------
def test_figures_tracker_plots_the_troop_figures(app_store):
    import json

    at = run("pages/3_Figures.py")
    no_errors(at)
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    values = {y for trace in spec["data"] for y in trace["y"]}
    assert {12000, 3000} <= values
    assert all(trace.get("customdata") for trace in spec["data"])  # each point leads to its claim


def test_paste_a_report(app_store, editor):
    at = sign_in(app_test("pages/4_Ingest.py", timeout=120), editor).run()
    at.text_input[[t.label for t in at.text_input].index("Headline")].input("Kursk update")
    at.text_input[[t.label for t in at.text_input].index("Outlet")].input("Reuters")
    at.text_area[[t.label for t in at.text_area].index("Report text")].input(
        "Ukraine's military intelligence said on Friday that 8,000 North Korean troops had reached Kursk. "
        "Reuters could not independently verify the figure.")
    at.button[[b.label for b in at.button].index("Ingest the report")].click().run(timeout=120)
    no_errors(at)
    assert any("added 1 report" in s.value for s in at.success)
    assert any(r["outlet"] == "Reuters" for r in app_store.reports())
    assert any("8,000" in c["text"] for c in app_store.claims())


def test_paste_needs_text(app_store, editor):
    at = sign_in(app_test("pages/4_Ingest.py"), editor).run()
    at.button[[b.label for b in at.button].index("Ingest the report")].click().run()
    assert not at.exception
    assert any("Paste the report's text first" in e.value for e in at.error)


def test_sheets_scope_by_status(app_store):
    claim = seed_claim(app_store)
    app_store.set_status(claim["id"], "unverified", "ana")
    at = run("pages/5_Sheets.py")
    at.radio(key="sheets_scope").set_value("status").run()
    at.selectbox(key="sheets_status").set_value("unverified").run()
    no_errors(at)
    assert "**1 claims** in this sheet." in [m.value for m in at.markdown]


def test_sheets_carry_the_desk_filter(app_store):
    at = run("pages/5_Sheets.py", params={"conflict": "1"})
    no_errors(at)
    n = sum(bool(c["conflicts_with"]) for c in app_store.claims() if not c.get("dismissed"))
    assert f"**{n} claims** in this sheet." in [m.value for m in at.markdown]


def test_another_editors_write_shows_at_the_next_rerun(app_store):
    claim = seed_claim(app_store)
    at = run("pages/2_Claims.py")
    ids = list(at.session_state["claims_shown"]["ids"])
    app_store.set_status(claim["id"], "denied", "someone-else")  # another app instance, same store
    at.run()
    assert desk_table(at)["Desk status"].iloc[ids.index(claim["id"])] == "Denied"


def test_change_tokens_and_incremental_desk_states(app_store):
    claim = seed_claim(app_store)
    tok, dtok = app_store.change_token(), app_store.derived_token()
    mark, _ = app_store.claims_changed_since(0)
    app_store.set_status(claim["id"], "confirmed", "ana")
    assert app_store.change_token() != tok and app_store.derived_token() == dtok
    newest, changed = app_store.claims_changed_since(mark)
    assert newest > mark and changed == [claim["id"]]
    state = app_store.desk_states(changed)[claim["id"]]
    assert (state["status"], state["version"]) == ("confirmed", claim["version"] + 1)
    app_store.add_manual_claim("A hand-added claim.", None, None, "ana")
    assert app_store.derived_token() != dtok



def test_an_audit_event_committed_late_below_the_newest_id_is_still_seen(app_store):
    """PostgreSQL hands out ids at insert, not commit: event n+5 can commit
    before event n+2. A reader that saw n+5 must still notice n+2."""
    from lib.models import AuditEvent

    claims = app_store.claims()[:2]
    base = app_store.claims_changed_since(None)[0]
    with app_store.session() as s:  # the later-allocated event commits first
        s.add(AuditEvent(id=base + 5, actor="ana", action="set_status", entity_type="claim",
                         entity_id=claims[0]["id"]))
    seen, _ = app_store.claims_changed_since(base)
    tok = app_store.change_token()
    with app_store.session() as s:  # ...then the earlier one
        s.add(AuditEvent(id=base + 2, actor="bo", action="set_status", entity_type="claim",
                         entity_id=claims[1]["id"]))
    assert app_store.change_token() != tok
    assert claims[1]["id"] in app_store.claims_changed_since(seen)[1]


def test_new_evidence_since_marked_is_flagged_until_looked_at(app_store, editor):
    from sqlalchemy import update

    from lib.models import Claim

    claim = seed_claim(app_store)
    app_store.set_status(claim["id"], "unverified", "ana")
    with app_store.session() as s:  # as a recompute does when new coverage brings a new cue or figure
        s.execute(update(Claim).where(Claim.id == claim["id"]).values(evidence_key="new-coverage"))
    overview = run("dashboard.py")
    assert {m.label: m.value for m in overview.metric}["New evidence since marked"] == "1"
    at = sign_in(app_test("pages/2_Claims.py"), editor)
    at.query_params["new_evidence"] = "1"
    at.run()
    no_errors(at)
    table = desk_table(at)
    assert len(table) == 1 and "new evidence since marked" in table["Flags"].iloc[0]
    assert any("New evidence since this claim was marked" in w.value for w in at.warning)
    at.button(key="claims_seen").click().run()
    no_errors(at)
    assert not next(c for c in app_store.claims() if c["id"] == claim["id"])["new_evidence"]
    assert len(desk_table(at)) == 0


@pytest.mark.parametrize("params", [
    {"q": "no-such-words-anywhere"},
    {"q": "'; DROP TABLE claim; --"},
    {"status": "no_such_status", "story": "nope", "page": "999", "claim": "missing"},
    {"speaker": "<script>alert(1)</script>", "conflict": "yes"},
])
def test_desk_survives_odd_links(app_store, params):
    at = run("pages/2_Claims.py", params=params)
    no_errors(at)
    assert len(app_store.claims()) > 0  # nothing was dropped



@pytest.mark.parametrize("role", [None, "editor", "admin"])
def test_sidebar_menu_names_pages_and_offers_admin_pages_to_admins_only(app_store, role):
    """The sidebar menu (lib.app.sidebar_nav) on a real run: every page by its
    name, Audit and Admin only for admins."""
    at = app_test("pages/2_Claims.py")
    if role:
        app_store.add_user("someone", role, "correct horse battery", actor="test")
        sign_in(at, "someone")
    at.run()
    no_errors(at)  # a link to a missing page file would raise here
    links = {el.proto.page: el.proto.label for el in at.sidebar.get("page_link")}  # URL path -> label
    assert links.get("") == "Overview" and links.get("Claims") == "Claims" and links.get("Sheets") == "Claim sheets"
    assert ("Audit" in links) is (role == "admin") and ("Admin" in links) is (role == "admin")
