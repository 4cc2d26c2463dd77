"""Claims: the review desk (issue #5). Filters live in the URL; a status is stored at once."""
import pandas as pd
import streamlit as st

from lib import app, desk, views
from lib.desk import Filters

st.set_page_config(page_title="Claims · Factdesk", page_icon=":material/rate_review:", layout="wide")
user = app.sidebar_account()
st.title("Claims: the review desk")
views.flash()

labels = app.labels()
selected = views.apply_table_edits(labels)  # edits made in the table on the previous run
claims = app.claims()
by_id = {c["id"]: c for c in claims}
titles = app.story_titles()
reports = {r["id"]: r for r in app.reports()}

start = Filters.from_params(desk.query_params_dict(st.query_params))
filters = views.filter_sidebar(claims, start, labels, titles, user)
rows = desk.apply(claims, filters, user=user["name"] if user else None, haystacks=app.haystacks())
if st.session_state.get("claims_last_filters", filters) != filters:
    st.session_state["claims_page"] = 1  # new filters start at the first page
st.session_state["claims_last_filters"] = filters
page = st.session_state.get("claims_page") or int((st.query_params.get("page") or "1").strip() or 1)
shown, page, pages = desk.page_of(rows, page)
st.session_state["claims_page"] = page

if "claims_open_next" in st.session_state:
    st.session_state["claims_open"] = st.session_state.pop("claims_open_next")
open_id = st.session_state.get("claims_open") or st.query_params.get("claim") or ""
app.set_query(**filters.to_params(), claim=open_id if open_id in by_id else "",
              page=page if page > 1 else "")

views.stale_notice(labels)
with st.expander("How to review a claim", expanded=user is None):
    st.markdown(
        "1. **Find it**: filter in the sidebar (story, desk status, report cue, speaker, outlet, conflicting "
        "figures, assigned to me) or search. The address bar keeps the view: share the link.\n"
        "2. **Open it** on the right: where it appears, what each report says about its verification "
        "(*report cues*), and other claims giving different figures.\n"
        "3. **Mark it**: sign in as an editor (sidebar), then set *Desk status* in the table (stored at once) "
        "or in the claim's form with a note and an evidence link. *Accept the suggestion* takes the status "
        "the reports' cues suggest.\n"
        "4. **Check the history** under the claim: who changed what, when, and why.")
count, download = st.columns([4, 1])
count.caption(f"{len(rows)} of {sum(not c.get('dismissed') for c in claims)} claims"
              + (" match these filters" if filters.active else "") + ".")
download.page_link("pages/5_Sheets.py", label="Download these claims", icon=":material/download:",
                   query_params=filters.to_params())
if not claims:
    st.info("No claims yet. Ingest reports on the **Ingest** page; claims appear as soon as they are read.")
    st.stop()

left, right = st.columns([5, 3], gap="medium")  # the table, and the open claim beside it
with left:
    table = desk.claim_table(shown, labels)
    frame = pd.DataFrame(table["columns"], index=table["index"]).astype({"Select": bool})  # bool even when empty
    st.session_state["claims_shown"] = {"ids": table["index"],
                                        "versions": {c["id"]: c.get("version") for c in shown}}
    editor_state = st.data_editor(
        frame, key=views.table_editor_key(), hide_index=True, width="stretch", height=min(720, 38 + 35 * len(frame)),
        disabled=[c for c in frame.columns if c not in ("Select", "Desk status")],
        column_config={
            "Select": st.column_config.CheckboxColumn("Select", width="small"),
            "Claim": st.column_config.TextColumn("Claim", width=260),  # room for status, speaker, figures
            "Speaker": st.column_config.TextColumn("Speaker", width=140),
            "Figures": st.column_config.TextColumn("Figures", width=140),
            "Desk status": st.column_config.SelectboxColumn("Desk status", options=list(labels.values()),
                                                            required=True, width=170),
        })
    if pages > 1:
        st.number_input(f"Page (of {pages}, {desk.PAGE_SIZE} claims a page)", min_value=1, max_value=pages,
                        key="claims_page")

    picked = desk.status_edits(st.session_state.get(views.table_editor_key()), table["index"], labels)[1] or selected
    if picked:
        with st.container(border=True):
            st.markdown(f"**{len(picked)} selected**")
            pick, mark, mine = st.columns([2, 1, 1])
            code = pick.selectbox("Mark the selected claims as", list(labels), format_func=labels.get,
                                  key="claims_bulk_status")
            if mark.button("Mark selected", key="claims_bulk_mark", type="primary") and (u := app.require("editor")):
                versions = {cid: by_id[cid].get("version") for cid in picked if cid in by_id}
                outcome = app.attempt(lambda: app.get_store().bulk_set_status(
                    picked, code, u["name"], expected_versions=versions))
                if outcome:
                    app.wrote()
                    views.reset_table()
                    st.session_state["claims_flash"] = (
                        f"Marked {len(outcome['applied'])} claims {labels.get(code, code)}."
                        + (f" {len(outcome['stale'])} had changed since you opened them and were left alone."
                           if outcome["stale"] else ""))
                    st.rerun()
            if mine.button("Assign selected to me", key="claims_bulk_assign") and (u := app.require("editor")):
                for cid in picked:
                    app.attempt(lambda: app.get_store().assign(cid, u["name"], u["name"]))
                app.wrote()
                views.reset_table()
                st.rerun()

choices = list(dict.fromkeys(([open_id] if open_id in by_id else []) + [c["id"] for c in shown]))
with right:
    if not choices:
        st.caption("No claim matches these filters.")
    elif st.session_state.get("claims_open") not in choices:
        st.session_state["claims_open"] = choices[0] if open_id not in by_id else open_id
    if choices:
        cid = st.selectbox("Open a claim", choices, key="claims_open",
                           format_func=lambda i: f"{by_id[i].get('text', '')[:120]}  [{labels.get(by_id[i].get('status'), '')}]")
        views.claim_panel(by_id[cid], by_id, labels, reports, user)
views.add_claim_form(titles, filters.story)
