"""What the Audit and Admin pages show, without Streamlit (issue #6): table
rows built from the store's answers, and the audit filters read from the URL."""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, Iterable, Mapping

ANY = "(any)"


def _compact(value: Any) -> str:
    if value in (None, {}, []):
        return ""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def audit_rows(events: Iterable[Mapping[str, Any]]) -> list[dict]:
    """One table row per audit event: before/after as compact JSON text."""
    return [{
        "When (UTC)": e["at"].strftime("%Y-%m-%d %H:%M:%S") if e.get("at") else "",
        "Who": e["actor"], "Action": e["action"], "What": e["entity_type"],
        "Id": e.get("entity_id") or "", "Before": _compact(e.get("before")),
        "After": _compact(e.get("after")), "Note": e.get("note") or "",
    } for e in events]


@dataclass(frozen=True)
class AuditFilters:
    """The audit page's filters; each lives in the URL (shareable view)."""

    actor: str = ""
    action: str = ""
    entity_type: str = ""
    search: str = ""
    since: date | None = None
    until: date | None = None

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> "AuditFilters":
        def one(name: str) -> str:
            value = params.get(name) or ""
            return (value[0] if isinstance(value, list) and value else value) or ""

        def day(name: str) -> date | None:
            try:
                return date.fromisoformat(one(name)) if one(name) else None
            except ValueError:
                return None

        return cls(actor=one("actor"), action=one("action"), entity_type=one("what"),
                   search=one("q")[:200], since=day("since"), until=day("until"))

    def to_params(self) -> dict[str, str]:
        return {k: v for k, v in {
            "actor": self.actor, "action": self.action, "what": self.entity_type, "q": self.search,
            "since": self.since.isoformat() if self.since else "",
            "until": self.until.isoformat() if self.until else ""}.items() if v}

    def store_kwargs(self) -> dict[str, Any]:
        """Keywords for ``store.audit_events``; ``until`` includes its whole day."""
        return {
            "actor": self.actor or None, "action": self.action or None,
            "entity_type": self.entity_type or None, "search": self.search or None,
            "since": datetime.combine(self.since, time()) if self.since else None,
            "until": datetime.combine(self.until + timedelta(days=1), time()) if self.until else None,
        }


def user_rows(users: Iterable[Mapping[str, Any]]) -> list[dict]:
    return [{"Name": u["name"], "Role": u["role"], "Disabled": bool(u["disabled"]),
             "Created (UTC)": u["created_at"].strftime("%Y-%m-%d %H:%M") if u.get("created_at") else ""}
            for u in users]


def status_rows(statuses: Iterable[Mapping[str, Any]]) -> list[dict]:
    return [{"Code": s["code"], "Label": s["label"], "Colour": s["colour"],
             "Description": s.get("description") or "", "Built in": bool(s.get("builtin"))}
            for s in statuses]
