#!/usr/bin/env python3
"""Side-by-side peer benchmark: sentir against a Hugging Face transformers
`pipeline("text-classification")`, same model directory, same texts, same machine, same run.

What a user would otherwise write is the peer: the pipeline with batch_size 32 on the CPU with
`torch.set_num_threads(THREADS)`. It is timed around the pipeline call only (model loading and
one warm-up batch excluded, which favours the pipeline). sentir is timed as a whole process:
`sentir classify INPUT -o OUT` from start to exit, model loading, language detection and
writing the labelled CSV included. Contenders alternate within each round (sentir fp32, the
pipeline, sentir int8) so that machine noise hits them alike; the median of the rounds is
reported with every round's figure.

Agreement: the share of messages given the same label (negative / neutral / positive) by
sentir fp32 and the pipeline, and by sentir int8 and sentir fp32.

Run it with `make bench-peer` (builds sentir and a pinned Python environment first).
"""

import argparse
import csv
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

csv.field_size_limit(sys.maxsize)


def read_texts(paths, column):
    texts = []
    for path in paths:
        with open(path, newline="", encoding="utf-8") as f:
            reader = csv.DictReader(f)
            if column not in (reader.fieldnames or []):
                sys.exit(f"{path}: no {column!r} column (columns: {reader.fieldnames})")
            texts.extend(row[column] for row in reader)
    return texts


def normalise(label):
    """The model's label name as negative / neutral / positive (the default model's names)."""
    l = label.lower()
    for s in ("negative", "neutral", "positive"):
        if l.startswith(s[:3]):
            return s
    return l


def run_sentir(binary, model, input_csv, threads, batch_size, max_length, precision):
    out = tempfile.NamedTemporaryFile(suffix=".csv", delete=False).name
    cmd = [
        binary, "classify", input_csv, "-o", out, "--model", model,
        "--threads", str(threads), "--batch-size", str(batch_size),
        "--max-length", str(max_length), "--precision", precision, "--quiet",
    ]
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, stderr=subprocess.PIPE, text=True)
    secs = time.perf_counter() - t0
    if proc.returncode not in (0, 3):
        sys.exit(f"sentir failed ({proc.returncode}): {proc.stderr}")
    with open(out, newline="", encoding="utf-8") as f:
        labels = [row["sentiment"] for row in csv.DictReader(f)]
    os.unlink(out)
    return secs, labels


class Peer:
    def __init__(self, model, threads, batch_size, max_length):
        import torch
        from transformers import AutoConfig, AutoModelForSequenceClassification, pipeline
        from transformers import PreTrainedTokenizerFast

        torch.set_num_threads(threads)
        config = AutoConfig.from_pretrained(model)
        tok = PreTrainedTokenizerFast(tokenizer_file=os.path.join(model, "tokenizer.json"))
        tok.pad_token = tok.convert_ids_to_tokens(config.pad_token_id)
        tok.model_max_length = max_length
        net = AutoModelForSequenceClassification.from_pretrained(model).eval()
        self.pipe = pipeline("text-classification", model=net, tokenizer=tok, device=-1)
        self.batch_size = batch_size
        self.max_length = max_length
        self.torch_version = torch.__version__

    def run(self, texts):
        return self.pipe(texts, batch_size=self.batch_size, truncation=True,
                         max_length=self.max_length)


def agreement(a, b):
    return sum(x == y for x, y in zip(a, b)) / max(len(a), 1)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--model", required=True, help="HF model directory")
    ap.add_argument("--input", required=True, action="append", help="CSV file(s) with texts")
    ap.add_argument("--text-column", default="text")
    ap.add_argument("--sentir", default="target/release/sentir")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--max-length", type=int, default=256)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--json", help="also write the results here")
    a = ap.parse_args()

    texts = read_texts(a.input, a.text_column)
    work = tempfile.mkdtemp(prefix="sentir-peer-")
    input_csv = os.path.join(work, "input.csv")
    with open(input_csv, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["text"])
        w.writerows([t] for t in texts)
    print(f"{len(texts)} messages from {', '.join(a.input)}; model {a.model}; "
          f"{a.threads} threads, batch {a.batch_size}, max length {a.max_length}", flush=True)

    t0 = time.perf_counter()
    peer = Peer(a.model, a.threads, a.batch_size, a.max_length)
    peer_load = time.perf_counter() - t0
    peer.run(texts[: a.batch_size])  # warm-up, not timed

    rates = {"sentir fp32": [], "HF pipeline": [], "sentir int8": []}
    labels = {}
    for r in range(a.rounds):
        secs, labels["sentir fp32"] = run_sentir(a.sentir, a.model, input_csv, a.threads,
                                                 a.batch_size, a.max_length, "fp32")
        rates["sentir fp32"].append(len(texts) / secs)
        t0 = time.perf_counter()
        out = peer.run(texts)
        secs = time.perf_counter() - t0
        rates["HF pipeline"].append(len(texts) / secs)
        labels["HF pipeline"] = [normalise(o["label"]) for o in out]
        secs, labels["sentir int8"] = run_sentir(a.sentir, a.model, input_csv, a.threads,
                                                 a.batch_size, a.max_length, "int8")
        rates["sentir int8"].append(len(texts) / secs)
        print(f"round {r + 1}: " + ", ".join(f"{k} {v[-1]:.1f} msg/s" for k, v in rates.items()),
              flush=True)

    med = {k: statistics.median(v) for k, v in rates.items()}
    hf = med["HF pipeline"]
    agree_fp32 = agreement(labels["sentir fp32"], labels["HF pipeline"])
    agree_int8 = agreement(labels["sentir int8"], labels["sentir fp32"])
    print()
    print(f"{'':14}{'msg/s (median)':>16}{'vs HF pipeline':>16}  rounds")
    for k, v in med.items():
        rounds = " ".join(f"{x:.1f}" for x in rates[k])
        print(f"{k:14}{v:16.1f}{v / hf:15.2f}x  {rounds}")
    print()
    print(f"label agreement, sentir fp32 vs HF pipeline: {agree_fp32:.2%}")
    print(f"label agreement, sentir int8 vs sentir fp32: {agree_int8:.2%}")
    print(f"HF pipeline model load (not counted): {peer_load:.1f} s; torch {peer.torch_version}")

    if a.json:
        result = {
            "messages": len(texts),
            "inputs": a.input,
            "model": a.model,
            "threads": a.threads,
            "batch_size": a.batch_size,
            "max_length": a.max_length,
            "rounds": rates,
            "median_messages_per_second": med,
            "ratio_vs_hf": {k: v / hf for k, v in med.items()},
            "agreement_fp32_vs_hf": agree_fp32,
            "agreement_int8_vs_fp32": agree_int8,
            "torch": peer.torch_version,
        }
        with open(a.json, "w") as f:
            json.dump(result, f, indent=2)


if __name__ == "__main__":
    main()
