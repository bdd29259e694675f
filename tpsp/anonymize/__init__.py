"""The firm-side edge anonymizer: raw vendor exports in, landing files out.

It hashes ids with the firm's secret (HMAC-SHA256), floors every timestamp to the hour in
UTC, maps people to teams (merging teams that are too small), drops content, and refuses to
write anything when its output would still contain an identity.
"""

from tpsp.anonymize.firm import anonymize_firm
from tpsp.anonymize.manifest import MANIFEST_FILE
from tpsp.anonymize.report import AnonymizeReport, ExportedFile, RawWarning, SkippedFile
from tpsp.anonymize.secret import SECRET_ENV, SecretError, read_secret, read_secret_file

__all__ = [
    "MANIFEST_FILE",
    "SECRET_ENV",
    "AnonymizeReport",
    "ExportedFile",
    "RawWarning",
    "SecretError",
    "SkippedFile",
    "anonymize_firm",
    "read_secret",
    "read_secret_file",
]
