"""The ledger's signing key, kept in files outside the database.

``settings.LEDGER_KEY_DIR`` holds two files:

- ``signer.key``: the current private key (C2SP signed-note text ``PRIVATE+KEY+<origin>+<id>+<key>``),
  readable by the application's user only (mode 0600). A database copy, dump or replica never
  holds it; whoever has the database alone cannot sign a checkpoint.
- ``verifiers.txt``: every public key the log has signed with, newest first, one per line. They are
  published (``/portal/ledger/keys``) so anyone can check a checkpoint.

Rotation writes a new ``signer.key``, puts its verifier first in ``verifiers.txt`` and forgets the
old private key: checkpoints signed before keep verifying with the old public key, which stays
listed. See docs/SECURITY.md.
"""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings

from doanket.funds import merkle

SIGNER = "signer.key"
VERIFIERS = "verifiers.txt"


class KeyMissing(RuntimeError):
    """No signing key yet: run ``doanket ledger_key --ensure``."""


def _dir() -> Path:
    return Path(settings.LEDGER_KEY_DIR)


def origin() -> str:
    return str(settings.LEDGER_ORIGIN)


def signer() -> str:
    """The current signer key text."""
    path = _dir() / SIGNER
    if not path.exists():
        raise KeyMissing(f"No ledger signing key in {path}: run `doanket ledger_key --ensure`.")
    return path.read_text(encoding="ascii").strip()


def verifiers() -> list[str]:
    """Every verifier key the log has used, newest first (empty before the first key)."""
    path = _dir() / VERIFIERS
    if not path.exists():
        return []
    return [line.strip() for line in path.read_text(encoding="ascii").splitlines() if line.strip()]


def _write_private(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` readable by the owner only, replacing it atomically."""
    temporary = path.with_suffix(".new")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="ascii") as file:
        file.write(text + "\n")
    os.replace(temporary, path)


def _install_new_key() -> str:
    directory = _dir()
    directory.mkdir(parents=True, exist_ok=True)
    os.chmod(directory, 0o700)
    signer_text, verifier_text = merkle.new_key(origin())
    known = [key for key in verifiers() if key != verifier_text]
    (directory / VERIFIERS).write_text("\n".join([verifier_text, *known]) + "\n", encoding="ascii")
    _write_private(directory / SIGNER, signer_text)
    return verifier_text


def ensure() -> tuple[str, bool]:
    """The current verifier key, creating the key pair first if there is none: (key, created)."""
    if (_dir() / SIGNER).exists():
        name, private_key = merkle.parse_signer_key(signer())
        if name != origin():
            raise merkle.MerkleError(f"The signing key is for {name!r}, but the ledger's origin is {origin()!r}.")
        return merkle.verifier_key_text(name, private_key.public_key().public_bytes_raw()), False
    return _install_new_key(), True


def rotate() -> str:
    """A new signing key; the old public key stays trusted for the checkpoints it signed."""
    if not (_dir() / SIGNER).exists():
        raise KeyMissing("There is no key to rotate yet: run `doanket ledger_key --ensure`.")
    return _install_new_key()
