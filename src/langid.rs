//! Language identification for short messages: lingua's n-gram models, restricted to the
//! languages sellers meet (or fewer, `--languages`), reported as ISO 639-1 codes, and
//! [`UNDETERMINED`] when the detector is not confident.
//!
//! Why restricted: a detector that may answer any of 75 languages calls short Spanish
//! messages Afrikaans or Esperanto; limited to the languages an export can hold, the same
//! models are right far more often (the measured figures are in the README).

use crate::error::{Result, SentirError};
use crate::io::{Payload, Row, RowSource};
use lingua::Language;
use std::borrow::Cow;
use std::sync::Arc;

/// The code written when the detector is not confident (ISO 639-2 "undetermined").
pub const UNDETERMINED: &str = "und";

/// Texts with fewer letters than this (see [`letter_count`]; links, mentions and hashtags
/// left out) get [`UNDETERMINED`]: `ok`, `thx`, `xd`, `A1` are no language, and the
/// detector's confidence on them is as high as on real short messages.
pub const MIN_LETTERS: usize = 4;

/// The language is detected from a message's first this many characters (cut at a space):
/// the detector's time grows with the length, its answers did not change past ≈160
/// characters on the corpus (447 characters on average) or on UMSAB val.
pub const MAX_CHARS: usize = 240;

/// The lowest confidence (lingua's normalised score of the most probable language, 0–1)
/// that is reported; below it the message gets [`UNDETERMINED`]. Measured on UMSAB val and
/// the corpus's train and val splits (see the README): below 0.25 the detector's answers
/// were right only about half the time (11 of 23), from 0.25 to 0.3 three times in four,
/// above 0.5 99.8%.
pub const MIN_CONFIDENCE: f64 = 0.25;

/// How much more likely than each other language a message is taken to be Spanish or
/// Portuguese before reading it, the languages most of the sellers' messages are in: the
/// detector's confidences are multiplied by it and normalised again. Measured on UMSAB val
/// and the corpus's train and val splits: 1.5 turns ambiguous short Spanish messages
/// (`odio esto`: Italian 0.36 without it) to Spanish and keeps every language's accuracy
/// within a point; 2 took Italian below 97%; favouring Spanish alone took Portuguese tweets
/// called Spanish from 1.2% to 2.5%.
pub const PRIOR: [(Language, f64); 2] = [(Language::Spanish, 1.5), (Language::Portuguese, 1.5)];

fn apply_prior(values: &mut [(Language, f64)]) {
    for v in values.iter_mut() {
        if let Some(p) = PRIOR.iter().find(|p| p.0 == v.0) {
            v.1 *= p.1;
        }
    }
    let sum: f64 = values.iter().map(|v| v.1).sum();
    if sum > 0.0 {
        for v in values.iter_mut() {
            v.1 /= sum;
        }
    }
    values.sort_by(|a, b| b.1.total_cmp(&a.1));
}

/// The languages detected by default: ISO 639-1 code, lingua's language, English name.
pub const LANGUAGES: [(&str, Language, &str); 16] = [
    ("es", Language::Spanish, "spanish"),
    ("pt", Language::Portuguese, "portuguese"),
    ("en", Language::English, "english"),
    ("fr", Language::French, "french"),
    ("de", Language::German, "german"),
    ("it", Language::Italian, "italian"),
    ("nl", Language::Dutch, "dutch"),
    ("ca", Language::Catalan, "catalan"),
    ("pl", Language::Polish, "polish"),
    ("ar", Language::Arabic, "arabic"),
    ("tr", Language::Turkish, "turkish"),
    ("ru", Language::Russian, "russian"),
    ("zh", Language::Chinese, "chinese"),
    ("ja", Language::Japanese, "japanese"),
    ("ko", Language::Korean, "korean"),
    ("hi", Language::Hindi, "hindi"),
];

