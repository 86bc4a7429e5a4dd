//! Notification mail: a user's e-mail address and the topics a mail can be about (issue 22).
//! Each role receives its own topics; every topic is on until the user turns it off.

use crate::domain::Role;
use std::fmt;

/// An e-mail address as a user typed it, trimmed: one `@`, a local part and a domain with a
/// dot, no spaces or control characters, at most 254 octets (RFC 5321's path limit). Not an
/// RFC 5322 parser: quoted local parts and address literals are refused, as few people have
/// them and every SMTP server takes the plain form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmailAddress(String);

/// Why a typed address is not one.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EmailError {
    /// Nothing typed.
    #[error("Enter an e-mail address.")]
    Empty,
    /// Longer than 254 octets.
    #[error("An e-mail address has at most 254 characters.")]
    TooLong,
    /// Not of the form `name@example.net`.
    #[error("\u{201c}{0}\u{201d} is not an e-mail address such as name@example.net.")]
    Malformed(String),
}

impl EmailAddress {
    /// Parses a typed address (see the type's documentation).
    pub fn parse(text: &str) -> Result<EmailAddress, EmailError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(EmailError::Empty);
        }
        if text.len() > 254 {
            return Err(EmailError::TooLong);
        }
        let malformed = || EmailError::Malformed(text.to_owned());
        let (local, domain) = text.rsplit_once('@').ok_or_else(malformed)?;
        let allowed_local = |c: char| {
            c.is_ascii_alphanumeric() || "!#$%&'*+-/=?^_`{|}~.".contains(c) || !c.is_ascii()
        };
        let domain_ok = domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..")
            && domain
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.' || !c.is_ascii())
            && domain
                .split('.')
                .all(|label| !label.is_empty() && !label.starts_with('-') && !label.ends_with('-'));
        let local_ok = !local.is_empty()
            && local.len() <= 64
            && !local.starts_with('.')
            && !local.ends_with('.')
            && !local.contains("..")
            && local.chars().all(allowed_local)
            && !local.chars().any(char::is_whitespace);
        if domain_ok && local_ok && !text.chars().any(char::is_control) {
            Ok(EmailAddress(text.to_owned()))
        } else {
            Err(malformed())
        }
    }

    /// The address.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for EmailAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What a notification mail is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MailTopic {
    /// A customer's pending change was published or expired (rejected) by the re-check.
    Pending,
    /// An admin approved or denied a customer's change.
    Review,
    /// A customer's published PTR began or stopped failing its checks (entry drift).
    Drift,
    /// Admins: the digest of new review requests.
    ReviewDigest,
}

impl MailTopic {
    /// Every topic.
    pub const ALL: [MailTopic; 4] = [
        MailTopic::Pending,
        MailTopic::Review,
        MailTopic::Drift,
        MailTopic::ReviewDigest,
    ];

    /// The stored text.
    pub fn as_str(self) -> &'static str {
        match self {
            MailTopic::Pending => "pending",
            MailTopic::Review => "review",
            MailTopic::Drift => "drift",
            MailTopic::ReviewDigest => "review-digest",
        }
    }

    /// Reads the stored text.
    pub fn parse(text: &str) -> Option<MailTopic> {
        MailTopic::ALL
            .into_iter()
            .find(|topic| topic.as_str() == text)
    }

    /// What the preferences page calls it.
    pub fn label(self) -> &'static str {
        match self {
            MailTopic::Pending => "A change that waited for DNS was published, or expired",
            MailTopic::Review => "An admin decided a change you asked to be reviewed",
            MailTopic::Drift => {
                "A published PTR began or stopped failing its checks (drift), or an admin acted on a long drift"
            }
            MailTopic::ReviewDigest => "Digest of new review requests",
        }
    }

    /// The topics a role receives.
    pub fn of_role(role: Role) -> &'static [MailTopic] {
        match role {
            Role::Customer => &[MailTopic::Pending, MailTopic::Review, MailTopic::Drift],
            Role::Admin => &[MailTopic::ReviewDigest],
            Role::HelpDesk => &[],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_addresses_parse_and_others_say_why_not() {
        for good in [
            "alice@alice-hosting.net",
            " ops+ptr@example.co.uk ",
            "a.b@xn--mnchen-3ya.de",
        ] {
            assert_eq!(
                EmailAddress::parse(good).map(|a| a.to_string()),
                Ok(good.trim().to_owned())
            );
        }
        for bad in [
            "alice",
            "alice@",
            "@example.net",
            "alice@localhost",
            "a b@example.net",
            "a@b..net",
            "a@-b.net",
            ".a@b.net",
            "a@b\u{7}c.net",
        ] {
            assert!(EmailAddress::parse(bad).is_err(), "{bad:?}");
        }
        assert_eq!(EmailAddress::parse("  "), Err(EmailError::Empty));
        let long = format!("{}@example.net", "a".repeat(250));
        assert_eq!(EmailAddress::parse(&long), Err(EmailError::TooLong));
    }

    #[test]
    fn every_topic_reads_back_and_belongs_to_a_role() {
        for topic in MailTopic::ALL {
            assert_eq!(MailTopic::parse(topic.as_str()), Some(topic));
            assert!(
                [Role::Customer, Role::Admin]
                    .iter()
                    .any(|role| MailTopic::of_role(*role).contains(&topic))
            );
        }
    }
}
