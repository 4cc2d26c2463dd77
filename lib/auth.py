"""Accounts and roles (issue #6): password hashing and role checks.

Roles, weakest first: ``viewer`` (reads, downloads), ``editor`` (marks
statuses, notes, evidence, assigns, ingests, merges), ``admin`` (users,
custom statuses, settings). Passwords are hashed with argon2id
(argon2-cffi); there is no default password anywhere. Sign-in with rate
limiting lives in the store (``store.verify``), which keeps the failed
attempts; this module holds what needs no database.

Session tokens keep an editor signed in across browser reloads: a token is
the user's name and a stamp of their password hash, signed and timed by
itsdangerous. A changed password, a disabled account or an expired token
(``FACTDESK_SESSION_HOURS``) ends the session; the role is read from the
store on every rerun, never from the token.
"""
from __future__ import annotations

import hashlib
import re
import secrets
from functools import lru_cache
from typing import Mapping

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from lib.errors import InvalidValue, PermissionDenied
from lib.vocab import ROLES

RANK = {role: i for i, role in enumerate(ROLES)}
MIN_PASSWORD = 8
MAX_PASSWORD = 1024
_NAME = re.compile(r"^[\w.@-]{1,100}$")

_hasher = PasswordHasher()
# Verifying against this when a name is unknown makes a wrong name cost as
# long as a wrong password, so timing does not tell which names exist.
_DUMMY_HASH = _hasher.hash("factdesk-timing-equaliser")


def check_role(role: str) -> str:
    if role not in RANK:
        raise InvalidValue(f"Unknown role {str(role)[:40]!r}; expected one of {', '.join(ROLES)}.")
    return role


def check_name(name: str) -> str:
    if not isinstance(name, str) or not _NAME.match(name):
        raise InvalidValue(
            f"User name must be 1-100 letters, digits, dots, dashes, underscores or @, got {str(name)[:60]!r}.")
    return name


def check_password(password: str | None) -> str:
    if not password or len(password) < MIN_PASSWORD:
        raise InvalidValue(f"Password must be at least {MIN_PASSWORD} characters long.")
    if len(password) > MAX_PASSWORD:
        raise InvalidValue(f"Password must be at most {MAX_PASSWORD} characters long.")
    return password


def hash_password(password: str) -> str:
    """An argon2id hash of ``password`` (validated first)."""
    return _hasher.hash(check_password(password))


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when ``password`` matches; a missing hash still costs one verification."""
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def has_role(user: Mapping | None, role_needed: str) -> bool:
    """True when ``user`` (a dict with 'role' and 'disabled') has at least ``role_needed``."""
    check_role(role_needed)
    return bool(user) and not user.get("disabled") and RANK.get(user.get("role"), -1) >= RANK[role_needed]


def require(role_needed: str, user: Mapping | None) -> Mapping:
    """Return ``user`` when they have at least ``role_needed``; else raise PermissionDenied."""
    if not has_role(user, role_needed):
        who = f"{user.get('name')} ({user.get('role')})" if user else "nobody signed in"
        raise PermissionDenied(f"This needs the {role_needed} role; {who} does not have it.")
    return user


# -- session tokens (signed cookie) -------------------------------------------------
_SALT = "factdesk-session"


def credential_stamp(password_hash: str) -> str:
    """A short digest of a password hash: a new password changes it, ending old sessions."""
    return hashlib.sha256(password_hash.encode()).hexdigest()[:16]


@lru_cache(maxsize=1)
def process_secret() -> str:
    """The signing key when FACTDESK_SECRET_KEY is not set: random per server
    process, so sessions end when the server restarts."""
    return secrets.token_urlsafe(32)


def _serializer(secret: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret or process_secret(), salt=_SALT)


def issue_token(name: str, stamp: str, secret: str) -> str:
    """A signed, timed token for ``name`` (URL-safe characters only)."""
    return _serializer(secret).dumps({"u": name, "s": stamp})


def read_token(token: str | None, secret: str, max_age_seconds: int) -> tuple[str, str] | None:
    """``(name, stamp)`` from a valid token younger than ``max_age_seconds``; None otherwise."""
    if not token or len(token) > 1000:
        return None
    try:
        data = _serializer(secret).loads(token, max_age=max_age_seconds)
    except (SignatureExpired, BadSignature):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), str) or not isinstance(data.get("s"), str):
        return None
    return data["u"], data["s"]
