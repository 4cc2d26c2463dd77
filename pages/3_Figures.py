"""Figures tracker: every figure given for a contested quantity, over time, by source (issue #5)."""
import streamlit as st

from lib import app, charts, desk
from lib.desk import escape_markdown as md

st.set_page_config(page_title="Figures · Factdesk", page_icon=":material/monitoring:", layout="wide")
app.sidebar_account()
st.title("Figures tracker")
st.caption("Each point is a figure a source gave, dated when the text says it was stated "
           "(else the report's date). Select a point to open its claim.")

claims = app.live_claims()
dates = {r["id"]: r.get("date") for r in app.reports()}
points = desk.figure_points(claims, dates)
quantities = desk.contested(points)
if not quantities:
    st.info("No contested figures yet: no quantity has been given different values by different claims.")
    st.stop()

wanted = st.query_params.get("what") or ""
if st.session_state.get("figures_what") not in quantities:
    st.session_state["figures_what"] = wanted if wanted in quantities else quantities[0]
what = st.selectbox("Quantity", quantities, key="figures_what",
                    format_func=lambda w: f"{w} ({charts.figure_caption(points, w)})")
app.set_query(what=what)

chosen = st.plotly_chart(charts.figures_over_time(points, what), key="figures_chart",
                         on_select="rerun", selection_mode="points")
selected = [p.get("customdata") for p in (chosen.selection.points if chosen and chosen.selection else [])]
for cid in dict.fromkeys(c for c in selected if c):
    st.page_link("pages/2_Claims.py", label="Open the selected claim", icon=":material/open_in_new:",
                 query_params={"claim": cid})

st.subheader(md(f"{what}: {charts.figure_caption(points, what)}"))
rows = [{"Date": p["date"], "Figure": p["label"], "Source": p["source"], "Claim": p["text"],
         "Open": f"Claims?claim={p['claim_id']}"} for p in points if p["what"] == what]
st.dataframe(rows, hide_index=True, key="figures_table", column_config={
    "Claim": st.column_config.TextColumn(width="large"),
    "Open": st.column_config.LinkColumn("Open", display_text="open claim")})
