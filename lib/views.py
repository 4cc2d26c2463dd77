"""Streamlit pieces the review desk reuses: the filter sidebar and the claim
panel (issue #5). The deciding logic is in :mod:`lib.desk`; this module only
draws widgets and calls the store through :mod:`lib.app`.

Report and claim text is user text: it goes through ``desk.escape_markdown``
or ``st.text``, never ``unsafe_allow_html`` (issue #6).
"""
from __future__ import annotations

from typing import Any, Mapping

import streamlit as st

from lib import app, desk
from lib.desk import Filters
from lib.errors import StaleEdit

md = desk.escape_markdown


# -- filters ----------------------------------------------------------------------
def filter_sidebar(claims: list[dict], start: Filters, labels: Mapping[str, str],
                   titles: Mapping[str, str], user: Mapping | None) -> Filters:
    """The desk's filters in the sidebar, initialised from ``start`` (the URL).

    Widget keys carry the page prefix ``claims_``. Returns the filters as set.
    """
    ss = st.session_state
    init = {"claims_q": start.q, "claims_story": start.story, "claims_status": list(start.status),
            "claims_speaker": list(start.speaker), "claims_outlet": list(start.outlet),
            "claims_cue": list(start.cue), "claims_assignee": start.assignee,
            "claims_conflict": start.conflict, "claims_new": start.new_evidence,
            "claims_dismissed": start.dismissed, "claims_topic": start.topic,
            "claims_disagree": start.disagree}
    for key, value in init.items():
        ss.setdefault(key, value)
    live = [c for c in claims if not c.get("dismissed")]
    f = app.facets()

    def options(name: str, current: list[str]) -> list[str]:
        return list(dict.fromkeys([v for v, _ in desk.facet_options(f[name])] + current))

    counts = {name: f[name] for name in f}
    with st.sidebar:
        st.header("Filter claims")
        st.text_input("Search", key="claims_q", placeholder='troops "three generals" -Kirby',
                      help="Words or \"quoted phrases\" in the claim, its sentences, speaker, figures, "
                           "outlets or note; -word excludes. Accents and case do not matter.")
        story_ids = [""] + sorted({c.get("story_id") or "" for c in live} - {""} | ({start.story} - {""}),
                                  key=lambda s: titles.get(s, s))
        st.selectbox("Story", story_ids, key="claims_story",
                     format_func=lambda s: titles.get(s, s) if s else "All stories")
        topics = sorted({c.get("topic_id") for c in live if c.get("topic_id")} | ({start.topic} - {""}))
        if topics:
            topic_titles = app.topic_titles()
            st.selectbox("Topic", [""] + topics, key="claims_topic",
                         format_func=lambda t: topic_titles.get(t, t) if t else "All topics")
        st.multiselect("Desk status", options("status", ss["claims_status"]) + [c for c in labels if c not in counts["status"]],
                       key="claims_status",
                       format_func=lambda c: f"{labels.get(c, c)} ({counts['status'].get(c, 0)})")
        st.multiselect("Report cue", options("cue", ss["claims_cue"]), key="claims_cue",
                       format_func=lambda c: f"{desk.CUE_LABELS.get(c, c)} ({counts['cue'].get(c, 0)})")
        st.multiselect("Speaker", options("speaker", ss["claims_speaker"]), key="claims_speaker",
                       format_func=lambda s: f"{s or 'no speaker'} ({counts['speaker'].get(s, 0)})")
        st.multiselect("Outlet", options("outlet", ss["claims_outlet"]), key="claims_outlet",
                       format_func=lambda s: f"{s} ({counts['outlet'].get(s, 0)})")
        assignees = [""] + (["me"] if user else []) + ["none"] + sorted(
            {a for a in counts["assignee"] if a} | ({ss["claims_assignee"]} - {"", "me", "none"}))
        st.selectbox("Assigned to", assignees, key="claims_assignee",
                     format_func=lambda a: {"": "Anyone", "me": "Me", "none": "Nobody"}.get(a, a))
        st.toggle("Only conflicting figures", key="claims_conflict")
        st.toggle("Only new evidence since marked", key="claims_new")
        st.toggle("Only verdicts that disagree", key="claims_disagree",
                  help="Claims a story merge joined from claims editors had marked differently.")
        st.toggle("Show dismissed non-claims instead", key="claims_dismissed")
    return Filters(story=ss["claims_story"] or "", topic=ss.get("claims_topic") or "",
                   status=tuple(ss["claims_status"]), speaker=tuple(ss["claims_speaker"]),
                   outlet=tuple(ss["claims_outlet"]), cue=tuple(ss["claims_cue"]),
                   assignee=ss["claims_assignee"] or "", q=(ss["claims_q"] or "").strip(),
                   conflict=ss["claims_conflict"], new_evidence=ss["claims_new"],
                   dismissed=ss["claims_dismissed"], disagree=ss["claims_disagree"])