/// A first, quick look (whatlang, restricted to the same languages) is kept when its
/// confidence reaches this; lingua reads the rest. Measured on UMSAB val, the buyer messages
/// and the corpus's train and val splits: at 0.9, 0.95 and 0.99 the figures against lingua
/// alone did not change but for one Spanish corpus text more and one Portuguese text less
/// right, and detection took ≈40% of lingua's time alone.
pub const QUICK_MIN_CONFIDENCE: f64 = 0.95;

/// whatlang's name of each of [`LANGUAGES`], in the same order.
const WHATLANG: [whatlang::Lang; 16] = {
    use whatlang::Lang::*;
    [
        Spa, Por, Eng, Fra, Deu, Ita, Nld, Cat, Pol, Ara, Tur, Rus, Cmn, Jpn, Kor, Hin,
    ]
};

/// The default set's codes, comma-separated (for help texts and messages).
pub fn default_codes() -> String {
    LANGUAGES.map(|l| l.0).join(",")
}

/// Parses `--languages es,pt,en`: ISO 639-1 codes of the default set (any case, spaces
/// allowed, repeats ignored). An unknown or unsupported code is a usage error naming it.
pub fn parse_languages(spec: &str) -> Result<Vec<&'static str>> {
    let mut out: Vec<&'static str> = Vec::new();
    for raw in spec.split(',') {
        let code = raw.trim().to_ascii_lowercase();
        if code.is_empty() {
            continue;
        }
        match LANGUAGES.iter().find(|l| l.0 == code) {
            Some(l) if !out.contains(&l.0) => out.push(l.0),
            Some(_) => {}
            None => {
                return Err(SentirError::Usage(format!(
                    "--languages: unknown or unsupported language code {:?}; the supported \
                     ISO 639-1 codes are {}",
                    raw.trim(),
                    default_codes()
                )))
            }
        }
    }
    if out.is_empty() {
        return Err(SentirError::Usage(
            "--languages needs at least one ISO 639-1 code".into(),
        ));
    }
    Ok(out)
}

fn code_of(lang: Language) -> &'static str {
    LANGUAGES
        .iter()
        .find(|l| l.1 == lang)
        .map(|l| l.0)
        .expect("the detector only knows the languages of LANGUAGES")
}

/// A language detector restricted to a set of languages. Built once per run and shared by
/// the rayon workers (it is `Sync`; the n-gram models are compiled into the binary and
/// read in place, loaded the first time a language is needed).
pub struct Detector {
    inner: lingua::LanguageDetector,
    quick: whatlang::Detector,
    codes: Vec<&'static str>,
    min_confidence: f64,
}

impl std::fmt::Debug for Detector {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Detector")
            .field("codes", &self.codes)
            .field("min_confidence", &self.min_confidence)
            .finish()
    }
}

