"""Sign-in, the Audit page and the Admin page under streamlit's AppTest (issue #6),
on both backends."""
from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from lib import settings as settings_module
from lib.admin_view import AuditFilters
from tests.desk_helpers import add_claim

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "correct horse battery"


@pytest.fixture
def app_store(store, monkeypatch):
    """The test store, with the dashboard's settings and caches pointed at it."""
    monkeypatch.setenv("FACTDESK_DATABASE_URL", store.settings.database_url)
    monkeypatch.setattr(settings_module, "_cached", None)
    st.cache_resource.clear()
    st.cache_data.clear()
    yield store
    st.cache_resource.clear()
    st.cache_data.clear()


@pytest.fixture
def accounts(app_store):
    """An admin 'boss', an editor 'ed', and some audited desk work."""
    app_store.add_user("boss", "admin", PASSWORD, actor="cli")
    app_store.add_user("ed", "editor", PASSWORD, actor="boss")
    add_claim(app_store, "c1")
    app_store.set_status("c1", "confirmed", "ed", 1, note="Budanov said so")
    return app_store


def page(path: str, user: str | None = None, params: dict | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)  # the app's main script,
    at.switch_page(path)  # so the sidebar menu's links resolve as on the server
    if user:
        from lib import signin

        signin.sign_in_for_tests(at.session_state, user)
    for k, v in (params or {}).items():
        at.query_params[k] = v
    return at.run()


def button(at: AppTest, label: str):
    return next(b for b in at.button if b.label == label)


def no_exception(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


# -- sign-in ------------------------------------------------------------------
def test_first_start_asks_for_the_first_admin(app_store):
    at = page("pages/8_Audit.py")
    no_exception(at)
    assert any("create the first admin" in i.value for i in at.info)
    at.sidebar.text_input(key="signin_first_name").input("boss")
    at.sidebar.text_input(key="signin_first_password").input(PASSWORD)
    at.sidebar.text_input(key="signin_first_again").input(PASSWORD)
    button(at, "Create admin account").click().run()
    no_exception(at)
    assert app_store.user("boss")["role"] == "admin"
    assert "Signed in as **boss** (admin)" in [c.value for c in at.sidebar.caption]
    assert not at.error and at.dataframe  # the audit trail is now visible


def test_sign_in_wrong_then_right_then_sign_out(accounts):
    at = page("pages/9_Admin.py")
    assert any("needs the admin role" in e.value for e in at.error)
    at.sidebar.text_input(key="signin_name").input("boss")
    at.sidebar.text_input(key="signin_password").input("not the password")
    button(at, "Sign in").click().run()
    assert any("Sign-in failed: wrong user name or password" in e.value for e in at.sidebar.error)
    at.sidebar.text_input(key="signin_password").input(PASSWORD)
    button(at, "Sign in").click().run()
    no_exception(at)
    assert not at.error and at.dataframe
    button(at, "Sign out").click().run()
    assert any("needs the admin role" in e.value for e in at.error)
    assert not at.dataframe


@pytest.mark.parametrize("path", ["pages/8_Audit.py", "pages/9_Admin.py"])
@pytest.mark.parametrize("user", [None, "ed"])
def test_admin_pages_refuse_non_admins(accounts, path, user):
    at = page(path, user=user)
    no_exception(at)
    assert any("needs the admin role" in e.value for e in at.error)
    assert not at.dataframe  # nothing of the trail or the accounts is shown


def test_disabled_admin_is_signed_out(accounts):
    accounts.add_user("old", "admin", PASSWORD, actor="boss")
    accounts.disable("old", actor="boss")
    at = page("pages/9_Admin.py", user="old")
    assert any("needs the admin role" in e.value for e in at.error)


# -- audit page -----------------------------------------------------------------
def test_audit_page_shows_and_filters(accounts):
    at = page("pages/8_Audit.py", user="boss")
    no_exception(at)
    table = at.dataframe[0].value
    assert set(table["Action"]) >= {"add_user", "set_status"}
    at.selectbox(key="audit_actor").select("ed").run()
    table = at.dataframe[0].value
    assert list(table["Action"]) == ["set_status"]
    assert '"status": "confirmed"' in table["After"][0] and "Budanov" in table["Note"][0]
    assert at.query_params["actor"] in ("ed", ["ed"])


def test_audit_page_filters_from_the_url(accounts):
    at = page("pages/8_Audit.py", user="boss", params={"action": "add_user", "q": "ED"})
    table = at.dataframe[0].value
    assert list(table["Id"]) == ["ed"]
    at = page("pages/8_Audit.py", user="boss", params={"q": "'; DROP TABLE audit_event; --"})
    assert any("No audit events match" in i.value for i in at.info)
    assert accounts.audit_events()


def test_audit_filters_round_trip():
    f = AuditFilters.from_params({"actor": ["ed"], "since": ["2024-10-24"], "until": ["nonsense"], "q": "x"})
    assert f.since.isoformat() == "2024-10-24" and f.until is None
    assert AuditFilters.from_params(f.to_params()) == f
    assert f.store_kwargs()["actor"] == "ed" and f.store_kwargs()["until"] is None


# -- admin page -----------------------------------------------------------------
def test_admin_adds_a_user_and_changes_a_role(accounts):
    at = page("pages/9_Admin.py", user="boss")
    no_exception(at)
    at.text_input(key="admin_new_name").input("vi")
    at.selectbox(key="admin_new_role").select("viewer")
    at.text_input(key="admin_new_password").input(PASSWORD)
    at.text_input(key="admin_new_again").input(PASSWORD)
    button(at, "Add account").click().run()
    no_exception(at)
    assert [s.value for s in at.success] == ["Added vi (viewer)."]
    assert "vi" in list(at.dataframe[0].value["Name"])
    assert accounts.verify("vi", PASSWORD)["role"] == "viewer"
    at.selectbox(key="admin_who").select("vi")
    at.selectbox(key="admin_role").select("editor")
    button(at, "Apply").click().run()
    assert [s.value for s in at.success] == ["vi is now editor."]
    assert accounts.audit_events(action="set_role")[0]["actor"] == "boss"


def test_admin_errors_are_words(accounts):
    at = page("pages/9_Admin.py", user="boss")
    at.selectbox(key="admin_who").select("boss")
    at.radio(key="admin_change").set_value("Disable")
    button(at, "Apply").click().run()
    no_exception(at)
    assert [e.value for e in at.error] == ["boss is the last admin; make another user admin first."]
    at.text_input(key="admin_new_name").input("x")
    at.text_input(key="admin_new_password").input("short")
    at.text_input(key="admin_new_again").input("short")
    button(at, "Add account").click().run()
    assert [e.value for e in at.error] == ["Password must be at least 8 characters long."]


def test_admin_adds_a_custom_status(accounts):
    at = page("pages/9_Admin.py", user="boss")
    at.text_input(key="admin_status_code").input("misleading")
    at.text_input(key="admin_status_label").input("Misleading")
    at.text_input(key="admin_status_description").input("True figures, false frame")
    button(at, "Add status").click().run()
    no_exception(at)
    assert [s.value for s in at.success] == ["Added the status Misleading (misleading)."]
    assert "misleading" in list(at.dataframe[1].value["Code"])
    assert accounts.set_status("c1", "misleading", "ed")["status"] == "misleading"
