"""The append-only log of a campaign's published entries as a Merkle tree, its signed checkpoints and
its static tiles: pure functions over bytes, no database.

What is implemented, and after which text:

- **Merkle Tree Hash**, **inclusion** and **consistency proofs** exactly as RFC 9162 §2.1 (the same
  tree as RFC 6962): :func:`leaf_hash`, :func:`node_hash`, :func:`root`, :func:`inclusion_proof`,
  :func:`verify_inclusion` (the algorithm of §2.1.3.2, step by step), :func:`consistency_proof`,
  :func:`verify_consistency` (§2.1.4.2). ``doanket/static/funds/proof.js`` repeats
  :func:`verify_inclusion` line for line for the browser.
- :class:`Tree` keeps every level of complete subtrees, so the root of any earlier size and any
  proof cost O(log n) look-ups and a few hashes instead of rehashing the log.
- **C2SP tlog-checkpoint**: the body is the three mandatory lines (origin, size, base64 root) and
  *no* extension line — the spec calls them NOT RECOMMENDED (monitors cannot audit them) and some
  parsers refuse them. The time of a checkpoint is carried instead by a **C2SP tlog-cosignature/v1**
  timestamped Ed25519 signature (signature type 0x04) that the committee's key adds beside its
  ordinary note signature (type 0x01): the time is signed, and standard tools still read the body.
- **C2SP signed-note** with Ed25519 keys (type 0x01), key IDs ``SHA-256(name || 0x0A || 0x01 ||
  public key)[:4]``, and the key texts of Go's ``golang.org/x/mod/sumdb/note``: verifier
  ``<name>+<hex id>+<base64(0x01 || public key)>``, signer
  ``PRIVATE+KEY+<name>+<hex id>+<base64(0x01 || seed)>``. Several verifier keys can be trusted at
  once, which is how a key is rotated: old checkpoints keep verifying with the old key.
- **C2SP tlog-tiles**: tile and entry-bundle paths (``tile/<L>/<N>[.p/<W>]``, ``tile/entries/<N>``),
  256-hash tiles, partial tiles, bundles of uint16-length-prefixed entries, and two readers that
  need nothing but those files — :func:`root_from_tiles` (a root from O(log n) tiles) and
  :func:`audit_tiles` (every entry rehashed, every tile compared) — so anyone can mirror and audit.

Errors are :class:`MerkleError` with English messages: they are read by operators and auditors in
a command's output, not shown to citizens, and the module stays importable without Django settings.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

HASH_SIZE = 32
EMPTY_ROOT = hashlib.sha256(b"").digest()  # RFC 9162 §2.1.1: MTH({}) = HASH()
TILE_HEIGHT = 8
TILE_WIDTH = 1 << TILE_HEIGHT  # hashes in a full tile (C2SP tlog-tiles)
MAX_ENTRY_SIZE = 0xFFFF  # an entry bundle prefixes each entry with a uint16 length
MAX_SIGNATURES = 100  # signed-note: verifiers must accept at least 16

ALG_ED25519 = 0x01  # signed-note signature type
ALG_COSIGNATURE_V1 = 0x04  # tlog-cosignature: timestamped Ed25519
COSIGNATURE_HEADER = "cosignature/v1\n"
SIGNATURE_PREFIX = "— "  # em dash U+2014, space

_sha256 = hashlib.sha256


class MerkleError(ValueError):
    """A proof that cannot be built, a note or key that cannot be read or verified, a tile that does
    not match: the message says which and why."""


# --- RFC 9162 §2.1: the Merkle Tree Hash -------------------------------------------------------


def leaf_hash(data: bytes) -> bytes:
    """``HASH(0x00 || data)``: the prefix keeps a leaf from ever hashing like an inner node."""
    return _sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """``HASH(0x01 || left || right)``."""
    return _sha256(b"\x01" + left + right).digest()


def root(leaf_hashes: Sequence[bytes]) -> bytes:
    """The Merkle Tree Hash of these leaves (RFC 9162 §2.1.1), computed level by level.

    Pairing neighbours and carrying an odd last node up unchanged gives the same tree as the RFC's
    recursive split at the largest power of two, without a Python call per node."""
    if not leaf_hashes:
        return EMPTY_ROOT
    level = list(leaf_hashes)
    while len(level) > 1:
        pairs = zip(level[0::2], level[1::2], strict=False)  # an odd last node has no partner
        parents = [_sha256(b"\x01" + left + right).digest() for left, right in pairs]
        if len(level) % 2:
            parents.append(level[-1])
        level = parents
    return level[0]


def _parents(hashes: bytes) -> bytes:
    """The parents of the complete pairs in a run of concatenated hashes (an odd last one waits)."""
    pairs = len(hashes) // (2 * HASH_SIZE) * 2 * HASH_SIZE
    step = 2 * HASH_SIZE
    return b"".join([_sha256(b"\x01" + hashes[i : i + step]).digest() for i in range(0, pairs, step)])


def _largest_power_of_two_below(n: int) -> int:
    """The ``k`` of RFC 9162: the largest power of two smaller than ``n`` (n > 1)."""
    return 1 << ((n - 1).bit_length() - 1)


def _fold_right(hashes: Sequence[bytes]) -> bytes:
    """``node(h0, node(h1, ... node(h_{n-2}, h_{n-1})))``: the root above complete subtrees of
    decreasing size, which is how the RFC's tree joins them."""
    result = hashes[-1]
    for left in reversed(hashes[:-1]):
        result = node_hash(left, result)
    return result