impl Detector {
    /// A detector for `codes` (from [`parse_languages`] or [`LANGUAGES`]) that answers
    /// [`UNDETERMINED`] below [`MIN_CONFIDENCE`].
    pub fn new(codes: &[&'static str]) -> Detector {
        Detector::with_min_confidence(codes, MIN_CONFIDENCE)
    }

    /// The default set of languages.
    pub fn default_set() -> Detector {
        Detector::new(&LANGUAGES.map(|l| l.0))
    }

    /// As [`Detector::new`] with another threshold (for measuring it).
    pub fn with_min_confidence(codes: &[&'static str], min_confidence: f64) -> Detector {
        let langs: Vec<Language> = codes
            .iter()
            .filter_map(|c| LANGUAGES.iter().find(|l| l.0 == *c).map(|l| l.1))
            .collect();
        assert!(!langs.is_empty(), "a detector needs at least one language");
        let inner = lingua::LanguageDetectorBuilder::from_languages(&langs).build();
        let quick = whatlang::Detector::with_allowlist(
            codes
                .iter()
                .filter_map(|c| LANGUAGES.iter().position(|l| l.0 == *c))
                .map(|i| WHATLANG[i])
                .collect(),
        );
        Detector {
            inner,
            quick,
            codes: codes.to_vec(),
            min_confidence,
        }
    }

    /// The languages it can answer.
    pub fn codes(&self) -> &[&'static str] {
        &self.codes
    }

    /// The confidence below which it answers [`UNDETERMINED`].
    pub fn min_confidence(&self) -> f64 {
        self.min_confidence
    }

    /// The most probable language and its confidence (0–1): whatlang's when it is sure
    /// ([`QUICK_MIN_CONFIDENCE`]), else lingua's; `None` when the text gives
    /// nothing to go on: fewer than [`MIN_LETTERS`] letters once links, e-mail addresses,
    /// @mentions and #hashtags are left out (see [`words_to_detect`]), or none of a script
    /// the languages use.
    pub fn best(&self, text: &str) -> Option<(&'static str, f64)> {
        let words = words_to_detect(text);
        let words = head(&words, MAX_CHARS);
        if letter_count(words) < MIN_LETTERS {
            return None;
        }
        if self.codes.len() > 1 {
            if let Some(info) = self.quick.detect(words) {
                if info.confidence() >= QUICK_MIN_CONFIDENCE {
                    if let Some(i) = WHATLANG.iter().position(|l| *l == info.lang()) {
                        return Some((LANGUAGES[i].0, info.confidence()));
                    }
                }
            }
        }
        let mut values = self.inner.compute_language_confidence_values(words);
        apply_prior(&mut values);
        let (lang, conf) = values.into_iter().next()?;
        (conf > 0.0).then(|| (code_of(lang), conf))
    }

    /// The ISO 639-1 code of `text`'s language, or [`UNDETERMINED`].
    pub fn detect(&self, text: &str) -> &'static str {
        match self.best(text) {
            Some((code, conf)) if conf >= self.min_confidence => code,
            _ => UNDETERMINED,
        }
    }
}

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

/// The part of `text` the language is detected from: its words without links
/// (`https://…`, `www.…`), e-mail addresses and @mentions (anything with an `@`),
/// #hashtags and a retweet's leading `RT`: mostly names, brands and English whatever the
/// message's language. A text with no other words is read from its hashtags (without `#`).
pub fn words_to_detect(text: &str) -> Cow<'_, str> {
    let skip = |w: &str| {
        let lower = w.get(..5).map(str::to_ascii_lowercase);
        w.starts_with('#')
            || w.contains('@')
            || w.contains("://")
            || lower.as_deref() == Some("http:")
            || lower.as_deref() == Some("https")
            || w.eq_ignore_ascii_case("http")
            || lower.as_deref().is_some_and(|l| l.starts_with("www."))
    };
    let trimmed = text.trim_start();
    let rest = match trimmed.strip_prefix("RT ") {
        Some(r) if r.trim_start().starts_with('@') => r,
        _ => text,
    };
    if rest.len() == text.len() && !text.split_whitespace().any(skip) {
        return Cow::Borrowed(text);
    }
    let kept: Vec<&str> = rest.split_whitespace().filter(|w| !skip(w)).collect();
    if kept.iter().any(|w| w.chars().any(char::is_alphabetic)) {
        return Cow::Owned(kept.join(" "));
    }
    let tags: Vec<&str> = rest
        .split_whitespace()
        .filter_map(|w| w.strip_prefix('#'))
        .collect();
    Cow::Owned(tags.join(" "))
}

/// At most the first `max` characters of `text`, cut at a space when there is one.
fn head(text: &str, max: usize) -> &str {
    match text.char_indices().nth(max) {
        None => text,
        Some((end, _)) => {
            let cut = text[..end].rfind(char::is_whitespace).unwrap_or(end);
            &text[..cut]
        }
    }
}

