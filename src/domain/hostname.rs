//! `Hostname`: a PTR target that passed every `syntax` rule of the spec, kept in its canonical
//! `xn--` form for DNS and in Unicode for display; `HostnameError` says, in one sentence a
//! customer can act on, what is wrong with the input.

use crate::i18n::Text;
use std::fmt;

use idna::uts46::{AsciiDenyList, DnsLength, Hyphens, Uts46};

const MAX_LABEL: usize = 63;
const MAX_NAME: usize = 253;
/// No input this long maps to 253 octets (UTS #46 composes at most three characters into
/// one), so refusing it early bounds the work done on hostile input.
const MAX_INPUT_CHARS: usize = 1024;
/// Longer parts of the input are shortened with an ellipsis in messages.
const SHOWN_CHARS: usize = 70;
const ZWNJ: char = '\u{200C}';
const ZWJ: char = '\u{200D}';

/// A syntactically valid, fully qualified host name, case folded and without trailing dot.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Hostname {
    ascii: String,
    unicode: String,
}

/// Why an input is not a valid host name; `Display` is the sentence shown beside the field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HostnameError {
    /// Nothing (or only the root dot) was entered.
    #[error("Enter a host name, such as mail.example.com.")]
    Empty,
    /// The whole name is longer than 253 octets.
    #[error("The name is {length} characters long{}; at most 253 are allowed.", dns_form(*.encoded))]
    NameTooLong { length: usize, encoded: bool },
    /// The input is an IPv4 or IPv6 address.
    #[error("{} is an IP address; a PTR must point to a host name.", quote(.input))]
    IpAddress { input: String },
    /// Two dots in a row, or a dot at the start.
    #[error("The name has an empty label (two dots in a row, or a dot at the start).")]
    EmptyLabel,
    /// A `*` label.
    #[error("\"*\" is a wildcard; a PTR must name exactly one host.")]
    Wildcard,
    /// An ASCII character other than a letter, digit, hyphen or dot.
    #[error("The label {} contains {}: only letters, digits and hyphens are allowed.", quote(.label), describe(*.character, "the"))]
    Character { label: String, character: char },
    /// A non-ASCII character that is not a letter, digit or mark (emoji, symbols, punctuation).
    #[error("{} is not allowed in a host name (only letters, digits and hyphens, in any script).", describe(*.character, "The"))]
    Symbol { character: char },
    /// A label starts with `-`.
    #[error("The label {} starts with a hyphen.", quote(.label))]
    LeadingHyphen { label: String },
    /// A label ends with `-`.
    #[error("The label {} ends with a hyphen.", quote(.label))]
    TrailingHyphen { label: String },
    /// A zero-width joiner or non-joiner outside the contexts IDNA2008 allows.
    #[error("The label {} contains an invisible joiner (U+{:04X}) where it is not allowed.", quote(.label), u32::from(*.character))]
    Joiner { label: String, character: char },
    /// A label that UTS #46 / IDNA2008 refuses, e.g. an `xn--` label that does not decode.
    #[error("{} is not a valid internationalised label.", quote(.label))]
    InvalidIdn { label: String },
    /// A label longer than 63 octets; `label` as typed, `length` in its `xn--` form.
    #[error("The label {} is {length} characters long{}; a label may have at most 63.", quote(.label), dns_form(!.label.is_ascii()))]
    LabelTooLong { label: String, length: usize },
    /// A single label such as `mail` or `localhost`.
    #[error("{} is not fully qualified: add its domain, e.g. {}.example.com.", quote(.name), shorten(.name))]
    NotFullyQualified { name: String },
    /// The top-level label is all digits.
    #[error("The top-level domain {} is all digits.", quote(.tld))]
    NumericTld { tld: String },
}

