//! The columns `sentir report` reads: as given on the command line, as found in the file,
//! and where each one is in a row.

use crate::error::{Result, SentirError};
use crate::io::cell::{find_column, Column};

/// Date column names tried, case-insensitively and in this order, without `--date-column`.
pub const DATE_COLUMN_CANDIDATES: [&str; 4] = ["date", "sent_at", "created_at", "timestamp"];

/// The columns the report reads (names as given on the command line).
#[derive(Clone, Debug, Default)]
pub struct ReportColumns {
    /// Date column; `None` tries [`DATE_COLUMN_CANDIDATES`].
    pub date: Option<String>,
    /// Product column (per-product sections are left out without it).
    pub product: Option<String>,
    /// Thread / conversation id column (threads and response times need it).
    pub thread: Option<String>,
    /// Sender column (without it every row counts as a buyer message).
    pub sender: Option<String>,
    /// The sender value that marks buyer messages (compared case-insensitively).
    pub buyer_value: String,
    /// Text column, for quoting messages (auto-detected like `classify` does).
    pub text: Option<String>,
    /// Language column the sentiment is split by [default: `language`, classify's].
    pub language: Option<String>,
}

/// The columns actually used, as named in the file.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct ResolvedColumns {
    /// The date column.
    pub date: String,
    /// The product column, if any.
    pub product: Option<String>,
    /// The thread column, if any.
    pub thread: Option<String>,
    /// The sender column, if any.
    pub sender: Option<String>,
    /// The sender value of buyer messages (only with a sender column).
    pub buyer_value: Option<String>,
    /// The column quoted in the report as the message text, if found.
    pub text: Option<String>,
    /// The column the sentiment is split by language with, if any.
    pub language: Option<String>,
}

/// Where every column the report uses is, resolved against the file's column names.
pub(super) struct Getters {
    /// The names found.
    pub(super) resolved: ResolvedColumns,
    pub(super) date: Column,
    pub(super) product: Option<Column>,
    pub(super) thread: Option<Column>,
    pub(super) sender: Option<Column>,
    pub(super) text: Option<Column>,
    pub(super) sentiment: Column,
    pub(super) p_negative: Option<Column>,
    pub(super) language: Option<Column>,
    pub(super) reason: Option<Column>,
    pub(super) error: Option<Column>,
}

impl Getters {
    /// Resolves `cols` against the file's column names (`by_key`: JSONL keys); a named
    /// column that is not there is a usage error listing the columns.
    pub(super) fn resolve(names: &[String], cols: &ReportColumns, by_key: bool) -> Result<Getters> {
        let listing = || names.join(", ");
        let make = |i: usize| {
            if by_key {
                Column::Key(names[i].clone())
            } else {
                Column::Index(i)
            }
        };
        let required = |name: &str, flag: &str| -> Result<usize> {
            find_column(names, name).ok_or_else(|| {
                SentirError::Usage(format!(
                    "column {name:?} ({flag}) not found; the columns are: {}",
                    listing()
                ))
            })
        };
        let date = match &cols.date {
            Some(d) => required(d, "--date-column")?,
            None => DATE_COLUMN_CANDIDATES
                .iter()
                .find_map(|c| find_column(names, c))
                .ok_or_else(|| {
                    SentirError::Usage(format!(
                        "no date column found (tried {}; use --date-column NAME); the columns are: {}",
                        DATE_COLUMN_CANDIDATES.join(", "),
                        listing()
                    ))
                })?,
        };
        let optional = |c: &Option<String>, flag: &str| -> Result<Option<usize>> {
            c.as_deref().map(|name| required(name, flag)).transpose()
        };
        let product = optional(&cols.product, "--product-column")?;
        let thread = optional(&cols.thread, "--thread-column")?;
        let sender = optional(&cols.sender, "--sender-column")?;
        let sentiment = find_column(names, "sentiment").ok_or_else(|| {
            SentirError::Usage(format!(
                "column \"sentiment\" not found: report reads the output of `sentir classify`; the columns are: {}",
                listing()
            ))
        })?;
        let text = match &cols.text {
            Some(t) => Some(required(t, "--text-column")?),
            None => crate::io::find_text_column(names, None).ok(),
        };
        let label = |n: &str| find_column(names, n);
        let language = match &cols.language {
            Some(l) => Some(required(l, "--language-column")?),
            None => label("language"),
        };
        Ok(Getters {
            resolved: ResolvedColumns {
                date: names[date].clone(),
                product: product.map(|i| names[i].clone()),
                thread: thread.map(|i| names[i].clone()),
                sender: sender.map(|i| names[i].clone()),
                buyer_value: sender.map(|_| cols.buyer_value.clone()),
                text: text.map(|i| names[i].clone()),
                language: language.map(|i| names[i].clone()),
            },
            date: make(date),
            product: product.map(make),
            thread: thread.map(make),
            sender: sender.map(make),
            text: text.map(make),
            sentiment: make(sentiment),
            p_negative: label("p_negative").map(make),
            language: language.map(make),
            reason: label("reason").map(make),
            error: label("error").map(make),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_columns_are_named() {
        let names: Vec<String> = ["id", "sent_at", "text", "sentiment"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let cols = ReportColumns {
            product: Some("product".into()),
            buyer_value: "buyer".into(),
            ..Default::default()
        };
        let e = Getters::resolve(&names, &cols, false).err().unwrap();
        assert_eq!(e.exit_code(), 2);
        assert!(
            e.to_string()
                .contains("\"product\" (--product-column) not found"),
            "{e}"
        );
        assert!(
            e.to_string().contains("id, sent_at, text, sentiment"),
            "{e}"
        );
        let cols = ReportColumns {
            buyer_value: "buyer".into(),
            ..Default::default()
        };
        let g = Getters::resolve(&names, &cols, false).unwrap();
        assert_eq!(g.resolved.date, "sent_at");
        assert_eq!(g.resolved.text.as_deref(), Some("text"));
    }
}
