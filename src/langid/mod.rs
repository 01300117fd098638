//! Language identification for short messages: lingua's n-gram models, restricted to the
//! languages sellers meet (or fewer, `--languages`), reported as ISO 639-1 codes, and
//! [`UNDETERMINED`] when the detector is not confident.
//!
//! Why restricted: a detector that may answer any of 75 languages calls short Spanish
//! messages Afrikaans or Esperanto; limited to the languages an export can hold, the same
//! models are right far more often (the measured figures are in the README).

mod source;
mod words;

pub use source::{normalize_given, LanguageSource, RowLanguage};
pub use words::{letter_count, words_to_detect};

use crate::error::{Result, SentirError};
use lingua::Language;
use words::head;

/// The code written when the detector is not confident (ISO 639-2 "undetermined").
pub const UNDETERMINED: &str = "und";

/// Texts with fewer letters than this (see [`letter_count`]; links, mentions and hashtags
/// left out) get [`UNDETERMINED`]: `ok`, `thx`, `xd`, `A1` are no language, and the
/// detector's confidence on them is as high as on real short messages.
pub const MIN_LETTERS: usize = 4;

/// The language is detected from a message's first this many characters (cut at a space):
/// the detector's time grows with the length, its answers do not past that (measured: the
/// README's Language section).
pub const MAX_CHARS: usize = 240;

/// The lowest confidence (lingua's normalised score of the most probable language, 0–1)
/// that is reported; below it the message gets [`UNDETERMINED`] (how it was chosen: the
/// README's Language section).
pub const MIN_CONFIDENCE: f64 = 0.25;

/// How much more likely than each other language a message is taken to be Spanish or
/// Portuguese before reading it, the languages most of the sellers' messages are in: the
/// detector's confidences are multiplied by it and normalised again (how it was chosen: the
/// README's Language section).
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
/// confidence reaches this; lingua reads the rest (what it changes and saves: the README's
/// Language section).
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
        assert_eq!(DETECTOR.detect("odio esto #BlackFriday @amazonhelp"), "es");
    }

    #[test]
    fn long_texts_are_read_from_their_head() {
        let long = format!(
            "{} {}",
            "El pedido llegó roto. ".repeat(20),
            "x".repeat(10_000)
        );
        assert_eq!(DETECTOR.detect(&long), "es");
    }

    #[test]
    fn letters_are_counted_cjk_twice() {
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
}
