"""The editors' write API on claims: desk status, note, evidence, assignment,
dismissal, hand-added claims, history and custom statuses (issues #5, #6).

Optimistic concurrency (issue #6): every claim carries a ``version``. A write
names the version the editor saw; the store applies it with
``UPDATE claim SET ..., version = version + 1 WHERE id = :id AND version = :expected``
and, when no row matched, raises :class:`StaleEdit` carrying the claim as it
is now and its last change, so the edge can show the other change and offer
to re-apply. No update is ever lost silently.

Each write appends its StatusChange (for status changes) and an audit event
in the same transaction as the change itself.

Roles are checked at the edges (pages through lib.signin, which calls
lib.auth.require); the CLI is the operator's shell and writes as ``--as NAME``.
"""
from __future__ import annotations

import re
import uuid
from datetime import datetime
from typing import Any, Iterable
from urllib.parse import urlsplit

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from lib.errors import ClaimNotFound, InvalidValue, StaleEdit, StoryNotFound
from lib.models import AuditEvent, Claim, CustomStatus, StatusChange, Story, utcnow
from lib.vocab import DESK_STATUSES

# The editor-owned columns a history entry shows as before/after.
DESK_FIELDS = ("status", "note", "evidence_url", "assignee", "dismissed", "version")
_CODE = re.compile(r"^[a-z][a-z0-9_]{1,39}$")
_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
MAX_NOTE = 20_000
MAX_TEXT = 5_000


def desk_dict(c: Claim) -> dict:
    """The claim as the desk sees it: its text and every editors' field."""
    return {
        "id": c.id, "story_id": c.story_id, "text": c.text, "speaker": c.speaker,
        "origin": c.origin, "active": c.active,
        "status": c.status, "note": c.note, "evidence_url": c.evidence_url,
        "assignee": c.assignee, "dismissed": c.dismissed, "version": c.version,
        "suggested_status": c.suggested_status,
        "new_evidence": new_evidence(c.status, c.evidence_key, c.marked_evidence_key),
        "verdicts_disagree": c.verdicts_disagree or None, "merged_into": c.merged_into,
        "updated_at": c.updated_at,
    }


def new_evidence(status: str, evidence_key: str | None, marked_key: str | None) -> bool:
    """'New evidence since marked': a marked claim whose cues or figures changed
    since an editor last looked (issue #5)."""
    return status != "unreviewed" and evidence_key is not None and evidence_key != marked_key


def _verdicts_note(verdicts: list[dict] | None) -> str:
    """The join's audit note: 'Verdicts disagree: denied by alice, confirmed by bob' (codes)."""
    if not verdicts:
        return "Joined by a story merge."
    return "Joined by a story merge. Verdicts disagree: " + ", ".join(
        f"{v.get('status')} by {v.get('by') or 'an editor'}" for v in verdicts)


def _desk_before(c: Claim) -> dict:
    return {k: getattr(c, k) for k in DESK_FIELDS}


def check_evidence_url(url: str | None) -> str | None:
    """None/'' stay as they are; anything else must be an absolute http(s) URL."""
    if url is None or url == "":
        return url
    url = url.strip()
    parts = urlsplit(url)
    if (parts.scheme.lower() not in ("http", "https") or not parts.netloc
            or len(url) > 2000 or any(ch.isspace() or ord(ch) < 32 for ch in url)):
        raise InvalidValue(
            f"Evidence URL must be an http:// or https:// address, got {url[:200]!r}. "
            "Hint: paste the full link, starting with https://")
    return url


def clean(value: str | None) -> str | None:
    """Text as given minus NUL characters, which PostgreSQL text cannot hold
    (a hostile or broken client may send them; issue #6)."""
    return value.replace("\x00", "") if isinstance(value, str) else value


def _check_id(claim_id: str) -> str:
    if not isinstance(claim_id, str) or "\x00" in claim_id or len(claim_id) > 40:
        raise ClaimNotFound(f"Claim {str(claim_id)[:60]!r} does not exist")
    return claim_id


def _check_note(note: str | None) -> str | None:
    if note is not None and len(note) > MAX_NOTE:
        raise InvalidValue(f"Note is {len(note)} characters long; the limit is {MAX_NOTE}.")
    return note


