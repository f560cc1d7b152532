"""Tests for the RFC 6962 / RFC 9162 Merkle tree in accords.events.merkle."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accords.events.merkle import (
    EMPTY_ROOT,
    Subtrees,
    consistency_proof,
    inclusion_proof,
    leaf_hash,
    node_hash,
    root,
    verify_consistency,
    verify_inclusion,
)

# --- Reference vectors -------------------------------------------------------
# Certificate Transparency reference data, copied from transparency-dev/merkle:
# testonly/constants.go (LeafInputs, NodeHashes, RootHashes) and
# proof/verify_test.go (inclusionProofs, consistencyProofs).  The same vectors
# appear in google/certificate-transparency's merkle tree tests.  They are the
# checks that fail if our prefixes, split rule or empty-tree hash drift from
# what every other RFC 6962 implementation computes.

CT_LEAVES = [
    bytes.fromhex(h)
    for h in [
        "",
        "00",
        "10",
        "2021",
        "3031",
        "40414243",
        "5051525354555657",
        "606162636465666768696a6b6c6d6e6f",
    ]
]

# Root hash for each tree size 0..8 (RootHashes).
CT_ROOTS = [
    bytes.fromhex(h)
    for h in [
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    ]
]

# Hashes of all complete subtrees, by level then position (NodeHashes).
CT_NODES = [
    [
        bytes.fromhex(h)
        for h in [
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "0298d122906dcfc10892cb53a73992fc5b9f493ea4c9badb27b791b4127a7fe7",
            "07506a85fd9dd2f120eb694f86011e5bb4662e5c415a62917033d4a9624487e7",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "4271a26be0d8a84f0bd54c8c302e7cb3a3b5d1fa6780a40bcce2873477dab658",
            "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
            "46f6ffadd3d06a09ff3c5860d2755c8b9819db7df44251788c7d8e3180de8eb1",
        ]
    ],
    [
        bytes.fromhex(h)
        for h in [
            "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
        ]
    ],
    [
        bytes.fromhex(h)
        for h in [
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ]
    ],
    [bytes.fromhex("5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328")],
]

# (index, size, proof).  verify_test.go numbers leaves from 1 and looks them
# up as leaves[p.leaf-1]; the indices here are the 0-based equivalents.
CT_INCLUSION = [
    (
        0,
        8,
        [
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ],
    ),
    (
        5,
        8,
        [
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
    (
        2,
        3,
        ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"],
    ),
    (
        1,
        5,
        [
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        ],
    ),
]

# (old_size, new_size, proof), from verify_test.go's consistencyProofs.
CT_CONSISTENCY = [
    (1, 1, []),
    (
        1,
        8,
        [
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ],
    ),
    (
        6,
        8,
        [
            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
    (
        2,
        5,
        [
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        ],
    ),
    (
        6,
        7,
        [
            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
]


def _hx(hashes: Sequence[str]) -> list[bytes]:
    return [bytes.fromhex(h) for h in hashes]


# --- An independent reference: RFC 6962 section 2.1 read literally -----------


def _ref_split(n: int) -> int:
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def _ref_mth(d: Sequence[bytes]) -> bytes:
    if not d:
        return hashlib.sha256(b"").digest()
    if len(d) == 1:
        return hashlib.sha256(b"\x00" + d[0]).digest()
    k = _ref_split(len(d))
    return hashlib.sha256(b"\x01" + _ref_mth(d[:k]) + _ref_mth(d[k:])).digest()


def _ref_path(m: int, d: Sequence[bytes]) -> list[bytes]:
    if len(d) == 1:
        return []
    k = _ref_split(len(d))
    if m < k:
        return _ref_path(m, d[:k]) + [_ref_mth(d[k:])]
    return _ref_path(m - k, d[k:]) + [_ref_mth(d[:k])]


def _ref_subproof(m: int, d: Sequence[bytes], b: bool) -> list[bytes]:
    if m == len(d):
        return [] if b else [_ref_mth(d)]
    k = _ref_split(len(d))
    if m <= k:
        return _ref_subproof(m, d[:k], b) + [_ref_mth(d[k:])]
    return _ref_subproof(m - k, d[k:], False) + [_ref_mth(d[:k])]


# Distinct 32-byte leaves, like the event hashes the log feeds in.
LEAVES = [hashlib.sha256(i.to_bytes(4, "big")).digest() for i in range(600)]
_ROOTS: dict[int, bytes] = {}


def _root_of(n: int) -> bytes:
    if n not in _ROOTS:
        _ROOTS[n] = root(LEAVES[:n])
    return _ROOTS[n]


def _flip(proof: Sequence[bytes], element: int, offset: int, mask: int) -> list[bytes]:
    out = list(proof)
    b = bytearray(out[element])
    b[offset] ^= mask
    out[element] = bytes(b)
    return out


# --- Known-answer tests -------------------------------------------------------


def test_empty_tree_root_is_sha256_of_empty_string() -> None:
    assert root([]) == EMPTY_ROOT == CT_ROOTS[0]


@pytest.mark.parametrize("size", range(9))
def test_root_matches_ct_reference(size: int) -> None:
    assert root(CT_LEAVES[:size]) == CT_ROOTS[size]


def test_leaf_and_node_hashes_match_ct_reference() -> None:
    assert [leaf_hash(d) for d in CT_LEAVES] == CT_NODES[0]
    for level in range(1, len(CT_NODES)):
        below = CT_NODES[level - 1]
        pairs = [node_hash(below[i], below[i + 1]) for i in range(0, len(below), 2)]
        assert pairs == CT_NODES[level]


@pytest.mark.parametrize(("index", "size", "proof"), CT_INCLUSION)
def test_inclusion_matches_ct_reference(index: int, size: int, proof: list[str]) -> None:
    expected = _hx(proof)
    assert inclusion_proof(CT_LEAVES[:size], index) == expected
    assert verify_inclusion(CT_LEAVES[index], index, size, expected, CT_ROOTS[size])


@pytest.mark.parametrize(("old", "new", "proof"), CT_CONSISTENCY)
def test_consistency_matches_ct_reference(old: int, new: int, proof: list[str]) -> None:
    expected = _hx(proof)
    assert consistency_proof(CT_LEAVES[:new], old) == expected
    assert verify_consistency(old, new, CT_ROOTS[old], CT_ROOTS[new], expected)


@pytest.mark.parametrize(("index", "size", "proof"), CT_INCLUSION)
def test_ct_inclusion_probes_fail(index: int, size: int, proof: list[str]) -> None:
    # The corruptions of verify_test.go's corruptInclusionProof.
    good, r, leaf = _hx(proof), CT_ROOTS[size], CT_LEAVES[index]
    some_hash = bytes.fromhex("abacaba000000000000000000000000000000000000000000060061e00123456")
    probes = [
        (leaf, index - 1, size, good, r),
        (leaf, index + 1, size, good, r),
        (leaf, index ^ 2, size, good, r),
        (leaf, index, size * 2, good, r),
        (leaf, index, size // 2, good, r),
        (b"WrongLeaf", index, size, good, r),
        (leaf, index, size, good, EMPTY_ROOT),
        (leaf, index, size, good, some_hash),
        (leaf, index, size, [*good, b""], r),
        (leaf, index, size, [*good, r], r),
        (leaf, index, size, [b"", *good], r),
        (leaf, index, size, [r, *good], r),
        (leaf, index, size, good[:-1], r),
        (leaf, index, size, [good[0], some_hash, *good[1:]], r),
    ]
    probes += [(leaf, index, size, _flip(good, i, 0, 8), r) for i in range(len(good))]
    for probe in probes:
        assert not verify_inclusion(*probe), probe


# --- Edge cases ---------------------------------------------------------------


def test_single_leaf_tree() -> None:
    assert inclusion_proof([b"data"], 0) == []
    assert verify_inclusion(b"data", 0, 1, [], leaf_hash(b"data"))
    assert not verify_inclusion(b"data", 0, 1, [], b"")


@pytest.mark.parametrize(("index", "size"), [(0, 0), (1, 1), (7, 7), (-1, 3)])
def test_inclusion_proof_rejects_index_out_of_range(index: int, size: int) -> None:
    with pytest.raises(ValueError, match=f"leaf index {index} is out of range"):
        inclusion_proof(LEAVES[:size], index)


@pytest.mark.parametrize(("index", "size"), [(0, 0), (1, 0), (1, 1), (2, 1), (-1, 3)])
def test_verify_inclusion_rejects_index_out_of_range(index: int, size: int) -> None:
    assert not verify_inclusion(LEAVES[0], index, size, [], EMPTY_ROOT)
    assert not verify_inclusion(LEAVES[0], index, size, [], leaf_hash(LEAVES[0]))


@pytest.mark.parametrize(("old", "size"), [(2, 1), (-1, 3), (1, 0)])
def test_consistency_proof_rejects_old_size_out_of_range(old: int, size: int) -> None:
    with pytest.raises(ValueError, match=f"old size {old} is out of range"):
        consistency_proof(LEAVES[:size], old)


def test_consistency_trivial_cases() -> None:
    r5 = _root_of(5)
    assert consistency_proof(LEAVES[:5], 0) == []
    assert consistency_proof(LEAVES[:5], 5) == []
    assert consistency_proof([], 0) == []
    assert verify_consistency(0, 0, EMPTY_ROOT, EMPTY_ROOT, [])
    assert verify_consistency(0, 5, EMPTY_ROOT, r5, [])
    assert verify_consistency(5, 5, r5, r5, [])
    # Adapted from verify_test.go's TestVerifyConsistency edge table.
    assert not verify_consistency(5, 5, r5, _root_of(4), [])  # Same size, roots differ.
    assert not verify_consistency(5, 5, r5, r5, [EMPTY_ROOT])  # Proof not empty.
    assert not verify_consistency(0, 0, EMPTY_ROOT, EMPTY_ROOT, [EMPTY_ROOT])
    assert not verify_consistency(0, 5, r5, r5, [])  # The empty tree's root is fixed.
    assert not verify_consistency(0, 0, r5, r5, [])
    assert not verify_consistency(5, 4, r5, _root_of(4), [])  # Time travel.
    assert not verify_consistency(1, 2, _root_of(1), _root_of(2), [])  # Empty proof.
    assert not verify_consistency(-1, 2, EMPTY_ROOT, _root_of(2), [])


def test_matches_literal_rfc_reading_for_small_trees() -> None:
    for n in range(41):
        d = LEAVES[:n]
        assert root(d) == _ref_mth(d)
        for i in range(n):
            assert inclusion_proof(d, i) == _ref_path(i, d)
        for m in range(1, n + 1):
            assert consistency_proof(d, m) == _ref_subproof(m, d, True)


# --- Properties ---------------------------------------------------------------


@st.composite
def _index_in_tree(draw: st.DrawFn) -> tuple[int, int]:
    size = draw(st.integers(1, 300))
    return draw(st.integers(0, size - 1)), size


@settings(max_examples=150, deadline=None)
@given(_index_in_tree(), st.data())
def test_inclusion_proofs_verify_and_tampering_fails(case: tuple[int, int], data: st.DataObject) -> None:
    index, size = case
    leaves, r = LEAVES[:size], _root_of(size)
    proof = inclusion_proof(leaves, index)
    assert verify_inclusion(leaves[index], index, size, proof, r)

    if proof:
        element = data.draw(st.integers(0, len(proof) - 1))
        offset = data.draw(st.integers(0, 31))
        mask = data.draw(st.integers(1, 255))
        flipped = _flip(proof, element, offset, mask)
        assert not verify_inclusion(leaves[index], index, size, flipped, r)

    if size > 1:
        other = data.draw(st.integers(0, size - 1).filter(lambda j: j != index))
        assert not verify_inclusion(leaves[index], other, size, proof, r)
        assert not verify_inclusion(leaves[other], index, size, proof, r)

    wrong_root = data.draw(st.binary(min_size=32, max_size=32).filter(lambda b: b != r))
    assert not verify_inclusion(leaves[index], index, size, proof, wrong_root)

    # A wrong size must fail against that size's own root.  With the same
    # root it can pass (e.g. index 0 of size 3 checks out as size 4): a root
    # is only meaningful for its size, which is why checkpoints carry both.
    other_size = data.draw(st.integers(index + 1, 600).filter(lambda s: s != size))
    other_root = _root_of(other_size)
    assert not verify_inclusion(leaves[index], index, other_size, proof, other_root)
    assert not verify_inclusion(leaves[index], index, size * 2, proof, r)
    if size // 2 > index:
        assert not verify_inclusion(leaves[index], index, size // 2, proof, r)


@st.composite
def _two_sizes(draw: st.DrawFn) -> tuple[int, int]:
    new = draw(st.integers(1, 300))
    return draw(st.integers(1, new)), new


@settings(max_examples=150, deadline=None)
@given(_two_sizes(), st.data())
def test_consistency_proofs_verify_and_tampering_fails(case: tuple[int, int], data: st.DataObject) -> None:
    old, new = case
    old_root, new_root = _root_of(old), _root_of(new)
    proof = consistency_proof(LEAVES[:new], old)
    assert verify_consistency(old, new, old_root, new_root, proof)
    if old == new:
        assert proof == []
        return

    element = data.draw(st.integers(0, len(proof) - 1))
    offset = data.draw(st.integers(0, 31))
    mask = data.draw(st.integers(1, 255))
    assert not verify_consistency(old, new, old_root, new_root, _flip(proof, element, offset, mask))
    assert not verify_consistency(old, new, new_root, old_root, proof)
    assert not verify_consistency(old, new, old_root, new_root, proof[:-1])
    assert not verify_consistency(old, new, old_root, new_root, [*proof, new_root])

    other_old = data.draw(st.integers(1, new).filter(lambda m: m != old))
    assert not verify_consistency(other_old, new, _root_of(other_old), new_root, proof)
    other_new = data.draw(st.integers(old, 600).filter(lambda n: n != new))
    assert not verify_consistency(old, other_new, old_root, _root_of(other_new), proof)


@settings(max_examples=150, deadline=None)
@given(_two_sizes(), st.data())
def test_rewritten_history_is_inconsistent(case: tuple[int, int], data: st.DataObject) -> None:
    old, new = case
    victim = data.draw(st.integers(0, old - 1))
    rewritten = list(LEAVES[:new])
    rewritten[victim] = hashlib.sha256(b"forged" + rewritten[victim]).digest()
    # The log operator proves honestly over the rewritten log, but the old
    # root the auditor holds commits to the original history.
    proof = consistency_proof(rewritten, old)
    assert not verify_consistency(old, new, _root_of(old), root(rewritten), proof)


@settings(max_examples=200, deadline=None)
@given(
    size=st.integers(min_value=0, max_value=300),
    cuts=st.lists(st.integers(min_value=0, max_value=300), max_size=6),
    chunk=st.integers(min_value=1, max_value=70),
)
def test_subtrees_give_the_root_of_every_prefix(size: int, cuts: list[int], chunk: int) -> None:
    """Leaves split into ranges at cuts, each range's Subtrees (extended chunk leaves at
    a time) appended in order to one started at 0: at every cut its root is the root of
    the leaves before it."""
    leaves = [hashlib.sha256(str(i).encode()).digest() for i in range(size)]
    bounds = sorted({0, size, *(c for c in cuts if c <= size)})
    whole = Subtrees()
    assert whole.root() == root([])
    for lo, hi in zip(bounds, bounds[1:]):
        part = Subtrees(lo)
        for at in range(lo, hi, chunk):
            part.extend(leaves[at : min(at + chunk, hi)])
        for count, node in part.nodes:
            whole.append(count, node)
        assert (whole.end, whole.root()) == (hi, root(leaves[:hi]))
