//! The bulk page's input: pasted `ip,hostname` lines, each kept with its line number so that
//! every result and problem is reported by line.

use super::{Input, MAX_ITEMS};

/// One line of a pasted CSV (`ip,hostname`; an empty hostname resets).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsvLine {
    /// Line number in the text, from 1.
    pub line: u64,
    /// What it asks for.
    pub input: Input,
}

/// Why a CSV text cannot be taken at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CsvError {
    /// Nothing but blank lines, comments or the header.
    #[error("Paste at least one line \u{201c}ip,hostname\u{201d}.")]
    Empty,
    /// Over [`MAX_ITEMS`].
    #[error("{0} lines is more than the {MAX_ITEMS} changes one batch may hold; split the file.")]
    TooMany(usize),
}

/// Reads `ip,hostname` lines. Blank lines and lines starting with `#` are skipped, and so is a
/// first line `ip,hostname` (any case); fields may be double-quoted. A line with another
/// number of fields is kept as unreadable, so it is reported by its number.
pub fn parse_csv(text: &str) -> Result<Vec<CsvLine>, CsvError> {
    let mut lines = Vec::new();
    let mut header_allowed = true;
    for (n, raw) in text.lines().enumerate() {
        let line = n as u64 + 1;
        let trimmed = raw.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let Some(fields) = csv_fields(trimmed) else {
            lines.push(CsvLine {
                line,
                input: Input::Unreadable {
                    ip: String::new(),
                    message: crate::i18n::t("csv-open-quote"),
                },
            });
            continue;
        };
        if std::mem::take(&mut header_allowed)
            && fields.len() == 2
            && fields[0].eq_ignore_ascii_case("ip")
            && fields[1].eq_ignore_ascii_case("hostname")
        {
            continue;
        }
        let input = match fields.as_slice() {
            [ip, hostname] => Input::Change {
                ip: ip.clone(),
                ptr: (!hostname.is_empty()).then(|| hostname.clone()),
            },
            [ip] if crate::domain::parse_address(ip).is_ok() => Input::Unreadable {
                ip: ip.clone(),
                message: crate::i18n::t_args("csv-reset-hint", &[("ip", ip)]),
            },
            [_] => Input::Unreadable {
                ip: String::new(),
                message: crate::i18n::t("csv-expected"),
            },
            [ip, ..] => Input::Unreadable {
                ip: ip.clone(),
                message: crate::i18n::t_args("csv-field-count", &[("count", &fields.len())]),
            },
            [] => continue,
        };
        lines.push(CsvLine { line, input });
    }
    match lines.len() {
        0 => Err(CsvError::Empty),
        n if n > MAX_ITEMS => Err(CsvError::TooMany(n)),
        _ => Ok(lines),
    }
}

/// The fields of one CSV line, trimmed; `"…"` quotes a field (`""` inside is a quote).
/// `None` when a quote is not closed.
fn csv_fields(line: &str) -> Option<Vec<String>> {
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut chars = line.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            '"' if quoted => quoted = false,
            '"' if field.trim().is_empty() => {
                field.clear();
                quoted = true;
            }
            ',' if !quoted => fields.push(std::mem::take(&mut field).trim().to_owned()),
            _ => field.push(c),
        }
    }
    if quoted {
        return None;
    }
    fields.push(field.trim().to_owned());
    Some(fields)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(ip: &str, ptr: Option<&str>) -> Input {
        Input::Change {
            ip: ip.to_owned(),
            ptr: ptr.map(str::to_owned),
        }
    }

    #[test]
    fn csv_lines_keep_their_numbers_and_skip_header_blanks_and_comments() {
        let text = "ip,hostname\n203.0.113.45, mail.example.com\n\n# a comment\n198.51.100.17,\n\"2001:db8::1\",\"a.example.net\"\n";
        let lines = parse_csv(text).expect("lines");
        assert_eq!(
            lines,
            vec![
                CsvLine {
                    line: 2,
                    input: change("203.0.113.45", Some("mail.example.com"))
                },
                CsvLine {
                    line: 5,
                    input: change("198.51.100.17", None)
                },
                CsvLine {
                    line: 6,
                    input: change("2001:db8::1", Some("a.example.net"))
                },
            ]
        );
    }

    #[test]
    fn quoted_fields_may_hold_commas_and_quotes_and_an_open_quote_is_unreadable() {
        assert_eq!(
            csv_fields(r#" "a,b" , "say ""hi""" "#),
            Some(vec!["a,b".to_owned(), "say \"hi\"".to_owned()])
        );
        assert_eq!(
            csv_fields("1.2.3.4,"),
            Some(vec!["1.2.3.4".to_owned(), String::new()])
        );
        assert_eq!(csv_fields("\"1.2.3.4,x"), None);
    }

    #[test]
    fn a_line_with_the_wrong_number_of_fields_is_unreadable_at_its_line() {
        let lines = parse_csv("203.0.113.45\n203.0.113.46,a.example.com,extra\n").expect("lines");
        assert_eq!(lines[0].line, 1);
        assert!(
            matches!(&lines[0].input, Input::Unreadable { message, .. } if message.contains("203.0.113.45,"))
        );
        assert_eq!(lines[1].line, 2);
        assert!(
            matches!(&lines[1].input, Input::Unreadable { message, .. } if message.contains("found 3"))
        );
    }

    #[test]
    fn an_empty_text_and_too_many_lines_are_refused() {
        assert_eq!(parse_csv("ip,hostname\n\n"), Err(CsvError::Empty));
        let many: String = (0..=MAX_ITEMS)
            .map(|n| format!("10.0.{}.{},\n", n / 256, n % 256))
            .collect();
        assert_eq!(parse_csv(&many), Err(CsvError::TooMany(MAX_ITEMS + 1)));
    }
}