class DeskMixin:
    # -- statuses -------------------------------------------------------------
    def statuses(self) -> list[dict]:
        """Built-in desk statuses, then custom ones in the order they were added:
        ``[{code, label, colour, description, builtin}]``."""
        out = [{"code": s.code, "label": s.label, "colour": s.colour,
                "description": s.description, "builtin": True} for s in DESK_STATUSES]
        with self.session() as session:
            for c in session.scalars(select(CustomStatus).order_by(CustomStatus.created_at,
                                                                   CustomStatus.code)):
                out.append({"code": c.code, "label": c.label, "colour": c.colour,
                            "description": c.description, "builtin": False})
        return out

    def status_labels(self) -> dict[str, str]:
        """{code: label} of every desk status, built-in and custom."""
        return {s["code"]: s["label"] for s in self.statuses()}

    def add_custom_status(self, code: str, label: str, colour: str, description: str | None,
                          admin: str) -> dict:
        """Add a desk status (admins, issue #5). ``code`` is lower-case letters,
        digits and underscores; ``colour`` a ``#rrggbb`` hex colour."""
        code = (code or "").strip()
        label, description, admin = (clean(label) or "").strip(), clean(description), clean(admin)
        if not _CODE.match(code):
            raise InvalidValue(f"Status code must be 2-40 lower-case letters, digits or underscores, "
                               f"starting with a letter, got {code[:60]!r}.")
        if not label or len(label) > 100:
            raise InvalidValue("Status label must be 1-100 characters.")
        if not _COLOUR.match(colour or ""):
            raise InvalidValue(f"Colour must be a hex colour like #1f77b4, got {colour!r}.")
        with self.session() as session:
            if code in {s.code for s in DESK_STATUSES} or session.get(CustomStatus, code):
                raise InvalidValue(f"Status {code!r} already exists.")
            session.add(CustomStatus(code=code, label=label, colour=colour,
                                     description=description or None, created_by=admin))
            after = {"code": code, "label": label, "colour": colour, "description": description}
            self.record(session, admin, "add_status", "status", code, after=after)
        return {**after, "builtin": False}

    def _check_status(self, session: Session, status: str) -> str:
        if not isinstance(status, str) or "\x00" in status:
            status = str(status).replace("\x00", "")
            raise InvalidValue(f"Unknown desk status {status[:60]!r}.")
        if status in {s.code for s in DESK_STATUSES} or session.get(CustomStatus, status or ""):
            return status
        codes = [s.code for s in DESK_STATUSES] + list(session.scalars(select(CustomStatus.code)))
        raise InvalidValue(f"Unknown desk status {str(status)[:60]!r}; expected one of {', '.join(codes)}.")

    # -- reads ----------------------------------------------------------------
    def desk_states(self, claim_ids: Iterable[str] | None = None) -> dict[str, dict]:
        """{claim id: the editors' fields} for every claim (or those of ``claim_ids``), in one light query:
        ``{status, note, evidence_url, assignee, dismissed, version, new_evidence,
        verdicts_disagree, updated_at}``.

        The dashboard keeps the costly claim rows (appearances, figures,
        conflicts) cached until derived data changes and merges these in on
        every store change (issue #5: 20k claims under a second).
        """
        cols = (Claim.id, Claim.status, Claim.note, Claim.evidence_url, Claim.assignee,
                Claim.dismissed, Claim.version, Claim.evidence_key, Claim.marked_evidence_key,
                Claim.verdicts_disagree, Claim.updated_at)
        query = select(*cols)
        if claim_ids is not None:
            ids = list(claim_ids)
            if not ids:
                return {}
            query = query.where(Claim.id.in_(ids))
        with self.session() as session:
            return {
                cid: {"status": status, "note": note, "evidence_url": url, "assignee": assignee,
                      "dismissed": bool(dismissed), "version": version,
                      "new_evidence": new_evidence(status, key, marked),
                      "verdicts_disagree": verdicts or None, "updated_at": updated}
                for cid, status, note, url, assignee, dismissed, version, key, marked, verdicts, updated
                in session.execute(query)
            }

    def desk_claim(self, claim_id: str) -> dict:
        """The claim's desk state with its last change. Raises ClaimNotFound."""
        with self.session() as session:
            return self._current(session, claim_id)

    def _current(self, session: Session, claim_id: str) -> dict:
        _check_id(claim_id)
        claim = session.get(Claim, claim_id, populate_existing=True)
        if claim is None:
            raise ClaimNotFound(f"Claim {claim_id!r} does not exist")
        out = desk_dict(claim)
        last = session.scalars(select(AuditEvent).where(
            AuditEvent.entity_type == "claim", AuditEvent.entity_id == claim_id)
            .order_by(AuditEvent.id.desc()).limit(1)).first()
        out["last_change"] = None if last is None else {
            "at": last.at, "actor": last.actor, "action": last.action,
            "before": last.before, "after": last.after, "note": last.note}
        return out

    def claim_history(self, claim_id: str) -> list[dict]:
        """Everything editors did to a claim, newest first, including what they
        did to claims later joined into it (issue #9: a join carries the history).

        One entry per write: ``{at, editor, action, from_status, to_status, note,
        evidence_url, version, before, after, claim_id}`` (``claim_id``: the
        claim the write was made on). Status changes come from the append-only
        status history; other writes (note, assignment, dismissal, join...) from
        the audit trail. Raises ClaimNotFound.
        """
        _check_id(claim_id)
        with self.session() as session:
            if session.get(Claim, claim_id) is None:
                raise ClaimNotFound(f"Claim {claim_id!r} does not exist")
            tree = self._merge_tree(session, claim_id)
            entries = [
                {"at": s.at, "editor": s.editor, "action": "set_status",
                 "from_status": s.from_status, "to_status": s.to_status, "note": s.note,
                 "evidence_url": s.evidence_url, "version": s.version, "before": None,
                 "after": None, "claim_id": s.claim_id, "_order": (s.at, s.version, 1, s.id)}
                for s in session.scalars(select(StatusChange).where(StatusChange.claim_id.in_(tree)))
            ]
            for e in session.scalars(select(AuditEvent).where(
                    AuditEvent.entity_type == "claim", AuditEvent.entity_id.in_(tree))):
                if e.action in ("set_status", "bulk_set_status"):
                    # already listed from the status history; keep before/after
                    for entry in entries:
                        if (entry["claim_id"], entry["version"]) == (e.entity_id, (e.after or {}).get("version")) \
                                and entry["after"] is None:
                            entry["before"], entry["after"] = e.before, e.after
                            break
                    continue
                version = (e.after or {}).get("version") or 0
                entries.append({
                    "at": e.at, "editor": e.actor, "action": e.action,
                    "from_status": None, "to_status": None, "note": e.note,
                    "evidence_url": (e.after or {}).get("evidence_url"), "version": version,
                    "before": e.before, "after": e.after, "claim_id": e.entity_id,
                    "_order": (e.at, version, 0, e.id)})
        entries.sort(key=lambda x: x.pop("_order"), reverse=True)
        return entries

    @staticmethod
    def _merge_tree(session: Session, claim_id: str) -> list[str]:
        """``claim_id`` and every claim joined into it, directly or through others."""
        tree, frontier = [claim_id], [claim_id]
        while frontier:
            frontier = [c for c in session.scalars(select(Claim.id).where(Claim.merged_into.in_(frontier)))
                        if c not in tree]
            tree.extend(frontier)
        return tree

    def _verdicts(self, session: Session, claim: Claim) -> list[dict]:
        """The claim's verdicts ``[{by, status, note, at}]``: those it holds from
        an earlier join whose verdicts disagree, else its own mark (none while
        unreviewed). Its mark's editor and time are those of the latest status
        change in its history (joined claims' included: a join takes the later mark)."""
        if claim.verdicts_disagree:
            return [dict(v) for v in claim.verdicts_disagree]
        if claim.status == "unreviewed":
            return []
        last = session.scalars(select(StatusChange).where(
            StatusChange.claim_id.in_(self._merge_tree(session, claim.id)))
            .order_by(StatusChange.at.desc(), StatusChange.id.desc()).limit(1)).first()
        at = last.at if last else claim.updated_at
        return [{"by": last.editor if last else None, "status": claim.status, "note": claim.note,
                 "at": at.isoformat() if at else None}]

    def _join_claims(self, session: Session, survivor_id: str, absorbed_ids: list[str], editor: str) -> None:
        """Join claims carrying editors' work into ``survivor_id`` (issue #9),
        inside the caller's transaction (the claims regroup after an editor's
        story merge; the absorbed claims are already inactive, their
        appearances the survivor's).

        Nothing is dropped: the survivor takes the later mark's status, note
        and evidence link (another's link or assignee when it has none), stays
        dismissed only if every joined claim was; when the verdicts differ it
        holds them all in ``verdicts_disagree`` (oldest first) until an editor
        marks it again. Each absorbed claim points to the survivor
        (``merged_into``), whose history then includes theirs. Both sides get a
        new version (an open form on either is refused, not overwritten) and an
        audit event as ``editor``.
        """
        ids = [survivor_id] + sorted(set(absorbed_ids) - {survivor_id})
        claims = {c.id: c for c in session.scalars(
            select(Claim).where(Claim.id.in_(ids)).with_for_update()
            .execution_options(populate_existing=True))}
        ids = [i for i in ids if i in claims]
        survivor = claims[survivor_id]
        before = {cid: {**_desk_before(claims[cid]), "verdicts_disagree": claims[cid].verdicts_disagree}
                  for cid in ids}
        marks: list[tuple[datetime, str, dict]] = []
        for cid in ids:
            for v in self._verdicts(session, claims[cid]):
                at = datetime.fromisoformat(v["at"]) if v.get("at") else datetime.min
                if not any(v == m[2] for m in marks):
                    marks.append((at, cid, v))
        marks.sort(key=lambda m: m[0])
        source = claims[marks[-1][1]] if marks else survivor  # the later mark
        others = [claims[cid] for cid in ids if claims[cid] is not source]
        now = utcnow()
        survivor.status, survivor.note = source.status, source.note
        survivor.evidence_url = source.evidence_url or next((c.evidence_url for c in others if c.evidence_url), None)
        survivor.assignee = survivor.assignee or next((c.assignee for c in others if c.assignee), None)
        survivor.dismissed = all(c.dismissed for c in claims.values())
        survivor.marked_evidence_key = source.marked_evidence_key
        verdicts = [m[2] for m in marks]
        survivor.verdicts_disagree = verdicts if len({v["status"] for v in verdicts}) > 1 else None
        survivor.version += 1
        survivor.updated_at = now
        for cid in ids[1:]:
            gone = claims[cid]
            gone.merged_into, gone.active = survivor_id, False
            gone.version += 1
            gone.updated_at = now
            self.record(session, editor, "merged_into", "claim", cid, before=before[cid],
                        after={"merged_into": survivor_id, "version": gone.version},
                        note=f"Joined into claim {survivor_id} by a story merge.")
        session.flush()
        self.record(session, editor, "merge_claims", "claim", survivor_id,
                    before={"claims": before},
                    after={**_desk_before(survivor), "verdicts_disagree": survivor.verdicts_disagree,
                           "absorbed": ids[1:]},
                    note=_verdicts_note(survivor.verdicts_disagree))

    # -- writes ---------------------------------------------------------------
    def _apply(self, session: Session, claim_id: str, expected_version: int | None,
               values: dict[str, Any]) -> tuple[dict, dict]:
        """Lock the claim, check its version and apply ``values`` with version+1.

        Returns (before, after) of the desk fields. Raises ClaimNotFound or
        StaleEdit (the transaction then rolls back: nothing written).
        """
        claim = session.scalars(select(Claim).where(Claim.id == claim_id)
                                .with_for_update().execution_options(populate_existing=True)).first()
        if claim is None:
            raise ClaimNotFound(f"Claim {claim_id!r} does not exist")
        if expected_version is None:
            expected_version = claim.version
        before = _desk_before(claim)
        result = session.execute(
            update(Claim).where(Claim.id == claim_id, Claim.version == expected_version)
            .values(**values, version=Claim.version + 1, updated_at=utcnow())
            .execution_options(synchronize_session=False))
        if result.rowcount != 1:
            current = self._current(session, claim_id)
            raise StaleEdit(
                f"Claim {claim_id} changed since you opened it (you had version "
                f"{expected_version}, it is now version {current['version']}"
                + (f", last changed by {current['last_change']['actor']}" if current["last_change"] else "")
                + "). Review the other change, then re-apply yours.", current=current)
        session.refresh(claim)
        return before, _desk_before(claim)

    def set_status(self, claim_id: str, status: str, editor: str,
                   expected_version: int | None = None, note: str | None = None,
                   evidence_url: str | None = None) -> dict:
        """Set the desk status (with an optional note and evidence link).

        ``expected_version``: the claim version the editor saw; None applies to
        whatever version is current (the CLI). ``note``/``evidence_url``: None
        leaves the claim's note/link as it is, '' clears it. Returns the claim's
        desk state. Raises ClaimNotFound, InvalidValue or StaleEdit.
        """
        evidence_url = check_evidence_url(evidence_url)
        note, editor = _check_note(clean(note)), clean(editor)
        _check_id(claim_id)
        with self.session() as session:
            self._check_status(session, status)
            before, after = self._set_status_in(session, claim_id, status, editor,
                                                expected_version, note, evidence_url)
            self.record(session, editor, "set_status", "claim", claim_id,
                        before=before, after=after, note=note)
            return self._current(session, claim_id)

    def _set_status_in(self, session: Session, claim_id: str, status: str, editor: str,
                       expected_version: int | None, note: str | None,
                       evidence_url: str | None) -> tuple[dict, dict]:
        values: dict[str, Any] = {"status": status}
        if note is not None:
            values["note"] = note or None
        if evidence_url is not None:
            values["evidence_url"] = evidence_url or None
        # marking a claim is looking at its evidence: clears 'new evidence since marked'
        values["marked_evidence_key"] = Claim.evidence_key
        values["verdicts_disagree"] = None  # an editor's new mark settles a disagreement (issue #9)
        before, after = self._apply(session, claim_id, expected_version, values)
        session.add(StatusChange(claim_id=claim_id, from_status=before["status"], to_status=status,
                                 editor=editor, note=note or None,
                                 evidence_url=evidence_url or None, version=after["version"]))
        return before, after

    def set_note(self, claim_id: str, note: str, editor: str, expected_version: int | None = None,
                 evidence_url: str | None = None) -> dict:
        """Set the claim's note (and optionally its evidence link) without
        changing its status. Raises ClaimNotFound, InvalidValue or StaleEdit."""
        evidence_url = check_evidence_url(evidence_url)
        note, editor = _check_note(clean(note)), clean(editor)
        _check_id(claim_id)
        values: dict[str, Any] = {"note": note or None}
        if evidence_url is not None:
            values["evidence_url"] = evidence_url or None
        with self.session() as session:
            before, after = self._apply(session, claim_id, expected_version, values)
            self.record(session, editor, "set_note", "claim", claim_id, before=before, after=after,
                        note=note)
            return self._current(session, claim_id)

    def set_evidence(self, claim_id: str, evidence_url: str, editor: str,
                     expected_version: int | None = None) -> dict:
        """Set (or with '' clear) the claim's evidence link."""
        evidence_url = check_evidence_url(evidence_url)
        editor = clean(editor)
        _check_id(claim_id)
        with self.session() as session:
            before, after = self._apply(session, claim_id, expected_version,
                                        {"evidence_url": evidence_url or None})
            self.record(session, editor, "set_evidence", "claim", claim_id, before=before, after=after)
            return self._current(session, claim_id)

    def assign(self, claim_id: str, assignee: str | None, editor: str,
               expected_version: int | None = None) -> dict:
        """Assign the claim to ``assignee`` (None or '' unassigns)."""
        assignee, editor = (clean(assignee) or "").strip() or None, clean(editor)
        _check_id(claim_id)
        if assignee is not None and len(assignee) > 100:
            raise InvalidValue("Assignee name is longer than 100 characters.")
        with self.session() as session:
            before, after = self._apply(session, claim_id, expected_version, {"assignee": assignee})
            self.record(session, editor, "assign", "claim", claim_id, before=before, after=after)
            return self._current(session, claim_id)

    def dismiss(self, claim_id: str, editor: str, reason: str | None = None,
                expected_version: int | None = None) -> dict:
        """Dismiss a non-claim: hidden from the desk, kept across recomputes."""
        return self._set_dismissed(claim_id, True, editor, reason, expected_version, "dismiss")

    def restore(self, claim_id: str, editor: str, reason: str | None = None,
                expected_version: int | None = None) -> dict:
        """Bring a dismissed claim back to the desk."""
        return self._set_dismissed(claim_id, False, editor, reason, expected_version, "restore")

    def _set_dismissed(self, claim_id, dismissed, editor, reason, expected_version, action) -> dict:
        reason, editor = _check_note(clean(reason)), clean(editor)
        _check_id(claim_id)
        with self.session() as session:
            before, after = self._apply(session, claim_id, expected_version, {"dismissed": dismissed})
            self.record(session, editor, action, "claim", claim_id, before=before, after=after,
                        note=reason)
            return self._current(session, claim_id)

    def mark_seen(self, claim_id: str, editor: str) -> dict:
        """An editor looked at the claim's new evidence: clears 'new evidence
        since marked'. Does not bump the version (nobody's edit goes stale)."""
        editor = clean(editor)
        _check_id(claim_id)
        with self.session() as session:
            claim = session.scalars(select(Claim).where(Claim.id == claim_id).with_for_update()).first()
            if claim is None:
                raise ClaimNotFound(f"Claim {claim_id!r} does not exist")
            if claim.marked_evidence_key != claim.evidence_key:
                before = {"marked_evidence_key": claim.marked_evidence_key}
                claim.marked_evidence_key = claim.evidence_key
                self.record(session, editor, "mark_seen", "claim", claim_id, before=before,
                            after={"marked_evidence_key": claim.evidence_key, "version": claim.version})
            return self._current(session, claim_id)

    def bulk_set_status(self, claim_ids: Iterable[str], status: str, editor: str,
                        note: str | None = None,
                        expected_versions: dict[str, int] | None = None) -> dict:
        """Set one status on many claims in one transaction (issue #5).

        ``expected_versions`` ({claim_id: version}) makes it optimistic per
        claim; a claim whose version moved is left alone and reported stale.
        Returns ``{"applied": [ids], "stale": [ids], "missing": [ids]}``; one
        bulk audit event lists them, and each applied claim gets its own
        status change and audit event.
        """
        ids = list(dict.fromkeys(claim_ids))
        expected_versions = expected_versions or {}
        note, editor = _check_note(clean(note)), clean(editor)
        outcome: dict[str, list[str]] = {"applied": [], "stale": [], "missing": []}
        with self.session() as session:
            self._check_status(session, status)
            for claim_id in ids:
                try:
                    _check_id(claim_id)
                    with session.begin_nested():
                        before, after = self._set_status_in(
                            session, claim_id, status, editor,
                            expected_versions.get(claim_id), note, None)
                        self.record(session, editor, "bulk_set_status", "claim", claim_id,
                                    before=before, after=after, note=note)
                except StaleEdit:
                    outcome["stale"].append(claim_id)
                except ClaimNotFound:
                    outcome["missing"].append(clean(claim_id))
                else:
                    outcome["applied"].append(claim_id)
            self.record(session, editor, "bulk_set_status", "claims", None,
                        after={"status": status, **outcome}, note=note)
        return outcome

    def add_manual_claim(self, text: str, story_id: str | None, speaker: str | None,
                         editor: str, note: str | None = None, status: str = "unreviewed") -> dict:
        """A claim added by hand (origin 'manual'): recompute never touches it."""
        text, editor, note = (clean(text) or "").strip(), clean(editor), clean(note)
        story_id = clean(story_id)
        if not text:
            raise InvalidValue("A claim needs its text.")
        if len(text) > MAX_TEXT:
            raise InvalidValue(f"Claim text is {len(text)} characters long; the limit is {MAX_TEXT}.")
        speaker = (clean(speaker) or "").strip() or None
        if speaker and len(speaker) > 300:
            raise InvalidValue("Speaker is longer than 300 characters.")
        _check_note(note)
        claim_id = "m" + uuid.uuid4().hex[:15]
        with self.session() as session:
            self._check_status(session, status)
            if story_id and session.get(Story, story_id) is None:
                raise StoryNotFound(f"Story {story_id!r} does not exist")
            now = utcnow()
            session.add(Claim(id=claim_id, story_id=story_id or None, text=text, speaker=speaker,
                              speaker_key=speaker.casefold() if speaker else None,
                              origin="manual", active=True, status=status, note=note or None,
                              version=1, created_at=now, updated_at=now))
            session.flush()
            self.record(session, editor, "add_claim", "claim", claim_id,
                        after={"text": text, "story_id": story_id, "speaker": speaker,
                               "status": status, "note": note, "version": 1})
            return self._current(session, claim_id)
