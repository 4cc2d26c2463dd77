"""The desk's vocabulary: codes in JSON and the CLI, labels on screen (issue #4).

Desk statuses are set only by editors; admins may add custom ones (stored in
the custom_status table). Cues are read from a report's own text.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable


@dataclass(frozen=True)
class Status:
    code: str
    label: str
    colour: str
    description: str
    builtin: bool = True


DESK_STATUSES: tuple[Status, ...] = (
    Status("unreviewed", "Unreviewed", "#9e9e9e", "No editor has reviewed this claim yet."),
    Status("unverified", "Unable to independently verify", "#f0a202",
           "The desk tried and could not independently verify the claim."),
    Status("confirmed", "Confirmed", "#2e7d32", "The desk confirmed the claim."),
    Status("denied", "Denied", "#c62828", "The claim is false or denied by the desk's evidence."),
)
BUILTIN_CODES = tuple(s.code for s in DESK_STATUSES)

CUE_STATUSES = ("unverified", "confirmed", "denied", "none")
CUE_LABELS = {
    "unverified": "unable to independently verify",
    "confirmed": "confirmed",
    "denied": "denied",
    "none": "no cue",
}
# A denial outweighs a confirmation, which outweighs an unverified cue (issue #4).
CUE_RANK = {"none": 0, "unverified": 1, "confirmed": 2, "denied": 3}

ROLES = ("viewer", "editor", "admin")


def summarise_cues(statuses: Iterable[str]) -> str:
    """The strongest cue of ``statuses`` by CUE_RANK (unknown codes rank as
    'none'); 'none' for none."""
    return max(statuses, key=lambda s: CUE_RANK.get(s, 0), default="none")

