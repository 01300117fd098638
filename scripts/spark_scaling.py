"""Spark scaling, measured: the same rows through the job at local[1] and local[2], and one
`sentir classify` process beside them; writes out/spark-scaling.json and prints a table.

    .venv-spark/bin/python scripts/spark_scaling.py [--rows 20000] [--partitions 4]

Model load per task is measured as a whole `sentir classify` of one message (process start,
model and tokenizer load, one row), median of 3.
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

import pyarrow as pa
import pyarrow.parquet as pq

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, "target/release/sentir")


def timed(cmd, **kw):
    t = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **kw)
    return time.perf_counter() - t


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=20000)
    ap.add_argument("--partitions", type=int, default=4)
    args = ap.parse_args()
    with open(os.path.join(ROOT, "data/buyer_messages/train.csv"), newline="") as f:
        texts = [r["text"] for r in csv.DictReader(f)]
    tmp = tempfile.mkdtemp(prefix="sentir-scaling-")
    src = os.path.join(tmp, "in.parquet")
    rows = [texts[i % len(texts)] for i in range(args.rows)]
    pq.write_table(pa.table({"id": list(range(args.rows)), "text": rows}), src)
    one = os.path.join(tmp, "one.csv")
    with open(one, "w") as f:
        f.write("text\nEl pedido llegó bien\n")
    load = statistics.median(
        timed([BIN, "classify", one, "-o", os.path.join(tmp, "o.csv"), "--threads", "1", "-q"])
        for _ in range(3)
    )
    result = {"rows": args.rows, "partitions": args.partitions, "model_load_s": round(load, 2)}
    t = timed([BIN, "classify", src, "-o", os.path.join(tmp, "single.parquet"), "-q"])
    result["single_process_2_threads"] = {"seconds": round(t, 1), "rows_per_s": round(args.rows / t, 1)}
    for master in ("local[1]", "local[2]"):
        out = os.path.join(tmp, "out-" + master[6])
        t = timed([sys.executable, os.path.join(ROOT, "integrations/spark/classify.py"),
                   "--input", src, "--output", out, "--master", master,
                   "--partitions", str(args.partitions), "--binary", BIN])
        result[master] = {"seconds": round(t, 1), "rows_per_s": round(args.rows / t, 1)}
    os.makedirs(os.path.join(ROOT, "out"), exist_ok=True)
    with open(os.path.join(ROOT, "out/spark-scaling.json"), "w") as f:
        json.dump(result, f, indent=2)
    print(f"{args.rows} rows, {args.partitions} partitions; model load per task "
          f"{result['model_load_s']} s (1-row classify, median of 3)")
    print("| run | seconds | rows/s |\n|---|---|---|")
    for k in ("single_process_2_threads", "local[1]", "local[2]"):
        print(f"| {k} | {result[k]['seconds']} | {result[k]['rows_per_s']} |")


if __name__ == "__main__":
    main()
