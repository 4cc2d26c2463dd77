"""Accounts, roles, sign-in rate limiting and the `users` CLI (issue #6)."""
from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from click.testing import CliRunner
from sqlalchemy import update

from lib import auth
from lib.cli import cli
from lib.errors import AuthError, InvalidValue, PermissionDenied, UserNotFound
from lib.models import LoginAttempt, User
from lib.store import Store

PASSWORD = "correct horse battery"


@pytest.fixture
def limited(store):
    """The test store with 3 failed sign-ins allowed per 60 s."""
    return Store(store.engine, store.settings.replace(login_attempts=3, login_window=60))


def test_password_is_hashed_with_argon2(store):
    store.add_user("ana", "editor", PASSWORD, actor="root")
    with store.session() as s:
        stored = s.query(User).filter_by(name="ana").one().password_hash
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    assert store.verify("ana", PASSWORD)["role"] == "editor"
    assert "password_hash" not in store.user("ana")


@pytest.mark.parametrize("name,role,password,message", [
    ("ana", "editor", "short", "at least 8"),
    ("ana", "editor", "", "at least 8"),
    ("ana", "boss", PASSWORD, "Unknown role"),
    ("a b", "editor", PASSWORD, "User name must be"),
    ("", "editor", PASSWORD, "User name must be"),
    ("x" * 101, "editor", PASSWORD, "User name must be"),
])
def test_add_user_validation(store, name, role, password, message):
    with pytest.raises(InvalidValue, match=message):
        store.add_user(name, role, password, actor="root")
    assert store.users() == []


def test_duplicate_user(store):
    store.add_user("ana", "editor", PASSWORD, actor="root")
    with pytest.raises(InvalidValue, match="already exists"):
        store.add_user("ana", "admin", PASSWORD, actor="root")


@pytest.mark.parametrize("name,password", [("ana", "wrong password"), ("nobody", PASSWORD)])
def test_wrong_name_or_password_same_message(store, name, password):
    store.add_user("ana", "editor", PASSWORD, actor="root")
    with pytest.raises(AuthError, match="^wrong user name or password$"):
        store.verify(name, password)


def test_rate_limit_then_window_passes(limited):
    limited.add_user("ana", "editor", PASSWORD, actor="root")
    for _ in range(3):
        with pytest.raises(AuthError, match="wrong"):
            limited.verify("ana", "bad password")
    with pytest.raises(AuthError, match=r"too many failed sign-ins; try again in (\d+) s") as err:
        limited.verify("ana", PASSWORD)  # even the right password is refused now
    wait = int(re.search(r"again in (\d+) s", str(err.value)).group(1))
    assert 55 <= wait <= 60
    with limited.session() as s:  # let the window pass without sleeping
        s.execute(update(LoginAttempt).values(at=LoginAttempt.at - timedelta(seconds=61)))
    assert limited.verify("ana", PASSWORD)["name"] == "ana"


def test_success_resets_failure_count(limited):
    limited.add_user("ana", "editor", PASSWORD, actor="root")
    for _ in range(2):
        with pytest.raises(AuthError):
            limited.verify("ana", "bad password")
    limited.verify("ana", PASSWORD)
    for _ in range(2):
        with pytest.raises(AuthError, match="wrong"):
            limited.verify("ana", "bad password")
    assert limited.verify("ana", PASSWORD)


def test_disabled_user_cannot_sign_in(store):
    store.add_user("ana", "editor", PASSWORD, actor="root")
    store.disable("ana", actor="root")
    with pytest.raises(AuthError, match="disabled"):
        store.verify("ana", PASSWORD)
    store.enable("ana", actor="root")
    assert store.verify("ana", PASSWORD)


def test_user_changes_are_audited(store):
    store.add_user("ana", "viewer", PASSWORD, actor="root")
    store.set_role("ana", "editor", actor="root")
    store.disable("ana", actor="boss")
    events = store.audit_events(entity_type="user", entity_id="ana")
    assert [(e["actor"], e["action"], e["before"], e["after"]) for e in events] == [
        ("boss", "disable_user", {"disabled": False}, {"disabled": True}),
        ("root", "set_role", {"role": "viewer"}, {"role": "editor"}),
        ("root", "add_user", None, {"role": "viewer"}),
    ]
    assert all(PASSWORD not in json.dumps(e, default=str) for e in store.audit_events())


def test_first_admin_only_once(store):
    assert not store.has_users()
    assert store.add_first_admin("boss", PASSWORD)["role"] == "admin"
    with pytest.raises(PermissionDenied, match="exists already"):
        store.add_first_admin("mallory", PASSWORD)


@pytest.mark.parametrize("call", [lambda s: s.set_role("nope", "admin", "root"),
                                  lambda s: s.disable("nope", "root"), lambda s: s.user("nope")])
def test_unknown_user(store, call):
    with pytest.raises(UserNotFound, match="'nope' does not exist"):
        call(store)


@pytest.mark.parametrize("role,user,allowed", [
    ("viewer", {"name": "v", "role": "viewer"}, True),
    ("editor", {"name": "v", "role": "viewer"}, False),
    ("editor", {"name": "e", "role": "editor"}, True),
    ("editor", {"name": "a", "role": "admin"}, True),
    ("admin", {"name": "e", "role": "editor"}, False),
    ("admin", {"name": "a", "role": "admin", "disabled": True}, False),
    ("viewer", None, False),
    ("viewer", {"name": "x", "role": "root"}, False),
])
def test_require(role, user, allowed):
    if allowed:
        assert auth.require(role, user) is user
    else:
        with pytest.raises(PermissionDenied, match=f"needs the {role} role"):
            auth.require(role, user)


