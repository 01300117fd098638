//! Arrow values as text: what the readers of labelled exports and the training-data reader
//! see of a record batch's cells (strings as they are, numbers, dates and timestamps
//! formatted).

use arrow_array::cast::AsArray;
use arrow_array::temporal_conversions;
use arrow_array::types::{
    Date32Type, Date64Type, Float32Type, Float64Type, Int16Type, Int32Type, Int64Type, Int8Type,
    TimestampMicrosecondType, TimestampMillisecondType, TimestampNanosecondType,
    TimestampSecondType, UInt16Type, UInt32Type, UInt64Type, UInt8Type,
};
use arrow_array::{Array, RecordBatch};
use arrow_schema::{DataType, TimeUnit};

/// Whether a column holds strings (plain, large, view or dictionary-encoded).
pub fn is_text_type(dt: &DataType) -> bool {
    match dt {
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => true,
        DataType::Dictionary(_, v) => is_text_type(v),
        _ => false,
    }
}

/// Every value of a column as text (`None` for null): strings as they are, numbers and
/// booleans as written by Rust, dates as `YYYY-MM-DD`, timestamps as RFC 3339 (`…Z` when the
/// column has a time zone, since Arrow stores those in UTC; without one, the wall-clock time
/// and no offset). The error names an unsupported type.
pub fn column_strings(col: &dyn Array) -> std::result::Result<Vec<Option<String>>, String> {
    let dt = col.data_type();
    Ok(match dt {
        DataType::Null => vec![None; col.len()],
        DataType::Utf8 => strings(col.as_string::<i32>().iter()),
        DataType::LargeUtf8 => strings(col.as_string::<i64>().iter()),
        DataType::Utf8View => strings(col.as_string_view().iter()),
        DataType::Boolean => col
            .as_boolean()
            .iter()
            .map(|v| v.map(|b| b.to_string()))
            .collect(),
        DataType::Int8 => prim::<Int8Type>(col),
        DataType::Int16 => prim::<Int16Type>(col),
        DataType::Int32 => prim::<Int32Type>(col),
        DataType::Int64 => prim::<Int64Type>(col),
        DataType::UInt8 => prim::<UInt8Type>(col),
        DataType::UInt16 => prim::<UInt16Type>(col),
        DataType::UInt32 => prim::<UInt32Type>(col),
        DataType::UInt64 => prim::<UInt64Type>(col),
        DataType::Float32 => prim::<Float32Type>(col),
        DataType::Float64 => prim::<Float64Type>(col),
        DataType::Date32 => dates(
            col.as_primitive::<Date32Type>().iter(),
            temporal_conversions::date32_to_datetime,
        ),
        DataType::Date64 => dates(
            col.as_primitive::<Date64Type>().iter(),
            temporal_conversions::date64_to_datetime,
        ),
        DataType::Timestamp(unit, tz) => {
            let utc = tz.is_some();
            match unit {
                TimeUnit::Second => timestamps::<TimestampSecondType>(col, utc),
                TimeUnit::Millisecond => timestamps::<TimestampMillisecondType>(col, utc),
                TimeUnit::Microsecond => timestamps::<TimestampMicrosecondType>(col, utc),
                TimeUnit::Nanosecond => timestamps::<TimestampNanosecondType>(col, utc),
            }
        }
        DataType::Dictionary(_, _) => dictionary(col)?,
        other => return Err(other.to_string()),
    })
}

fn strings<'a>(values: impl Iterator<Item = Option<&'a str>>) -> Vec<Option<String>> {
    values.map(|v| v.map(str::to_string)).collect()
}

fn prim<T: arrow_array::ArrowPrimitiveType>(col: &dyn Array) -> Vec<Option<String>>
where
    T::Native: ToString,
{
    col.as_primitive::<T>()
        .iter()
        .map(|v| v.map(|x| x.to_string()))
        .collect()
}

/// Dates as `YYYY-MM-DD`.
fn dates<N>(
    values: impl Iterator<Item = Option<N>>,
    to_datetime: fn(N) -> Option<chrono::NaiveDateTime>,
) -> Vec<Option<String>> {
    values
        .map(|v| {
            v.and_then(to_datetime)
                .map(|d| d.format("%Y-%m-%d").to_string())
        })
        .collect()
}

/// Timestamps as RFC 3339, with `Z` for columns with a time zone (stored in UTC).
fn timestamps<T: arrow_array::ArrowPrimitiveType<Native = i64>>(
    col: &dyn Array,
    utc: bool,
) -> Vec<Option<String>> {
    let fmt = if utc {
        "%Y-%m-%dT%H:%M:%S%.fZ"
    } else {
        "%Y-%m-%dT%H:%M:%S%.f"
    };
    col.as_primitive::<T>()
        .iter()
        .map(|v| {
            v.and_then(temporal_conversions::as_datetime::<T>)
                .map(|d| d.format(fmt).to_string())
        })
        .collect()
}

/// A dictionary-encoded column: each key's value as text.
fn dictionary(col: &dyn Array) -> std::result::Result<Vec<Option<String>>, String> {
    let dict = col.as_any_dictionary();
    let values = column_strings(dict.values().as_ref())?;
    if values.is_empty() {
        return Ok(vec![None; col.len()]);
    }
    let keys = dict.normalized_keys();
    Ok((0..col.len())
        .map(|i| {
            if col.is_null(i) {
                None
            } else {
                values.get(keys[i]).cloned().flatten()
            }
        })
        .collect())
}

/// One value of a batch as text, formatted like [`column_strings`] (`None` for null).
pub fn value_string(
    batch: &RecordBatch,
    col: usize,
    row: usize,
) -> std::result::Result<Option<String>, String> {
    let one = batch.column(col).slice(row, 1);
    Ok(column_strings(one.as_ref())?.pop().flatten())
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_array::TimestampMillisecondArray;

    #[test]
    fn values_as_strings() {
        let ts = TimestampMillisecondArray::from(vec![Some(1_790_000_000_000), None])
            .with_timezone("UTC");
        assert_eq!(
            column_strings(&ts).unwrap(),
            [Some("2026-09-21T14:13:20Z".to_string()), None]
        );
        let naive = TimestampMillisecondArray::from(vec![1_790_000_000_500]);
        assert_eq!(
            column_strings(&naive).unwrap(),
            [Some("2026-09-21T14:13:20.500".to_string())]
        );
    }
}
