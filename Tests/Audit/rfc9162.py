#!/usr/bin/env python3
"""An independent check of Parley's audit log, written from RFC 9162 and the contract
(../shared/CONTRACT.md, "Audit log"), not from the server's code.

    rfc9162.py check-server BASE_URL TOKEN        # a live server, through its API
    rfc9162.py check-sqlite DATABASE PUBLIC_KEY   # a SQLite database file, read directly
    rfc9162.py tamper DATABASE edit|reorder|drop|truncate

check-* print one JSON object and exit 0 when everything verifies, 1 with
{"ok": false, "index": <first bad leaf or null>, "reason": ...} otherwise.
tamper edits a copy of a database in place, as an operator with write access could.

RFC 9162 section 2.1: MTH({}) = SHA-256(), MTH({d0}) = SHA-256(0x00 || d0),
MTH(D[n]) = SHA-256(0x01 || MTH(D[0:k]) || MTH(D[k:n])) with k the largest power of
two smaller than n. Proofs: PATH (2.1.3.1), PROOF/SUBPROOF (2.1.4.1); verification:
2.1.3.2 and 2.1.4.2. Checkpoints: Ed25519 over
"parley-audit-v1\\n<treeSize>\\n<rootHash base64>\\n<timestamp>\\n".
"""
import base64
import hashlib
import json
import sqlite3
import sys
import urllib.parse
import urllib.request

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

LEAF_KEYS = {"index", "time", "actor", "role", "action", "conversationId", "details"}


class Bad(Exception):
    def __init__(self, index, reason):
        super().__init__(reason)
        self.index = index
        self.reason = reason


# --- RFC 9162 2.1.1: the Merkle Tree Hash, written as the definition reads ---------------

def sha256(data):
    return hashlib.sha256(data).digest()


def split_point(n):
    k = 1
    while k << 1 < n:
        k <<= 1
    return k


def mth(leaves):
    n = len(leaves)
    if n == 0:
        return sha256(b"")
    if n == 1:
        return sha256(b"\x00" + leaves[0])
    k = split_point(n)
    return sha256(b"\x01" + mth(leaves[:k]) + mth(leaves[k:]))


def path(m, leaves):
    """PATH(m, D[n]), 2.1.3.1."""
    n = len(leaves)
    if n == 1:
        return []
    k = split_point(n)
    if m < k:
        return path(m, leaves[:k]) + [mth(leaves[k:])]
    return path(m - k, leaves[k:]) + [mth(leaves[:k])]


def subproof(m, leaves, b):
    """SUBPROOF(m, D[n], b), 2.1.4.1."""
    n = len(leaves)
    if m == n:
        return [] if b else [mth(leaves)]
    k = split_point(n)
    if m <= k:
        return subproof(m, leaves[:k], b) + [mth(leaves[k:])]
    return subproof(m - k, leaves[k:], False) + [mth(leaves[:k])]


# --- RFC 9162 2.1.3.2 and 2.1.4.2: verification with hashes only -------------------------

def node(left, right):
    return sha256(b"\x01" + left + right)


def verify_inclusion(leaf_index, tree_size, leaf_hash, inclusion_path, root_hash):
    if leaf_index >= tree_size:
        return False
    fn, sn = leaf_index, tree_size - 1
    r = leaf_hash
    for p in inclusion_path:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node(p, r)
            if not fn & 1:
                while fn != 0 and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root_hash