class Tree:
    """A log's Merkle tree with every level of complete subtrees kept.

    ``level(k)`` holds, concatenated, the hashes of the complete subtrees of ``2**k`` leaves, left
    to right: level 0 the leaf hashes, level 8 the hashes of level-1 tiles, and so on. Any subtree
    the RFC's recursion needs is at most one complete subtree per level, so a root of an earlier
    size or a proof costs O(log n) look-ups and hashes. Levels are ``bytearray`` rather than lists
    of ``bytes``: 32 bytes a hash instead of about 100, and C2SP tiles are plain slices of them.
    """

    def __init__(self, leaf_hashes: Iterable[bytes] = ()) -> None:
        self._levels: list[bytearray] = [bytearray()]
        self.extend(leaf_hashes)

    @property
    def size(self) -> int:
        return len(self._levels[0]) // HASH_SIZE

    def extend(self, leaf_hashes: Iterable[bytes]) -> None:
        """Append leaves, hashing only the subtrees they complete."""
        added = b"".join(leaf_hashes)
        if len(added) % HASH_SIZE:
            raise MerkleError(f"A leaf hash must be {HASH_SIZE} bytes.")
        self._levels[0] += added
        height = 0
        while len(self._levels[height]) >= 2 * HASH_SIZE:
            if len(self._levels) == height + 1:
                self._levels.append(bytearray())
            below, above = self._levels[height], self._levels[height + 1]
            done = len(above) * 2  # bytes of `below` already hashed into `above`
            complete = len(below) // (2 * HASH_SIZE) * (2 * HASH_SIZE)
            above += _parents(bytes(below[done:complete]))
            height += 1

    def level(self, height: int) -> bytes:
        """The concatenated hashes of the complete subtrees of ``2**height`` leaves."""
        return bytes(self._levels[height]) if height < len(self._levels) else b""

    def _perfect(self, height: int, index: int) -> bytes:
        start = index * HASH_SIZE
        return bytes(self._levels[height][start : start + HASH_SIZE])

    def subtree_hash(self, start: int, end: int) -> bytes:
        """MTH(D[start:end]) for the ranges RFC 9162's recursion produces: ``start`` is a multiple
        of a power of two at least ``end - start``, so the range is complete subtrees of
        decreasing size."""
        if not 0 <= start < end <= self.size:
            raise MerkleError(f"No subtree [{start}, {end}) in a tree of {self.size} leaves.")
        parts = []
        while start < end:
            height = (end - start).bit_length() - 1
            if start % (1 << height):
                raise MerkleError(f"The range [{start}, {end}) is not a subtree of the Merkle tree.")
            parts.append(self._perfect(height, start >> height))
            start += 1 << height
        return _fold_right(parts)

    def root(self, size: int | None = None) -> bytes:
        """The root of the first ``size`` leaves (all of them by default)."""
        size = self.size if size is None else size
        self._check_size(size)
        return EMPTY_ROOT if size == 0 else self.subtree_hash(0, size)

    def inclusion_proof(self, index: int, size: int | None = None) -> list[bytes]:
        """PATH(index, D[0:size]) of RFC 9162 §2.1.3.1."""
        size = self.size if size is None else size
        self._check_size(size)
        if not 0 <= index < size:
            raise MerkleError(f"No leaf {index} in a tree of {size} leaves.")
        proof: list[bytes] = []
        start, end = 0, size
        while end - start > 1:  # PATH(m, D[n]) = PATH(m, D[0:k]) : MTH(D[k:n]) or the mirror
            k = start + _largest_power_of_two_below(end - start)
            if index < k:
                proof.append(self.subtree_hash(k, end))
                end = k
            else:
                proof.append(self.subtree_hash(start, k))
                start = k
        proof.reverse()  # the recursion appends from the bottom up; we walked top down
        return proof

    def consistency_proof(self, old_size: int, new_size: int | None = None) -> list[bytes]:
        """PROOF(old_size, D[0:new_size]) of RFC 9162 §2.1.4.1; empty when the sizes are equal or
        the old tree is empty (every tree extends the empty one)."""
        new_size = self.size if new_size is None else new_size
        self._check_size(new_size)
        if not 0 <= old_size <= new_size:
            raise MerkleError(f"No consistency proof from {old_size} to {new_size} leaves.")
        if old_size in (0, new_size):
            return []
        proof: list[bytes] = []
        m, start, end, complete = old_size, 0, new_size, True
        while True:  # SUBPROOF(m, D[start:end], complete)
            if m == end - start:
                if not complete:
                    proof.append(self.subtree_hash(start, end))
                break
            k = _largest_power_of_two_below(end - start)
            if m <= k:
                proof.append(self.subtree_hash(start + k, end))
                end = start + k
            else:
                proof.append(self.subtree_hash(start, start + k))
                m, start, complete = m - k, start + k, False
        proof.reverse()
        return proof

    def _check_size(self, size: int) -> None:
        if not 0 <= size <= self.size:
            raise MerkleError(f"The tree has {self.size} leaves, not {size}.")


