"""Content of cooperation requests is encrypted at rest: a database dump alone reveals nothing.

The keys come from the environment (``LIAISON_EXCHANGE_KEY``: one or more Fernet keys,
comma-separated, the first one encrypting). Fernet (from the ``cryptography`` package) is
authenticated encryption: a value changed in the database fails to decrypt instead of reading
as something else. Rotation: put the new key first and keep the old ones after it, run
``liaison exchange_rotate_key`` (which re-encrypts every value and recomputes the search
tokens with the new key), then drop the old keys. See docs/exchange.md.

Search cannot read encrypted text, so what may be searched (names, document numbers,
telephone numbers) is also stored as *blind tokens*: an HMAC of each normalised word under a key
derived from the encrypting key. The same word gives the same token, so a search finds it;
the token does not give the word back.
"""

import hashlib
import hmac
import unicodedata
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

PREFIX = "enc:"


def _keys() -> list[bytes]:
    keys = [k.strip() for k in settings.EXCHANGE_KEYS if k.strip()]
    if not keys:
        raise ImproperlyConfigured("Set LIAISON_EXCHANGE_KEY to encrypt cooperation requests.")
    return [k.encode() for k in keys]


@cache
def _fernet(keys: tuple[bytes, ...]) -> MultiFernet:
    return MultiFernet([Fernet(k) for k in keys])


def fernet() -> MultiFernet:
    return _fernet(tuple(_keys()))


def seal(value: str) -> str:
    if value in (None, ""):
        return value
    return PREFIX + fernet().encrypt(value.encode()).decode()


def unseal(value: str) -> str:
    if not value or not value.startswith(PREFIX):
        return value
    try:
        return fernet().decrypt(value[len(PREFIX) :].encode()).decode()
    except InvalidToken as error:
        raise ImproperlyConfigured(
            "A cooperation request cannot be decrypted with the keys in LIAISON_EXCHANGE_KEY."
        ) from error


def seal_bytes(data: bytes) -> bytes:
    return fernet().encrypt(data)


def unseal_bytes(data: bytes) -> bytes:
    return fernet().decrypt(data)


def normalise(word: str) -> str:
    """Case, accents and punctuation do not matter to a search: "Petrović" = "PETROVIC"."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in decomposed if c.isalnum())


def blind(word: str) -> str:
    """The search token of one word (see the module's docstring)."""
    key = hashlib.sha256(b"exchange-search:" + _keys()[0]).digest()
    return hmac.new(key, normalise(word).encode(), hashlib.sha256).hexdigest()


def tokens(text: str) -> set[str]:
    """The tokens of every word of ``text`` long enough to mean something (two characters)."""
    return {blind(w) for w in (text or "").split() if len(normalise(w)) >= 2}


class EncryptedTextField(models.TextField):
    """Text stored encrypted; Python code reads and writes it in clear. It cannot be filtered
    on (search goes through blind tokens)."""

    def from_db_value(self, value, expression, connection):
        return unseal(value)

    def get_prep_value(self, value):
        # A model's value is always the clear text (``from_db_value`` decrypted it), so it is
        # always sealed here, even text that happens to start like a sealed one.
        value = super().get_prep_value(value)
        return value if value is None else seal(value)
