"""Admin: accounts and roles, and custom desk statuses; admins only (issue #6)."""
import streamlit as st

from lib import app, signin
from lib.admin_view import status_rows, user_rows
from lib.vocab import ROLES

st.set_page_config(page_title="Users and statuses · Factdesk", page_icon=":material/admin_panel_settings:", layout="wide")
app.sidebar_account()
st.title("Users and statuses")
admin = signin.gate("admin")
store = app.get_store()


def done(message: str) -> None:
    """After a write: fresh tables on a rerun, the message kept across it."""
    app.wrote()
    st.session_state["admin_flash"] = message
    st.rerun()


if flash := st.session_state.pop("admin_flash", None):
    st.success(flash)


st.subheader("Accounts")
users = store.users()
st.dataframe(user_rows(users), hide_index=True, key="admin_users_table")
names = [u["name"] for u in users]

with st.form("admin_add_user", clear_on_submit=True):
    st.markdown("**Add an account**")
    c1, c2 = st.columns(2)
    name = c1.text_input("User name", key="admin_new_name")
    role = c2.selectbox("Role", ROLES, index=ROLES.index("editor"), key="admin_new_role")
    c3, c4 = st.columns(2)
    password = c3.text_input("Password (8 characters or more)", type="password", key="admin_new_password")
    again = c4.text_input("Password again", type="password", key="admin_new_again")
    if st.form_submit_button("Add account"):
        if password != again:
            st.error("The two passwords differ; type them again.")
        elif app.attempt(lambda: store.add_user(name.strip(), role, password, actor=admin["name"]),
                         what="Adding the account"):
            done(f"Added {name.strip()} ({role}).")

with st.form("admin_change_user"):
    st.markdown("**Change an account**")
    c1, c2, c3 = st.columns(3)
    who = c1.selectbox("Account", names, key="admin_who")
    new_role = c2.selectbox("Role", ROLES, key="admin_role")
    change = c3.radio("Change", ["Set role", "Disable", "Enable"], key="admin_change", horizontal=True)
    if st.form_submit_button("Apply") and who:
        if change == "Set role":
            action, message = (lambda: store.set_role(who, new_role, actor=admin["name"])), f"{who} is now {new_role}."
        elif change == "Disable":
            action, message = (lambda: store.disable(who, actor=admin["name"])), f"Disabled {who}."
        else:
            action, message = (lambda: store.enable(who, actor=admin["name"])), f"Enabled {who}."
        if app.attempt(action, what="Changing the account"):
            done(message)

st.subheader("Desk statuses")
st.caption("The four built-in statuses, then those admins added. Codes appear in JSON and the CLI; "
           "labels on screen.")
st.dataframe(status_rows(store.statuses()), hide_index=True, key="admin_status_table")
with st.form("admin_add_status", clear_on_submit=True):
    st.markdown("**Add a status**")
    c1, c2, c3 = st.columns([1, 2, 1])
    code = c1.text_input("Code (e.g. misleading)", key="admin_status_code")
    label = c2.text_input("Label on screen", key="admin_status_label")
    colour = c3.color_picker("Colour", "#607d8b", key="admin_status_colour")
    description = st.text_input("Description", key="admin_status_description")
    if st.form_submit_button("Add status") and app.attempt(
            lambda: store.add_custom_status(code.strip(), label, colour, description, admin=admin["name"]),
            what="Adding the status"):
        done(f"Added the status {label} ({code.strip()}).")
