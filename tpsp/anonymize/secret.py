"""The firm's secret: the HMAC key of every pseudonym. It is never printed or landed.

It comes from a file only its owner can read, or from the ``TPSP_SECRET`` environment
variable (a secrets manager or CI variable) when no file is named. Messages about it name
the file or the variable, never its content.
"""

import os
import stat
from collections.abc import Mapping
from pathlib import Path

from tpsp.errors import InputError

SECRET_ENV = "TPSP_SECRET"


class SecretError(InputError):
    """The secret is missing, empty or readable by others than its owner."""


def _refuse_shared_file(path: Path) -> None:
    """Refuse a secret file that group or others may read or write: anyone who can read the
    key can reverse every pseudonym of the firm by hashing candidate names."""
    if os.name != "posix":  # permission bits mean nothing there; the folder's ACL decides
        return
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except OSError as exc:
        raise SecretError(f"cannot read the secret file {path}: {exc.strerror}") from exc
    if mode & 0o077:
        raise SecretError(
            f"the secret file {path} is open to other users (mode {mode:04o}); "
            f"make it private with: chmod 600 {path}"
        )


def read_secret_file(path: Path) -> bytes:
    """The secret in ``path``, surrounding whitespace removed; an empty secret, or a file
    that group or others may access, is refused."""
    path = Path(path)
    _refuse_shared_file(path)
    try:
        secret = path.read_bytes().strip()
    except OSError as exc:
        raise SecretError(f"cannot read the secret file {path}: {exc.strerror}") from exc
    if not secret:
        raise SecretError(f"the secret file {path} is empty; put the firm's secret in it")
    return secret


def read_secret(path: Path | None, environ: Mapping[str, str] | None = None) -> bytes:
    """The secret from the file ``path`` when given, else from ``TPSP_SECRET``."""
    if path is not None:
        return read_secret_file(path)
    value = (os.environ if environ is None else environ).get(SECRET_ENV)
    if value is None:
        raise SecretError(f"no secret: pass --secret-file, or set {SECRET_ENV}")
    secret = value.encode("utf-8", "surrogateescape").strip()
    if not secret:
        raise SecretError(f"{SECRET_ENV} is empty; set it to the firm's secret")
    return secret
