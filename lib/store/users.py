"""Users, roles and sign-in with rate limiting (issue #6).

Every user change is audited. Failed sign-ins are kept as LoginAttempt rows:
``login_attempts`` failures for one name within ``login_window`` seconds
(FACTDESK_LOGIN_ATTEMPTS, FACTDESK_LOGIN_WINDOW) refuse further tries, right
or wrong, until the oldest of them leaves the window.
"""
from __future__ import annotations

import math
from datetime import timedelta

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from lib import auth
from lib.errors import AuthError, InvalidValue, PermissionDenied, UserNotFound
from lib.models import LoginAttempt, User, utcnow


def user_dict(u: User) -> dict:
    """A user without the password hash."""
    return {"id": u.id, "name": u.name, "role": u.role, "disabled": u.disabled,
            "created_at": u.created_at}


class UsersMixin:
    # -- reads ----------------------------------------------------------------
    def users(self, *, search: str | None = None, include_disabled: bool = True) -> list[dict]:
        """Every user by name; ``search`` keeps names containing it (any case)."""
        query = select(User).order_by(User.name)
        search = (search or "").replace("\x00", "")
        if search:
            escaped = search.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            query = query.where(func.lower(User.name).like(f"%{escaped}%", escape="\\"))
        if not include_disabled:
            query = query.where(User.disabled.is_(False))
        with self.session() as session:
            return [user_dict(u) for u in session.scalars(query)]

    def user(self, name: str) -> dict:
        """One user by name. Raises UserNotFound."""
        with self.session() as session:
            return user_dict(self._user(session, name))

    def credential_stamp(self, name: str) -> str | None:
        """The stamp session tokens carry (lib.auth.credential_stamp) of an enabled
        user; None for an unknown or disabled name."""
        with self.session() as session:
            u = session.scalars(select(User).where(User.name == name)).first()
            return auth.credential_stamp(u.password_hash) if u is not None and not u.disabled else None

    def has_users(self) -> bool:
        with self.session() as session:
            return session.scalar(select(User.id).limit(1)) is not None

    def _user(self, session: Session, name: str, lock: bool = False) -> User:
        if not isinstance(name, str) or "\x00" in name:
            raise UserNotFound(f"User {str(name).replace(chr(0), '')[:100]!r} does not exist")
        query = select(User).where(User.name == name)
        if lock:
            query = query.with_for_update()
        u = session.scalars(query).first()
        if u is None:
            raise UserNotFound(f"User {name!r} does not exist")
        return u

    # -- writes ---------------------------------------------------------------
    def add_user(self, name: str, role: str, password: str, actor: str) -> dict:
        """Create a user with an argon2 password hash. Raises InvalidValue."""
        auth.check_name(name)
        auth.check_role(role)
        password_hash = auth.hash_password(password)
        with self.session() as session:
            if session.scalar(select(User.id).where(User.name == name)) is not None:
                raise InvalidValue(f"User {name!r} already exists.")
            u = User(name=name, role=role, password_hash=password_hash, disabled=False)
            session.add(u)
            session.flush()
            self.record(session, actor, "add_user", "user", name, after={"role": role})
            return user_dict(u)

    def add_first_admin(self, name: str, password: str) -> dict:
        """The first account, an admin, made on first start. Refused once any user exists."""
        auth.check_name(name)
        password_hash = auth.hash_password(password)
        with self.session() as session:
            if self.dialect == "postgresql":
                # two browsers on a fresh install must not both become first admin
                session.execute(text("LOCK TABLE user_account IN EXCLUSIVE MODE"))
            if session.scalar(select(User.id).limit(1)) is not None:
                raise PermissionDenied("An account exists already; ask an admin to add yours.")
            u = User(name=name, role="admin", password_hash=password_hash, disabled=False)
            session.add(u)
            session.flush()
            self.record(session, name, "add_user", "user", name, after={"role": "admin"},
                        note="first admin, created on first start")
            return user_dict(u)

    def set_role(self, name: str, role: str, actor: str) -> dict:
        auth.check_role(role)
        with self.session() as session:
            u = self._user(session, name, lock=True)
            if role != "admin":
                self._keep_an_admin(session, u)
            before = {"role": u.role}
            u.role = role
            self.record(session, actor, "set_role", "user", name, before=before, after={"role": role})
            return user_dict(u)

    def set_password(self, name: str, password: str, actor: str) -> dict:
        password_hash = auth.hash_password(password)
        with self.session() as session:
            u = self._user(session, name, lock=True)
            u.password_hash = password_hash
            self.record(session, actor, "set_password", "user", name)
            return user_dict(u)

    def disable(self, name: str, actor: str) -> dict:
        """Disable an account: it can no longer sign in; its history stays."""
        return self._set_disabled(name, True, actor, "disable_user")

    def enable(self, name: str, actor: str) -> dict:
        return self._set_disabled(name, False, actor, "enable_user")

    def _set_disabled(self, name: str, disabled: bool, actor: str, action: str) -> dict:
        with self.session() as session:
            u = self._user(session, name, lock=True)
            if disabled:
                self._keep_an_admin(session, u)
            before = {"disabled": u.disabled}
            u.disabled = disabled
            self.record(session, actor, action, "user", name, before=before,
                        after={"disabled": disabled})
            return user_dict(u)

    def _keep_an_admin(self, session: Session, u: User) -> None:
        """Refuse to demote or disable the last enabled admin: nobody could manage users."""
        if u.role != "admin" or u.disabled:
            return
        others = session.scalar(select(func.count()).select_from(User).where(
            User.role == "admin", User.disabled.is_(False), User.id != u.id))
        if not others:
            raise InvalidValue(f"{u.name} is the last admin; make another user admin first.")

    # -- sign-in --------------------------------------------------------------
    def verify(self, name: str, password: str) -> dict:
        """Sign-in check: the user when name and password match an enabled account.

        Raises AuthError: wrong name or password (one message for both),
        disabled account, or "too many failed sign-ins; try again in N s".
        """
        name = (name or "").replace("\x00", "").strip()[:100]
        now = utcnow()
        window = timedelta(seconds=self.settings.login_window)
        limit = self.settings.login_attempts
        with self.session() as session:
            last_ok = session.scalar(select(func.max(LoginAttempt.at)).where(
                LoginAttempt.name == name, LoginAttempt.ok.is_(True)))
            since = max(now - window, last_ok) if last_ok else now - window
            failures = list(session.scalars(
                select(LoginAttempt.at).where(LoginAttempt.name == name, LoginAttempt.ok.is_(False),
                                              LoginAttempt.at > since)
                .order_by(LoginAttempt.at.desc()).limit(limit)))
        if len(failures) >= limit:
            wait = math.ceil((failures[limit - 1] + window - now).total_seconds())
            raise AuthError(f"too many failed sign-ins; try again in {max(wait, 1)} s")
        with self.session() as session:
            u = session.scalars(select(User).where(User.name == name)).first()
            ok = auth.verify_password(u.password_hash if u else None, (password or "").replace("\x00", ""))
            session.add(LoginAttempt(name=name, ok=ok and not u.disabled if u else False, at=utcnow()))
            if ok and u.disabled:
                self.record(session, name, "sign_in_refused", "user", name, note="account disabled")
        if not ok:
            raise AuthError("wrong user name or password")
        if u.disabled:
            raise AuthError(f"account {name!r} is disabled; ask an admin")
        return user_dict(u)
