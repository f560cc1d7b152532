"""RFC 6962 / RFC 9162 Merkle tree hashes, inclusion proofs and consistency proofs.

The tree is the Certificate Transparency one, so any RFC 6962 implementation
(e.g. transparency-dev/merkle) computes the same roots and accepts the same
proofs.  In accords each leaf is the 32-byte SHA-256 event hash of one log
event, in seq order; the functions accept leaves of any length.

Hashing (H = SHA-256, || = concatenation)::

    leaf_hash(d)    = H(0x00 || d)
    node_hash(l, r) = H(0x01 || l || r)
    MTH([])         = H("")                       (the empty string)
    MTH([d])        = leaf_hash(d)
    MTH(D[0:n])     = node_hash(MTH(D[0:k]), MTH(D[k:n]))  for n > 1,
                      where k is the largest power of two with k < n.

Every proof element is a 32-byte hash.  A proof is only meaningful together
with a trusted (size, root) pair, e.g. from a signed checkpoint: the same
proof can check out against a root that was never the root of any log of
the stated size, so never take the root from the party supplying the proof.

Verifying an inclusion proof (RFC 9162 section 2.1.3.2).  Input: the leaf
data d, its 0-based index, the tree size, the proof p[0..], the root::

    if index >= size: fail
    fn = index; sn = size - 1; r = leaf_hash(d)
    for each c in p, in order:
        if sn == 0: fail                       (proof too long)
        if fn is odd or fn == sn:              (c is a left sibling)
            r = node_hash(c, r)
            while fn is even and fn != 0:      (skip the levels where our
                fn >>= 1; sn >>= 1              node was lifted unpaired)
        else:                                  (c is a right sibling)
            r = node_hash(r, c)
        fn >>= 1; sn >>= 1
    accept iff sn == 0 and r == root

In words: fn and sn are the positions of our node and of the last node on
the current level, starting at the leaves.  An odd fn means our node is a
right child, so c is its left sibling.  fn == sn with fn even means our node
is the last one on its level and has no right sibling: RFC 6962 lifts it
unchanged until it becomes a right child, and the inner loop skips those
levels.  Otherwise our node is a left child and c its right sibling.  The
proof must be used up exactly when sn reaches 0, at the root.

Verifying a consistency proof (RFC 9162 section 2.1.4.2) that a tree of
size m with root R1 is a prefix of a tree of size n with root R2::

    if m > n: fail
    if m == 0: accept iff p is empty and R1 == H("") and (n > 0 or R2 == R1)
    if m == n: accept iff p is empty and R1 == R2
    if p is empty: fail
    if m is a power of two: p = [R1] + p       (the old tree is a node itself)
    fn = m - 1; sn = n - 1
    while fn is odd: fn >>= 1; sn >>= 1
    fr = sr = p[0]
    for each c in p[1..], in order:
        if sn == 0: fail
        if fn is odd or fn == sn:              (c is a left sibling)
            fr = node_hash(c, fr); sr = node_hash(c, sr)
            while fn is even and fn != 0:
                fn >>= 1; sn >>= 1
        else:                                  (c is only in the new tree)
            sr = node_hash(sr, c)
        fn >>= 1; sn >>= 1
    accept iff sn == 0 and fr == R1 and sr == R2

p[0] is the root of the last complete subtree on the old tree's right edge;
the first loop climbs fn and sn to that subtree's level.  fr rebuilds the
old root and sr the new one from the same nodes, so both roots commit to
the same first m leaves.  The m == 0 and m == n cases are
not covered by the RFC's algorithm; we treat them as above (every tree
extends the empty one, whose root is H("")).  Malformed input (negative
sizes, wrong hash lengths) makes the verifiers return False, never raise.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Final

__all__ = [
    "EMPTY_ROOT",
    "HASH_SIZE",
    "Subtrees",
    "consistency_proof",
    "inclusion_proof",
    "leaf_hash",
    "node_hash",
    "root",
    "verify_consistency",
    "verify_inclusion",
]

HASH_SIZE: Final = 32
EMPTY_ROOT: Final = hashlib.sha256(b"").digest()

_LEAF_PREFIX: Final = b"\x00"
_NODE_PREFIX: Final = b"\x01"


def leaf_hash(data: bytes) -> bytes:
    """Return the RFC 6962 leaf hash SHA-256(0x00 || data)."""
    return hashlib.sha256(_LEAF_PREFIX + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """Return the RFC 6962 interior node hash SHA-256(0x01 || left || right)."""
    return hashlib.sha256(_NODE_PREFIX + left + right).digest()


def _leaf_hashes(leaves: Sequence[bytes]) -> list[bytes]:
    """Return the leaf hashes of all leaves, in order."""
    sha256 = hashlib.sha256  # Local name: this loop runs a million times.
    return [sha256(_LEAF_PREFIX + d).digest() for d in leaves]


def _subtree_root(hashes: Sequence[bytes], lo: int, hi: int) -> bytes:
    """Return MTH of the leaves whose leaf hashes are hashes[lo:hi] (hi > lo)."""
    # Pairing level by level and lifting an odd last node unchanged gives the
    # same tree as RFC 6962's largest-power-of-two split, without recursion.
    sha256 = hashlib.sha256
    level = list(hashes[lo:hi])
    while len(level) > 1:
        odd = level[-1] if len(level) % 2 else None
        level = [sha256(_NODE_PREFIX + a + b).digest() for a, b in zip(level[0::2], level[1::2])]
        if odd is not None:
            level.append(odd)
    return level[0]


def _split(n: int) -> int:
    """Return the largest power of two strictly less than n (n >= 2)."""
    return 1 << ((n - 1).bit_length() - 1)


def root(leaves: Sequence[bytes]) -> bytes:
    """Return the Merkle Tree Hash (RFC 6962 section 2.1) of leaves."""
    if not leaves:
        return EMPTY_ROOT
    return _subtree_root(_leaf_hashes(leaves), 0, len(leaves))


class Subtrees:
    """Leaves start..end-1 of a tree as perfect subtrees, each merged with its left
    neighbour as soon as they make an aligned subtree twice the size (a compact range).

    Started at 0, root() is then the root of the first end leaves, from at most log2(end)
    nodes, so the roots of many prefixes cost one pass. Started elsewhere, its nodes can
    be appended, in order, to the Subtrees that ends where this one starts.
    """

    def __init__(self, start: int = 0) -> None:
        self.end = start
        self.nodes: list[tuple[int, bytes]] = []  # (leaf count, hash), left to right

    def extend(self, leaves: Sequence[bytes]) -> None:
        """Add leaves, as the largest aligned perfect subtrees they make, a level at a time."""
        hashes, done = _leaf_hashes(leaves), 0
        while done < len(hashes):
            # The largest power of two that divides end (any, at 0) and fits what is left.
            count = self.end & -self.end or 1 << len(hashes).bit_length()
            while count > len(hashes) - done:
                count >>= 1
            self.append(count, _subtree_root(hashes, done, done + count))
            done += count

    def append(self, count: int, node: bytes) -> None:
        """Add the subtree of count leaves (a power of two dividing end) whose hash is node."""
        nodes, start = self.nodes, self.end
        self.end += count
        while nodes and nodes[-1][0] == count and (start - count) % (2 * count) == 0:
            node = node_hash(nodes.pop()[1], node)
            start -= count
            count *= 2
        nodes.append((count, node))

    def root(self) -> bytes:
        """The root of leaves 0..end-1 (only for Subtrees started at 0)."""
        if not self.nodes:
            return EMPTY_ROOT
        node = self.nodes[-1][1]
        for _, left in reversed(self.nodes[:-1]):
            node = node_hash(left, node)
        return node


def inclusion_proof(leaves: Sequence[bytes], index: int) -> list[bytes]:
    """Return the audit path PATH(index, leaves) of RFC 6962 section 2.1.1."""
    size = len(leaves)
    if not 0 <= index < size:
        raise ValueError(f"leaf index {index} is out of range for a tree of size {size}")
    hashes = _leaf_hashes(leaves)
    # Walk down from the root; siblings found near the top go last in PATH.
    siblings: list[bytes] = []
    lo, hi, m = 0, size, index
    while hi - lo > 1:
        k = _split(hi - lo)
        if m < k:
            siblings.append(_subtree_root(hashes, lo + k, hi))
            hi = lo + k
        else:
            siblings.append(_subtree_root(hashes, lo, lo + k))
            lo, m = lo + k, m - k
    siblings.reverse()
    return siblings


def consistency_proof(leaves: Sequence[bytes], old_size: int) -> list[bytes]:
    """Return PROOF(old_size, leaves) of RFC 6962 section 2.1.2."""
    size = len(leaves)
    if not 0 <= old_size <= size:
        raise ValueError(f"old size {old_size} is out of range for a tree of size {size}")
    # RFC 6962 defines PROOF for 0 < m < n; m == n gives SUBPROOF(m, D[m],
    # true) = [], and every tree extends the empty tree, so m == 0 is [] too.
    if old_size in (0, size):
        return []
    hashes = _leaf_hashes(leaves)
    # SUBPROOF(m, D[lo:hi], b), unrolled: walk down, collecting siblings.
    siblings: list[bytes] = []
    lo, hi, m, whole = 0, size, old_size, True
    while m != hi - lo:
        k = _split(hi - lo)
        if m <= k:
            siblings.append(_subtree_root(hashes, lo + k, hi))
            hi = lo + k
        else:
            siblings.append(_subtree_root(hashes, lo, lo + k))
            lo, m, whole = lo + k, m - k, False
    # The old tree's last subtree is itself a proof node, unless it is the
    # whole old tree (b still true), whose root the verifier already has.
    proof = [] if whole else [_subtree_root(hashes, lo, hi)]
    proof.extend(reversed(siblings))
    return proof


def _is_hash(value: bytes) -> bool:
    """Return True if value looks like a SHA-256 digest."""
    return isinstance(value, bytes) and len(value) == HASH_SIZE


def verify_inclusion(leaf: bytes, index: int, size: int, proof: Sequence[bytes], root: bytes) -> bool:
    """Check that leaf data (not its leaf hash) is at index in the tree (size, root)."""
    if not 0 <= index < size or not all(_is_hash(p) for p in proof):
        return False
    fn, sn = index, size - 1
    r = leaf_hash(leaf)
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root


def verify_consistency(
    old_size: int,
    new_size: int,
    old_root: bytes,
    new_root: bytes,
    proof: Sequence[bytes],
) -> bool:
    """Check that the tree (old_size, old_root) is a prefix of (new_size, new_root)."""
    if not 0 <= old_size <= new_size:
        return False
    if not (_is_hash(old_root) and _is_hash(new_root)):
        return False
    if not all(_is_hash(p) for p in proof):
        return False
    if old_size == 0:
        # Every tree extends the empty one, whose root is fixed.
        empty_new_ok = new_size > 0 or new_root == EMPTY_ROOT
        return not proof and old_root == EMPTY_ROOT and empty_new_ok
    if old_size == new_size:
        return not proof and old_root == new_root
    if not proof:
        return False
    path = list(proof)
    if old_size & (old_size - 1) == 0:
        # A power-of-two old tree is a complete subtree of the new one, so
        # the prover omits it and we start from old_root itself.
        path.insert(0, old_root)
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return sn == 0 and fr == old_root and sr == new_root