impl HostnameError {
    /// The sentence kept language-neutral (catalogue `findings.ftl`): the `syntax` finding's,
    /// in English the same words as `Display`.
    pub fn text(&self) -> Text {
        let describe = |c: char, capital: bool| -> Text {
            match c {
                ' ' => Text::new("finding-syntax-char-space"),
                c if is_invisible(c) => Text::new(if capital {
                    "finding-syntax-char-invisible-start"
                } else {
                    "finding-syntax-char-invisible"
                })
                .arg("code", format!("{:04X}", u32::from(c))),
                c => Text::new("finding-syntax-char").arg("char", c.to_string()),
            }
        };
        let dns_form = |encoded: bool| {
            Text::new(if encoded {
                "finding-syntax-dns-form"
            } else {
                "finding-syntax-as-typed"
            })
        };
        match self {
            HostnameError::Empty => Text::new("finding-syntax-empty"),
            HostnameError::NameTooLong { length, encoded } => {
                Text::new("finding-syntax-name-too-long")
                    .arg("length", *length)
                    .arg("form", dns_form(*encoded))
            }
            HostnameError::IpAddress { input } => {
                Text::new("finding-syntax-ip-address").arg("input", quote(input))
            }
            HostnameError::EmptyLabel => Text::new("finding-syntax-empty-label"),
            HostnameError::Wildcard => Text::new("finding-syntax-wildcard"),
            HostnameError::Character { label, character } => Text::new("finding-syntax-character")
                .arg("label", quote(label))
                .arg("char", describe(*character, false)),
            HostnameError::Symbol { character } => {
                Text::new("finding-syntax-symbol").arg("char", describe(*character, true))
            }
            HostnameError::LeadingHyphen { label } => {
                Text::new("finding-syntax-leading-hyphen").arg("label", quote(label))
            }
            HostnameError::TrailingHyphen { label } => {
                Text::new("finding-syntax-trailing-hyphen").arg("label", quote(label))
            }
            HostnameError::Joiner { label, character } => Text::new("finding-syntax-joiner")
                .arg("label", quote(label))
                .arg("code", format!("{:04X}", u32::from(*character))),
            HostnameError::InvalidIdn { label } => {
                Text::new("finding-syntax-invalid-idn").arg("label", quote(label))
            }
            HostnameError::LabelTooLong { label, length } => {
                Text::new("finding-syntax-label-too-long")
                    .arg("label", quote(label))
                    .arg("length", *length)
                    .arg("form", dns_form(!label.is_ascii()))
            }
            HostnameError::NotFullyQualified { name } => {
                Text::new("finding-syntax-not-fully-qualified")
                    .arg("name", quote(name))
                    .arg("short", shorten(name))
            }
            HostnameError::NumericTld { tld } => {
                Text::new("finding-syntax-numeric-tld").arg("tld", quote(tld))
            }
        }
    }
}

impl Hostname {
    /// Parses user input, applying every `syntax` rule of the spec.
    pub fn parse(input: &str) -> Result<Hostname, HostnameError> {
        // UTS #46 maps these full stops to '.'; doing it first lets the dot rules see them.
        let dotted = input.replace(['\u{3002}', '\u{FF0E}', '\u{FF61}'], ".");
        let (length, encoded) = (dotted.chars().count(), false);
        if length > MAX_INPUT_CHARS {
            return Err(HostnameError::NameTooLong { length, encoded });
        }
        let name = dotted.strip_suffix('.').unwrap_or(&dotted);
        if name.is_empty() {
            return Err(HostnameError::Empty);
        }
        let bare = name.trim_start_matches('[').trim_end_matches(']');
        if bare.parse::<std::net::IpAddr>().is_ok() {
            let input = input.to_owned();
            return Err(HostnameError::IpAddress { input });
        }
        let typed: Vec<&str> = name.split('.').collect();
        if typed.iter().any(|label| label.is_empty()) {
            return Err(HostnameError::EmptyLabel);
        }
        for label in &typed {
            check_typed_label(label)?;
        }
        let ascii = to_ascii(name, &typed)?;
        let (deny, hyphens) = (AsciiDenyList::STD3, Hyphens::CheckFirstLast);
        // `ascii` passed ToASCII, so ToUnicode has no error to report.
        let (unicode, _) = Uts46::new().to_unicode(ascii.as_bytes(), deny, hyphens);
        let unicode = unicode.into_owned();
        check_encoded(&ascii, &unicode, &typed)?;
        Ok(Hostname { ascii, unicode })
    }