def _as_tree(leaf_hashes_or_tree: Sequence[bytes] | Tree, size: int) -> Tree:
    if isinstance(leaf_hashes_or_tree, Tree):
        return leaf_hashes_or_tree
    return Tree(leaf_hashes_or_tree[:size])


def inclusion_proof(leaf_hashes: Sequence[bytes] | Tree, index: int, size: int) -> list[bytes]:
    """The audit path of leaf ``index`` in the tree of the first ``size`` leaves (RFC 9162
    §2.1.3.1). Given a :class:`Tree`, nothing is rehashed."""
    return _as_tree(leaf_hashes, size).inclusion_proof(index, size)


def consistency_proof(leaf_hashes: Sequence[bytes] | Tree, old_size: int, new_size: int) -> list[bytes]:
    """The proof that the tree of ``new_size`` leaves extends the one of ``old_size`` (RFC 9162
    §2.1.4.1). Given a :class:`Tree`, nothing is rehashed."""
    return _as_tree(leaf_hashes, new_size).consistency_proof(old_size, new_size)


def verify_inclusion(leaf_hash: bytes, index: int, size: int, proof: Sequence[bytes], root: bytes) -> bool:
    """Whether ``proof`` shows the leaf at ``index`` in the tree of ``size`` leaves with ``root``:
    RFC 9162 §2.1.3.2, step by step (``proof.js`` mirrors it).

    The proof does not bind ``size`` on its own (leaf 0 has the same path in trees of 6 and 7
    leaves): ``size`` and ``root`` must come together from one signed checkpoint."""
    # 1. Fail if leaf_index >= tree_size.
    if index < 0 or index >= size:
        return False
    # 2. fn = leaf_index, sn = tree_size - 1.
    fn, sn = index, size - 1
    # 3. r = hash.
    r = leaf_hash
    # 4. For each p in inclusion_path:
    for p in proof:
        # 4a. If sn is 0, stop and fail.
        if sn == 0:
            return False
        # 4b. If LSB(fn) is set or fn == sn:
        if fn & 1 or fn == sn:
            # 4b.i. r = HASH(0x01 || p || r).
            r = node_hash(p, r)
            # 4b.ii. If LSB(fn) is not set, shift fn and sn right until LSB(fn) is set or fn is 0.
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            # 4b. Otherwise r = HASH(0x01 || r || p).
            r = node_hash(r, p)
        # 4c. Shift fn and sn right once.
        fn >>= 1
        sn >>= 1
    # 5. Succeed only if sn is 0 and r equals root_hash.
    return sn == 0 and r == root


def verify_consistency(old_size: int, new_size: int, old_root: bytes, new_root: bytes, proof: Sequence[bytes]) -> bool:
    """Whether ``proof`` shows that the tree of ``new_size`` leaves with ``new_root`` extends the tree
    of ``old_size`` with ``old_root``: RFC 9162 §2.1.4.2, step by step.

    Equal sizes need an empty proof and equal roots; the empty tree (with the empty root) is
    extended by every tree, with an empty proof — the cases the RFC's algorithm leaves out."""
    if old_size < 0 or new_size < old_size:
        return False
    if old_size == new_size:
        return not proof and old_root == new_root
    if old_size == 0:
        return not proof and old_root == EMPTY_ROOT
    # 1. Fail if consistency_path is empty.
    if not proof:
        return False
    path = list(proof)
    # 2. If first is an exact power of 2, prepend first_hash to consistency_path.
    if old_size & (old_size - 1) == 0:
        path.insert(0, old_root)
    # 3. fn = first - 1, sn = second - 1.
    fn, sn = old_size - 1, new_size - 1
    # 4. If LSB(fn) is set, shift fn and sn right until LSB(fn) is not set.
    while fn & 1:
        fn >>= 1
        sn >>= 1
    # 5. fr = sr = the first value of consistency_path.
    fr = sr = path[0]
    # 6. For each subsequent value c in consistency_path:
    for c in path[1:]:
        # 6a. If sn is 0, stop and fail.
        if sn == 0:
            return False
        # 6b. If LSB(fn) is set or fn == sn:
        if fn & 1 or fn == sn:
            # 6b.i-ii. fr = HASH(0x01 || c || fr), sr = HASH(0x01 || c || sr).
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            # 6b.iii. If LSB(fn) is not set, shift fn and sn right until LSB(fn) is set or fn is 0.
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            # 6b. Otherwise sr = HASH(0x01 || sr || c).
            sr = node_hash(sr, c)
        # 6c. Shift fn and sn right once.
        fn >>= 1
        sn >>= 1
    # 7. Succeed only if fr is first_hash, sr is second_hash and sn is 0.
    return fr == old_root and sr == new_root and sn == 0


