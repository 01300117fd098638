//! The part of a message its language is read from: words without links, mentions and
//! hashtags, the first characters only, and how many letters they hold.

use std::borrow::Cow;

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
pub(super) fn head(text: &str, max: usize) -> &str {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_mentions_and_hashtags_are_removed() {
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
    }

    #[test]
    fn heads_are_cut_at_a_space() {
        assert_eq!(head("uno dos tres", 7), "uno");
        assert_eq!(head("unodostres", 4), "unod");
        assert_eq!(head("ñandú", 10), "ñandú");
        assert_eq!(head("ññññ ññ", 5), "ññññ");
    }

    #[test]
    fn letters_are_counted_cjk_twice() {
        assert_eq!(letter_count("ok 123!"), 2);
        assert_eq!(letter_count("谢谢"), 4);
        assert_eq!(letter_count("감사"), 4);
        assert_eq!(letter_count("ありがとう"), 10);
        assert_eq!(letter_count("шрифт"), 5);
    }
}
