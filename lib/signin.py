"""Signing in to the dashboard (issue #6): the sidebar's account box, the
first-admin form on a store with no users, sign-out, and role checks.

The signed-in user's *name* lives in session state (``signin_user``); the
account is read again from the store on every rerun, so a role change or a
disabled account takes effect at the next click. Passwords are checked by
``store.verify``, which rate-limits failed sign-ins.

A sign-in survives browser reloads and new tabs (a shared link opens signed
in): signing in sets a cookie holding a signed, timed token (lib.auth), read
back through ``st.context.cookies`` once per browser session. Streamlit
cannot set cookies from Python, so a one-line script in ``st.html`` writes it;
the token is ours (URL-safe characters), never user text. Signing out clears
the cookie. ``FACTDESK_SESSION_HOURS=0`` turns this off.

    user = signin.current_user()          # dict or None
    signin.require_role("editor")         # the user, or raises PermissionDenied
    signin.gate("admin")                  # page-level: st.error + st.stop for others
"""
from __future__ import annotations

from typing import Any, MutableMapping

import streamlit as st

from lib import auth
from lib.errors import FactdeskError, NotFound, PermissionDenied

KEY = "signin_user"
COOKIE = "factdesk_session"
_CHECKED = "signin_cookie_checked"  # the cookie is read once per browser session
_PENDING = "signin_cookie_pending"  # a cookie to write on the next run: token, or "" to clear


def _store():
    from lib import app

    return app.get_store()


def current_user() -> dict | None:
    """The signed-in, enabled user as ``{id, name, role, disabled, created_at}``, or None."""
    name = st.session_state.get(KEY) or _from_cookie()
    if not name:
        return None
    try:
        user = _store().user(name)
    except NotFound:
        user = None
    if user is None or user["disabled"]:
        st.session_state.pop(KEY, None)  # deleted or disabled since signing in
        return None
    return user


def require_role(role: str = "editor") -> dict:
    """The signed-in user when they have at least ``role``; else raises PermissionDenied
    (lib.app.require turns it into an st.error next to the button that needed it)."""
    user = current_user()
    if user is None:
        raise PermissionDenied(f"Nobody is signed in; this needs the {role} role.")
    return dict(auth.require(role, user))


def gate(role: str) -> dict:
    """For whole pages: the user, or an st.error saying what to do and st.stop()."""
    try:
        return require_role(role)
    except PermissionDenied as exc:
        if not _store().has_users():
            st.info("No accounts yet: create the first admin account in the sidebar.")
        else:
            st.error(f"{exc} Sign in as an {role} in the sidebar.")
        st.stop()


def sign_out() -> None:
    st.session_state.pop(KEY, None)
    st.session_state[_CHECKED] = True  # the browser still sends the old cookie until reload
    st.session_state[_PENDING] = ""


def _signed_in(name: str) -> None:
    """Mark ``name`` signed in and queue its cookie (written on the next run: the
    caller reruns at once, and an element sent just before a rerun may never show)."""
    st.session_state[KEY] = name
    st.session_state[_CHECKED] = True
    store = _store()
    stamp = store.credential_stamp(name)
    if store.settings.session_hours and stamp:
        st.session_state[_PENDING] = auth.issue_token(name, stamp, store.settings.secret_key)


def _from_cookie() -> str | None:
    """Once per browser session: the user a valid sign-in cookie names, now signed in."""
    if st.session_state.get(_CHECKED):
        return None
    st.session_state[_CHECKED] = True
    store = _store()
    hours = store.settings.session_hours
    if not hours:
        return None
    found = auth.read_token(st.context.cookies.get(COOKIE), store.settings.secret_key, hours * 3600)
    if found is None or store.credential_stamp(found[0]) != found[1]:
        return None
    st.session_state[KEY] = found[0]
    return found[0]


def cookie_script(token: str, max_age: int, secure: bool) -> str:
    """The script that writes (``token``) or clears (``""``) the sign-in cookie."""
    if not all(c.isalnum() or c in "-_." for c in token):
        raise ValueError("a session token holds URL-safe characters only")
    attributes = f"path=/; max-age={max_age if token else 0}; SameSite=Strict" + ("; Secure" if secure else "")
    return f'<script>document.cookie = "{COOKIE}={token}; {attributes}";</script>'


def _write_pending_cookie() -> None:
    token = st.session_state.pop(_PENDING, None)
    if token is None:
        return
    secure = str(getattr(st.context, "url", "") or "").startswith("https:")
    st.html(cookie_script(token, _store().settings.session_hours * 3600, secure), unsafe_allow_javascript=True)


def sign_in_for_tests(session_state: MutableMapping[str, Any], name: str) -> None:
    """Mark ``name`` as signed in (AppTest's session state); the account must exist."""
    session_state[KEY] = name


def sidebar() -> dict | None:
    """The account box (call inside ``with st.sidebar``): first-admin form on an
    empty store, a sign-in form, or who is signed in with a sign-out button."""
    store = _store()
    _write_pending_cookie()
    user = current_user()
    if user is not None:
        st.caption(f"Signed in as **{user['name']}** ({user['role']})")
        if st.button("Sign out", key="signin_out"):
            sign_out()
            st.rerun()
        return user
    if not store.has_users():
        return _first_admin_form(store)
    with st.form("signin_form", clear_on_submit=False):
        st.caption("Sign in to mark claims (viewers may read without signing in).")
        name = st.text_input("User name", key="signin_name")
        password = st.text_input("Password", type="password", key="signin_password")
        if st.form_submit_button("Sign in"):
            try:
                user = store.verify(name, password)
            except FactdeskError as exc:
                st.error(f"Sign-in failed: {exc}")
                return None
            _signed_in(user["name"])
            st.rerun()
    return None


def _first_admin_form(store) -> dict | None:
    with st.form("signin_first_admin"):
        st.markdown("**First start: create the admin account.** No accounts exist yet.")
        name = st.text_input("Admin user name", key="signin_first_name")
        password = st.text_input("Password (8 characters or more)", type="password",
                                 key="signin_first_password")
        again = st.text_input("Password again", type="password", key="signin_first_again")
        if st.form_submit_button("Create admin account"):
            if password != again:
                st.error("The two passwords differ; type them again.")
                return None
            try:
                user = store.add_first_admin(name, password)
            except FactdeskError as exc:
                st.error(str(exc))
                return None
            _signed_in(user["name"])
            st.rerun()
    return None