# --- C2SP signed-note with Ed25519 keys -------------------------------------------------------


def key_id(name: str, algorithm: int, public_key: bytes) -> bytes:
    """``SHA-256(name || 0x0A || algorithm || public key)[:4]`` (signed-note, tlog-cosignature)."""
    return _sha256(name.encode() + b"\n" + bytes([algorithm]) + public_key).digest()[:4]


def _check_key_name(name: str) -> None:
    if not name or "+" in name or any(char.isspace() for char in name) or not name.isprintable():
        raise MerkleError(f"The key name {name!r} is empty or contains a space, a plus sign or a control character.")


def _public_bytes(private_key: Ed25519PrivateKey) -> bytes:
    return private_key.public_key().public_bytes_raw()


@dataclass(frozen=True)
class VerifierKey:
    name: str
    key_id: bytes  # 4 bytes
    public_key: Ed25519PublicKey

    def public_bytes(self) -> bytes:
        return self.public_key.public_bytes_raw()


def new_key(name: str) -> tuple[str, str]:
    """A fresh Ed25519 key pair as (signer key text, verifier key text). The signer text is the
    secret to keep outside the database; the verifier text is published."""
    _check_key_name(name)
    private_key = Ed25519PrivateKey.generate()
    public = _public_bytes(private_key)
    hex_id = key_id(name, ALG_ED25519, public).hex()
    seed = private_key.private_bytes_raw()
    signer = f"PRIVATE+KEY+{name}+{hex_id}+{_b64(bytes([ALG_ED25519]) + seed)}"
    return signer, verifier_key_text(name, public)


def verifier_key_text(name: str, public_key: bytes) -> str:
    """``<name>+<hex key id>+<base64(0x01 || public key)>``."""
    _check_key_name(name)
    hex_id = key_id(name, ALG_ED25519, public_key).hex()
    return f"{name}+{hex_id}+{_b64(bytes([ALG_ED25519]) + public_key)}"


def parse_signer_key(text: str) -> tuple[str, Ed25519PrivateKey]:
    """The (name, private key) of a signer key text, checked against its own key id."""
    parts = text.strip().split("+", 4)  # base64 may contain "+"
    if len(parts) != 5 or parts[:2] != ["PRIVATE", "KEY"]:
        raise MerkleError("A signer key must read PRIVATE+KEY+<name>+<key id>+<key>.")
    name, hex_id, encoded = parts[2:]
    data = _unb64(encoded, "signer key")
    if len(data) != 33 or data[0] != ALG_ED25519:
        raise MerkleError("The signer key is not an Ed25519 key.")
    private_key = Ed25519PrivateKey.from_private_bytes(data[1:])
    _check_key_name(name)
    if key_id(name, ALG_ED25519, _public_bytes(private_key)).hex() != hex_id:
        raise MerkleError(f"The signer key of {name} does not match its key id {hex_id}.")
    return name, private_key


def parse_verifier_key(text: str) -> VerifierKey:
    """A verifier key text, checked against its own key id."""
    parts = text.strip().split("+", 2)  # base64 may contain "+"
    if len(parts) != 3:
        raise MerkleError("A verifier key must read <name>+<key id>+<key>.")
    name, hex_id, encoded = parts
    _check_key_name(name)
    data = _unb64(encoded, "verifier key")
    if len(data) != 33 or data[0] != ALG_ED25519:
        raise MerkleError(f"The verifier key of {name} is not an Ed25519 key.")
    if key_id(name, ALG_ED25519, data[1:]).hex() != hex_id:
        raise MerkleError(f"The verifier key of {name} does not match its key id {hex_id}.")
    return VerifierKey(name, bytes.fromhex(hex_id), Ed25519PublicKey.from_public_bytes(data[1:]))


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str, what: str) -> bytes:
    try:
        return base64.b64decode(text, validate=True)
    except binascii.Error as error:
        raise MerkleError(f"The {what} is not valid base64.") from error


def _check_note_text(text: str) -> None:
    if not text.endswith("\n"):
        raise MerkleError("A note text must end with a newline.")
    if any(ord(char) < 0x20 and char != "\n" for char in text):
        raise MerkleError("A note text must not contain control characters other than newline.")
    if text.startswith(COSIGNATURE_HEADER):
        # The same key also makes tlog-cosignature/v1 signatures, whose messages start so: refusing
        # such a note keeps the two kinds of signature from ever being confused.
        raise MerkleError("A note text must not start with the cosignature header.")


