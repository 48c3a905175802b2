#!/usr/bin/env python3
"""VADER on the sentiment test split, for comparison with Parley's own sentiment
(issue 13, "Quality, measured").

VADER (Hutto & Gilbert 2014) is an English lexicon-and-rules scorer; on Spanish it sees
mostly unknown words, which is the point of the comparison. Its compound score is mapped
to a label with the thresholds its authors recommend: >= 0.05 positive, <= -0.05
negative, neutral between.

This script installs nothing. Once, beforehand:

    python3 -m pip install vaderSentiment==3.3.2

Usage: python3 Evaluation/sentiment/vader_compare.py [path/to/test.jsonl]
Prints Markdown: accuracy, macro-F1 and negative recall for all messages and per
language, and the 3x3 confusion matrices (rows: the label, columns: VADER's).
"""
import json
import os
import sys

try:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
except ImportError:
    sys.exit("vaderSentiment is not installed: python3 -m pip install vaderSentiment==3.3.2")

LABELS = ("negative", "neutral", "positive")
# VADER's documented thresholds on the compound score.
POSITIVE_AT = 0.05
NEGATIVE_AT = -0.05


def label_of(compound):
    if compound >= POSITIVE_AT:
        return "positive"
    if compound <= NEGATIVE_AT:
        return "negative"
    return "neutral"


def metrics(pairs):
    """pairs: (expected, predicted). Returns accuracy, macro-F1, negative recall, matrix."""
    matrix = {e: {p: 0 for p in LABELS} for e in LABELS}
    for expected, predicted in pairs:
        matrix[expected][predicted] += 1
    total = len(pairs)
    accuracy = sum(matrix[l][l] for l in LABELS) / total if total else 0.0
    f1s = []
    for l in LABELS:
        true_positive = matrix[l][l]
        predicted = sum(matrix[e][l] for e in LABELS)
        actual = sum(matrix[l].values())
        precision = true_positive / predicted if predicted else 0.0
        recall = true_positive / actual if actual else 0.0
        f1s.append(2 * precision * recall / (precision + recall) if precision + recall else 0.0)
    negatives = sum(matrix["negative"].values())
    negative_recall = matrix["negative"]["negative"] / negatives if negatives else 0.0
    return accuracy, sum(f1s) / len(f1s), negative_recall, matrix


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "test.jsonl")
    with open(path, encoding="utf-8") as f:
        rows = [json.loads(line) for line in f if line.strip()]
    analyzer = SentimentIntensityAnalyzer()
    scored = [(r, label_of(analyzer.polarity_scores(r["text"])["compound"])) for r in rows]

    groups = [("all", scored)] + [
        (language, [(r, p) for r, p in scored if r["language"] == language]) for language in ("es", "en")
    ]
    print(f"### VADER (vaderSentiment 3.3.2, compound ±{POSITIVE_AT}) on `{os.path.basename(path)}`\n")
    print("| Messages | n | Accuracy | Macro-F1 | Negative recall | Strong-negative recall |")
    print("|---|---:|---:|---:|---:|---:|")
    results = []
    for name, group in groups:
        accuracy, macro_f1, negative_recall, matrix = metrics([(r["label"], p) for r, p in group])
        strong = [p for r, p in group if r.get("strong")]
        strong_recall = sum(p == "negative" for p in strong) / len(strong) if strong else 0.0
        print(f"| {name} | {len(group)} | {accuracy:.3f} | {macro_f1:.3f} | {negative_recall:.3f} | {strong_recall:.3f} |")
        results.append((name, matrix))
    for name, matrix in results:
        print(f"\nConfusion matrix, {name} (rows: label, columns: VADER)\n")
        print("| | " + " | ".join(LABELS) + " |")
        print("|---|" + "---:|" * len(LABELS))
        for expected in LABELS:
            print(f"| **{expected}** | " + " | ".join(str(matrix[expected][p]) for p in LABELS) + " |")


if __name__ == "__main__":
    main()
