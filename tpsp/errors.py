"""Errors that end a command with one clear line for the user."""


class TpspError(Exception):
    """Base class: the message is shown to the user as a single line, the hint under it."""

    hint: str | None = None

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        if hint is not None:
            self.hint = hint


class LeakError(TpspError):
    """The anonymizer's output would contain an identity, an email or another raw identifier."""


class InputError(TpspError):
    """An input folder or file is missing or unusable as a whole."""