def sign_note(text: str, name: str, private_key: Ed25519PrivateKey) -> str:
    """The signed note: ``text``, a blank line, and one Ed25519 signature line
    ``— <name> base64(key id || signature)``."""
    _check_note_text(text)
    _check_key_name(name)
    signature = private_key.sign(text.encode())
    return f"{text}\n{_signature_line(name, key_id(name, ALG_ED25519, _public_bytes(private_key)) + signature)}"


def _signature_line(name: str, blob: bytes) -> str:
    return f"{SIGNATURE_PREFIX}{name} {_b64(blob)}\n"


def split_note(note: str) -> tuple[str, list[tuple[str, bytes]]]:
    """The text and the (key name, key id || signature) of each signature line, unverified."""
    split = note.rfind("\n\n")
    if split < 0:
        raise MerkleError("The note has no blank line before its signatures.")
    text, block = note[: split + 1], note[split + 2 :]
    if not block.endswith("\n") or not block.strip():
        raise MerkleError("The note has no signature lines, or they do not end with a newline.")
    signatures = []
    for line in block[:-1].split("\n"):
        name, space, encoded = line.removeprefix(SIGNATURE_PREFIX).partition(" ")
        if not line.startswith(SIGNATURE_PREFIX) or not space or not name or " " in encoded:
            raise MerkleError(f"Malformed signature line: {line!r}.")
        blob = _unb64(encoded, "signature")
        if len(blob) < 5:
            raise MerkleError(f"The signature of {name} is too short.")
        signatures.append((name, blob))
    if len(signatures) > MAX_SIGNATURES:
        raise MerkleError(f"The note has more than {MAX_SIGNATURES} signatures.")
    return text, signatures


def verify_note(note: str, verifier_keys: Iterable[str | VerifierKey]) -> str:
    """The text of ``note`` once a signature by one of ``verifier_keys`` verifies.

    As signed-note requires: signatures by unknown keys are ignored (a name or an id alone does not
    make a key known); a signature by a known key that does not verify refuses the whole note; a
    note without a verified signature from a known key is refused."""
    keys = {(key.name, key.key_id): key for key in map(_as_verifier, verifier_keys)}
    text, signatures = split_note(note)
    _check_note_text(text)
    verified = False
    for name, blob in signatures:
        key = keys.get((name, blob[:4]))
        if key is None:
            continue
        try:
            key.public_key.verify(blob[4:], text.encode())
        except InvalidSignature:
            raise MerkleError(f"The signature of {name} does not match the note: it was altered.") from None
        verified = True
    if not verified:
        raise MerkleError("The note is not signed by any trusted key.")
    return text


def _as_verifier(key: str | VerifierKey) -> VerifierKey:
    return key if isinstance(key, VerifierKey) else parse_verifier_key(key)


# --- C2SP tlog-checkpoint, with the time as a tlog-cosignature/v1 -----------------------------


@dataclass(frozen=True)
class Checkpoint:
    origin: str
    size: int
    root_hash: bytes
    time: int | None = None  # POSIX seconds, from the signer's timestamped cosignature

    def body(self) -> str:
        """The note text: origin, size and base64 root, each ending with a newline; no extension
        lines (see the module docstring)."""
        if not self.origin or "\n" in self.origin or not self.origin.isprintable():
            raise MerkleError(f"The origin {self.origin!r} is empty or not a single printable line.")
        if self.size < 0 or len(self.root_hash) != HASH_SIZE:
            raise MerkleError("A checkpoint needs a size of at least 0 and a 32-byte root hash.")
        return f"{self.origin}\n{self.size}\n{_b64(self.root_hash)}\n"


def parse_checkpoint(body: str) -> Checkpoint:
    """The origin, size and root of a checkpoint body (extension lines are ignored: they are opaque)."""
    lines = body.split("\n")
    if len(lines) < 4 or lines[-1] != "" or any(not line for line in lines[:-1]):
        raise MerkleError("A checkpoint is at least three non-empty lines, each ending with a newline.")
    origin, size_text, root_text = lines[:3]
    if not size_text.isascii() or not size_text.isdigit() or (size_text != "0" and size_text.startswith("0")):
        raise MerkleError(f"The tree size {size_text!r} is not a decimal number without leading zeroes.")
    root_hash = _unb64(root_text, "root hash")
    if len(root_hash) != HASH_SIZE:
        raise MerkleError("The root hash is not 32 bytes.")
    return Checkpoint(origin, int(size_text), root_hash)


def _cosigned_message(body: str, timestamp: int) -> bytes:
    return f"{COSIGNATURE_HEADER}time {timestamp}\n{body}".encode()


