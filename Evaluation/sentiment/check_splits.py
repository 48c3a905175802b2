#!/usr/bin/env python3
"""Checks the sentiment evaluation files: every line has the documented fields and
values, ids are `<split>-NNNN`, `strong` is only set on negative buyer messages, no text
repeats inside a split, and no text of one split (train.jsonl, dev.jsonl, dev2.jsonl,
dev3.jsonl, dev4.jsonl, dev5.jsonl, test.jsonl) equals one of another once lowercased,
without accents, punctuation and spaces (so dev, dev2, dev3, dev4, dev5 and test measure
messages the tuning never saw). test.jsonl is opened only here, to compare normalised
texts; nothing of it is printed but the ids and texts of repeats, which should never happen
(dev2, dev3, dev4 and dev5 are compared after test, so a repeat of a test message prints
the dev2, dev3, dev4 or dev5 text).

Usage: python3 Evaluation/sentiment/check_splits.py   (exit status 1 on any problem)
"""
import json
import os
import re
import sys
import unicodedata
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
LABELS = {"negative", "neutral", "positive"}
LANGUAGES = {"es", "en"}
ROLES = {"buyer", "seller"}
KINDS = {"negation", "contrast", "irony", "intensifier", "emoji", "marketplace",
         "question", "statement", "mixed", "slang", "plain"}
FIELDS = {"id", "text", "label", "language", "role", "kind", "strong"}


def normalized(text):
    """Lowercase, accents, punctuation and spaces removed; emoji and other symbols kept,
    so "👎👎" and "👎👎👎" stay different messages."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(
        c for c in decomposed
        if not unicodedata.combining(c)
        and unicodedata.category(c)[0] not in ("P", "Z")
        and c != "\ufe0f"
    )


def load(name, problems):
    path = os.path.join(HERE, name)
    id_pattern = re.compile(re.escape(name[:-len(".jsonl")]) + r"-\d{4}")
    if not os.path.exists(path):
        return None
    rows = []
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            where = f"{name}:{number}"
            try:
                row = json.loads(line)
            except json.JSONDecodeError as error:
                problems.append(f"{where}: not JSON ({error})")
                continue
            if set(row) != FIELDS:
                problems.append(f"{where}: fields {sorted(row)}")
                continue
            if row["label"] not in LABELS or row["language"] not in LANGUAGES \
                    or row["role"] not in ROLES or row["kind"] not in KINDS \
                    or not isinstance(row["strong"], bool) or not row["text"].strip():
                problems.append(f"{where}: bad value in {row}")
            if not isinstance(row["id"], str) or not id_pattern.fullmatch(row["id"]):
                problems.append(f"{where}: id {row['id']!r} is not {name[:-len('.jsonl')]}-NNNN")
            if row["strong"] and (row["label"] != "negative" or row["role"] != "buyer"):
                problems.append(f"{where}: strong on a message that is not a negative buyer one")
            rows.append(row)
    ids = Counter(r["id"] for r in rows)
    problems += [f"{name}: id {i} repeated" for i, n in ids.items() if n > 1]
    texts = Counter(normalized(r["text"]) for r in rows)
    problems += [f"{name}: text {t!r} repeated" for t, n in texts.items() if n > 1]
    return rows


# dev2, dev3, dev4 and dev5 last: a dev2, dev3, dev4 or dev5 line repeating a line of
# another split is printed, not the other one.
SPLITS = ("train", "dev", "test", "dev2", "dev3", "dev4", "dev5")


def main():
    problems = []
    rows = {name: load(f"{name}.jsonl", problems) for name in SPLITS}
    if rows["train"] is None:
        problems.append("train.jsonl missing")
    present = [name for name in SPLITS if rows[name] is not None]
    for position, earlier in enumerate(present):
        seen = {normalized(r["text"]): r["id"] for r in rows[earlier]}
        earlier_ids = {r["id"] for r in rows[earlier]}
        for later in present[position + 1:]:
            for row in rows[later]:
                if normalized(row["text"]) in seen:
                    problems.append(f"{row['id']} repeats {seen[normalized(row['text'])]}: {row['text']!r}")
            problems += [f"id {r['id']} in {earlier} and {later}" for r in rows[later] if r["id"] in earlier_ids]
    for name in present:
        if rows[name]:
            counts = Counter((r["language"], r["label"]) for r in rows[name])
            print(name, len(rows[name]), dict(sorted(counts.items())))
    for problem in problems:
        print("PROBLEM:", problem)
    print("ok" if not problems else f"{len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
