"""Stories: versions of one story side by side, their differences, merge and split (issue #5)."""
import streamlit as st

from lib import app, desk
from lib.desk import escape_markdown as md
from lib.pipeline import Pipeline

st.set_page_config(page_title="Stories · Factdesk", page_icon=":material/library_books:", layout="wide")
app.sidebar_account()
st.title("Stories")

stories = app.stories()
by_id = {s["id"]: s for s in stories}
if not stories:
    st.info("No stories yet. Ingest reports on the **Ingest** page.")
    st.stop()

story_id = st.query_params.get("story") or ""
claim_counts = desk.facets(app.live_claims(), ("story",))["story"]
table = desk.story_rows(stories, claim_counts)
picked = st.dataframe(table, hide_index=True, key="stories_table", on_select="rerun",
                      selection_mode="single-row",
                      column_config={"id": None, "Title": st.column_config.TextColumn(width="large")})
rows = picked.selection.rows if picked and picked.selection else []
if rows:
    story_id = table[rows[0]]["id"]
if story_id not in by_id:
    if story_id:
        st.error(f"Story {story_id!r} does not exist (it may have been merged). Pick one from the table.")
    st.caption("Pick a story in the table to see its versions, their differences and its claims.")
    st.stop()
app.set_query(story=story_id)

story = app.attempt(lambda: app.get_store().story(story_id), what="Opening the story")
if not story:
    st.stop()
st.header(md(story.get("title") or story_id), anchor=False)
st.page_link("pages/2_Claims.py", label=f"Review this story's claims ({claim_counts.get(story_id, 0)})",
             icon=":material/rate_review:", query_params={"story": story_id})
if story.get("topic_title"):
    st.caption(f"Topic: {md(story['topic_title'])}")

versions = story.get("reports") or []
diff = app.story_diff(story_id) or {}
st.subheader("What the versions share and where they differ")
for line in desk.diff_summary(diff):
    st.markdown(f"- {md(line)}")
st.caption("In each version: plain sentences are in every version, "
           ":blue-background[blue] ones in some others, :orange-background[orange] ones only in this version.")
for row_start in range(0, len(versions), 3):
    cols = st.columns(3)
    for col, r in zip(cols, versions[row_start:row_start + 3]):
        with col.container(border=True, height=520):
            st.markdown(f"**{md(r.get('outlet') or 'Unknown outlet')}** · {md(r.get('date') or 'no date')}")
            st.caption(md(r.get("title")))
            for line in desk.version_lines(diff, r["id"], app.report_sentences(r["id"])):
                colour = {"only": "orange", "some": "blue"}.get(line["kind"])
                st.markdown(f":{colour}-background[{md(line['text'])}]" if colour else md(line["text"]))
            with st.expander("What it drops"):
                drops = next((v.get("drops") for v in diff.get("versions", []) if v["id"] == r["id"]), [])
                for item in drops or []:
                    st.markdown(f"~~{md(item['text'])}~~")
                if not drops:
                    st.caption("Nothing of the earliest version.")

others = [o for o in stories if o["id"] in (story.get("topic_stories") or [])]
if others:
    st.subheader("Other stories of this topic")
    for s in others:
        st.page_link("pages/1_Stories.py", label=md(s.get("title") or s["id"]), query_params={"story": s["id"]})

st.subheader("Correct the grouping")
st.caption("Merges and splits are editors' data: they survive every recompute.")
left, right = st.columns(2)
with left.form("stories_merge"):
    other = st.selectbox("Merge another story into this one", [s["id"] for s in stories if s["id"] != story_id],
                         format_func=lambda s: desk.story_label(by_id[s]), key="stories_merge_other")
    if st.form_submit_button("Merge stories") and (u := app.require("editor")):
        # through the pipeline: claims the merge brings together are regrouped and
        # marked ones joined keeping every verdict (issue #9)
        if merged := app.attempt(lambda: Pipeline(app.get_store(), app.settings()).merge_stories(
                story_id, other, actor=u["name"]), what="Merging"):
            app.wrote()
            st.query_params["story"] = merged  # the merged story may carry the other id
            st.session_state["stories_flash"] = "Stories merged."
            st.rerun()
with right.form("stories_split"):
    report = st.selectbox("Split a version out into a story of its own", [r["id"] for r in versions],
                          format_func=lambda i: next(f"{r.get('outlet')} · {r.get('title')}"
                                                     for r in versions if r["id"] == i), key="stories_split_report")
    if st.form_submit_button("Split it out") and (u := app.require("editor")):
        if app.attempt(lambda: app.get_store().split_report(report, actor=u["name"]), what="Splitting"):
            app.wrote()
            st.session_state["stories_flash"] = "Version split out into its own story."
            st.rerun()
if message := st.session_state.pop("stories_flash", None):
    st.success(message)
