//! Language identification (whatlang), reported as ISO 639-1 codes where one exists.

/// The language of `text`, or `None` when whatlang cannot tell.
pub fn detect(text: &str) -> Option<&'static str> {
    let info = whatlang::detect(text)?;
    Some(iso639_1(info.lang()))
}

/// Two-letter code for the languages sellers meet most; ISO 639-3 for the rest.
pub fn iso639_1(lang: whatlang::Lang) -> &'static str {
    use whatlang::Lang::*;
    match lang {
        Spa => "es",
        Eng => "en",
        Por => "pt",
        Fra => "fr",
        Deu => "de",
        Ita => "it",
        Nld => "nl",
        Cat => "ca",
        Pol => "pl",
        Swe => "sv",
        Dan => "da",
        Nob => "no",
        Fin => "fi",
        Ces => "cs",
        Ron => "ro",
        Hun => "hu",
        Tur => "tr",
        Rus => "ru",
        Ukr => "uk",
        Ell => "el",
        Ara => "ar",
        Heb => "he",
        Hin => "hi",
        Jpn => "ja",
        Cmn => "zh",
        Kor => "ko",
        Vie => "vi",
        Ind => "id",
        Tha => "th",
        other => other.code(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn detects_spanish_and_english() {
        assert_eq!(
            super::detect("El pedido llegó roto y nadie me responde, quiero la devolución"),
            Some("es")
        );
        assert_eq!(
            super::detect("The parcel arrived damaged and nobody answers my messages"),
            Some("en")
        );
    }
}