    /// The name as its client typed it, with one trailing dot stripped and nothing else
    /// touched (case and Unicode kept): what the Robot API answers back, so that a client
    /// comparing its own value with what it reads sees no change.
    pub fn as_sent(input: &str) -> &str {
        input.strip_suffix('.').unwrap_or(input)
    }

    /// The canonical form (`xn--` labels, lower case, no trailing dot): stored and served by DNS.
    pub fn as_ascii(&self) -> &str {
        &self.ascii
    }

    /// The form for display: internationalised labels in Unicode (equals `as_ascii` otherwise).
    pub fn as_unicode(&self) -> &str {
        &self.unicode
    }

    /// The ASCII labels, left to right.
    pub fn labels(&self) -> std::str::Split<'_, char> {
        self.ascii.split('.')
    }

    /// The top-level (last) ASCII label.
    pub fn tld(&self) -> &str {
        self.labels().next_back().unwrap_or_default()
    }
}

/// The Unicode form of `text` when it is a stored (ASCII) host name with an `xn--` label, for
/// pages that show both forms side by side; `None` for any other text (plain ASCII names, other
/// values of an audit row), which is shown as it is.
pub fn unicode_form(text: &str) -> Option<String> {
    // Only an `xn--` label reads differently in Unicode; skip the UTS #46 pass for the rest.
    if !text.contains("xn--") {
        return None;
    }
    let name = Hostname::parse(text).ok()?;
    (name.as_ascii() == text && name.as_unicode() != text).then(|| name.as_unicode().to_owned())
}

impl fmt::Display for Hostname {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.unicode)
    }
}

impl serde::Serialize for Hostname {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.ascii)
    }
}

/// Letters, digits and hyphens in ASCII; elsewhere letters, digits and visible combining marks,
/// which approximates IDNA2008's PVALID (std's `is_alphanumeric` plus Grapheme_Extend marks).
/// Joiners pass here because only UTS #46's CONTEXTJ check can tell where they are allowed.
fn is_allowed(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric() || c == '-'
    } else {
        c.is_alphanumeric() || (is_combining_mark(c) && !is_invisible(c)) || c == ZWJ || c == ZWNJ
    }
}

/// std exposes no general category, but its Debug escaping knows Grapheme_Extend (every Mn and
/// Me mark): `str::escape_debug` escapes such a mark only at the start of a string, so a
/// printable mark is escaped alone and kept after a base letter.
fn is_combining_mark(c: char) -> bool {
    c.escape_debug().next() == Some('\\') && format!("a{c}").escape_debug().nth(1) == Some(c)
}

/// Characters a message cannot show as they are: controls, format characters, odd spaces, and
/// the invisible marks (variation selectors and the like) that UTS #46 would silently drop.
fn is_invisible(c: char) -> bool {
    let ignorable = matches!(c, '\u{034F}' | '\u{180B}'..='\u{180F}' | '\u{FE00}'..='\u{FE0F}');
    if c.is_ascii() {
        !c.is_ascii_graphic() && c != ' '
    } else {
        let escaped = c.escape_debug().next() == Some('\\') && !is_combining_mark(c);
        c.is_whitespace() || escaped || ignorable || ('\u{E0100}'..='\u{E01EF}').contains(&c)
    }
}

