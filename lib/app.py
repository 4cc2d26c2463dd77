"""What every page shares (issue #5): the store and model cached once per
process (st.cache_resource), cached reads (st.cache_data) keyed on the
store's change token so a write by anyone, in any app instance, shows at the
next rerun, the signed-in user, and errors turned into words.

Pages stay thin: they read widgets, call these helpers or the store, render.
"""
from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import Any, Callable, Iterator, TypeVar

import streamlit as st

from lib import settings as settings_module
from lib.errors import FactdeskError
from lib.store import Store

T = TypeVar("T")
READ_TTL = 600  # seconds; the change token does the real invalidation


@st.cache_resource
def get_store() -> Store:
    """The store, opened (and migrated) once per server process."""
    return Store.open(settings_module.get())


@st.cache_resource
def get_model():
    """The sentence model, loaded once per server process, only when ingesting."""
    from lib import embed

    return embed.load(settings_module.get())


def settings() -> settings_module.Settings:
    return settings_module.get()


def token() -> str:
    """The store's change token, read once per rerun."""
    return get_store().change_token()


# -- cached reads ---------------------------------------------------------------
# Arguments: the database URL (so tests pointing at another store never see a
# stale answer) and a change token. Claim rows are costly (every appearance,
# figure and conflict: half a second for 20k claims), so they are kept per
# *derived* token, which an editor's status change does not move, in
# st.cache_resource (no copy per call: 20k rows would take a second to
# unpickle on every rerun). They carry the editors' fields as read with them;
# later changes are merged in per change token from one light query of the
# claims changed since (_DeskRows). Callers must treat these rows as read-only.
# One derived version at a time (max_entries=1): once the derived token moved
# every session reads the new one, and a second copy of 20k rows would double
# the memory and every full pass of the garbage collector.
@st.cache_resource(ttl=READ_TTL, max_entries=1, show_spinner="Reading the claims…")
def _derived_claims(url: str, dtok: str) -> tuple[list[dict], _SearchIndex, int]:
    """(claim rows with the editors' fields as read, their search index, the
    newest audit id before they were read: editors' changes after it are
    merged in by _DeskRows)."""
    from lib.store.claims import paused_gc

    store = get_store()
    with paused_gc():  # some 100k lists and dicts that hold no cycles (see paused_gc)
        audit_id = store.claims_changed_since(None)[0]
        claims = store.claims(updated_at=True)
        topic_of = {s["id"]: s.get("topic") for s in _stories(url, dtok)}
        for c in claims:  # the desk filters by topic too
            c["topic_id"] = topic_of.get(c.get("story_id"))
    return claims, _SearchIndex(claims), audit_id


class _SearchIndex(Mapping):
    """{claim id: folded search text without the note} of the derived rows,
    built at the first search rather than with the rows (most desk views
    search nothing; 20k texts take a tenth of a second)."""

    def __init__(self, claims: list[dict]):
        self._claims = claims
        self._index: dict[str, str] | None = None
        self._lock = threading.Lock()

    def _built(self) -> dict[str, str]:
        if self._index is None:
            from lib import desk

            with self._lock:
                if self._index is None:
                    self._index = {c["id"]: desk.search_text(c, include_note=False) for c in self._claims}
        return self._index

    def __getitem__(self, claim_id: str) -> str:
        return self._built()[claim_id]

    def get(self, claim_id: str, default: Any = None) -> Any:
        return self._built().get(claim_id, default)

    def __iter__(self) -> Iterator[str]:
        return iter(self._built())

    def __len__(self) -> int:
        return len(self._claims)  # one entry per claim (ids are unique): no need to build it


class _DeskRows:
    """The desk's claim rows for one derived token, kept current with the
    editors' fields: ``base`` holds them as of audit event ``audit_id`` (None:
    unknown, the first call reads them all); each call re-reads only the
    claims whose audit trail moved since (a status change costs milliseconds,
    not a pass over 20k claims). Each update builds a new list, so a reader
    holding the old one is never disturbed."""

    def __init__(self, base: list[dict], audit_id: int | None = None):
        self.base = base
        self.rows = base
        self.index = {c["id"]: i for i, c in enumerate(base)}
        self.tok: str | None = None
        self.audit_id = audit_id
        self.lock = threading.Lock()

    def current(self, store, tok: str) -> list[dict]:
        if tok == self.tok:
            return self.rows
        with self.lock:
            if tok == self.tok:
                return self.rows
            if self.audit_id is not None:
                newest, ids = store.claims_changed_since(self.audit_id)
                states = store.desk_states(ids)
                rows = list(self.rows)
            else:
                newest = store.claims_changed_since(None)[0]
                states = store.desk_states()
                rows = list(self.base)
            for cid, state in states.items():
                i = self.index.get(cid)
                if i is not None:
                    rows[i] = {**self.base[i], **state}
            self.rows, self.tok, self.audit_id = rows, tok, newest
            return rows