/// Letters in `text`, a Chinese, Japanese or Korean character counting as two (one of them
/// often is a word).
pub fn letter_count(text: &str) -> usize {
    text.chars()
        .map(|c| match c as u32 {
            0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xAC00..=0xD7AF => 2,
            _ if c.is_alphabetic() => 1,
            _ => 0,
        })
        .sum()
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
        let names: Option<Vec<String>> = if let Some(schema) = source.arrow_schema() {
            Some(schema.fields().iter().map(|f| f.name().clone()).collect())
        } else {
            source.columns().map(|cols| {
                cols.iter()
                    .map(|c| String::from_utf8_lossy(c).into_owned())
                    .collect()
            })
        };
        let Some(names) = names else {
            return Ok(RowLanguage::Key(name.clone()));
        };
        let index = names
            .iter()
            .position(|c| c == name)
            .or_else(|| names.iter().position(|c| c.eq_ignore_ascii_case(name)))
            .ok_or_else(|| {
                SentirError::Usage(format!(
                    "language column {name:?} not found; the columns are: {}",
                    names.join(", ")
                ))
            })?;
        Ok(RowLanguage::Field(index))
    }
}

/// [`LanguageSource`] resolved against one input: what each row's language is.
#[derive(Clone, Debug)]
pub enum RowLanguage {
    /// None.
    Off,
    /// Detected.
    Detect(Arc<Detector>),
    /// The value of this field (CSV, text, Parquet column index).
    Field(usize),
    /// The value of this JSON key.
    Key(String),
}

impl RowLanguage {
    /// The language of a row whose text is `text` (`None` with `--no-language`, or when the
    /// given column is empty or null).
    pub fn of(&self, row: &Row, text: &str) -> Option<Cow<'static, str>> {
        let given = match self {
            RowLanguage::Off => return None,
            RowLanguage::Detect(d) => return Some(Cow::Borrowed(d.detect(text))),
            RowLanguage::Field(i) => field_value(&row.payload, *i),
            RowLanguage::Key(k) => match &row.payload {
                Payload::Object(map) => match map.get(k) {
                    None | Some(serde_json::Value::Null) => None,
                    Some(serde_json::Value::String(s)) => Some(s.clone()),
                    Some(other) => Some(other.to_string()),
                },
                _ => None,
            },
        }?;
        let v = normalize_given(&given);
        (!v.is_empty()).then(|| Cow::Owned(v.into_owned()))
    }
}