/// The rules a label as typed must meet, checked before UTS #46 so that the message can name
/// the character or label at fault.
fn check_typed_label(label: &str) -> Result<(), HostnameError> {
    let owned = || label.to_owned();
    match label.chars().find(|&c| !is_allowed(c)) {
        Some(_) if label == "*" => Err(HostnameError::Wildcard),
        Some(c) if c.is_ascii() => Err(HostnameError::Character {
            label: owned(),
            character: c,
        }),
        Some(character) => Err(HostnameError::Symbol { character }),
        None if label.eq_ignore_ascii_case("xn--") => {
            Err(HostnameError::InvalidIdn { label: owned() })
        }
        None if label.starts_with('-') => Err(HostnameError::LeadingHyphen { label: owned() }),
        None if label.ends_with('-') => Err(HostnameError::TrailingHyphen { label: owned() }),
        None => Ok(()),
    }
}

/// UTS #46 ToASCII (non-transitional, STD3, hyphens checked) with lengths left to
/// `check_encoded`; on failure, blames the first label that fails alone, else (a bidi rule
/// spanning labels) the first internationalised one.
fn to_ascii(name: &str, typed: &[&str]) -> Result<String, HostnameError> {
    let convert = |s: &str| {
        let (deny, hyphens) = (AsciiDenyList::STD3, Hyphens::CheckFirstLast);
        let ascii = Uts46::new().to_ascii(s.as_bytes(), deny, hyphens, DnsLength::Ignore);
        ascii.map(|ascii| ascii.into_owned())
    };
    if let Ok(ascii) = convert(name) {
        return Ok(ascii);
    }
    let is_idn = |l: &&&str| !l.is_ascii() || l.to_ascii_lowercase().starts_with("xn--");
    let alone = typed.iter().find(|l| convert(l).is_err());
    let blamed = alone.or_else(|| typed.iter().find(is_idn));
    let label = blamed.map_or(name, |l| *l).to_owned();
    Err(match label.chars().find(|&c| c == ZWJ || c == ZWNJ) {
        Some(character) => HostnameError::Joiner { label, character },
        None => HostnameError::InvalidIdn { label },
    })
}

/// Rules measured on the `xn--` form, and the letter/digit/mark rule again on the decoded
/// labels: an `xn--` label typed as such, or a UTS #46 mapping, may hold what typing may not.
fn check_encoded(ascii: &str, unicode: &str, typed: &[&str]) -> Result<(), HostnameError> {
    let labels: Vec<&str> = ascii.split('.').collect();
    // Mapping keeps the label count, so the label as typed can be named; the fallback is defensive.
    let same = typed.len() == labels.len();
    let shown = |i: usize| if same { typed[i] } else { labels[i] }.to_owned();
    // UTS #46 has refused hyphens at either end; a label of characters it drops is caught here.
    for (i, label) in labels.iter().enumerate() {
        if label.is_empty() {
            return Err(HostnameError::EmptyLabel);
        }
        if label.len() > MAX_LABEL {
            let (label, length) = (shown(i), label.len());
            return Err(HostnameError::LabelTooLong { label, length });
        }
    }
    if ascii.len() > MAX_NAME {
        let (length, encoded) = (ascii.len(), labels.iter().any(|l| l.starts_with("xn--")));
        return Err(HostnameError::NameTooLong { length, encoded });
    }
    if labels.len() < 2 {
        let name = typed.join(".");
        return Err(HostnameError::NotFullyQualified { name });
    }
    let tld = ascii.rsplit_once('.').map_or(ascii, |(_, tld)| tld);
    if tld.bytes().all(|b| b.is_ascii_digit()) {
        let tld = tld.to_owned();
        return Err(HostnameError::NumericTld { tld });
    }
    match unicode.split('.').position(|l| !l.chars().all(is_allowed)) {
        Some(i) => Err(HostnameError::InvalidIdn { label: shown(i) }),
        None => Ok(()),
    }
}

fn dns_form(encoded: bool) -> &'static str {
    if encoded { " once encoded for DNS" } else { "" }
}

