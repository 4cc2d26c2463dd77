"""Overview: the desk at a glance (issue #5)."""
import streamlit as st

from lib import app, charts, desk

st.set_page_config(page_title="Factdesk", page_icon=":material/fact_check:", layout="wide")
app.sidebar_account()
st.title("Factdesk")
st.caption("Versions of a story, the claims they make, and where the desk stands on each. "
           "Start with **Claims** to review, or open a story below.")

claims = app.live_claims()
stories = app.stories()
reports = app.reports()
titles = app.story_titles()
counts = desk.overview_counts(claims, stories=len(stories))

cols = st.columns(6)
cols[0].metric("Stories", counts["stories"], help="Groups of reports telling the same story.")
cols[1].metric("Claims", counts["claims"])
cols[2].metric("Unreviewed", counts["unreviewed"], help="Claims no editor has marked yet.")
cols[3].metric("Conflicting figures", counts["conflicting"],
               help="Claims whose figures disagree with another claim about the same quantity.")
cols[4].metric("New evidence since marked", counts["new_evidence"],
               help="Marked claims that new coverage brought a new cue or figure for.")
cols[5].metric("Verdicts disagree", counts["disagree"],
               help="Claims a story merge joined from claims editors had marked differently.")

links = st.columns(5)
links[0].page_link("pages/2_Claims.py", label="Review unreviewed claims", icon=":material/rate_review:",
                   query_params={"status": "unreviewed"})
links[1].page_link("pages/2_Claims.py", label="Claims with conflicting figures", icon=":material/compare_arrows:",
                   query_params={"conflict": "1"})
links[2].page_link("pages/2_Claims.py", label="New evidence since marked", icon=":material/new_releases:",
                   query_params={"new_evidence": "1"})
links[3].page_link("pages/2_Claims.py", label="Verdicts that disagree", icon=":material/gavel:",
                   query_params={"disagree": "1"})
links[4].page_link("pages/4_Ingest.py", label="Add reports", icon=":material/upload_file:")

if not reports:
    st.info("The store holds no report yet. Open **Ingest** to upload files or paste a report, "
            "or run `python -m lib init --seed seeds` on the server.")
    st.stop()

left, right = st.columns([3, 2])
with left:
    if claims:
        st.plotly_chart(charts.status_by_story(claims, titles, app.statuses()), key="overview_status")
    st.plotly_chart(charts.coverage_timeline(reports), key="overview_coverage")

with right:
    per_story = desk.facets(claims, ("story",))["story"]
    conflicted = desk.facets([c for c in claims if c.get("conflicts_with")], ("story",))["story"]
    st.subheader("Busiest stories")
    for sid, n in per_story.most_common(5):
        if sid:
            st.page_link("pages/1_Stories.py", label=f"{n} claims · {desk.escape_markdown(titles.get(sid, sid))}",
                         query_params={"story": sid})
    st.subheader("Most conflicted stories")
    if not conflicted:
        st.caption("No conflicting figures so far.")
    for sid, n in conflicted.most_common(5):
        if sid:
            title = desk.escape_markdown(titles.get(sid, sid))
            st.page_link("pages/2_Claims.py", label=f"{n} conflicting · {title}",
                         query_params={"story": sid, "conflict": "1"})
