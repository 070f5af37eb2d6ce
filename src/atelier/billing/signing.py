"""Ed25519 signatures of the journal's entries and of its archives.

The private key is derived from the secret in the environment (`ATELIER_JOURNAL_KEY`: the seed is its SHA-256),
so the key never sits in the database. Its public key is printable (`atelier journal public-key`) and is all an
auditor needs to check an entry or an archive offline. A key id (the first 16 hex digits of the public key's
SHA-256) is written on every entry; after a key change the old public keys are listed in
`ATELIER_JOURNAL_OLD_PUBLIC_KEYS`, so old entries still verify, and an entry signed with a key nobody listed is
named as such instead of « contenu modifié ».
"""

import base64
import binascii
import hashlib
from functools import lru_cache

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from django.conf import settings
from django.utils.translation import gettext as _

from atelier.core.errors import AtelierError


def _raw(public: Ed25519PublicKey) -> bytes:
    return public.public_bytes(Encoding.Raw, PublicFormat.Raw)


def key_id_of(public: Ed25519PublicKey) -> str:
    return hashlib.sha256(_raw(public)).hexdigest()[:16]


@lru_cache(maxsize=8)
def _private_from(secret: str) -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(hashlib.sha256(secret.encode()).digest())


def private_key() -> Ed25519PrivateKey:
    return _private_from(settings.ATELIER_JOURNAL_KEY)


def current_key_id() -> str:
    return key_id_of(private_key().public_key())


def public_key_text(public: Ed25519PublicKey | None = None) -> str:
    """The public key as base64 of its 32 raw bytes: what `ATELIER_JOURNAL_OLD_PUBLIC_KEYS` and
    `--public-key` take."""
    return base64.b64encode(_raw(public or private_key().public_key())).decode()


def parse_public_key(text: str) -> Ed25519PublicKey:
    """A public key given as base64 of its 32 raw bytes; a French error otherwise."""
    try:
        raw = base64.b64decode(text.strip(), validate=True)
        return Ed25519PublicKey.from_public_bytes(raw)
    except (binascii.Error, ValueError) as exc:
        raise AtelierError(
            _(
                "Clé publique illisible : attendu 32 octets en base64 (celle qu'affiche « journal public-key »)."
            )
        ) from exc


def known_public_keys() -> dict[str, Ed25519PublicKey]:
    """Every key an entry may have been signed with: today's and the retired ones named in the settings."""
    keys = {current_key_id(): private_key().public_key()}
    for text in getattr(settings, "ATELIER_JOURNAL_OLD_PUBLIC_KEYS", ()):
        public = parse_public_key(text)
        keys[key_id_of(public)] = public
    return keys


def sign(message: bytes) -> tuple[str, str]:
    """(key id, base64 signature) of a message with today's key."""
    return current_key_id(), base64.b64encode(private_key().sign(message)).decode()


def signature_valid(public: Ed25519PublicKey, message: bytes, signature: str) -> bool:
    try:
        public.verify(base64.b64decode(signature), message)
    except (InvalidSignature, binascii.Error, ValueError):
        return False
    return True
