"""The firm's secret: the HMAC key of every pseudonym. It is never printed or landed."""

from pathlib import Path

from tpsp.errors import InputError


class SecretError(InputError):
    """The secret is missing or empty."""


def read_secret_file(path: Path) -> bytes:
    """The secret in ``path``, surrounding whitespace removed; an empty secret is refused."""
    path = Path(path)
    try:
        secret = path.read_bytes().strip()
    except OSError as exc:
        raise SecretError(f"cannot read the secret file {path}: {exc.strerror}") from exc
    if not secret:
        raise SecretError(f"the secret file {path} is empty; put the firm's secret in it")
    return secret