# -- writes with concurrency -----------------------------------------------------
def _name(user: Mapping) -> str:
    return user["name"]


def save_status(claim_id: str, code: str, expected_version: int | None, note: str | None = None,
                evidence_url: str | None = None) -> bool:
    """Store a status at once; on a stale edit, explain and offer to re-apply. True when stored."""
    user = app.require("editor")
    if not user:
        return False
    try:
        app.get_store().set_status(claim_id, code, _name(user), expected_version=expected_version,
                                   note=note, evidence_url=evidence_url)
    except StaleEdit as exc:
        st.session_state["claims_reapply"] = {"id": claim_id, "status": code, "note": note,
                                              "evidence_url": evidence_url,
                                              "version": exc.current.get("version")}
        st.session_state["claims_stale"] = str(exc)
        # they are now shown the other change: further saves apply over it
        st.session_state.setdefault("claims_seen_version", {})[claim_id] = exc.current.get("version")
        app.wrote()
        st.rerun()
    except Exception as exc:  # noqa: BLE001 - shown in words by app.attempt
        app.show_error(exc)
        return False
    app.wrote()
    return True


def _reapply() -> None:
    pending = st.session_state.pop("claims_reapply", None)
    st.session_state.pop("claims_stale", None)
    if pending and save_status(pending["id"], pending["status"], pending["version"],
                               pending["note"], pending["evidence_url"]):
        st.session_state["claims_flash"] = "Your change was re-applied."


def stale_notice(labels: Mapping[str, str]) -> None:
    """The 'someone else changed this claim' message with the other change and a re-apply button."""
    message = st.session_state.get("claims_stale")
    pending = st.session_state.get("claims_reapply")
    if not message or not pending:
        return
    current = app.attempt(lambda: app.get_store().desk_claim(pending["id"])) or {}
    st.warning(message)
    st.write(f"It is now **{md(labels.get(current.get('status'), current.get('status') or ''))}**"
             + (f" with the note: {md(current.get('note'))}" if current.get("note") else "")
             + f". Yours was **{md(labels.get(pending['status'], pending['status']))}**.")
    left, right = st.columns(2)
    left.button("Re-apply my change", key="claims_reapply_btn", on_click=_reapply, type="primary")
    if right.button("Keep theirs", key="claims_keep_btn"):
        st.session_state.pop("claims_reapply", None)
        st.session_state.pop("claims_stale", None)
        st.rerun()


# -- the claim panel -----------------------------------------------------------------
def _open(claim_id: str) -> None:
    st.session_state["claims_open"] = claim_id


