#!/usr/bin/env python3
"""Figures of the model card that `sentir eval` does not print, from `sentir classify`
outputs of the corpus splits joined by id to the gold file.

    python3 scripts/compare_outputs.py GOLD.csv OUT_A.csv [OUT_B.csv]

With one output: sentiment accuracy and macro-F1 on texts over 800 characters, and their
positive/negative accuracy (gold positive or negative, predicted the same). With two: the
share of rows where A and B give the same sentiment, reason and mixed value.
"""
import csv, sys

def read(p):
    with open(p, encoding="utf-8") as f:
        return {r["id"]: r for r in csv.DictReader(f)}

def macro_f1(pairs, classes):
    f1s = []
    for c in classes:
        tp = sum(1 for g, p in pairs if g == c and p == c)
        pp = sum(1 for g, p in pairs if p == c)
        sp = sum(1 for g, p in pairs if g == c)
        if pp + sp == 0:
            continue
        prec = tp / pp if pp else 0.0
        rec = tp / sp if sp else 0.0
        f1s.append(0.0 if prec + rec == 0 else 2 * prec * rec / (prec + rec))
    return sum(f1s) / len(f1s)

gold = read(sys.argv[1])
a = read(sys.argv[2])
if len(sys.argv) > 3:
    b = read(sys.argv[3])
    n = len(a)
    for col in ("sentiment", "reason", "mixed"):
        same = sum(1 for k in a if a[k][col] == b[k][col])
        print(f"{col} agreement: {same}/{n} = {same / n:.4f}")
    sys.exit(0)
long = [k for k in gold if len(gold[k]["text"]) > 800]
pairs = [(gold[k]["sentiment"], a[k]["sentiment"]) for k in long]
acc = sum(g == p for g, p in pairs) / len(pairs)
print(f"texts over 800 characters: {len(long)}, accuracy {acc:.4f}, "
      f"macro-F1 {macro_f1(pairs, ['negative', 'neutral', 'positive']):.4f}")
pn = [(g, p) for g, p in pairs if g in ("positive", "negative")]
print(f"  of them positive or negative: {len(pn)}, correct {sum(g == p for g, p in pn) / len(pn):.4f}")
allp = [(gold[k]["sentiment"], a[k]["sentiment"]) for k in gold]
print(f"all texts: {len(allp)}, accuracy {sum(g == p for g, p in allp) / len(allp):.4f}, "
      f"macro-F1 {macro_f1(allp, ['negative', 'neutral', 'positive']):.4f}")
