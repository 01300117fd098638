//! The Spark task function of `integrations/spark` on its own (pyspark's types, no Spark
//! job): it declares sentir's output schema and reports a failing sentir with its reason.
//! Needs `make spark-setup`; `SENTIR_SKIP_SPARK=1` skips.

mod common;

use common::{root, spark_python_or_skip as python_or_skip};
use std::process::Command;

/// Without a JVM: `run_batches` streams batches through the real binary; the schema
/// `sentir_spark` declares to Spark is the one sentir writes (an input `sentiment` column is
/// replaced in place); a failing sentir raises with its stderr and exit code.
#[test]
fn task_function_declares_sentirs_schema_and_reports_its_failures() {
    let Some(py) = python_or_skip() else { return };
    let script = r#"
import sys
sys.path.insert(0, sys.argv[1])
import pyarrow as pa
import sentir_spark as s
from pyspark.sql.types import LongType, StringType, StructField, StructType
from pyspark.sql.pandas.types import to_arrow_schema

binary, model = sys.argv[2], sys.argv[3]
batch = pa.record_batch({"id": pa.array([1, 2], pa.int64()), "sentiment": ["x", "y"],
                         "text": ["Muy buen producto", None]})
spark_schema = StructType([StructField("id", LongType()), StructField("sentiment", StringType()),
                           StructField("text", StringType())])
cmd = s.command(binary, "text", model, 1, "fp32")
out = list(s.run_batches(iter([batch, batch]), cmd))
assert [b.num_rows for b in out] == [2, 2], out
declared = to_arrow_schema(s.output_schema(spark_schema))
assert out[0].schema.names == declared.names, (out[0].schema.names, declared.names)
assert [f.type for f in out[0].schema] == [f.type for f in declared], (out[0].schema, declared)
assert out[0].column("error")[1].as_py().endswith('column "text" is null')
assert list(s.run_batches(iter([]), cmd)) == []
try:
    list(s.run_batches(iter([batch]), s.command(binary, "text", "/no/such/model", 1, "fp32")))
    raise SystemExit("no error for a missing model")
except RuntimeError as e:
    msg = str(e)
    assert "exit 2" in msg and "/no/such/model" in msg, msg
print("ok")
"#;
    let out = Command::new(py)
        .args(["-c", script])
        .arg(root().join("integrations/spark"))
        .arg(env!("CARGO_BIN_EXE_sentir"))
        .arg(root().join("tests/fixtures/models/bert-3class"))
        .output()
        .unwrap();
    let so = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && so.contains("ok"),
        "{so}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
