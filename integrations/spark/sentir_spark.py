"""sentir on Apache Spark: one `sentir classify` process per task, fed by Spark.

`classify(df)` returns `df` with sentir's label columns appended. It is built on
`DataFrame.mapInArrow`: each task starts one sentir process and streams the partition's Arrow
record batches to its stdin while it reads the labelled batches back from its stdout (Arrow IPC
both ways, batch by batch, so memory stays bounded). Row problems stay row problems (the
`error` column); a sentir process that fails fails the task, with sentir's stderr in the error.

The binary is found, on each executor, from the `binary` argument, else `$SENTIR_BIN`, else
the bundle of `make dist` shipped with `--archives sentir-….tar.gz#sentir`, else `sentir` on
the PATH. Without `model`, the binary's own default model is used (the bundle's
`models/default`).
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import sys
import threading
from typing import Iterator, Optional

from pyspark.sql import DataFrame
from pyspark.sql.types import BooleanType, FloatType, StringType, StructField, StructType

#: sentir's label columns and their Spark types (as sentir writes them to Parquet and Arrow).
LABEL_COLUMNS = [
    ("sentiment", StringType()),
    ("score", FloatType()),
    ("p_negative", FloatType()),
    ("p_neutral", FloatType()),
    ("p_positive", FloatType()),
    ("mixed", BooleanType()),
    ("reason", StringType()),
    ("reason_score", FloatType()),
    ("language", StringType()),
    ("error", StringType()),
]

#: The alias `--archives` gives the bundle (`…tar.gz#sentir`).
ARCHIVE_ALIAS = "sentir"


def output_schema(schema: StructType) -> StructType:
    """The schema sentir writes for `schema`: a field named like a label column is replaced in
    place by it, the other label columns are appended (all nullable)."""
    fields = list(schema.fields)
    names = [f.name for f in fields]
    for name, dtype in LABEL_COLUMNS:
        field = StructField(name, dtype, True)
        if name in names:
            fields[names.index(name)] = field
        else:
            fields.append(field)
            names.append(name)
    return StructType(fields)


def find_binary(binary: Optional[str] = None) -> str:
    """The sentir binary on this machine (see the module's doc for the order)."""
    if binary:
        return binary
    if os.environ.get("SENTIR_BIN"):
        return os.environ["SENTIR_BIN"]
    roots = [os.getcwd()]
    try:
        from pyspark import SparkFiles

        roots.append(SparkFiles.getRootDirectory())
    except Exception:  # outside a Spark task
        pass
    for root in roots:
        for candidate in sorted(glob.glob(os.path.join(root, ARCHIVE_ALIAS, "*", "sentir"))):
            if os.access(candidate, os.X_OK):
                return candidate
    found = shutil.which("sentir")
    if found:
        return found
    raise RuntimeError(
        "sentir binary not found: pass binary=, set SENTIR_BIN, ship the `make dist` bundle "
        "with --archives sentir-<version>-linux-x86_64.tar.gz#sentir, or put sentir on the PATH"
    )


def command(binary: str, text_col: str, model: Optional[str], threads: int, precision: str):
    """The sentir command line of one task: Arrow IPC from stdin to stdout."""
    cmd = [
        binary, "classify", "-", "-o", "-", "--format", "arrow", "--output-format", "arrow",
        "--text-column", text_col, "--threads", str(threads), "--precision", precision, "--quiet",
    ]
    if model:
        cmd += ["--model", model]
    return cmd


def run_batches(batches: Iterator, cmd: list, env: Optional[dict] = None) -> Iterator:
    """Streams `batches` (pyarrow RecordBatches) through one sentir process, yielding its
    labelled batches as they come. Raises RuntimeError with sentir's stderr if it fails."""
    import pyarrow as pa

    it = iter(batches)
    first = next(it, None)
    if first is None:
        return
    proc = subprocess.Popen(
        cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env
    )
    stderr: list = []
    feed_errors: list = []

    def feed():
        try:
            with pa.ipc.new_stream(proc.stdin, first.schema) as writer:
                writer.write_batch(first)
                for batch in it:
                    writer.write_batch(batch)
        except (BrokenPipeError, OSError, pa.ArrowException) as e:
            # sentir stopped reading: its exit status and stderr say why.
            feed_errors.append(e)
        finally:
            try:
                proc.stdin.close()
            except OSError:
                pass

    feeder = threading.Thread(target=feed, daemon=True)
    drain = threading.Thread(target=lambda: stderr.append(proc.stderr.read()), daemon=True)
    feeder.start()
    drain.start()
    read_error = None
    try:
        reader = pa.ipc.open_stream(proc.stdout)
        for batch in reader:
            yield batch
    except pa.ArrowException as e:  # sentir died mid-stream (or before its schema)
        read_error = e
    finally:
        code = proc.wait()
        feeder.join()
        drain.join()
    message = (b"".join(stderr)).decode("utf-8", "replace").strip()
    # Exit 3: finished, some rows carry an error (they are in the output).
    if code not in (0, 3) or read_error is not None:
        raise RuntimeError(
            f"sentir failed (exit {code}) in this task: {message or read_error}\n"
            f"command: {' '.join(cmd)}"
        )
    if feed_errors:
        raise RuntimeError(f"sentir stopped reading its input: {feed_errors[0]}; {message}")


def classify(
    df: DataFrame,
    text_col: str = "text",
    model: Optional[str] = None,
    binary: Optional[str] = None,
    threads: Optional[int] = None,
    precision: str = "fp32",
) -> DataFrame:
    """`df` with sentir's label columns appended (or replaced in place where `df` already has
    them), one sentir process per task. `threads` defaults to `spark.task.cpus` (1): with
    N cores per executor, either N tasks of 1 thread, or `spark.task.cpus=N` and 1 task."""
    if text_col not in df.columns:
        raise ValueError(f"text column {text_col!r} not found; the columns are: {df.columns}")
    if threads is None:
        threads = int(df.sparkSession.conf.get("spark.task.cpus", "1"))
    schema = output_schema(df.schema)
    # The task function is shipped by value: executors need not have this module installed.
    from pyspark import cloudpickle

    cloudpickle.register_pickle_by_value(sys.modules[__name__])

    def run(batches):
        cmd = command(find_binary(binary), text_col, model, threads, precision)
        yield from run_batches(batches, cmd)

    return df.mapInArrow(run, schema)