/// The part in quotes, shortened, with invisible characters (and a mark that would sit on the
/// opening quote) written as `<U+XXXX>`.
fn quote(part: &str) -> String {
    let mut quoted = String::from('"');
    for (i, c) in shorten(part).chars().enumerate() {
        if is_invisible(c) || (i == 0 && is_combining_mark(c)) {
            quoted.push_str(&format!("<U+{:04X}>", u32::from(c)));
        } else {
            quoted.push(c);
        }
    }
    quoted.push('"');
    quoted
}

fn shorten(part: &str) -> String {
    if part.chars().count() <= SHOWN_CHARS {
        return part.to_owned();
    }
    part.chars().take(SHOWN_CHARS - 1).chain(['…']).collect()
}

/// A character as a message names it: `"_"`, `a space`, or its code point when invisible;
/// `article` is "the" or "The", as the place in the sentence needs.
fn describe(c: char, article: &str) -> String {
    match c {
        ' ' => "a space".to_owned(),
        c if is_invisible(c) => format!("{article} invisible character U+{:04X}", u32::from(c)),
        c => format!("\"{c}\""),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const VECTORS: &str = include_str!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/testdata/hostnames.tsv"
    ));

    fn message(input: &str) -> String {
        match Hostname::parse(input) {
            Ok(host) => format!("parsed as {}", host.as_ascii()),
            Err(error) => {
                // The `syntax` finding's sentence says in English exactly what `Display` does.
                assert_eq!(error.text().english(), error.to_string(), "{input:?}");
                error.to_string()
            }
        }
    }

    #[test]
    fn every_row_of_the_test_vectors_holds() {
        let mut failures = Vec::new();
        for (line, number) in VECTORS.lines().zip(1..) {
            if line.starts_with('#') || line.is_empty() {
                continue;
            }
            // Split on tabs only: the first column may be empty or end with a space.
            let columns: Vec<&str> = line.split('\t').collect();
            let [input, verdict, expected, rest @ ..] = columns.as_slice() else {
                failures.push(format!("line {number}: malformed row {line:?}"));
                continue;
            };
            let note = rest.first().copied().unwrap_or("");
            let problem = match (Hostname::parse(input), *expected, *verdict) {
                (Ok(host), "syntax", _) => format!("accepted as {}", host.as_ascii()),
                (Ok(host), _, "ok") if host.as_ascii() != *expected => {
                    format!("canonical {} instead of {expected}", host.as_ascii())
                }
                (Err(error), e, _) if e != "syntax" => format!("rejected: {error}"),
                _ => continue,
            };
            failures.push(format!("line {number}: {input:?} ({note}): {problem}"));
        }
        assert!(
            failures.is_empty(),
            "rows that fail:\n{}",
            failures.join("\n")
        );
    }

    #[test]
    fn a_trailing_dot_is_stripped_once() {
        let host = Hostname::parse("Mail.Example.com.").unwrap();
        assert_eq!(host.as_ascii(), "mail.example.com");
        assert_eq!(host.tld(), "com");
        assert!(host.labels().eq(["mail", "example", "com"]));
        let empty_label = "The name has an empty label (two dots in a row, or a dot at the start).";
        assert_eq!(message("mail.example.com.."), empty_label);
        assert_eq!(message("."), "Enter a host name, such as mail.example.com.");
    }

    #[test]
    #[rustfmt::skip]
    fn messages_name_the_offending_label() {
        let cases = [
            ("", "Enter a host name, such as mail.example.com."),
            ("mail", r#""mail" is not fully qualified: add its domain, e.g. mail.example.com."#),
            ("mail_1.example.com", r#"The label "mail_1" contains "_": only letters, digits and hyphens are allowed."#),
            ("mail.example.com ", r#"The label "com " contains a space: only letters, digits and hyphens are allowed."#),
            ("a\tb.example.com", r#"The label "a<U+0009>b" contains the invisible character U+0009: only letters, digits and hyphens are allowed."#),
            ("*.example.com", r#""*" is a wildcard; a PTR must name exactly one host."#),
            ("1.2.3.4", r#""1.2.3.4" is an IP address; a PTR must point to a host name."#),
            ("[2001:db8::1]", r#""[2001:db8::1]" is an IP address; a PTR must point to a host name."#),
            ("-mail.example.com", r#"The label "-mail" starts with a hyphen."#),
            ("mail-.example.com", r#"The label "mail-" ends with a hyphen."#),
            ("mail.example.123", r#"The top-level domain "123" is all digits."#),
            ("📧.example.com", r#""📧" is not allowed in a host name (only letters, digits and hyphens, in any script)."#),
            ("a\u{A0}b.com", "The invisible character U+00A0 is not allowed in a host name (only letters, digits and hyphens, in any script)."),
            ("a.\u{FE0F}.com", "The invisible character U+FE0F is not allowed in a host name (only letters, digits and hyphens, in any script)."),
            ("xn--a.example.com", r#""xn--a" is not a valid internationalised label."#),
            ("xn--.example.com", r#""xn--" is not a valid internationalised label."#),
            ("xn--ls8h.example.com", r#""xn--ls8h" is not a valid internationalised label."#),
            ("a\u{200D}b.example.com", r#"The label "a<U+200D>b" contains an invisible joiner (U+200D) where it is not allowed."#),
        ];
        for (input, expected) in cases {
            assert_eq!(message(input), expected, "input {input:?}");
        }
    }

    #[test]
    fn lengths_are_measured_on_the_dns_form_and_long_input_is_shortened() {
        let a64 = "a".repeat(64);
        let expected =
            format!("The label \"{a64}\" is 64 characters long; a label may have at most 63.");
        assert_eq!(message(&format!("{a64}.example.com")), expected);
        let idn = message(&format!("{}.de", "ü".repeat(60)));
        assert!(
            idn.ends_with("long once encoded for DNS; a label may have at most 63."),
            "{idn}"
        );
        let name = [&"a".repeat(63)[..]; 4].join(".");
        assert_eq!(
            message(&name),
            "The name is 255 characters long; at most 253 are allowed."
        );
        assert!(message(&"a.".repeat(500_000)).starts_with("The name is 1000000 characters long"));
        let shortened = format!("\"{}…\"", "a".repeat(SHOWN_CHARS - 1));
        assert!(message(&format!("{}.com", "a".repeat(100))).contains(&shortened));
    }

    #[test]
    fn unicode_form_is_kept_for_display_and_ascii_is_serialised() {
        let host = Hostname::parse("BÜCHER。example。com").unwrap();
        assert_eq!(host.as_ascii(), "xn--bcher-kva.example.com");
        assert_eq!(host.as_unicode(), "bücher.example.com");
        assert_eq!(host.to_string(), "bücher.example.com");
        let typed_as_a_label = Hostname::parse("xn--bcher-kva.de").unwrap();
        assert_eq!(typed_as_a_label.as_unicode(), "bücher.de");
        let hindi = Hostname::parse("हिन्दी.example.com").unwrap();
        assert_eq!(hindi.as_unicode(), "हिन्दी.example.com");
        let json = serde_json::to_string(&Hostname::parse("straße.de").unwrap()).unwrap();
        assert_eq!(json, r#""xn--strae-oqa.de""#);
    }

    #[test]
    fn unicode_form_is_offered_only_for_stored_names_with_an_a_label() {
        assert_eq!(
            unicode_form("mail.xn--pypal-4ve.com").as_deref(),
            Some("mail.p\u{430}ypal.com")
        );
        assert_eq!(unicode_form("mail.example.com"), None);
        assert_eq!(
            unicode_form("forward=warn; protected=xn--bcher-kva.de"),
            None
        );
        assert_eq!(unicode_form("XN--BCHER-KVA.de"), None, "not a stored form");
    }
}
