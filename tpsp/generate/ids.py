"""Identifier formats of the vendors whose exports are simulated."""

import hashlib
import random
import string

_ALNUM = string.ascii_letters + string.digits


def firm_pseudonym(seed: int, slug: str) -> str:
    """The consortium pseudonym of a firm: `f_` + 10 hex characters."""
    return "f_" + hashlib.sha256(f"{seed}:{slug}".encode()).hexdigest()[:10]


def alnum(rng: random.Random, length: int) -> str:
    return "".join(rng.choices(_ALNUM, k=length))


def hex_id(rng: random.Random, length: int) -> str:
    return f"{rng.getrandbits(4 * length):0{length}x}"


def openai_user_id(rng: random.Random) -> str:
    return "user-" + alnum(rng, 24)


def openai_project_id(rng: random.Random) -> str:
    return "proj_" + alnum(rng, 24)


def anthropic_key_id(rng: random.Random) -> str:
    return "apikey_01" + alnum(rng, 22)


def anthropic_workspace_id(rng: random.Random) -> str:
    return "wrkspc_01" + alnum(rng, 22)


def jira_account_id(rng: random.Random) -> str:
    parts = (hex_id(rng, 8), hex_id(rng, 4), hex_id(rng, 4), hex_id(rng, 4), hex_id(rng, 12))
    return "712020:" + "-".join(parts)


def page_token(*parts: object) -> str:
    """An opaque, deterministic pagination cursor."""
    digest = hashlib.sha256(":".join(str(part) for part in parts).encode()).hexdigest()
    return digest[:32]
