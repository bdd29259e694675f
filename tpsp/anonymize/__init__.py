"""The firm-side edge anonymizer: raw vendor exports in, landing files out.

It hashes ids with the firm's secret (HMAC-SHA256), floors every timestamp to the hour in
UTC, maps people to teams (merging teams that are too small), drops content, and refuses to
write anything when its output would still contain an identity.
"""

from tpsp.anonymize.firm import anonymize_firm
from tpsp.anonymize.report import AnonymizeReport, RawWarning, SkippedFile
from tpsp.anonymize.secret import SecretError, read_secret_file

__all__ = [
    "AnonymizeReport",
    "RawWarning",
    "SecretError",
    "SkippedFile",
    "anonymize_firm",
    "read_secret_file",
]
