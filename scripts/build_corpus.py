#!/usr/bin/env python3
"""Assembles data/corpus/{train,val,test}.csv from the writers' JSONL batches.

    python3 scripts/build_corpus.py PARTS_DIR TEST_PARTS_DIR OUT_DIR

Every record is checked against the label guide's fields; exact duplicates and near
duplicates (word 6-gram Jaccard >= 0.5 with an earlier text, inside a split or across
splits) are dropped, the test split losing to nothing: a train/val text that is near a test
text is dropped from train/val. train/val is split 85/15, stratified by language x kind x
sentiment, with a fixed seed. Prints what it dropped and the counts.
"""
import csv, collections, glob, json, os, random, re, sys

KINDS = ["buyer_message", "product_review", "service_review", "social", "mixed"]
SENT = ["negative", "neutral", "positive"]
REASONS = ["delivery", "damaged", "wrong_item", "return_refund", "fit_description",
           "billing", "product_question", "praise", "other"]
LANGS = ["es", "en", "pt", "fr", "de", "it"]
COLUMNS = ["id", "text", "sentiment", "mixed", "reason", "language", "kind", "region"]


def words(t):
    return re.findall(r"\w+", t.lower())


def grams(t, n=6):
    w = words(t)
    if len(w) < n:
        return {" ".join(w)} if w else set()
    return {" ".join(w[i:i + n]) for i in range(len(w) - n + 1)}


def load(d):
    out, bad = [], 0
    for f in sorted(glob.glob(os.path.join(d, "**", "*.jsonl"), recursive=True)):
        for i, line in enumerate(open(f, encoding="utf-8"), 1):
            if not line.strip():
                continue
            try:
                r = json.loads(line)
            except json.JSONDecodeError:
                bad += 1
                continue
            ok = (isinstance(r.get("text"), str) and r["text"].strip()
                  and r.get("sentiment") in SENT and r.get("mixed") in (True, False)
                  and r.get("reason") in REASONS and r.get("language") in LANGS
                  and r.get("kind") in KINDS and isinstance(r.get("region"), str)
                  and not (r["kind"] == "mixed" and not r["mixed"])
                  and not (r["reason"] == "praise" and r["sentiment"] != "positive"))
            if not ok:
                bad += 1
                continue
            r["text"] = r["text"].strip().replace("\r\n", "\n")
            r["_src"] = os.path.relpath(f, d)
            out.append(r)
    return out, bad


class NearDup:
    """Inverted index of 6-grams: is a text near (Jaccard >= 0.5) any text added so far?"""

    def __init__(self):
        self.index = collections.defaultdict(list)
        self.sets = []

    def near(self, g):
        counts = collections.Counter()
        for x in g:
            for j in self.index.get(x, ()):
                counts[j] += 1
        for j, inter in counts.items():
            union = len(g) + len(self.sets[j]) - inter
            if union and inter / union >= 0.5:
                return True
        return False

    def add(self, g):
        j = len(self.sets)
        self.sets.append(g)
        for x in g:
            self.index[x].append(j)


def dedup(recs, nd, label):
    kept, dropped = [], 0
    for r in recs:
        g = grams(r["text"])
        if nd.near(g):
            dropped += 1
            continue
        nd.add(g)
        kept.append(r)
    print(f"{label}: {len(kept)} kept, {dropped} near-duplicates dropped")
    return kept


def write(path, recs, prefix):
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(COLUMNS)
        for i, r in enumerate(recs, 1):
            w.writerow([f"{prefix}{i:05d}", r["text"], r["sentiment"],
                        "true" if r["mixed"] else "false", r["reason"], r["language"],
                        r["kind"], r["region"]])
    os.replace(tmp, path)


def main():
    parts, test_parts, out = sys.argv[1:4]
    train_all, bad_tr = load(parts)
    test_all, bad_te = load(test_parts)
    print(f"read {len(train_all)} train/val records ({bad_tr} invalid), "
          f"{len(test_all)} test records ({bad_te} invalid)")
    nd = NearDup()
    test = dedup(test_all, nd, "test")
    trainval = dedup(train_all, nd, "train/val (after test)")
    rng = random.Random(20261201)
    strata = collections.defaultdict(list)
    for r in trainval:
        strata[(r["language"], r["kind"], r["sentiment"])].append(r)
    train, val = [], []
    for key in sorted(strata):
        group = strata[key]
        rng.shuffle(group)
        k = round(len(group) * 0.15)
        val.extend(group[:k])
        train.extend(group[k:])
    for split in (train, val, test):
        rng.shuffle(split)
    write(os.path.join(out, "train.csv"), train, "TR")
    write(os.path.join(out, "val.csv"), val, "VA")
    write(os.path.join(out, "test.csv"), test, "TE")
    print(f"train {len(train)}, val {len(val)}, test {len(test)}")




def stats(out):
    """Markdown tables of the built corpus: counts, lengths and distinct words per language
    and per kind, for data/corpus/README.md."""
    rows = {}
    for split in ("train", "val", "test"):
        with open(os.path.join(out, f"{split}.csv"), encoding="utf-8") as f:
            rows[split] = list(csv.DictReader(f))

    def table(key, values):
        print(f"| {key} | split | texts | negative / neutral / positive | mixed | chars: median | p90 | max | > 800 | > 2 000 | distinct words | words / text |")
        print("|---|---|---|---|---|---|---|---|---|---|---|---|")
        for v in values:
            for split in ("train+val", "test"):
                rs = [r for s in (("train", "val") if split == "train+val" else ("test",))
                      for r in rows[s] if r[key] == v]
                if not rs:
                    continue
                L = sorted(len(r["text"]) for r in rs)
                ws = [words(r["text"]) for r in rs]
                distinct = len({w for x in ws for w in x})
                c = collections.Counter(r["sentiment"] for r in rs)
                print(f"| {v} | {split} | {len(rs)} | {c['negative']} / {c['neutral']} / {c['positive']} "
                      f"| {sum(r['mixed'] == 'true' for r in rs)} | {L[len(L)//2]} | {L[int(len(L)*0.9)]} | {L[-1]} "
                      f"| {sum(l > 800 for l in L)} ({100*sum(l > 800 for l in L)/len(L):.0f}%) | {sum(l > 2000 for l in L)} "
                      f"| {distinct} | {sum(map(len, ws))/len(ws):.0f} |")
        print()

    table("language", LANGS)
    table("kind", KINDS)
    print("| reason | train | val | test |")
    print("|---|---|---|---|")
    for reason in REASONS:
        print(f"| {reason} | " + " | ".join(str(sum(r['reason'] == reason for r in rows[s])) for s in ("train", "val", "test")) + " |")
    print()
    print("| Spanish region | train+val | test |")
    print("|---|---|---|")
    regions = collections.Counter(r["region"] for s in ("train", "val") for r in rows[s] if r["language"] == "es")
    regions_t = collections.Counter(r["region"] for r in rows["test"] if r["language"] == "es")
    for reg, n in regions.most_common():
        print(f"| {reg} | {n} | {regions_t.get(reg, 0)} |")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--stats"]:
        stats(sys.argv[2])
    else:
        main()
