"""Claim sheets: download the claims of a story, a topic, a filter or all (issue #5)."""
import datetime as dt

import streamlit as st

from lib import app, desk, export
from lib.desk import Filters

st.set_page_config(page_title="Claim sheets · Factdesk", page_icon=":material/download:", layout="wide")
app.sidebar_account()
st.title("Claim sheets")
st.caption("CSV opens in Excel with accents intact; the Excel sheet links to the sources; ClaimReview is "
           "schema.org JSON-LD for publishing (only claims the desk has marked); the printable sheet "
           "prints from the browser. Text that a spreadsheet would run as a formula is neutralised.")

claims = app.live_claims()
titles = app.story_titles()
labels = app.labels()
start = Filters.from_params(desk.query_params_dict(st.query_params))

scopes = {"all": "All claims", "story": "One story", "topic": "One topic", "status": "One desk status",
          "filter": "The claims desk's current filter"}
st.session_state.setdefault("sheets_scope", "filter" if start.active else "all")
scope = st.radio("Which claims", list(scopes), format_func=scopes.get, horizontal=True, key="sheets_scope")
filters = Filters()
if scope == "story":
    ids = sorted({c.get("story_id") for c in claims if c.get("story_id")}, key=lambda s: titles.get(s, s))
    if ids:
        filters = Filters(story=st.selectbox("Story", ids, format_func=lambda s: titles.get(s, s), key="sheets_story"))
elif scope == "topic":
    topics = sorted({c.get("topic_id") for c in claims if c.get("topic_id")})
    if topics:
        topic_titles = app.topic_titles()
        filters = Filters(topic=st.selectbox("Topic", topics, key="sheets_topic",
                                             format_func=lambda t: topic_titles.get(t, t)))
elif scope == "status":
    filters = Filters(status=(st.selectbox("Desk status", list(labels), format_func=labels.get, key="sheets_status"),))
elif scope == "filter":
    filters = start
    st.caption("Filters from the link: " + (", ".join(f"{k}={v}" for k, v in start.to_params().items()) or "none")
               + ". Open this page from the claims desk's link to carry its filters.")
chosen = desk.apply(claims, filters, haystacks=app.haystacks())
per_story = st.toggle("Excel: one sheet per story (else a Story column)", key="sheets_per_story")
st.markdown(f"**{len(chosen)} claims** in this sheet.")

reports = {r["id"]: r for r in app.reports()}
data = export.ExportData(chosen, reports, titles, labels)
stamp = dt.date.today().isoformat()
cols = st.columns(4)
for col, fmt, label in zip(cols, export.FORMATS, ("CSV", "Excel (.xlsx)", "ClaimReview JSON-LD", "Printable sheet")):
    col.download_button(
        label, data=lambda f=fmt: export.render(data, f, app.settings(), sheet_per_story=per_story),
        file_name=f"factdesk-claims-{stamp}.{export.EXTENSIONS[fmt]}", mime=export.MEDIA_TYPES[fmt],
        key=f"sheets_download_{fmt}", disabled=not chosen, icon=":material/download:", on_click="ignore")
st.caption("From the shell: `python -m lib export --format csv|xlsx|claimreview|html --out FILE "
           "[--story ID] [--status CODE]`.")
