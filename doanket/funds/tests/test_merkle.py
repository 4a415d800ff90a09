"""The campaign log's Merkle tree, proofs, signed checkpoints and tiles: checked against published
vectors (Certificate Transparency's reference tree, Go's signed-note example, the C2SP examples),
against a naive tree written straight from RFC 9162's definitions, and against tampering."""

from __future__ import annotations

import base64
import functools
import hashlib
from collections.abc import Callable

import pytest

from doanket.funds import merkle
from doanket.funds.merkle import EMPTY_ROOT, MerkleError, Tree, leaf_hash, node_hash

# The reference tree of RFC 6962 implementations (certificate-transparency, transparency-dev).
REFERENCE_DATA = [
    bytes.fromhex(text)
    for text in ("", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f")
]
REFERENCE_ROOTS = {
    1: "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    2: "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    3: "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    4: "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    5: "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    6: "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    7: "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    8: "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
}
REFERENCE_LEAVES = [leaf_hash(data) for data in REFERENCE_DATA]

# 256 distinct entries, so a tree of every size up to 256 (and every flipped size) is at hand.
DATA = tuple(f"entry {i}".encode() for i in range(256))
LEAVES = [leaf_hash(data) for data in DATA]
TREE = Tree(LEAVES)
SAMPLE_BITS = (0, 133, 255)  # first, middle, last bit of a hash: enough where every bit is too slow


def flip(value: bytes, bit: int) -> bytes:
    changed = bytearray(value)
    changed[bit // 8] ^= 1 << (bit % 8)
    return bytes(changed)


# --- A naive tree, straight from RFC 9162 §2.1 (recursive, over entry data) --------------------


def _k(n: int) -> int:
    k = 1
    while k * 2 < n:
        k *= 2
    return k


@functools.cache
def naive_mth(start: int, end: int) -> bytes:
    """MTH(D[start:end]) by the RFC's recursive definition."""
    n = end - start
    if n == 0:
        return hashlib.sha256(b"").digest()
    if n == 1:
        return hashlib.sha256(b"\x00" + DATA[start]).digest()
    k = _k(n)
    return hashlib.sha256(b"\x01" + naive_mth(start, start + k) + naive_mth(start + k, end)).digest()


def naive_path(m: int, start: int, end: int) -> list[bytes]:
    n = end - start
    if n == 1:
        return []
    k = _k(n)
    if m < k:
        return [*naive_path(m, start, start + k), naive_mth(start + k, end)]
    return [*naive_path(m - k, start + k, end), naive_mth(start, start + k)]


def naive_subproof(m: int, start: int, end: int, complete: bool) -> list[bytes]:
    n = end - start
    if m == n:
        return [] if complete else [naive_mth(start, end)]
    k = _k(n)
    if m <= k:
        return [*naive_subproof(m, start, start + k, complete), naive_mth(start + k, end)]
    return [*naive_subproof(m - k, start + k, end, False), naive_mth(start, start + k)]


# --- The Merkle Tree Hash ----------------------------------------------------------------------


def test_the_reference_tree_has_the_published_roots_at_every_size() -> None:
    assert merkle.root([]) == EMPTY_ROOT
    assert EMPTY_ROOT.hex() == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    tree = Tree(REFERENCE_LEAVES)
    for size, expected in REFERENCE_ROOTS.items():
        assert merkle.root(REFERENCE_LEAVES[:size]).hex() == expected
        assert tree.root(size).hex() == expected


def test_leaves_and_nodes_hash_with_different_prefixes() -> None:
    assert leaf_hash(b"").hex() == "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"
    assert node_hash(REFERENCE_LEAVES[0], REFERENCE_LEAVES[1]).hex() == REFERENCE_ROOTS[2]
    assert leaf_hash(REFERENCE_LEAVES[0] + REFERENCE_LEAVES[1]) != node_hash(REFERENCE_LEAVES[0], REFERENCE_LEAVES[1])


def test_the_level_by_level_root_and_the_tree_agree_with_the_rfc_definition_for_every_size() -> None:
    for size in range(0, 257):
        expected = naive_mth(0, size)
        assert merkle.root(LEAVES[:size]) == expected, size
        assert TREE.root(size) == expected, size


def test_a_tree_grown_piece_by_piece_equals_one_built_at_once() -> None:
    tree = Tree()
    for start, end in [(0, 1), (1, 2), (2, 7), (7, 64), (64, 65), (65, 200), (200, 200), (200, 256)]:
        tree.extend(LEAVES[start:end])
        assert tree.size == end
        assert tree.root() == naive_mth(0, end)
    for height in range(9):
        assert tree.level(height) == TREE.level(height)


def test_a_tree_refuses_sizes_and_indices_it_does_not_have() -> None:
    tree = Tree(LEAVES[:5])
    with pytest.raises(MerkleError):
        tree.root(6)
    with pytest.raises(MerkleError):
        tree.inclusion_proof(5, 5)
    with pytest.raises(MerkleError):
        tree.consistency_proof(4, 3)
    with pytest.raises(MerkleError):
        tree.extend([b"short"])


# --- Inclusion proofs --------------------------------------------------------------------------


def test_the_reference_tree_gives_the_published_inclusion_proof() -> None:
    proof = merkle.inclusion_proof(REFERENCE_LEAVES, 0, 8)
    assert [p.hex() for p in proof] == [
        "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
    ]
    assert merkle.inclusion_proof(REFERENCE_LEAVES, 0, 1) == []
    assert merkle.verify_inclusion(REFERENCE_LEAVES[0], 0, 8, proof, bytes.fromhex(REFERENCE_ROOTS[8]))


def test_every_inclusion_proof_up_to_64_leaves_is_the_rfc_path_and_verifies() -> None:
    for size in range(1, 65):
        root = TREE.root(size)
        for index in range(size):
            proof = TREE.inclusion_proof(index, size)
            assert proof == naive_path(index, 0, size), (index, size)
            assert merkle.verify_inclusion(LEAVES[index], index, size, proof, root), (index, size)


def test_any_changed_leaf_proof_element_or_index_fails_inclusion() -> None:
    for size in range(1, 65):
        root = TREE.root(size)
        for index in range(size):
            leaf, proof = LEAVES[index], TREE.inclusion_proof(index, size)
            for bit in SAMPLE_BITS:
                assert not merkle.verify_inclusion(flip(leaf, bit), index, size, proof, root)
                assert not merkle.verify_inclusion(leaf, index, size, proof, flip(root, bit))
                for position in range(len(proof)):
                    changed = [*proof[:position], flip(proof[position], bit), *proof[position + 1 :]]
                    assert not merkle.verify_inclusion(leaf, index, size, changed, root)
            for bit in range(8):
                assert not merkle.verify_inclusion(leaf, index ^ (1 << bit), size, proof, root), (index, size, bit)
            assert not merkle.verify_inclusion(leaf, index, size, [*proof, proof[-1] if proof else leaf], root)
            if proof:
                assert not merkle.verify_inclusion(leaf, index, size, proof[:-1], root)


def test_any_changed_size_fails_inclusion_against_the_checkpoint_of_that_size() -> None:
    for size in range(1, 65):
        for index in range(size):
            proof = TREE.inclusion_proof(index, size)
            for bit in range(8):
                other = size ^ (1 << bit)
                assert not merkle.verify_inclusion(LEAVES[index], index, other, proof, TREE.root(other)), (index, size)


def test_the_size_is_bound_by_the_signed_checkpoint_not_by_the_proof() -> None:
    # RFC 9162's algorithm: leaf 0 has the same path in trees of 6 and 7 leaves, so only the
    # checkpoint, which signs size and root together, tells them apart.
    proof = TREE.inclusion_proof(0, 6)
    assert merkle.verify_inclusion(LEAVES[0], 0, 7, proof, TREE.root(6))
    assert not merkle.verify_inclusion(LEAVES[0], 0, 7, proof, TREE.root(7))


def test_every_bit_of_the_reference_tree_proofs_matters() -> None:
    tree = Tree(REFERENCE_LEAVES)
    root = tree.root(8)
    for index in range(8):
        leaf, proof = REFERENCE_LEAVES[index], tree.inclusion_proof(index, 8)
        for bit in range(256):
            assert not merkle.verify_inclusion(flip(leaf, bit), index, 8, proof, root)
            for position in range(len(proof)):
                changed = [*proof[:position], flip(proof[position], bit), *proof[position + 1 :]]
                assert not merkle.verify_inclusion(leaf, index, 8, changed, root)
        for bit in range(64):
            assert not merkle.verify_inclusion(leaf, index ^ (1 << bit), 8, proof, root)
            assert not merkle.verify_inclusion(leaf, index, 8 ^ (1 << bit), proof, root)


def test_inclusion_refuses_impossible_indices() -> None:
    assert not merkle.verify_inclusion(LEAVES[0], 0, 0, [], EMPTY_ROOT)
    assert not merkle.verify_inclusion(LEAVES[0], -1, 1, [], LEAVES[0])
    assert merkle.verify_inclusion(LEAVES[0], 0, 1, [], LEAVES[0])


# --- Consistency proofs ------------------------------------------------------------------------


def test_the_reference_tree_gives_the_published_consistency_proofs() -> None:
    def proof(old: int, new: int) -> list[str]:
        return [p.hex() for p in merkle.consistency_proof(REFERENCE_LEAVES, old, new)]

    assert proof(1, 1) == []
    assert proof(1, 8) == [
        "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
    ]
    assert proof(6, 8) == [
        "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
        "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    ]
    assert proof(2, 5) == [
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
    ]


def test_every_consistency_proof_up_to_64_leaves_is_the_rfc_proof_and_verifies() -> None:
    for new in range(0, 65):
        for old in range(0, new + 1):
            proof = TREE.consistency_proof(old, new)
            expected = [] if old in (0, new) else naive_subproof(old, 0, new, True)
            assert proof == expected, (old, new)
            assert merkle.verify_consistency(old, new, TREE.root(old), TREE.root(new), proof), (old, new)


def test_any_changed_root_proof_element_or_size_fails_consistency() -> None:
    for new in range(1, 65):
        for old in range(1, new + 1):
            old_root, new_root, proof = TREE.root(old), TREE.root(new), TREE.consistency_proof(old, new)
            for bit in SAMPLE_BITS:
                assert not merkle.verify_consistency(old, new, flip(old_root, bit), new_root, proof)
                assert not merkle.verify_consistency(old, new, old_root, flip(new_root, bit), proof)
                for position in range(len(proof)):
                    changed = [*proof[:position], flip(proof[position], bit), *proof[position + 1 :]]
                    assert not merkle.verify_consistency(old, new, old_root, new_root, changed), (old, new)
            for bit in range(8):
                # Against the roots of the changed sizes, as a checkpoint would give them; a tree is
                # consistent with the empty one with an empty proof, so size 0 is left out.
                other_old, other_new = old ^ (1 << bit), new ^ (1 << bit)
                if 0 < other_old <= new:
                    assert not merkle.verify_consistency(other_old, new, TREE.root(other_old), new_root, proof), (
                        old,
                        new,
                        bit,
                    )
                    assert not merkle.verify_consistency(other_old, new, old_root, new_root, proof), (old, new, bit)
                if old <= other_new <= 256:
                    assert not merkle.verify_consistency(old, other_new, old_root, TREE.root(other_new), proof), (
                        old,
                        new,
                        bit,
                    )
            if proof:
                assert not merkle.verify_consistency(old, new, old_root, new_root, proof[:-1])
            assert not merkle.verify_consistency(old, new, old_root, new_root, [*proof, new_root])


def test_consistency_with_the_empty_tree_and_with_itself() -> None:
    assert merkle.verify_consistency(0, 5, EMPTY_ROOT, TREE.root(5), [])
    assert not merkle.verify_consistency(0, 5, TREE.root(1), TREE.root(5), [])
    assert merkle.verify_consistency(5, 5, TREE.root(5), TREE.root(5), [])
    assert not merkle.verify_consistency(5, 5, TREE.root(5), TREE.root(6), [])
    assert not merkle.verify_consistency(6, 5, TREE.root(6), TREE.root(5), [])
    # A rewritten history: same size, one entry changed.
    rewritten = Tree([*LEAVES[:3], leaf_hash(b"edited"), *LEAVES[4:10]])
    assert not merkle.verify_consistency(5, 10, TREE.root(5), rewritten.root(10), rewritten.consistency_proof(5, 10))


# --- Signed notes ------------------------------------------------------------------------------

# The example of golang.org/x/mod/sumdb/note, the reference implementation of signed notes.
GO_SIGNER = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
GO_VERIFIER = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
GO_TEXT = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n"
GO_NOTE = (
    GO_TEXT
    + "\n— PeterNeumann "
    + "x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n"
)


def test_signing_the_go_example_gives_its_note_byte_for_byte() -> None:
    name, private_key = merkle.parse_signer_key(GO_SIGNER)
    assert name == "PeterNeumann"
    assert merkle.verifier_key_text(name, private_key.public_key().public_bytes_raw()) == GO_VERIFIER
    assert merkle.sign_note(GO_TEXT, name, private_key) == GO_NOTE
    assert merkle.verify_note(GO_NOTE, [GO_VERIFIER]) == GO_TEXT


def test_the_c2sp_signed_note_example_verifies() -> None:
    note = (
        "This is an example message.\n\n— example.com/foo "
        "Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n"
    )
    verifier = "example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k"
    assert merkle.verify_note(note, [verifier]) == "This is an example message.\n"
    with pytest.raises(MerkleError):
        merkle.verify_note(note.replace("example message", "example massage"), [verifier])


def test_a_new_key_signs_notes_its_verifier_key_accepts() -> None:
    signer, verifier = merkle.new_key("doanket.example/funds")
    name, private_key = merkle.parse_signer_key(signer)
    assert signer.startswith("PRIVATE+KEY+doanket.example/funds+")
    assert verifier.startswith("doanket.example/funds+")
    key = merkle.parse_verifier_key(verifier)
    assert key.key_id.hex() == verifier.split("+")[1] == signer.split("+")[3]
    note = merkle.sign_note("Quỹ cứu trợ\n", name, private_key)
    assert note.startswith("Quỹ cứu trợ\n\n— doanket.example/funds ")
    assert merkle.verify_note(note, [verifier]) == "Quỹ cứu trợ\n"


def test_a_tampered_note_is_refused() -> None:
    tampered = GO_NOTE.replace("answer", "Answer")
    with pytest.raises(MerkleError, match="altered"):
        merkle.verify_note(tampered, [GO_VERIFIER])
    signature = GO_NOTE.rsplit(" ", 1)[1].strip()
    blob = bytearray(base64.b64decode(signature))
    blob[10] ^= 1
    with pytest.raises(MerkleError, match="altered"):
        merkle.verify_note(GO_NOTE.replace(signature, base64.b64encode(bytes(blob)).decode()), [GO_VERIFIER])


def test_a_note_signed_by_another_key_is_refused() -> None:
    _, other_verifier = merkle.new_key("PeterNeumann")  # same name, another key and key id: unknown
    with pytest.raises(MerkleError, match="not signed by any trusted key"):
        merkle.verify_note(GO_NOTE, [other_verifier])
    with pytest.raises(MerkleError, match="not signed by any trusted key"):
        merkle.verify_note(GO_NOTE, [])


def test_an_unknown_signature_is_ignored_when_a_trusted_one_verifies() -> None:
    other_signer, _ = merkle.new_key("witness.example/w1")
    name, private_key = merkle.parse_signer_key(other_signer)
    both = GO_NOTE + merkle.sign_note(GO_TEXT, name, private_key).split("\n\n", 1)[1]
    assert merkle.verify_note(both, [GO_VERIFIER]) == GO_TEXT


def test_malformed_notes_and_keys_are_refused() -> None:
    _, private_key = merkle.parse_signer_key(GO_SIGNER)
    for text in ("no final newline", "tab\there\n", "cosignature/v1\ntime 1\n"):
        with pytest.raises(MerkleError):
            merkle.sign_note(text, "PeterNeumann", private_key)
    for name in ("", "with space", "plus+sign"):
        with pytest.raises(MerkleError):
            merkle.sign_note(GO_TEXT, name, private_key)
    for note in (GO_TEXT, GO_NOTE.replace("— ", "- "), GO_NOTE.rstrip("\n")):
        with pytest.raises(MerkleError):
            merkle.verify_note(note, [GO_VERIFIER])
    for key in (
        GO_VERIFIER.replace("c74f20a3", "c74f20a4"),
        GO_VERIFIER[:-2],
        "PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",  # unknown algorithm
        "PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY==",  # wrong length
    ):
        with pytest.raises(MerkleError):
            merkle.parse_verifier_key(key)
    with pytest.raises(MerkleError):
        merkle.parse_signer_key(GO_SIGNER.replace("c74f20a3", "c74f20a4"))


# --- Checkpoints -------------------------------------------------------------------------------

ORIGIN = "doanket.example/funds/campaign/12"


def test_a_checkpoint_body_is_origin_size_and_base64_root() -> None:
    checkpoint = merkle.Checkpoint(ORIGIN, 8, bytes.fromhex(REFERENCE_ROOTS[8]))
    assert checkpoint.body() == f"{ORIGIN}\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n"  # base64 of the root
    assert merkle.parse_checkpoint(checkpoint.body()) == checkpoint
    assert merkle.parse_checkpoint(checkpoint.body() + "extension line\n") == checkpoint
    root_line = "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg="
    malformed = [f"{ORIGIN}\n08\n{root_line}\n", f"{ORIGIN}\n8\n", f"{ORIGIN}\n8\nAAAA\n", f"\n8\n{root_line}\n"]
    for body in malformed:
        with pytest.raises(MerkleError):
            merkle.parse_checkpoint(body)
    assert merkle.Checkpoint(ORIGIN, 0, EMPTY_ROOT).body().split("\n")[1] == "0"


def test_a_signed_checkpoint_opens_with_its_time() -> None:
    signer, verifier = merkle.new_key(ORIGIN)
    checkpoint = merkle.Checkpoint(ORIGIN, 200, TREE.root(200))
    note = merkle.sign_checkpoint(checkpoint, signer, timestamp=1_727_000_000)
    assert note.startswith(checkpoint.body() + "\n— " + ORIGIN + " ")
    assert note.count("\n— ") == 2
    opened = merkle.open_checkpoint(note, [verifier], ORIGIN)
    assert opened == merkle.Checkpoint(ORIGIN, 200, TREE.root(200), time=1_727_000_000)
    # Tools that know only plain note signatures still verify the body.
    assert merkle.verify_note(note, [verifier]) == checkpoint.body()


def test_a_checkpoint_with_a_changed_size_time_or_origin_is_refused() -> None:
    signer, verifier = merkle.new_key(ORIGIN)
    note = merkle.sign_checkpoint(merkle.Checkpoint(ORIGIN, 200, TREE.root(200)), signer, timestamp=1_727_000_000)
    with pytest.raises(MerkleError, match="altered"):
        merkle.open_checkpoint(note.replace("\n200\n", "\n201\n"), [verifier], ORIGIN)
    with pytest.raises(MerkleError, match="is for"):
        merkle.open_checkpoint(note, [verifier], "doanket.example/funds/campaign/13")
    stamp = note.rstrip("\n").rsplit(" ", 1)[1]
    blob = bytearray(base64.b64decode(stamp))
    blob[11] ^= 1  # the last byte of the timestamp
    with pytest.raises(MerkleError, match="timestamped signature"):
        merkle.open_checkpoint(note.replace(stamp, base64.b64encode(bytes(blob)).decode()), [verifier], ORIGIN)


def test_after_a_key_rotation_old_and_new_checkpoints_both_open() -> None:
    old_signer, old_verifier = merkle.new_key(ORIGIN)
    new_signer, new_verifier = merkle.new_key(ORIGIN)
    old_note = merkle.sign_checkpoint(merkle.Checkpoint(ORIGIN, 10, TREE.root(10)), old_signer, timestamp=1)
    new_note = merkle.sign_checkpoint(merkle.Checkpoint(ORIGIN, 20, TREE.root(20)), new_signer, timestamp=2)
    trusted = [old_verifier, new_verifier]
    assert merkle.open_checkpoint(old_note, trusted, ORIGIN).time == 1
    assert merkle.open_checkpoint(new_note, trusted, ORIGIN).time == 2
    with pytest.raises(MerkleError):
        merkle.open_checkpoint(old_note, [new_verifier], ORIGIN)


# --- Tiles -------------------------------------------------------------------------------------


def test_tile_paths_follow_the_c2sp_examples() -> None:
    assert merkle.tile_path(0, 1234067) == "tile/0/x001/x234/067"
    assert merkle.tile_path(0, 0) == "tile/0/000"
    assert merkle.tile_path(1, 1000) == "tile/1/x001/000"
    assert merkle.tile_path(2, 5, width=17) == "tile/2/005.p/17"
    assert merkle.tile_path(0, 5, width=256) == "tile/0/005"
    assert merkle.entries_path(273, 112) == "tile/entries/273.p/112"
    for level, width in [(64, None), (-1, None), (0, 0), (0, 257)]:
        with pytest.raises(MerkleError):
            merkle.tile_path(level, 0, width)


@functools.cache
def big_tree() -> tuple[list[bytes], Tree]:
    entries = [f"entry {i}".encode() for i in range(70_000)]
    return entries, Tree(leaf_hash(entry) for entry in entries)


def test_a_tree_of_70000_has_the_tiles_the_c2sp_spec_lists() -> None:
    _, tree = big_tree()
    tiles = merkle.tiles_for(tree, 70_000)
    level_0 = [path for path in tiles if path.startswith("tile/0/")]
    assert len(level_0) == 274
    assert sum(".p/" not in path for path in level_0) == 273
    assert "tile/0/273.p/112" in tiles
    upper = {path for path in tiles if not path.startswith("tile/0/")}
    assert upper == {"tile/1/000", "tile/1/001.p/17", "tile/2/000.p/1"}
    assert all(len(data) == 8192 for path, data in tiles.items() if ".p/" not in path)
    assert len(tiles["tile/1/001.p/17"]) == 17 * 32
    assert set(merkle.tiles_for(tree, 256)) == {"tile/0/000", "tile/1/000.p/1"}
    # The level-1 tile holds the roots of full level-0 tiles.
    assert tiles["tile/1/000"][32:64] == merkle.root([tiles["tile/0/001"][i : i + 32] for i in range(0, 8192, 32)])


def _fetcher(files: dict[str, bytes], fetched: list[str]) -> Callable[[str], bytes]:
    def fetch(path: str) -> bytes:
        fetched.append(path)
        return files[path]

    return fetch


@pytest.mark.parametrize("size", [1, 2, 255, 256, 257, 511, 512, 65_535, 65_536, 65_537, 70_000])
def test_a_mirror_recomputes_the_root_from_a_few_tiles(size: int) -> None:
    _, tree = big_tree()
    fetched: list[str] = []
    assert merkle.root_from_tiles(_fetcher(merkle.tiles_for(tree, size), fetched), size) == tree.root(size)
    assert len(fetched) <= 3  # one tile per level at most


@pytest.mark.parametrize("size", [1, 256, 257, 70_000])
def test_an_audit_rehashes_every_entry_and_checks_every_tile(size: int) -> None:
    entries, tree = big_tree()
    files = {**merkle.tiles_for(tree, size), **merkle.entries_bundles(entries, size)}
    assert merkle.audit_tiles(_fetcher(files, []), size) == tree.root(size)


def test_an_audit_fails_when_a_published_entry_or_tile_was_changed() -> None:
    entries, tree = big_tree()
    size = 70_000
    files = {**merkle.tiles_for(tree, size), **merkle.entries_bundles(entries, size)}
    changed_entry = dict(files)
    changed_entry["tile/entries/100"] = files["tile/entries/100"].replace(b"entry 25617", b"entry 25618")
    with pytest.raises(MerkleError, match="does not match the entries"):
        merkle.audit_tiles(_fetcher(changed_entry, []), size)
    changed_tile = dict(files)
    changed_tile["tile/1/001.p/17"] = flip(files["tile/1/001.p/17"], 7)
    with pytest.raises(MerkleError, match=r"tile/1/001\.p/17"):
        merkle.audit_tiles(_fetcher(changed_tile, []), size)
    assert merkle.root_from_tiles(_fetcher(changed_tile, []), size) != tree.root(size)


def test_entry_bundles_are_length_prefixed_and_read_back() -> None:
    entries = [b"", b"a", b"x" * 300]
    bundles = merkle.entries_bundles(entries, 3)
    assert bundles == {"tile/entries/000.p/3": b"\x00\x00" + b"\x00\x01a" + b"\x01\x2c" + b"x" * 300}
    assert merkle.read_bundle(bundles["tile/entries/000.p/3"]) == entries
    with pytest.raises(MerkleError):
        merkle.read_bundle(bundles["tile/entries/000.p/3"][:-1])
    with pytest.raises(MerkleError):
        merkle.entries_bundles([b"x" * 65_536], 1)


@pytest.mark.parametrize(
    "appends",
    [
        [1, 1, 1],
        [255, 1, 1],
        [256, 256],
        [100, 200, 300, 65_000, 1, 4_399],  # across the 65,536 of a full level-1 tile
        [70_000],
        [3, 65_533, 1, 4_463],
    ],
)
def test_tiles_written_append_by_append_are_the_tiles_of_the_whole_tree(appends: list[int]) -> None:
    _, tree = big_tree()
    hashes = merkle._split(tree.level(0))
    files: dict[str, bytes] = {}
    size = 0
    for count in appends:
        fetched: list[str] = []
        files.update(merkle.extend_tiles(_fetcher(files, fetched), size, hashes[size : size + count]))
        assert len(fetched) <= 3  # the old partial tile of each level, nothing else
        size += count
        expected = merkle.tiles_for(tree, size)
        assert {path: files[path] for path in expected} == expected
        assert merkle.root_from_tiles(_fetcher(files, []), size) == tree.root(size)


@pytest.mark.parametrize("size", [1, 2, 7, 256, 257, 65_536, 65_537, 70_000])
def test_proofs_from_tiles_are_the_proofs_of_the_whole_tree(size: int) -> None:
    _, tree = big_tree()
    fetched: list[str] = []
    tiled = merkle.TiledTree(_fetcher(merkle.tiles_for(tree, size), fetched), size)
    assert tiled.root() == tree.root(size)
    for index in {i for i in (0, 1, size // 3, size - 2, size - 1) if 0 <= i < size}:
        assert tiled.inclusion_proof(index) == tree.inclusion_proof(index, size)
    for old in {1, size // 2, size - 1} - {0}:
        assert tiled.consistency_proof(old) == tree.consistency_proof(old, size)
        assert tiled.root(old) == tree.root(old)
    assert len(set(fetched)) == len(fetched) <= 3 * 8  # each tile once, a handful of them


def test_a_tree_read_from_tiles_notices_a_short_tile() -> None:
    _, tree = big_tree()
    files = merkle.tiles_for(tree, 300)
    files["tile/0/001.p/44"] = files["tile/0/001.p/44"][:-32]
    with pytest.raises(MerkleError, match="has 1376 bytes"):
        merkle.TiledTree(_fetcher(files, []), 300).root()


def test_tile_paths_read_back_and_anything_else_is_refused() -> None:
    for level, index, width in [(0, 0, 256), (0, 1_234_067, 3), (2, 999, 255), (1, 1000, 1)]:
        assert merkle.parse_tile_path(merkle.tile_path(level, index, width)) == (level, index, width)
        assert merkle.parse_entries_path(merkle.entries_path(index, width)) == (index, width)
    for bad in [
        "tile/0/1",
        "tile/0/x001",
        "tile/0/001/002",
        "tile/0/000.p/256",
        "tile/0/000.p/0",
        "tile/64/000",
        "tile/0/x000/001",
        "tile/entries/000",
        "../tile/0/000",
        "tile/0/٠٠١",
    ]:
        with pytest.raises(MerkleError):
            merkle.parse_tile_path(bad)
    with pytest.raises(MerkleError):
        merkle.parse_entries_path("tile/0/000")