def sign_checkpoint(checkpoint: Checkpoint, signer_key: str, timestamp: int) -> str:
    """The checkpoint as a signed note with two signature lines by the same key: the ordinary
    Ed25519 note signature (type 0x01, what tlog-tiles requires of a log) and a tlog-cosignature/v1
    (type 0x04) that signs ``timestamp`` with the body."""
    name, private_key = parse_signer_key(signer_key)
    if not 0 <= timestamp < 2**63:
        raise MerkleError("The timestamp must be POSIX seconds between 0 and 2**63 - 1.")
    body = checkpoint.body()
    cosignature = private_key.sign(_cosigned_message(body, timestamp))
    cosign_id = key_id(name, ALG_COSIGNATURE_V1, _public_bytes(private_key))
    stamp = cosign_id + timestamp.to_bytes(8, "big") + cosignature
    return sign_note(body, name, private_key) + _signature_line(name, stamp)


def open_checkpoint(note: str, verifier_keys: Iterable[str | VerifierKey], origin: str) -> Checkpoint:
    """The checkpoint in ``note`` once signed by a trusted key for ``origin``, with its time from
    that key's timestamped cosignature (``time`` is None if there is none)."""
    keys = [_as_verifier(key) for key in verifier_keys]
    checkpoint = parse_checkpoint(verify_note(note, keys))
    if checkpoint.origin != origin:
        raise MerkleError(f"The checkpoint is for {checkpoint.origin!r}, not {origin!r}.")
    body, signatures = split_note(note)
    times = []
    for key in keys:
        cosign_id = key_id(key.name, ALG_COSIGNATURE_V1, key.public_bytes())
        for name, blob in signatures:
            if name != key.name or blob[:4] != cosign_id:
                continue
            if len(blob) != 4 + 8 + 64:
                raise MerkleError(f"The timestamped signature of {name} has the wrong length.")
            timestamp = int.from_bytes(blob[4:12], "big")
            try:
                key.public_key.verify(blob[12:], _cosigned_message(body, timestamp))
            except InvalidSignature:
                raise MerkleError(f"The timestamped signature of {name} does not match the checkpoint.") from None
            times.append(timestamp)
    return Checkpoint(checkpoint.origin, checkpoint.size, checkpoint.root_hash, max(times) if times else None)


# --- C2SP tlog-tiles ---------------------------------------------------------------------------


def _encode_index(index: int) -> str:
    """1234067 → ``x001/x234/067``: three-digit groups, all but the last prefixed with ``x``."""
    if index < 0:
        raise MerkleError(f"A tile index cannot be negative: {index}.")
    groups = [f"{index % 1000:03d}"]
    index //= 1000
    while index:
        groups.append(f"x{index % 1000:03d}")
        index //= 1000
    return "/".join(reversed(groups))


def _width_suffix(width: int | None) -> str:
    if width is None or width == TILE_WIDTH:
        return ""
    if not 1 <= width < TILE_WIDTH:
        raise MerkleError(f"A partial tile has 1 to {TILE_WIDTH - 1} hashes, not {width}.")
    return f".p/{width}"


def tile_path(level: int, index: int, width: int | None = None) -> str:
    """``tile/<L>/<N>[.p/<W>]``; ``width`` None (or 256) is a full tile."""
    if not 0 <= level <= 63:
        raise MerkleError(f"A tile level is between 0 and 63, not {level}.")
    return f"tile/{level}/{_encode_index(index)}{_width_suffix(width)}"


def entries_path(index: int, width: int | None = None) -> str:
    """``tile/entries/<N>[.p/<W>]``."""
    return f"tile/entries/{_encode_index(index)}{_width_suffix(width)}"


def _tile_width(level: int, index: int, size: int) -> int:
    """How many hashes the tile ``index`` of ``level`` holds in the tree of ``size`` leaves."""
    hashes = size >> (TILE_HEIGHT * level)
    return min(TILE_WIDTH, hashes - index * TILE_WIDTH)


