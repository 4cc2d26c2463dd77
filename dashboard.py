"""Overview: the desk at a glance (placeholder listing reports until issue #5)."""
import streamlit as st

from lib.app import get_store

st.set_page_config(page_title="Factdesk", layout="wide")
st.title("Factdesk")
store = get_store()
reports = store.reports()
st.caption(f"{len(reports)} reports in the store")
st.dataframe(
    [{"Outlet": r["outlet"], "Date": r["date"], "Title": r["title"], "Sentences": r["sentences"]}
     for r in reports],
    hide_index=True, use_container_width=True,
)
