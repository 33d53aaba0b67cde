"""Errors the core raises. The web layer maps them to HTTP responses; the CLI to exit code 2."""

from __future__ import annotations

from collections.abc import Mapping


class SnapdeskError(Exception):
    """Base of every error the core raises on purpose."""

    #: HTTP status the web layer answers with.
    status = 400


class NotFound(SnapdeskError):
    """The object does not exist *in this workspace* (never says whether it exists elsewhere)."""

    status = 404


class Forbidden(SnapdeskError):
    """The viewer may not see or change this object."""

    status = 403


class Conflict(SnapdeskError):
    """The request clashes with existing data (duplicate email, slug taken...)."""

    status = 409


class ValidationError(SnapdeskError):
    """Input was wrong; ``fields`` maps a field name to its list of messages."""

    status = 422

    def __init__(self, message: str, fields: Mapping[str, list[str]] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.fields: dict[str, list[str]] = {k: list(v) for k, v in (fields or {}).items()}

    @classmethod
    def field(cls, name: str, message: str) -> "ValidationError":
        return cls(message, {name: [message]})


class IllegalTransition(SnapdeskError):
    """A stage change that the transition table does not allow."""

    status = 409

    def __init__(self, from_stage: str, to_stage: str, allowed: list[str]) -> None:
        allowed_text = ", ".join(allowed) if allowed else "none"
        super().__init__(
            f"A conversation cannot move from '{from_stage}' to '{to_stage}'; "
            f"from '{from_stage}' it can move to: {allowed_text}."
        )
        self.from_stage = from_stage
        self.to_stage = to_stage
        self.allowed = allowed


class LoginError(SnapdeskError):
    """A sign-in attempt failed; the message is safe to show to the person signing in."""

    status = 401


class RateLimited(SnapdeskError):
    """Too many attempts; try again later."""

    status = 429