def claim_panel(claim: dict, by_id: Mapping[str, dict], labels: Mapping[str, str],
                reports: Mapping[str, dict], user: Mapping | None) -> None:
    """Everything about one claim, and the editor's actions on it."""
    cid = claim["id"]
    store = app.get_store()
    status = claim.get("status") or "unreviewed"
    st.subheader(f"Claim {cid}")
    st.markdown(f"> {md(claim.get('text'))}")
    facts = [f"**Speaker:** {md(claim.get('speaker') or 'not named')}",
             f"**Desk status:** {md(labels.get(status, status))}"]
    if claim.get("suggested_status"):
        facts.append(f"**Suggested from the reports' cues:** {md(labels.get(claim['suggested_status'], claim['suggested_status']))}")
    if claim.get("assignee"):
        facts.append(f"**Assigned to:** {md(claim['assignee'])}")
    if claim.get("figures"):
        facts.append(f"**Figures:** {md(desk.figures_text(claim))}")
    st.markdown(" · ".join(facts))
    if claim.get("origin") == "manual":
        st.caption("Added by hand by an editor.")

    if line := desk.verdicts_line(claim, labels):
        # issue #9: a story merge joined claims marked differently; every verdict stays in view
        st.warning(md(line) + ". The desk status shows the later mark; mark the claim again to settle it.")
        for v in claim["verdicts_disagree"]:
            st.caption(md(f"{labels.get(v.get('status'), v.get('status'))} by {v.get('by') or 'an editor'}"
                          f" ({str(v.get('at') or '')[:16].replace('T', ' ')})"
                          + (f": {v['note']}" if v.get("note") else "")))

    if desk.has_new_evidence(claim):
        st.warning("New evidence since this claim was marked: a report brought a new cue or figure. "
                   "Check the sources below, then confirm you have looked.")
        if st.button("I have looked at the new evidence", key="claims_seen"):
            if (u := app.require("editor")) and app.attempt(lambda: store.mark_seen(cid, _name(u))):
                app.wrote()
                st.rerun()

    st.markdown("**Where it appears**")
    for a in claim.get("appearances") or []:
        r = reports.get(a.get("report_id"), {})
        head = " · ".join(x for x in (a.get("outlet") or r.get("outlet"), r.get("date"), r.get("title")) if x)
        cue = next((c for c in claim.get("cues") or [] if c.get("report_id") == a.get("report_id")), None)
        with st.container(border=True):
            st.caption(md(head))
            st.markdown(md(a.get("sentence")))
            if cue and (cue.get("status") or "none") != "none":
                st.caption(f"Report's cue: **{md(desk.CUE_LABELS.get(cue['status'], cue['status']))}**"
                           + (f" ({md(cue.get('actor'))})" if cue.get("actor") else "")
                           + (f": “{md(cue.get('phrase'))}”" if cue.get("phrase") else ""))
            if (r.get("url") or "").startswith(("http://", "https://")):
                st.link_button("Open the report", r["url"])
    if claim.get("conflicts_with"):
        st.markdown("**Conflicting figures in**")
        for other in claim["conflicts_with"]:
            o = by_id.get(other, {})
            st.button(md(f"{desk.figures_text(o) or other} — {o.get('speaker') or 'unknown'}: "
                         f"{(o.get('text') or '')[:100]}"), key=f"claims_conflict_{other}",
                      on_click=_open, args=(other,))

    _mark_form(claim, labels)
    _other_actions(claim, user)
    st.markdown("**History**")
    history = app.attempt(lambda: store.claim_history(cid)) or []
    if history:
        st.dataframe(desk.history_rows(history, labels), hide_index=True, key="claims_history")
    else:
        st.caption("No editor has changed this claim yet.")


def _mark_form(claim: dict, labels: Mapping[str, str]) -> None:
    cid = claim["id"]
    codes = list(labels)
    status = claim.get("status") or "unreviewed"
    seen = st.session_state.get("claims_seen_version", {})
    expected = seen.get(cid, claim.get("version"))
    suggested = claim.get("suggested_status")
    if suggested and suggested != status and st.button(
            f"Accept the suggestion: {md(labels.get(suggested, suggested))}", key="claims_accept"):
        if save_status(cid, suggested, expected):
            st.session_state["claims_flash"] = f"Marked {labels.get(suggested, suggested)}."
            st.rerun()
    with st.form(f"claims_mark_{cid}"):
        st.markdown("**Mark this claim**")
        code = st.selectbox("Desk status", codes, index=codes.index(status) if status in codes else 0,
                            format_func=lambda c: labels.get(c, c), key=f"claims_mark_status_{cid}")
        note = st.text_area("Note", value=claim.get("note") or "", key=f"claims_mark_note_{cid}",
                            help="Why the desk decided this; kept in the claim's history.")
        evidence = st.text_input("Evidence URL", value=claim.get("evidence_url") or "",
                                 key=f"claims_mark_evidence_{cid}", placeholder="https://…")
        submitted = st.form_submit_button("Save status", type="primary")
    if submitted:
        if save_status(cid, code, expected, note=note, evidence_url=evidence.strip()):
            st.session_state["claims_flash"] = f"Marked {labels.get(code, code)}."
            seen.pop(cid, None)
            st.rerun()
    seen[cid] = claim.get("version")
    st.session_state["claims_seen_version"] = seen