def tiles_for(tree: Tree, size: int) -> dict[str, bytes]:
    """Every full and partial tile of the tree of the first ``size`` leaves, by path.

    At level L the tree has ``size // 256**L`` complete subtrees of 256**L leaves; tiles are runs
    of 256 of their hashes, the last one partial. Full tiles never change, so a publisher only
    writes the new ones; partial tiles are written for each checkpoint's size."""
    tree._check_size(size)
    tiles: dict[str, bytes] = {}
    level = 0
    while hashes := size >> (TILE_HEIGHT * level):
        data = tree.level(TILE_HEIGHT * level)[: hashes * HASH_SIZE]
        for index in range(0, (hashes + TILE_WIDTH - 1) // TILE_WIDTH):
            width = _tile_width(level, index, size)
            start = index * TILE_WIDTH * HASH_SIZE
            tiles[tile_path(level, index, width)] = data[start : start + width * HASH_SIZE]
        level += 1
    return tiles


def entries_bundles(entries: Sequence[bytes], size: int) -> dict[str, bytes]:
    """The entry bundles of the first ``size`` entries: 256 entries a bundle, each entry a big-endian
    uint16 length and its bytes, the last bundle partial."""
    if not 0 <= size <= len(entries):
        raise MerkleError(f"There are {len(entries)} entries, not {size}.")
    bundles = {}
    for index in range(0, (size + TILE_WIDTH - 1) // TILE_WIDTH):
        chunk = entries[index * TILE_WIDTH : min(size, (index + 1) * TILE_WIDTH)]
        bundles[entries_path(index, len(chunk))] = b"".join(_length_prefixed(entry) for entry in chunk)
    return bundles


def _parse_index(text: str, path: str) -> int:
    groups = text.split("/")
    digits = [group.removeprefix("x") for group in groups[:-1]] + [groups[-1]]
    prefixed = all(group.startswith("x") for group in groups[:-1]) and not groups[-1].startswith("x")
    if not prefixed or not all(len(d) == 3 and d.isascii() and d.isdigit() for d in digits):
        raise MerkleError(f"{path} is not a tile path.")
    return int("".join(digits))


def _parse_width(rest: str, path: str) -> tuple[int, int]:
    index_text, dot, width_text = rest.partition(".p/")
    width = TILE_WIDTH
    if dot:
        if not (width_text.isascii() and width_text.isdigit()) or not 1 <= int(width_text) < TILE_WIDTH:
            raise MerkleError(f"{path} is not a tile path.")
        width = int(width_text)
    return _parse_index(index_text, path), width


def parse_tile_path(path: str) -> tuple[int, int, int]:
    """(level, index, width) of ``tile/<L>/<N>[.p/<W>]``; the inverse of :func:`tile_path`."""
    prefix, _, rest = path.partition("/")
    level_text, _, rest = rest.partition("/")
    if prefix != "tile" or not (level_text.isascii() and level_text.isdigit()) or not 0 <= int(level_text) <= 63:
        raise MerkleError(f"{path} is not a tile path.")
    index, width = _parse_width(rest, path)
    if tile_path(int(level_text), index, width) != path:
        raise MerkleError(f"{path} is not a tile path.")
    return int(level_text), index, width


def parse_entries_path(path: str) -> tuple[int, int]:
    """(index, width) of ``tile/entries/<N>[.p/<W>]``."""
    if not path.startswith("tile/entries/"):
        raise MerkleError(f"{path} is not an entry bundle path.")
    index, width = _parse_width(path.removeprefix("tile/entries/"), path)
    if entries_path(index, width) != path:
        raise MerkleError(f"{path} is not an entry bundle path.")
    return index, width


def length_prefixed(entry: bytes) -> bytes:
    """An entry as an entry bundle holds it: a big-endian uint16 length, then its bytes."""
    return _length_prefixed(entry)


def _length_prefixed(entry: bytes) -> bytes:
    if len(entry) > MAX_ENTRY_SIZE:
        raise MerkleError(f"An entry of {len(entry)} bytes does not fit a bundle (at most {MAX_ENTRY_SIZE}).")
    return len(entry).to_bytes(2, "big") + entry


def read_bundle(bundle: bytes) -> list[bytes]:
    """The entries of an entry bundle."""
    entries, offset = [], 0
    while offset < len(bundle):
        length = int.from_bytes(bundle[offset : offset + 2], "big")
        entry = bundle[offset + 2 : offset + 2 + length]
        if offset + 2 > len(bundle) or len(entry) != length:
            raise MerkleError("The entry bundle is truncated.")
        entries.append(entry)
        offset += 2 + length
    return entries


Fetch = Callable[[str], bytes]


def _fetch_tile(fetch: Fetch, level: int, index: int, size: int) -> bytes:
    width = _tile_width(level, index, size)
    path = tile_path(level, index, width)
    data = fetch(path)
    if len(data) != width * HASH_SIZE:
        raise MerkleError(f"The tile {path} has {len(data)} bytes, not {width * HASH_SIZE}.")
    return data


def root_from_tiles(fetch: Fetch, size: int) -> bytes:
    """The root of the tree of ``size`` leaves from tiles alone (``fetch(path) -> bytes``), as a
    mirror computes it without the log's server: one complete subtree per bit of ``size``, each
    hashed up from at most 128 hashes of a single tile. Compare it with a signed checkpoint."""
    if size == 0:
        return EMPTY_ROOT
    cache: dict[tuple[int, int], bytes] = {}
    parts = []
    start = 0
    for height in reversed(range(size.bit_length())):
        if not size >> height & 1:
            continue
        level, below = divmod(height, TILE_HEIGHT)  # the subtree is 2**below hashes of tile level `level`
        first = start >> (TILE_HEIGHT * level)  # its first hash within that level
        index = first // TILE_WIDTH
        if (level, index) not in cache:
            cache[level, index] = _fetch_tile(fetch, level, index, size)
        offset = (first % TILE_WIDTH) * HASH_SIZE
        parts.append(root(_split(cache[level, index][offset : offset + (HASH_SIZE << below)])))
        start += 1 << height
    return _fold_right(parts)


def _split(hashes: bytes) -> list[bytes]:
    return [hashes[i : i + HASH_SIZE] for i in range(0, len(hashes), HASH_SIZE)]


def audit_tiles(fetch: Fetch, size: int) -> bytes:
    """Rehash every entry of the entry bundles, rebuild the tree, check that every tile served for
    ``size`` is the one the entries give, and return the root to compare with the signed
    checkpoint. A changed entry, hash or tile makes it raise :class:`MerkleError`."""
    tree = Tree()
    for index in range(0, (size + TILE_WIDTH - 1) // TILE_WIDTH):
        width = _tile_width(0, index, size)
        entries = read_bundle(fetch(entries_path(index, width)))
        if len(entries) != width:
            raise MerkleError(f"The entry bundle {entries_path(index, width)} has {len(entries)} entries, not {width}.")
        tree.extend(leaf_hash(entry) for entry in entries)
    for path, expected in tiles_for(tree, size).items():
        if fetch(path) != expected:
            raise MerkleError(f"The tile {path} does not match the entries.")
    return tree.root(size)


def extend_tiles(fetch: Fetch, old_size: int, leaf_hashes: Sequence[bytes]) -> dict[str, bytes]:
    """The tiles to write when ``leaf_hashes`` are appended to a log of ``old_size`` leaves whose
    tiles ``fetch`` reads: every new or grown tile of every level, full or partial, by path.

    Only the right edge is touched: at each level the old partial tile (if any) is read once and
    the new hashes appended; the tiles completed at a level give the new hashes of the level above.
    Appending k leaves reads at most one tile per level and hashes about k·(1 + 1/256 + ...) nodes,
    so a publisher never reloads the log."""
    if old_size < 0:
        raise MerkleError(f"A log cannot have {old_size} leaves.")
    added = b"".join(leaf_hashes)
    if len(added) % HASH_SIZE:
        raise MerkleError(f"A leaf hash must be {HASH_SIZE} bytes.")
    tiles: dict[str, bytes] = {}
    level, old, new = 0, old_size, old_size + len(added) // HASH_SIZE
    tile_bytes = TILE_WIDTH * HASH_SIZE
    while added:
        first = old // TILE_WIDTH  # the first tile of this level the new hashes touch
        kept = old % TILE_WIDTH
        run = (_fetch_tile(fetch, level, first, old_size) if kept else b"") + added
        for offset in range(0, len(run), tile_bytes):
            chunk = run[offset : offset + tile_bytes]
            tiles[tile_path(level, first + offset // tile_bytes, len(chunk) // HASH_SIZE)] = chunk
        # The hashes of the level above: one per tile of this level completed by this append.
        added = b"".join(
            root(_split(run[(index - first) * tile_bytes : (index - first + 1) * tile_bytes]))
            for index in range(old // TILE_WIDTH, new // TILE_WIDTH)
        )
        level, old, new = level + 1, old // TILE_WIDTH, new // TILE_WIDTH
    return tiles


class TiledTree(Tree):
    """The tree of ``size`` leaves read from its tiles (``fetch(path) -> bytes``) instead of kept in
    memory: roots and proofs for any size up to ``size`` from O(log n) tiles, each fetched once.
    What a log's server uses to answer proofs over millions of entries, and what a mirror can use
    over the tiles it copied."""

    def __init__(self, fetch: Fetch, size: int) -> None:
        super().__init__()
        self._fetch = fetch
        self._size = size
        self._tiles: dict[tuple[int, int], bytes] = {}

    @property
    def size(self) -> int:
        return self._size

    def extend(self, leaf_hashes: Iterable[bytes]) -> None:
        if list(leaf_hashes):
            raise MerkleError("A tree read from tiles cannot be extended; write its tiles with extend_tiles.")

    def level(self, height: int) -> bytes:
        raise MerkleError("A tree read from tiles does not hold whole levels.")

    def _perfect(self, height: int, index: int) -> bytes:
        level, below = divmod(height, TILE_HEIGHT)  # 2**below hashes of tile level `level`
        first = index << below
        tile = first // TILE_WIDTH
        if (level, tile) not in self._tiles:
            self._tiles[level, tile] = _fetch_tile(self._fetch, level, tile, self._size)
        offset = (first % TILE_WIDTH) * HASH_SIZE
        hashes = self._tiles[level, tile][offset : offset + (HASH_SIZE << below)]
        if len(hashes) != HASH_SIZE << below:
            raise MerkleError(f"The tile {tile_path(level, tile)} is too short for leaf {index << height}.")
        return root(_split(hashes))