@st.cache_resource(ttl=READ_TTL, max_entries=1, show_spinner=False)
def _desk_rows(url: str, dtok: str) -> _DeskRows:
    claims, _, audit_id = _derived_claims(url, dtok)
    return _DeskRows(claims, audit_id)


def _claims(url: str, dtok: str, tok: str) -> list[dict]:
    return _desk_rows(url, dtok).current(get_store(), tok)


@st.cache_resource(ttl=READ_TTL, max_entries=1, show_spinner=False)
def _derived_facets(url: str, dtok: str) -> dict:
    # speakers, outlets, cues and conflicts are derived data: counted once per
    # derived change (a dismissal in between leaves the counts a claim high)
    from lib import desk

    base = _derived_claims(url, dtok)[0]
    return desk.facets([c for c in base if not c.get("dismissed")], ("speaker", "outlet", "cue", "conflict"))


@st.cache_resource(ttl=READ_TTL, max_entries=2, show_spinner=False)
def _facets(url: str, dtok: str, tok: str) -> dict:
    from lib import desk

    live = [c for c in _claims(url, dtok, tok) if not c.get("dismissed")]
    return {**_derived_facets(url, dtok), **desk.facets(live, ("status", "assignee"))}


@st.cache_data(ttl=READ_TTL, show_spinner=False, max_entries=8)
def _stories(url: str, tok: str) -> list[dict]:
    return get_store().stories()


@st.cache_data(ttl=READ_TTL, show_spinner=False, max_entries=8)
def _reports(url: str, tok: str) -> list[dict]:
    return get_store().reports()


@st.cache_data(ttl=READ_TTL, show_spinner=False, max_entries=8)
def _statuses(url: str, tok: str) -> list[dict]:
    return get_store().statuses()


@st.cache_data(ttl=READ_TTL, show_spinner=False, max_entries=64)
def _story_diff(url: str, tok: str, story_id: str) -> dict:
    return get_store().story_diff(story_id)


@st.cache_data(ttl=READ_TTL, show_spinner=False, max_entries=256)
def _report_sentences(url: str, report_id: str) -> list[str]:
    # a report's text never changes (a new version is a new report): no token
    return [s["text"] for s in get_store().report(report_id)["sentence_list"]]


def story_diff(story_id: str) -> dict | None:
    """The story's version diff, or None (with an st.error) when it cannot be made."""
    return attempt(lambda: _story_diff(_url(), token(), story_id), what="Comparing the versions")


def report_sentences(report_id: str) -> list[str]:
    return attempt(lambda: _report_sentences(_url(), report_id), what="Reading the report") or []


def _url() -> str:
    return get_store().settings.database_url


def derived_token() -> str:
    return get_store().derived_token()


def claims() -> list[dict]:
    """Every claim row, read-only (dismissed ones included; the desk filters them)."""
    return _claims(_url(), derived_token(), token())


def live_claims() -> list[dict]:
    """The claims editors have not dismissed, read-only."""
    return [c for c in claims() if not c.get("dismissed")]


def facets() -> dict:
    """desk.facets over the live claims, computed once per store change."""
    return _facets(_url(), derived_token(), token())


def stories() -> list[dict]:
    return _stories(_url(), derived_token())  # stories change only with derived data


def reports() -> list[dict]:
    return _reports(_url(), derived_token())  # a new report moves the derived token


def statuses() -> list[dict]:
    """[{code, label, colour, description, builtin}], built-in first."""
    return _statuses(_url(), token())


def labels() -> dict[str, str]:
    """{status code: screen label}."""
    return {s["code"]: s["label"] for s in statuses()}


def haystacks() -> Mapping[str, str]:
    """{claim id: folded search text without the note}, built once per derived
    change, at the first search."""
    return _derived_claims(_url(), derived_token())[1]