def verify_consistency(first, second, first_hash, second_hash, consistency_path):
    if first == second:
        return consistency_path == [] and first_hash == second_hash
    if not consistency_path or first == 0 or first > second:
        return False
    c = list(consistency_path)
    if first & (first - 1) == 0:
        c = [first_hash] + c
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = c[0]
    for x in c[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node(x, fr)
            sr = node(x, sr)
            if not fn & 1:
                while fn != 0 and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node(sr, x)
        fn >>= 1
        sn >>= 1
    return fr == first_hash and sr == second_hash and sn == 0


# --- The contract's leaves and checkpoints -----------------------------------------------

def no_duplicates(pairs):
    keys = [key for key, _ in pairs]
    if len(keys) != len(set(keys)):
        raise ValueError("duplicate key")
    return dict(pairs)


def refuse_fraction(text):
    raise ValueError("a fraction: " + text)


def check_leaf(position, text):
    """Canonical JSON (sorted keys, no spaces, minimal escapes) with the contract's keys and
    its own position as "index"."""
    try:
        value = json.loads(text, object_pairs_hook=no_duplicates, parse_float=refuse_fraction,
                           parse_constant=refuse_fraction)
    except ValueError as error:
        raise Bad(position, "leaf %d is not JSON as the contract writes it: %s" % (position, error))
    canonical = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    if canonical != text:
        raise Bad(position, "leaf %d is not canonical JSON" % position)
    if not isinstance(value, dict) or set(value) != LEAF_KEYS:
        raise Bad(position, "leaf %d does not have exactly the keys %s" % (position, sorted(LEAF_KEYS)))
    if value["index"] != position or isinstance(value["index"], bool):
        raise Bad(position, "leaf %d says index %r" % (position, value["index"]))


def signed_text(tree_size, root_b64, timestamp):
    return ("parley-audit-v1\n%d\n%s\n%s\n" % (tree_size, root_b64, timestamp)).encode("utf-8")


def check_signature(public_key, tree_size, root, timestamp, signature):
    text = signed_text(tree_size, base64.b64encode(root).decode("ascii"), timestamp)
    try:
        Ed25519PublicKey.from_public_bytes(public_key).verify(signature, text)
    except InvalidSignature:
        raise Bad(None, "the checkpoint of size %d is not signed by the audit key" % tree_size)


def check_log(texts, tree_size, root, timestamp, signature, public_key):
    """Every leaf, then the checkpoint against the first tree_size of them."""
    for position, text in enumerate(texts):
        check_leaf(position, text)
    if tree_size > len(texts):
        raise Bad(len(texts), "the log holds %d leaves but the checkpoint signs %d" % (len(texts), tree_size))
    check_signature(public_key, tree_size, root, timestamp, signature)
    leaves = [text.encode("utf-8") for text in texts]
    if mth(leaves[:tree_size]) != root:
        raise Bad(None, "the first %d leaves do not hash to the checkpoint's root" % tree_size)
    return leaves


# --- check-server: everything through the API --------------------------------------------

def get(base, token, path):
    request = urllib.request.Request(base + path, headers={"Authorization": "Bearer " + token})
    with urllib.request.urlopen(request, timeout=20) as answer:
        return json.loads(answer.read())


def b64(text):
    return base64.b64decode(text, validate=True)


def check_server(base, token):
    public_key = b64(get(base, token, "/api/audit/key")["publicKey"])
    checkpoint = get(base, token, "/api/audit/checkpoint")
    size = checkpoint["treeSize"]
    root = b64(checkpoint["rootHash"])
    texts = []
    while True:
        page = get(base, token, "/api/audit/entries?from=%d&limit=1000" % len(texts))["entries"]
        for entry in page:
            if entry["index"] != len(texts):
                raise Bad(len(texts), "entry %d came as index %d" % (len(texts), entry["index"]))
            texts.append(entry["leaf"])
        if len(page) < 1000:
            break
    leaves = check_log(texts, size, root, checkpoint["timestamp"], b64(checkpoint["signature"]), public_key)
    leaves = leaves[:size]
    inclusion = consistency = 0
    for index in range(size):
        proof = [b64(h) for h in get(base, token, "/api/audit/proof/inclusion?index=%d&treeSize=%d" % (index, size))["hashes"]]
        if proof != path(index, leaves):
            raise Bad(index, "the inclusion proof of leaf %d is not PATH(%d, D[%d])" % (index, index, size))
        if not verify_inclusion(index, size, sha256(b"\x00" + leaves[index]), proof, root):
            raise Bad(index, "the inclusion proof of leaf %d does not verify" % index)
        inclusion += 1
    for first in range(1, size + 1):
        proof = [b64(h) for h in get(base, token, "/api/audit/proof/consistency?from=%d&to=%d" % (first, size))["hashes"]]
        if proof != subproof(first, leaves, True):
            raise Bad(None, "the consistency proof %d -> %d is not PROOF(%d, D[%d])" % (first, size, first, size))
        if not verify_consistency(first, size, mth(leaves[:first]), root, proof):
            raise Bad(None, "the consistency proof %d -> %d does not verify" % (first, size))
        consistency += 1
    return {"ok": True, "treeSize": size, "leaves": len(texts), "inclusionProofs": inclusion,
            "consistencyProofs": consistency, "actions": sorted({json.loads(t)["action"] for t in texts})}


# --- check-sqlite and tamper: the database file itself ------------------------------------

def check_sqlite(database, public_key_b64):
    connection = sqlite3.connect("file:%s?mode=ro" % urllib.parse.quote(database), uri=True)
    rows = connection.execute("SELECT idx, leaf FROM audit_leaves ORDER BY idx").fetchall()
    checkpoint = connection.execute(
        "SELECT tree_size, root_hash, timestamp, signature FROM audit_checkpoint").fetchone()
    connection.close()
    for position, (idx, _) in enumerate(rows):
        if idx != position:
            raise Bad(position, "leaf %d is stored as index %d" % (position, idx))
    if checkpoint is None:
        raise Bad(None, "no checkpoint stored")
    size, root, timestamp, signature = checkpoint
    check_log([leaf for _, leaf in rows], size, bytes(root), timestamp, bytes(signature), b64(public_key_b64))
    return {"ok": True, "treeSize": size, "leaves": len(rows)}


def tamper(database, kind):
    connection = sqlite3.connect(database)
    rows = connection.execute("SELECT idx, leaf FROM audit_leaves ORDER BY idx").fetchall()
    if len(rows) < 4:
        raise SystemExit("tamper: need at least 4 leaves, found %d" % len(rows))
    if kind == "edit":
        # A believable edit: another actor, still canonical JSON at its own index.
        value = json.loads(rows[1][1])
        value["actor"] = "mallory"
        text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        connection.execute("UPDATE audit_leaves SET leaf = ? WHERE idx = 1", (text,))
    elif kind == "reorder":
        connection.execute("UPDATE audit_leaves SET leaf = ? WHERE idx = 1", (rows[2][1],))
        connection.execute("UPDATE audit_leaves SET leaf = ? WHERE idx = 2", (rows[1][1],))
    elif kind == "drop":
        connection.execute("DELETE FROM audit_leaves WHERE idx = 2")
    elif kind == "truncate":
        connection.execute("DELETE FROM audit_leaves WHERE idx = ?", (rows[-1][0],))
    else:
        raise SystemExit("tamper: unknown kind " + kind)
    connection.commit()
    connection.close()
    return {"ok": True, "tampered": kind, "leaves": len(rows)}


def main(arguments):
    command = arguments[0] if arguments else ""
    try:
        if command == "check-server" and len(arguments) == 3:
            result = check_server(arguments[1], arguments[2])
        elif command == "check-sqlite" and len(arguments) == 3:
            result = check_sqlite(arguments[1], arguments[2])
        elif command == "tamper" and len(arguments) == 3:
            result = tamper(arguments[1], arguments[2])
        else:
            print(__doc__, file=sys.stderr)
            return 2
    except Bad as bad:
        print(json.dumps({"ok": False, "index": bad.index, "reason": bad.reason}))
        return 1
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
