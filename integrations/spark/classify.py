"""Label an export (or a data lake's directory of them) on Spark and write Parquet.

    python integrations/spark/classify.py --input PATH --output DIR [--master URL]
        [--text-column C] [--model DIR] [--format csv|jsonl|parquet] [--partitions N]
        [--archive BUNDLE.tar.gz | --binary PATH] [--threads N] [--precision fp32|auto|bf16|int8]

PATH is a file or a directory (CSV as real exports are: a header, quoted fields with
newlines, a UTF-8 BOM; JSONL one object per line; Parquet). DIR receives Spark's Parquet
parts, which `sentir report DIR` reads. On a cluster, submit this file with spark-submit and
ship the `make dist` bundle with `--archives dist/sentir-<version>-linux-x86_64.tar.gz#sentir`
(see the README).
"""

from __future__ import annotations

import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import sentir_spark  # noqa: E402

BOM = "\ufeff"


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--input", required=True, help="file or directory to read")
    p.add_argument("--output", required=True, help="directory for the Parquet output")
    p.add_argument("--master", help="Spark master URL (default: spark-submit's, else local[*])")
    p.add_argument("--text-column", default="text")
    p.add_argument("--model", help="model directory on every executor (default: the binary's)")
    p.add_argument("--format", choices=["csv", "jsonl", "parquet"], help="default: by extension")
    p.add_argument("--partitions", type=int, help="repartition the input into N partitions")
    p.add_argument("--archive", help="the `make dist` bundle to ship to the executors (as "
                   "spark-submit --archives BUNDLE#sentir does)")
    p.add_argument("--binary", help="sentir binary on every executor (default: see sentir_spark)")
    p.add_argument("--threads", type=int, help="sentir threads per task (default: spark.task.cpus)")
    p.add_argument("--precision", default="fp32", choices=["fp32", "auto", "bf16", "int8"],
                   help="fp32 by default on a cluster: auto resolves per executor, so nodes with "
                   "different CPUs could label with different modes")
    return p.parse_args(argv)


def input_format(path: str, given):
    if given:
        return given
    probe = path
    if os.path.isdir(path):
        names = sorted(n for n in os.listdir(path) if not n.startswith((".", "_")))
        probe = names[0] if names else ""
    for ext, fmt in ((".parquet", "parquet"), (".jsonl", "jsonl"), (".ndjson", "jsonl"),
                     (".json", "jsonl"), (".csv", "csv")):
        if probe.lower().endswith(ext):
            return fmt
    raise SystemExit(f"cannot tell the format of {path}: pass --format csv|jsonl|parquet")


def read(spark, path: str, fmt: str):
    if fmt == "parquet":
        return spark.read.parquet(path)
    if fmt == "jsonl":
        return spark.read.json(path, mode="PERMISSIVE")
    # Real exports: a header, RFC 4180 quoting with "" escapes and newlines inside quotes.
    df = (
        spark.read.option("header", True)
        .option("multiLine", True)
        .option("quote", '"')
        .option("escape", '"')
        .option("encoding", "UTF-8")
        .option("inferSchema", False)
        .csv(path)
    )
    # A UTF-8 BOM ends up in the first column's name.
    renamed = [c[len(BOM):] if c.startswith(BOM) else c for c in df.columns]
    return df.toDF(*renamed) if renamed != df.columns else df


def main(argv=None) -> int:
    args = parse_args(argv)
    from pyspark.sql import SparkSession

    if args.master and args.master.startswith("local"):
        # Local workers run this interpreter (the one with pyarrow); clusters set their own.
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    builder = SparkSession.builder.appName("sentir-classify")
    if args.master:
        builder = builder.master(args.master)
    if args.archive:
        builder = builder.config("spark.archives", f"{os.path.abspath(args.archive)}#{sentir_spark.ARCHIVE_ALIAS}")
    spark = builder.getOrCreate()
    try:
        df = read(spark, args.input, input_format(args.input, args.format))
        if args.partitions:
            df = df.repartition(args.partitions)
        labelled = sentir_spark.classify(
            df,
            text_col=args.text_column,
            model=args.model,
            binary=args.binary,
            threads=args.threads,
            precision=args.precision,
        )
        labelled.write.mode("overwrite").parquet(args.output)
    finally:
        spark.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
