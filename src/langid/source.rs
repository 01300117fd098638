//! Where the output's `language` column comes from: detection, nothing, or a column of the
//! input (`--language-column`), whose values are normalised to ISO 639-1 codes.

use super::{Detector, LANGUAGES};
use crate::error::{Result, SentirError};
use crate::io::cell::{cell, column_names, find_column, Column};
use crate::io::{Row, RowSource};
use std::borrow::Cow;
use std::sync::Arc;

/// A language value given in the input (`--language-column`), as written to the output's
/// `language` column: trimmed; a two-letter code, alone or as the first part of a locale
/// (`ES`, `es-MX`, `pt_BR`), in lower case; an English language name of the default set
/// (`Spanish`, as UMSAB writes them) as its code; anything else unchanged.
pub fn normalize_given(value: &str) -> Cow<'_, str> {
    let v = value.trim();
    let primary = v.split(['-', '_']).next().unwrap_or("");
    if primary.len() == 2 && primary.bytes().all(|b| b.is_ascii_alphabetic()) {
        let code = primary.to_ascii_lowercase();
        if let Some(l) = LANGUAGES.iter().find(|l| l.0 == code) {
            return Cow::Borrowed(l.0);
        }
        return Cow::Owned(code);
    }
    if let Some(l) = LANGUAGES.iter().find(|l| l.2.eq_ignore_ascii_case(v)) {
        return Cow::Borrowed(l.0);
    }
    Cow::Borrowed(v)
}

/// Where the output's `language` column comes from.
#[derive(Clone, Debug)]
pub enum LanguageSource {
    /// Left empty (`--no-language`).
    Off,
    /// Detected from the text.
    Detect(Arc<Detector>),
    /// Taken from this input column or key (`--language-column`); nothing is detected.
    Column(String),
}

impl Default for LanguageSource {
    /// Detection over the default set of languages.
    fn default() -> Self {
        LanguageSource::Detect(Arc::new(Detector::default_set()))
    }
}

impl LanguageSource {
    /// Checks a given column against the input's columns (CSV header, Parquet schema; JSONL
    /// keys are looked up row by row): a column that is not there is a usage error naming
    /// the columns that are.
    pub fn resolve(&self, source: &dyn RowSource) -> Result<RowLanguage> {
        let name = match self {
            LanguageSource::Off => return Ok(RowLanguage::Off),
            LanguageSource::Detect(d) => return Ok(RowLanguage::Detect(d.clone())),
            LanguageSource::Column(name) => name,
        };
        let Some(names) = column_names(source) else {
            return Ok(RowLanguage::Given(Column::Key(name.clone())));
        };
        let index = find_column(&names, name).ok_or_else(|| {
            SentirError::Usage(format!(
                "language column {name:?} not found; the columns are: {}",
                names.join(", ")
            ))
        })?;
        Ok(RowLanguage::Given(Column::Index(index)))
    }
}

/// [`LanguageSource`] resolved against one input: what each row's language is.
#[derive(Clone, Debug)]
pub enum RowLanguage {
    /// None.
    Off,
    /// Detected.
    Detect(Arc<Detector>),
    /// The value of this column (CSV, text and Parquet field, or JSON key).
    Given(Column),
}

impl RowLanguage {
    /// The language of a row whose text is `text` (`None` with `--no-language`, or when the
    /// given column is empty or null).
    pub fn of(&self, row: &Row, text: &str) -> Option<Cow<'static, str>> {
        let given = match self {
            RowLanguage::Off => return None,
            RowLanguage::Detect(d) => return Some(Cow::Borrowed(d.detect(text))),
            RowLanguage::Given(column) => cell(row, column).ok().flatten()?,
        };
        let v = normalize_given(&given);
        (!v.is_empty()).then(|| Cow::Owned(v.into_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn given_values_are_normalised_to_codes_where_clear() {
        assert_eq!(normalize_given(" ES "), "es");
        assert_eq!(normalize_given("es-MX"), "es");
        assert_eq!(normalize_given("pt_BR"), "pt");
        assert_eq!(normalize_given("Spanish"), "es");
        assert_eq!(normalize_given("sv"), "sv");
        assert_eq!(normalize_given("Klingon"), "Klingon");
        assert_eq!(normalize_given(""), "");
    }
}
