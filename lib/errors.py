"""One exception class per failure, raised by the library and turned into
words only at the edges (CLI, pages). See ../shared/STYLE.md."""


class FactdeskError(Exception):
    """Base of every error Factdesk raises on purpose; its message is for people."""


class SettingsError(FactdeskError):
    """A FACTDESK_* variable has a bad value."""


class UnsupportedFile(FactdeskError):
    """A file cannot be ingested: the message names the file and what was wrong."""


class ModelError(FactdeskError):
    """The sentence model is missing, or its weights fail verification."""


class NotFound(FactdeskError):
    """Base for a missing entity."""


class ReportNotFound(NotFound):
    pass


class StoryNotFound(NotFound):
    pass


class ClaimNotFound(NotFound):
    pass


class UserNotFound(NotFound):
    pass


class StaleEdit(FactdeskError):
    """The claim changed since the editor opened it (optimistic concurrency).

    ``current`` holds the claim as it is now, so the edge can show the other
    change and offer to re-apply.
    """

    def __init__(self, message: str, current: dict | None = None):
        super().__init__(message)
        self.current = current or {}


class InvalidValue(FactdeskError):
    """A value given by a user (status code, role, URL...) is not acceptable."""


class PermissionDenied(FactdeskError):
    """The signed-in user's role does not allow this action."""


class AuthError(FactdeskError):
    """Sign-in failed (wrong name or password, disabled, or rate-limited)."""


class BackupError(FactdeskError):
    """A backup or restore cannot be made (wrong file, PostgreSQL store...)."""
