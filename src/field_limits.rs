//! The longest text each kind of form field accepts, and the one check a form runs on its
//! fields before it does anything else.
//!
//! Policy: every form a person can post names its fields and their limits in one place (the
//! first step of its handler). Over a limit the form comes back at 422 with a sentence beside
//! the field — or, for a field the page does not show (a hidden `back`), a 400 with the
//! sentence — and nothing is stored, audited or looked up. Host names need no entry here:
//! [`Hostname::parse`](crate::domain::Hostname::parse) refuses one over 1,024 characters with
//! its own message beside the field. Around all of it, the body-size limits (413) bound what
//! a form can send at all. Lengths are counted in characters, after trimming, as stored.

use crate::i18n::{Arg, Text, ToArg};

/// A user name, as the admin form creates it.
pub const USERNAME: usize = 64;
/// A user name typed into the sign-in form: generous, so that no account made some other way
/// (the command line has no limit) is locked out; still, nothing longer is looked up or logged.
pub const SIGN_IN_USERNAME: usize = 256;
/// A password (sign-in and new users); argon2 is run on nothing longer.
pub const PASSWORD: usize = 1024;
/// A customer number.
pub const CUSTOMER_NUMBER: usize = 32;
/// A customer's name.
pub const CUSTOMER_NAME: usize = 200;
/// A server's name.
pub const SERVER_NAME: usize = 100;
/// An address or network as typed (the longest, an IPv6 network in full, has 43 characters).
pub const NETWORK: usize = 64;
/// An API credential's label (customers' and staff's).
pub const CREDENTIAL_LABEL: usize = 100;
/// A customer's justification when asking for review.
pub const JUSTIFICATION: usize = 2000;
/// An admin's note on a review decision.
pub const NOTE: usize = 2000;
/// A name server of the delegation form (a host name has at most 253 octets).
pub const NAMESERVER: usize = 256;
/// A search box or list filter (lookup, audit log, review queue, customer list, `/ips`).
pub const SEARCH: usize = 256;
/// The hidden `back` field: the query string of the list a form returns to.
pub const BACK: usize = 4096;
/// One line of a pasted CSV (bulk changes, assignment import).
pub const CSV_LINE: usize = 2048;
/// Lines of the protected-domain list on the policy form.
pub const PROTECTED_DOMAINS: usize = 1000;
/// Lines of the brand list on the policy form (each brand's skeleton is compared with every
/// checked name).
pub const BRAND_DOMAINS: usize = 1000;

/// A field over its limit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TooLong {
    /// The sentence in English, e.g. "The justification has 2345 characters; at most 2000
    /// are accepted." (for logs and the command line; a page shows [`TooLong::text`]).
    pub message: String,
    /// What people call the field, as the form named it ("the justification").
    pub called: &'static str,
    /// Its length.
    pub length: usize,
    /// Its limit.
    pub max: usize,
}

impl TooLong {
    /// The sentence in the reader's language (`form-too-long`, the field named by
    /// [`field_name`]).
    pub fn text(&self) -> Text {
        Text::new("form-too-long")
            .arg("field", field_name(self.called))
            .arg("length", self.length)
            .arg("max", self.max)
    }
}

/// What a field is called at the start of a sentence, in the reader's language: a catalogue
/// sentence for each name the forms use, else the English name capitalised.
pub fn field_name(called: &str) -> Arg {
    let key = match called {
        "the justification" => "form-field-justification",
        "the note" => "form-field-note",
        "the network" => "form-field-network",
        "the address" => "form-field-address",
        "a name server" => "form-field-nameserver",
        "the search text" => "form-field-search",
        "the user name" => "form-field-username",
        "the password" => "form-field-password",
        "the customer number" => "form-field-customer-number",
        "the customer name" => "form-field-customer-name",
        "the server name" => "form-field-server-name",
        "the form's return address" => "form-field-back",
        "the server filter" => "form-field-server-filter",
        "the address filter" => "form-field-address-filter",
        "the host name filter" => "form-field-hostname-filter",
        "the customer filter" => "form-field-customer-filter",
        "the IP filter" => "form-field-ip-filter",
        "the actor filter" => "form-field-actor-filter",
        "the door filter" => "form-field-door-filter",
        "the From date" => "form-field-from",
        "the To date" => "form-field-to",
        "the check filter" => "form-field-check-filter",
        "the age filter" => "form-field-age-filter",
        _ => return Arg::Text(capitalised(called)),
    };
    Text::new(key).to_arg()
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

/// One field of a form to check: what people call it ("the justification"), the value and
/// the limit.
pub type Field<'a> = (&'static str, &'a str, usize);

/// The first of `fields` over its limit, if any.
pub fn check(fields: &[Field<'_>]) -> Result<(), TooLong> {
    for &(called, value, max) in fields {
        let length = value.trim().chars().count();
        if length > max {
            return Err(TooLong {
                message: too_long(called, length, max),
                called,
                length,
                max,
            });
        }
    }
    Ok(())
}

/// The first line of a pasted CSV over [`CSV_LINE`] characters, as a sentence naming its
/// number (from 1, as an editor counts).
pub fn long_csv_line(text: &str) -> Option<String> {
    long_csv_line_text(text).map(|sentence| sentence.english())
}

/// [`long_csv_line`] in the reader's language.
pub fn long_csv_line_text(text: &str) -> Option<Text> {
    text.lines().enumerate().find_map(|(index, line)| {
        let length = line.chars().count();
        (length > CSV_LINE).then(|| {
            Text::new("form-csv-line-too-long")
                .arg("line", index + 1)
                .arg("length", length)
                .arg("max", CSV_LINE)
        })
    })
}

/// "The justification has 2345 characters; at most 2000 are accepted."
pub fn too_long(called: &str, length: usize, max: usize) -> String {
    let mut sentence = format!("{called} has {length} characters; at most {max} are accepted.");
    if let Some(first) = sentence.get(..1) {
        sentence.replace_range(..1, &first.to_uppercase());
    }
    sentence
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_field_over_its_limit_is_named_with_a_sentence() {
        let fields = [
            ("the name", "short", 10),
            ("the note", "  twelve chars  ", 10),
            ("the other", "also far too long", 10),
        ];
        assert_eq!(
            check(&fields),
            Err(TooLong {
                message: "The note has 12 characters; at most 10 are accepted.".to_owned(),
                called: "the note",
                length: 12,
                max: 10,
            })
        );
        assert_eq!(check(&fields[..1]), Ok(()));
    }

    #[test]
    fn the_first_long_csv_line_is_named_by_its_number() {
        let long = "x".repeat(CSV_LINE + 1);
        let text = format!("a,b\n{long}\n{long}");
        assert_eq!(
            long_csv_line(&text).as_deref(),
            Some("Line 2 has 2049 characters; a line has at most 2048.")
        );
        assert_eq!(long_csv_line("a,b\nc,d"), None);
    }

    #[test]
    fn characters_not_bytes_are_counted() {
        assert_eq!(check(&[("the name", "üüüüü", 5)]), Ok(()));
    }
}
