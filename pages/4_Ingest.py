"""Ingest: upload report files or paste one report (issue #5)."""
import datetime as dt

import streamlit as st

from lib import app
from lib.desk import escape_markdown as md
from lib.ingest import ReportInput, SUFFIXES

st.set_page_config(page_title="Ingest · Factdesk", page_icon=":material/upload_file:", layout="wide")
app.sidebar_account()
st.title("Ingest reports")
limit = app.settings().max_file_mb
st.caption(f"Files up to {limit:g} MB: {', '.join(sorted(s.lstrip('.') for s in SUFFIXES))}. "
           "JSON holds an object or an array of objects with title, text, outlet, url and date. "
           "New stories and claims appear on the other pages as soon as a file is read.")


def pipeline():
    from lib.pipeline import Pipeline

    return Pipeline(app.get_store(), app.settings(), model=app.get_model())


def show_results(results) -> None:
    for r in results:
        if r.status == "added":
            st.success(f"{md(r.path)}: added {len(r.report_ids)} report{'s' if len(r.report_ids) != 1 else ''}.")
        elif r.status == "present":
            st.info(f"{md(r.path)}: already in the store, nothing changed.")
        else:
            st.error(f"{md(r.reason or r.path + ': rejected')} — fix the file and upload it again.")


upload_tab, paste_tab = st.tabs(["Upload files", "Paste a report"])
with upload_tab:
    files = st.file_uploader("Report files", accept_multiple_files=True, key="ingest_files",
                             type=sorted(s.lstrip(".") for s in SUFFIXES))
    if st.button("Ingest the files", type="primary", disabled=not files, key="ingest_go"):
        if user := app.require("editor"):
            bar = st.progress(0.0, text="Reading…")

            def progress(done: int, total: int, name: str) -> None:
                bar.progress(done / max(total, 1), text=f"{done} of {total} files" + (f": {name}" if name else ""))

            with st.spinner("Reading, embedding and extracting claims…"):
                results = app.attempt(lambda: pipeline().ingest_uploads(
                    [(f.name, f.getvalue()) for f in files], actor=user["name"], progress=progress),
                    what="Ingest")
            app.wrote()
            if results is not None:
                show_results(results)

with paste_tab:
    with st.form("ingest_paste"):
        title = st.text_input("Headline")
        cols = st.columns(3)
        outlet = cols[0].text_input("Outlet", placeholder="e.g. Euronews")
        url = cols[1].text_input("URL", placeholder="https://…")
        published = cols[2].date_input("Date", value=dt.date.today(), format="YYYY-MM-DD")
        text = st.text_area("Report text", height=260)
        pasted = st.form_submit_button("Ingest the report", type="primary")
    if pasted:
        if not text.strip():
            st.error("Paste the report's text first.")
        elif url.strip() and not url.strip().lower().startswith(("http://", "https://")):
            st.error("The URL must start with http:// or https:// (or leave it empty).")
        elif user := app.require("editor"):
            item = ReportInput(text=text.strip(), title=title.strip() or text.strip().splitlines()[0][:200],
                               outlet=outlet.strip() or None, url=url.strip() or None, published=published,
                               source_path=None)
            with st.spinner("Reading, embedding and extracting claims…"):
                result = app.attempt(lambda: pipeline().ingest_items(
                    [item], name=f"pasted: {item.title[:60]}", actor=user["name"]), what="Ingest")
            app.wrote()
            if result is not None:
                show_results([result])

if st.session_state.get("ingest_files") is None:
    st.page_link("pages/1_Stories.py", label="See the stories", icon=":material/library_books:")
