#!/usr/bin/env python3
"""Side-by-side peer benchmark: sentir against what a user would otherwise run, same model
directory, same texts, same machine, same run: the Hugging Face transformers
`pipeline("text-classification")` and ONNX Runtime (fp32 graph-optimised, in input order and
length-sorted; int8 `quantize_dynamic`, length-sorted; see ort_peer.py).

The pipeline runs with batch_size BATCH on the CPU with `torch.set_num_threads(THREADS)`,
timed around the pipeline call only (model loading and one warm-up batch excluded, which
favours it). ONNX Runtime is timed around its whole loop, tokenization included (export,
optimisation, quantisation, session creation and one warm-up batch excluded). sentir is timed
as a whole process: `sentir classify INPUT -o OUT` from start to exit, model loading, language
detection and writing the labelled CSV included. Contenders alternate within each round so that
machine noise hits them alike; the median of the rounds is reported with every round's figure,
with ratios against ONNX Runtime fp32 length-sorted.

Agreement: the share of messages given the same label (negative / neutral / positive) as the
fp32 reference, the transformers pipeline.

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
    import ort_peer
    fp32_onnx, int8_onnx, fused = ort_peer.export(a.model, work, a.max_length)
    ort32 = ort_peer.OrtPeer(fp32_onnx, a.model, a.threads, a.batch_size, a.max_length)
    ort8 = ort_peer.OrtPeer(int8_onnx, a.model, a.threads, a.batch_size, a.max_length)
    for p in (ort32, ort8):
        p.run(texts[: a.batch_size], True)  # warm-up, not timed
    print(f"ONNX Runtime {ort32.version}; fused operators: {fused}", flush=True)

    def hf():
        t0 = time.perf_counter()
        out = peer.run(texts)
        return len(texts) / (time.perf_counter() - t0), [normalise(o["label"]) for o in out]

    def sentir(precision):
        def run():
            secs, labels = run_sentir(a.sentir, a.model, input_csv, a.threads, a.batch_size,
                                      a.max_length, precision)
            return len(texts) / secs, labels
        return run

    # What --precision auto (sentir's default) resolves to here, and why (not timed).
    probe = subprocess.run(
        [a.sentir, "bench", input_csv, "--model", a.model, "--threads", str(a.threads),
         "--no-language", "--json"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if probe.returncode != 0:
        sys.exit(f"sentir bench failed ({probe.returncode}): {probe.stderr}")
    auto = json.loads(probe.stdout)
    print(f"sentir default: --precision {auto['precision']} ({auto['precision_choice']})",
          flush=True)

    contenders = {
        "HF pipeline (torch)": hf,
        "ORT fp32, input order": lambda: ort_peer.timed(ort32, texts, False),
        "ORT fp32, sorted": lambda: ort_peer.timed(ort32, texts, True),
        "ORT int8, sorted": lambda: ort_peer.timed(ort8, texts, True),
        "sentir fp32": sentir("fp32"),
        "sentir int8": sentir("int8"),
        "sentir bf16": sentir("bf16"),
        "sentir default (auto)": sentir("auto"),
    }
    rates = {k: [] for k in contenders}
    labels = {}
    for r in range(a.rounds):
        for k, run in contenders.items():
            rate, labels[k] = run()
            rates[k].append(rate)
        print(f"round {r + 1}: " + ", ".join(f"{k} {v[-1]:.1f}" for k, v in rates.items()),
              flush=True)

    med = {k: statistics.median(v) for k, v in rates.items()}
    ref = labels["HF pipeline (torch)"]
    agree = {k: agreement(v, ref) for k, v in labels.items()}
    base = med["ORT fp32, sorted"]
    print()
    print(f"{'':24}{'msg/s':>9}{'vs ORT fp32 sorted':>20}{'agreement':>11}  rounds")
    for k, v in med.items():
        rounds = " ".join(f"{x:.1f}" for x in rates[k])
        print(f"{k:24}{v:9.1f}{v / base:19.2f}x{agree[k]:11.1%}  {rounds}")
    print()
    print(f"agreement: the share of labels equal to the HF pipeline's (fp32 reference)")
    print(f"sentir fp32 vs ORT fp32 (sorted): {med['sentir fp32'] / base:.2f}x")
    print(f"sentir default (auto: {auto['precision']}) vs ORT fp32 (sorted): "
          f"{med['sentir default (auto)'] / base:.2f}x, agreement with sentir fp32 "
          f"{agreement(labels['sentir default (auto)'], labels['sentir fp32']):.2%}")
    print(f"sentir int8 vs ORT int8 (sorted): {med['sentir int8'] / med['ORT int8, sorted']:.2f}x")
    print(f"HF pipeline model load (not counted): {peer_load:.1f} s; torch {peer.torch_version}; "
          f"onnxruntime {ort32.version}")

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
            "ratio_vs_ort_fp32_sorted": {k: v / base for k, v in med.items()},
            "agreement_with_hf_fp32": agree,
            "agreement_with_sentir_fp32": {k: agreement(v, labels["sentir fp32"])
                                           for k, v in labels.items()},
            "sentir_default_precision": auto["precision"],
            "sentir_default_choice": auto["precision_choice"],
            "ort_fused_operators": fused,
            "torch": peer.torch_version,
            "onnxruntime": ort32.version,
        }
        with open(a.json, "w") as f:
            json.dump(result, f, indent=2)


if __name__ == "__main__":
    main()
