"""Errors that end a command with one clear line for the user."""


class TpspError(Exception):
    """Base class: the message is shown to the user as a single line."""


class LeakError(TpspError):
    """The anonymizer's output would contain an identity, an email or another raw identifier."""


class InputError(TpspError):
    """An input folder or file is missing or unusable as a whole."""
