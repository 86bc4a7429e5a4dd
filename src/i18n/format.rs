//! Times and numbers as the reader writes them: the patterns are in the catalogues
//! (`format-datetime`, `format-date`, `format-group-separator`), the time zone is the reader's.

/// A stored time (Unix seconds) in the reader's time zone and their language's pattern:
/// `2026-11-26 18:43 UTC`, `26.11.2026 19:43 CET`.
pub fn datetime(unix_seconds: i64) -> String {
    with_pattern(unix_seconds, "format-datetime")
}

/// The day of a stored time, in the reader's time zone: `2026-11-26`, `26.11.2026`.
pub fn date(unix_seconds: i64) -> String {
    with_pattern(unix_seconds, "format-date")
}

fn with_pattern(unix_seconds: i64, key: &str) -> String {
    let Ok(at) = jiff::Timestamp::from_second(unix_seconds) else {
        return unix_seconds.to_string();
    };
    let locale = super::current();
    let pattern = super::t(key);
    let zoned = at.to_zoned(locale.time_zone);
    jiff::fmt::strtime::format(pattern.as_str(), &zoned)
        .unwrap_or_else(|_| zoned.strftime("%Y-%m-%d %H:%M %Z").to_string())
}

/// A whole number with the language's thousands separator: `1,234,567`, `1.234.567`.
pub fn number(value: i64) -> String {
    let digits = value.unsigned_abs().to_string();
    let separator = super::t("format-group-separator");
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3 * separator.len() + 1);
    if value < 0 {
        grouped.push('-');
    }
    for (position, digit) in digits.chars().enumerate() {
        if position > 0 && (digits.len() - position).is_multiple_of(3) {
            grouped.push_str(&separator);
        }
        grouped.push(digit);
    }
    grouped
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{Locale, in_locale, language, time_zone};

    fn german_in_berlin() -> Locale {
        Locale {
            language: language("de").unwrap(),
            time_zone: time_zone("Europe/Berlin").unwrap(),
        }
    }

    #[test]
    fn times_follow_the_language_and_the_time_zone() {
        // 2026-11-26 18:43 UTC
        let at = 1_795_718_580;
        assert_eq!(datetime(at), "2026-11-26 18:43 UTC");
        assert_eq!(date(at), "2026-11-26");
        assert_eq!(
            in_locale(german_in_berlin(), || datetime(at)),
            "26.11.2026 19:43 CET"
        );
        assert_eq!(in_locale(german_in_berlin(), || date(at)), "26.11.2026");
    }

    #[test]
    fn numbers_are_grouped_as_the_language_writes_them() {
        assert_eq!(number(1_234_567), "1,234,567");
        assert_eq!(number(-1000), "-1,000");
        assert_eq!(number(999), "999");
        assert_eq!(
            in_locale(german_in_berlin(), || number(1_234_567)),
            "1.234.567"
        );
    }
}
