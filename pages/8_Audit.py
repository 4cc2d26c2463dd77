"""Audit trail: who did what, when, with before and after; filterable; admins only (issue #6)."""
import streamlit as st

from lib import app, signin
from lib.admin_view import ANY, AuditFilters, audit_rows

st.set_page_config(page_title="Audit · Factdesk", page_icon=":material/history:", layout="wide")
app.sidebar_account()
st.title("Audit trail")
signin.gate("admin")
st.caption("Every change to claims, stories, reports, users and statuses, newest first. "
           "Append-only: nothing in the app rewrites or deletes it.")

store = app.get_store()
facets = store.audit_facets()
start = AuditFilters.from_params({k: st.query_params.get_all(k) for k in st.query_params.keys()})


def choice(column, label: str, options: list[str], value: str, key: str) -> str:
    options = [ANY] + options
    picked = column.selectbox(label, options, index=options.index(value) if value in options else 0, key=key)
    return "" if picked == ANY else picked


c1, c2, c3 = st.columns(3)
actor = choice(c1, "Who", facets["actor"], start.actor, "audit_actor")
action = choice(c2, "Action", facets["action"], start.action, "audit_action")
entity_type = choice(c3, "What", facets["entity_type"], start.entity_type, "audit_what")
c4, c5, c6 = st.columns([2, 1, 1])
search = c4.text_input("Search ids, names and notes", value=start.search, key="audit_search", max_chars=200)
since = c5.date_input("From", value=start.since, key="audit_since")
until = c6.date_input("Until", value=start.until, key="audit_until")

filters = AuditFilters(actor, action, entity_type, search.strip(), since, until)
app.set_query(**filters.to_params())
events = app.attempt(lambda: store.audit_events(**filters.store_kwargs(), limit=2000),
                     what="Reading the audit trail") or []
st.caption(f"{len(events)} events" + (" (the newest 2,000; narrow the filters)" if len(events) == 2000 else ""))
if events:
    st.dataframe(audit_rows(events), hide_index=True, key="audit_table")
else:
    st.info("No audit events match these filters.")