def story_titles() -> dict[str, str]:
    """{story id: label telling stories apart (title, outlets, dates)}."""
    from lib.desk import story_label

    return {s["id"]: story_label(s) for s in stories()}


def topic_titles() -> dict[str, str]:
    return {s["topic"]: s.get("topic_title") or s["topic"] for s in stories() if s.get("topic")}


def wrote() -> None:
    """After a write. Nothing to drop: every cached read is keyed on the store's
    change tokens, which the write moved, in this process and in every other."""


# -- who is signed in -----------------------------------------------------------
def user() -> dict | None:
    """The signed-in user ({name, role, ...}) or None."""
    from lib import signin

    return signin.current_user()


# -- navigation ---------------------------------------------------------------------
def nav_sections(admin: bool) -> dict[str, list[tuple[str, str, str]]]:
    """The sidebar's menu as (file, label, icon) per section; Audit and Admin
    for admins only (those pages check the role themselves too).

    Streamlit's own page list is hidden (``client.showSidebarNavigation``)
    because it names pages after their files ("dashboard"); st.navigation
    would name them, but with a ``pages/`` folder Streamlit runs a page opened
    by its URL without the entry script, so the menu is drawn by every page.
    """
    sections = {"Desk": [
        ("dashboard.py", "Overview", ":material/fact_check:"),
        ("pages/1_Stories.py", "Stories", ":material/library_books:"),
        ("pages/2_Claims.py", "Claims", ":material/rate_review:"),
        ("pages/3_Figures.py", "Figures", ":material/monitoring:"),
        ("pages/4_Ingest.py", "Ingest", ":material/upload_file:"),
        ("pages/5_Sheets.py", "Claim sheets", ":material/download:"),
    ]}
    if admin:
        sections["Admin"] = [
            ("pages/8_Audit.py", "Audit trail", ":material/history:"),
            ("pages/9_Admin.py", "Users and statuses", ":material/admin_panel_settings:"),
        ]
    return sections


def sidebar_nav(user: dict | None) -> None:
    """The menu (call inside ``with st.sidebar``)."""
    from lib.auth import has_role

    for section, pages in nav_sections(admin=has_role(user, "admin")).items():
        st.caption(section)
        for path, label, icon in pages:
            st.page_link(path, label=label, icon=icon)


def sidebar_account() -> dict | None:
    """The sidebar's account box (sign in / signed in as ... / sign out); returns the user."""
    from lib import signin

    with st.sidebar:
        menu = st.container()
        user = signin.sidebar()
        with menu:  # drawn above the account box, once the sign-in is settled
            sidebar_nav(user)
            st.divider()
        return user


def can(role: str) -> bool:
    """Whether the signed-in user has at least ``role`` (no error shown)."""
    from lib.auth import has_role

    return has_role(user(), role)


def require(role: str = "editor") -> dict | None:
    """The signed-in user if they have ``role``; else an st.error saying what to do, and None."""
    from lib import signin

    try:
        return signin.require_role(role)
    except FactdeskError as exc:
        st.error(f"{exc} Sign in as an {role} in the sidebar to make changes.")
        return None


# -- errors -------------------------------------------------------------------------
def show_error(exc: BaseException, what: str = "That change") -> None:
    """An exception as an st.error in words: a Factdesk error's own message, else what to do."""
    if isinstance(exc, FactdeskError):
        st.error(str(exc))
        return
    st.error(f"{what} failed: {exc.__class__.__name__}. Reload the page and try again; "
             "if it keeps failing, tell an admin (the server log has the details).")
    import logging

    logging.getLogger("factdesk").error("dashboard action failed", exc_info=exc)


def attempt(action: Callable[[], T], *, what: str = "That change") -> T | None:
    """Run ``action``; a Factdesk error becomes an st.error in words, never a traceback."""
    try:
        return action()
    except Exception as exc:  # noqa: BLE001 - an editor never sees a traceback (issue #5)
        show_error(exc, what)
    return None


def set_query(**params: Any) -> None:
    """Replace the page's query parameters (shareable URL) with ``params`` (empty ones dropped)."""
    clean = {k: v for k, v in params.items() if v not in (None, "", [], ())}
    if {k: st.query_params.get_all(k) for k in st.query_params.keys()} != \
            {k: (v if isinstance(v, list) else [str(v)]) for k, v in clean.items()}:
        st.query_params.from_dict(clean)