def _other_actions(claim: dict, user: Mapping | None) -> None:
    cid = claim["id"]
    store = app.get_store()
    with st.expander("Assign, dismiss"):
        names = [""] + [u["name"] for u in (app.attempt(store.users) or []) if not u.get("disabled")]
        current = claim.get("assignee") or ""
        if current not in names:
            names.append(current)
        who = st.selectbox("Assign to", names, index=names.index(current), key=f"claims_assign_{cid}",
                           format_func=lambda n: n or "Nobody")
        cols = st.columns(3)
        if cols[0].button("Assign", key="claims_assign_btn") and (u := app.require("editor")):
            if app.attempt(lambda: store.assign(cid, who or None, _name(u), expected_version=claim.get("version"))):
                app.wrote()
                st.rerun()
        if user and cols[1].button("Assign to me", key="claims_assign_me") and (u := app.require("editor")):
            if app.attempt(lambda: store.assign(cid, _name(u), _name(u), expected_version=claim.get("version"))):
                app.wrote()
                st.rerun()
        reason = st.text_input("Reason", key=f"claims_dismiss_reason_{cid}",
                               placeholder="e.g. boilerplate, not a factual claim")
        action = "Restore to the desk" if claim.get("dismissed") else "Dismiss: not a claim"
        if cols[2].button(action, key="claims_dismiss") and (u := app.require("editor")):
            call = store.restore if claim.get("dismissed") else store.dismiss
            if app.attempt(lambda: call(cid, _name(u), reason or None, expected_version=claim.get("version"))):
                app.wrote()
                st.rerun()


def add_claim_form(titles: Mapping[str, str], default_story: str = "") -> None:
    """A claim the extraction missed, added by hand (kept across recomputes)."""
    with st.expander("Add a claim by hand"):
        with st.form("claims_add", clear_on_submit=True):
            text = st.text_area("Claim text")
            speaker = st.text_input("Speaker")
            ids = [""] + sorted(titles, key=lambda s: titles[s])
            story = st.selectbox("Story", ids, index=ids.index(default_story) if default_story in ids else 0,
                                 format_func=lambda s: titles.get(s, s) if s else "No story")
            if st.form_submit_button("Add claim") and (u := app.require("editor")):
                added = app.attempt(lambda: app.get_store().add_manual_claim(
                    text, story or None, speaker or None, _name(u)))
                if added:
                    app.wrote()
                    st.session_state["claims_open_next"] = added["id"]  # set before the selectbox next run
                    st.session_state["claims_flash"] = "Claim added."
                    st.rerun()


def flash() -> None:
    """Show (once) the message left by the previous run."""
    if message := st.session_state.pop("claims_flash", None):
        st.success(message)


def table_editor_key() -> str:
    """The desk table's key: 'claims_table', then a new key after each applied edit (resets it)."""
    gen = st.session_state.get("claims_table_gen", 0)
    return "claims_table" if gen == 0 else f"claims_table_{gen}"


def reset_table() -> None:
    st.session_state["claims_table_gen"] = st.session_state.get("claims_table_gen", 0) + 1


def apply_table_edits(labels: Mapping[str, str]) -> list[str]:
    """Store the status edits made in the desk table on the previous run.

    Uses the ids and versions the table showed then (``claims_shown``), so an
    edit lands on the claim the editor saw. Returns the selected claim ids.
    """
    shown: dict[str, Any] = st.session_state.get("claims_shown") or {"ids": [], "versions": {}}
    changes, selected = desk.status_edits(st.session_state.get(table_editor_key()), shown["ids"], labels)
    if not changes:
        return selected
    user = app.require("editor")
    reset_table()
    if not user:
        return []
    stored, stale = 0, []
    for cid, code in changes:
        try:
            app.get_store().set_status(cid, code, _name(user), expected_version=shown["versions"].get(cid))
            stored += 1
        except StaleEdit as exc:
            stale.append(str(exc))
        except Exception as exc:  # noqa: BLE001
            app.show_error(exc)
    app.wrote()
    if stored:
        st.success(f"Stored {stored} status change{'s' if stored > 1 else ''}.")
    for message in stale:
        st.warning(message + " Your change was not applied; open the claim to re-apply it.")
    return []