fn field_value(payload: &Payload, i: usize) -> Option<String> {
    match payload {
        Payload::Fields(rec) => rec.get(i).map(|b| String::from_utf8_lossy(b).into_owned()),
        Payload::Arrow { batch, row } => {
            let col = batch.columns().get(i)?.slice(*row, 1);
            crate::io::arrow_values::column_strings(&col)
                .ok()?
                .into_iter()
                .next()
                .flatten()
        }
        Payload::Object(_) | Payload::Raw(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::LazyLock;

    static DETECTOR: LazyLock<Detector> = LazyLock::new(Detector::default_set);

    #[test]
    fn the_issues_short_spanish_messages_are_spanish() {
        assert_eq!(
            DETECTOR.detect("El pedido llegó roto y nadie me responde"),
            "es"
        );
        assert_eq!(DETECTOR.detect("odio esto"), "es");
        assert_eq!(
            DETECTOR.detect("El pedido llegó roto y nadie me responde, quiero la devolución"),
            "es"
        );
    }

    #[test]
    fn common_languages_come_out_as_iso_639_1() {
        let cases = [
            (
                "The parcel arrived damaged and nobody answers my messages",
                "en",
            ),
            ("A encomenda chegou danificada e ninguém responde", "pt"),
            ("Le colis est arrivé abîmé et personne ne répond", "fr"),
            ("Das Paket kam beschädigt an und niemand antwortet", "de"),
            ("Il pacco è arrivato danneggiato e nessuno risponde", "it"),
            ("Het pakket kwam beschadigd aan en niemand antwoordt", "nl"),
            ("El paquet va arribar trencat i ningú no em respon", "ca"),
            ("Paczka przyszła uszkodzona i nikt nie odpowiada", "pl"),
            ("وصل الطرد تالفا ولا أحد يرد", "ar"),
            ("Paket hasarlı geldi ve kimse cevap vermiyor", "tr"),
            ("Посылка пришла повреждённой, и никто не отвечает", "ru"),
            ("包裹到了，但是坏了，没有人回复我", "zh"),
            ("荷物が壊れて届きましたが、誰も返事をくれません", "ja"),
            ("소포가 파손된 채로 도착했는데 아무도 답하지 않아요", "ko"),
            ("पार्सल टूटा हुआ आया और कोई जवाब नहीं देता", "hi"),
        ];
        for (text, want) in cases {
            assert_eq!(DETECTOR.detect(text), want, "{text}");
        }
    }

    #[test]
    fn every_answer_is_a_two_letter_code_or_und() {
        let texts = [
            "ok",
            "gracias!!",
            "thx",
            "Merci",
            "jajaja",
            "kkkkk",
            "El pedido llegó roto",
            "mera order kab aayega bhai",
            "¿?",
            "Tack för hjälpen",
            "Dziękuję",
        ];
        for t in texts {
            let c = DETECTOR.detect(t);
            assert!(
                c == UNDETERMINED || LANGUAGES.iter().any(|l| l.0 == c),
                "{t}: {c}"
            );
        }
    }

    #[test]
    fn links_mentions_and_hashtags_are_left_out() {
        assert_eq!(
            words_to_detect("RT @user: ¡Qué día! #MasterChefBR http https://t.co/x www.x.es a@b.c"),
            "¡Qué día!"
        );
        assert_eq!(words_to_detect("sin nada raro"), "sin nada raro");
        assert_eq!(
            words_to_detect("#Encontro @user #MaisVoce"),
            "Encontro MaisVoce"
        );
        assert_eq!(words_to_detect("https://x.y/pedido @user"), "");
        assert_eq!(DETECTOR.detect("odio esto #BlackFriday @amazonhelp"), "es");
    }

    #[test]
    fn long_texts_are_read_from_their_head() {
        assert_eq!(head("uno dos tres", 7), "uno");
        assert_eq!(head("unodostres", 4), "unod");
        assert_eq!(head("ñandú", 10), "ñandú");
        assert_eq!(head("ññññ ññ", 5), "ññññ");
        let long = format!(
            "{} {}",
            "El pedido llegó roto. ".repeat(20),
            "x".repeat(10_000)
        );
        assert_eq!(DETECTOR.detect(&long), "es");
    }

    #[test]
    fn letters_are_counted_cjk_twice() {
        assert_eq!(letter_count("ok 123!"), 2);
        assert_eq!(letter_count("谢谢"), 4);
        assert_eq!(letter_count("감사"), 4);
        assert_eq!(letter_count("ありがとう"), 10);
        assert_eq!(letter_count("шрифт"), 5);
        assert_eq!(DETECTOR.detect("谢谢"), "zh");
    }

    #[test]
    fn nothing_to_go_on_is_und() {
        for t in [
            "ok 123",
            "😀😀👍",
            "12345",
            "!!!",
            "   ",
            "https://x.y/1",
            "OK!!",
            "xd",
            "A1",
            "thx",
        ] {
            assert_eq!(DETECTOR.detect(t), UNDETERMINED, "{t:?}");
        }
    }

    #[test]
    fn a_restricted_set_only_answers_its_languages() {
        let d = Detector::new(&parse_languages("es, PT").unwrap());
        assert_eq!(d.codes(), ["es", "pt"]);
        assert_eq!(d.detect("El pedido llegó roto y nadie me responde"), "es");
        assert_eq!(
            d.detect("A encomenda chegou danificada e ninguém responde"),
            "pt"
        );
        let en = d.detect("The parcel arrived damaged and nobody answers my messages");
        assert!(en == "es" || en == "pt" || en == UNDETERMINED, "{en}");
    }

    #[test]
    fn unknown_language_codes_are_usage_errors_naming_them() {
        let e = parse_languages("es,xx").unwrap_err();
        assert!(matches!(e, SentirError::Usage(_)));
        assert!(e.to_string().contains("\"xx\""), "{e}");
        assert!(parse_languages("sv").is_err(), "not in the built-in set");
        assert!(parse_languages(" , ").is_err());
        assert_eq!(parse_languages("es,es,en").unwrap(), ["es", "en"]);
    }

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
