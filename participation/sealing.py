"""Sealing a ballot: the chosen projects encrypted under the ballot key (AES-256-GCM, a random nonce, the budget as
associated data), padded so that every sealed ballot has one length whatever it holds; only the count opens them."""
import hashlib
import hmac
import os
import struct

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings

MAX_SEALED_CHOICES = 200
NONCE = 12
_ID = struct.Struct(">Q")
_COUNT = struct.Struct(">H")
PLAIN_LENGTH = _COUNT.size + _ID.size * MAX_SEALED_CHOICES


class BrokenSeal(Exception):
    """A sealed ballot that the ballot key does not open (another key, or altered bytes)."""


def _key() -> bytes:
    """The AES key, derived from PARTICIPATION_BALLOT_KEY for this one use."""
    return hmac.new(settings.PARTICIPATION_BALLOT_KEY.encode(), b"participation sealed ballots v1",
                    hashlib.sha256).digest()


def _context(budget_id: int) -> bytes:
    return f"participation budget {budget_id}".encode()


def seal(budget_id: int, project_ids: list[int]) -> bytes:
    """nonce + AES-GCM(count, ids, zero padding): the same length for one project or two hundred."""
    if len(project_ids) > MAX_SEALED_CHOICES:
        raise ValueError(f"at most {MAX_SEALED_CHOICES} projects in a sealed ballot, got {len(project_ids)}")
    plain = _COUNT.pack(len(project_ids)) + b"".join(_ID.pack(i) for i in project_ids)
    plain += bytes(PLAIN_LENGTH - len(plain))
    nonce = os.urandom(NONCE)
    return nonce + AESGCM(_key()).encrypt(nonce, plain, _context(budget_id))


def unseal(budget_id: int, sealed: bytes) -> list[int]:
    """The project ids of a sealed ballot of that budget."""
    sealed = bytes(sealed)
    try:
        plain = AESGCM(_key()).decrypt(sealed[:NONCE], sealed[NONCE:], _context(budget_id))
    except InvalidTag:
        raise BrokenSeal(f"a sealed ballot of budget {budget_id} does not open with the ballot key") from None
    (count,) = _COUNT.unpack_from(plain)
    return [_ID.unpack_from(plain, _COUNT.size + n * _ID.size)[0] for n in range(count)]