# -- CLI --------------------------------------------------------------------
def run(db_url, *args, input=None, env=None):
    return CliRunner().invoke(cli, ["--db", db_url, *args], input=input, env=env or {},
                              catch_exceptions=False)


def test_cli_users_roundtrip(db_url):
    result = run(db_url, "--as", "ops", "users", "add", "ana", "--role", "editor",
                 "--password-stdin", input=PASSWORD + "\n")
    assert result.exit_code == 0, result.output
    assert result.output == "Added ana (editor).\n"
    result = run(db_url, "users", "add", "ben", "--role", "viewer", env={"FACTDESK_PASSWORD": PASSWORD})
    assert result.exit_code == 0, result.output
    assert run(db_url, "users", "set-role", "ben", "admin").exit_code == 0
    assert run(db_url, "users", "disable", "ana").exit_code == 0
    result = run(db_url, "users", "list", "--json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert [(r["name"], r["role"], r["disabled"]) for r in rows] == [
        ("ana", "editor", True), ("ben", "admin", False)]
    assert len(rows[0]["created_at"]) >= 10
    store = Store.open(url=db_url)
    try:
        assert store.verify("ben", PASSWORD)["role"] == "admin"
        assert store.audit_events(action="add_user")[-1]["actor"] == "ops"
    finally:
        store.close()


@pytest.mark.parametrize("args,input,env,message", [
    (["--role", "editor"], None, {}, "Error: No password given: pipe it in with --password-stdin or set FACTDESK_PASSWORD.\n"),
    (["--role", "editor", "--password-stdin"], "", {}, "Error: --password-stdin given but standard input held no password.\n"),
    (["--role", "editor"], None, {"FACTDESK_PASSWORD": "short"}, "Error: Password must be at least 8 characters long.\n"),
])
def test_cli_users_add_errors(db_url, args, input, env, message):
    result = run(db_url, "users", "add", "ana", *args, input=input, env=env)
    assert result.exit_code == 1
    assert result.output == message
    assert run(db_url, "users", "list", "--json").output.strip() == "[]"


def test_cli_unknown_user(db_url):
    result = run(db_url, "users", "disable", "nope")
    assert result.exit_code == 1
    assert result.output == "Error: User 'nope' does not exist\n"


def test_last_admin_cannot_be_demoted_or_disabled(store):
    store.add_first_admin("boss", PASSWORD)
    for call in (lambda: store.set_role("boss", "editor", "boss"), lambda: store.disable("boss", "boss")):
        with pytest.raises(InvalidValue, match="boss is the last admin"):
            call()
    store.add_user("deputy", "admin", PASSWORD, actor="boss")
    assert store.set_role("boss", "editor", "deputy")["role"] == "editor"


# -- sign-in cookie: signed, timed tokens ---------------------------------------------
def test_session_token_roundtrip_and_rejections():
    token = auth.issue_token("ed", "stamp1", "secret-a")
    assert re.fullmatch(r"[\w.-]+", token), "the cookie script needs URL-safe characters only"
    assert auth.read_token(token, "secret-a", 3600) == ("ed", "stamp1")
    assert auth.read_token(token, "secret-b", 3600) is None  # another instance's key
    assert auth.read_token(token, "secret-a", -1) is None  # expired
    assert auth.read_token(token[:-2] + ("AA" if token[-2:] != "AA" else "BB"), "secret-a", 3600) is None
    forged = token.replace(token.split(".")[0], auth.issue_token("admin", "stamp1", "x").split(".")[0])
    assert auth.read_token(forged, "secret-a", 3600) is None
    assert auth.read_token("", "secret-a", 3600) is None and auth.read_token(None, "secret-a", 3600) is None
    assert auth.read_token("x" * 5000, "secret-a", 3600) is None
    # no key configured: a random key per process, still verifiable within it
    assert auth.read_token(auth.issue_token("ed", "s", ""), "", 3600) == ("ed", "s")


def test_credential_stamp_ends_sessions_on_new_password_or_disable(store):
    store.add_user("ed", "editor", "a long editor password", actor="t")
    stamp = store.credential_stamp("ed")
    assert stamp and store.credential_stamp("ed") == stamp
    store.set_password("ed", "another long password", actor="t")
    assert store.credential_stamp("ed") not in (None, stamp)
    store.disable("ed", actor="t")
    assert store.credential_stamp("ed") is None
    assert store.credential_stamp("nobody") is None


def test_cookie_script_writes_only_url_safe_tokens():
    from lib import signin

    script = signin.cookie_script(auth.issue_token("ed", "s", "k"), 3600, secure=True)
    assert "max-age=3600" in script and "Secure" in script and "SameSite=Strict" in script
    assert "max-age=0" in signin.cookie_script("", 3600, secure=False)  # sign-out clears it
    for hostile in ('x";alert(1);"', "</script><script>alert(1)", "a b"):
        with pytest.raises(ValueError):
            signin.cookie_script(hostile, 3600, secure=False)
