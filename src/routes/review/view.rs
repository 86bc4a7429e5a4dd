//! What the queue's rows, the detail page and its history show: readable ages, shortened
//! justifications, names in their Unicode form.

use crate::db::audit::AuditEntry;
use crate::db::review::QueueItem;
use crate::domain::finding;
use crate::domain::{ChangeState, Hostname};

/// Characters of a justification the queue shows before cutting it short.
const JUSTIFICATION_SHOWN: usize = 80;

/// The display (Unicode) form of a stored ASCII name.
pub fn display_name(ascii: &str) -> String {
    Hostname::parse(ascii)
        .map(|name| name.as_unicode().to_owned())
        .unwrap_or_else(|_| ascii.to_owned())
}

/// How long ago, for people: `just now`, `25 min`, `5 h`, `2 d 4 h`, `12 d`.
pub fn readable_age(seconds: i64) -> String {
    let seconds = seconds.max(0);
    let (days, hours, minutes) = (
        seconds / 86_400,
        seconds % 86_400 / 3600,
        seconds % 3600 / 60,
    );
    use crate::i18n::{t, t_args};
    match (days, hours, minutes) {
        (0, 0, 0) => t("review-age-now"),
        (0, 0, m) => t_args("review-age-minutes", &[("minutes", &m)]),
        (0, h, _) => t_args("review-age-hours", &[("hours", &h)]),
        (d, 0, _) => t_args("review-age-days", &[("days", &d)]),
        (d, h, _) if d < 7 => t_args("review-age-days-hours", &[("days", &d), ("hours", &h)]),
        (d, _, _) => t_args("review-age-days", &[("days", &d)]),
    }
}

/// The first [`JUSTIFICATION_SHOWN`] characters, with an ellipsis when cut.
pub fn shorten(text: &str) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() <= JUSTIFICATION_SHOWN {
        return text;
    }
    let cut: String = text.chars().take(JUSTIFICATION_SHOWN).collect();
    format!("{}\u{2026}", cut.trim_end())
}

fn state_label(state: ChangeState) -> String {
    crate::i18n::t(match state {
        ChangeState::Rejected => "review-state-rejected",
        ChangeState::InReview => "review-state-in-review",
        ChangeState::Pending => "review-state-pending",
        ChangeState::Denied => "review-state-denied",
        ChangeState::Published => "review-state-published",
    })
}

/// One row of the queue.
#[derive(Debug, Clone)]
pub struct QueueRow {
    /// The change id.
    pub id: i64,
    /// How long it has waited.
    pub age: String,
    /// When it was requested.
    pub requested_at: String,
    /// The customer's name.
    pub customer_name: String,
    /// The customer's number.
    pub customer_number: String,
    /// The address.
    pub ip: String,
    /// The requested name (Unicode form).
    pub requested: String,
    /// The requested name as stored (ASCII), when it differs from the Unicode form.
    pub requested_ascii: Option<String>,
    /// The state's badge text.
    pub state_label: String,
    /// The state's CSS class.
    pub state_css: &'static str,
    /// The ids of the findings.
    pub finding_ids: Vec<&'static str>,
    /// The justification, shortened.
    pub justification: Option<String>,
}

impl QueueRow {
    /// The row of `item` as of `now`.
    pub fn new(item: &QueueItem, now: i64) -> QueueRow {
        QueueRow {
            id: item.id,
            age: readable_age(now - item.created_at),
            requested_at: crate::clock::display(item.created_at),
            customer_name: item.customer_name.clone(),
            customer_number: item.customer_number.clone(),
            ip: item.ip.to_string(),
            requested: requested(item),
            requested_ascii: requested_ascii(item),
            state_label: state_label(item.state),
            state_css: item.state.as_str(),
            finding_ids: finding::ids_above_info(&item.findings),
            justification: item.justification.as_deref().map(shorten),
        }
    }
}

fn requested(item: &QueueItem) -> String {
    item.requested_hostname
        .as_deref()
        .map(display_name)
        .unwrap_or_else(|| "(provider default)".to_owned())
}

/// The stored (ASCII) name, when its Unicode form reads differently.
fn requested_ascii(item: &QueueItem) -> Option<String> {
    let ascii = item.requested_hostname.as_deref()?;
    crate::domain::hostname::unicode_form(ascii).map(|_| ascii.to_owned())
}

/// The head of the detail page.
#[derive(Debug, Clone)]
pub struct DetailView {
    /// The change id.
    pub id: i64,
    /// The address.
    pub ip: String,
    /// The requested name (Unicode form).
    pub requested: String,
    /// The requested name as stored (ASCII), when it differs from the Unicode form.
    pub requested_ascii: Option<String>,
    /// `Alice Hosting GmbH (K1)`.
    pub customer: String,
    /// Server and assignment.
    pub server_name: String,
    /// The assignment.
    pub network: String,
    /// The state's badge text.
    pub state_label: String,
    /// The state's CSS class.
    pub state_css: &'static str,
    /// How long ago it was requested: `just now`, `2 d ago`.
    pub ago: String,
    /// When it was requested.
    pub requested_at: String,
    /// When the findings were last written.
    pub updated_at: String,
    /// The customer's justification in full.
    pub justification: Option<String>,
}

impl DetailView {
    /// The head of `item`'s page as of `now`.
    pub fn new(item: &QueueItem, now: i64) -> DetailView {
        DetailView {
            id: item.id,
            ip: item.ip.to_string(),
            requested_ascii: requested_ascii(item),
            requested: requested(item),
            customer: format!("{} ({})", item.customer_name, item.customer_number),
            server_name: item.server_name.clone(),
            network: item.network.clone(),
            state_label: state_label(item.state),
            state_css: item.state.as_str(),
            ago: if now - item.created_at < 60 {
                readable_age(now - item.created_at)
            } else {
                crate::i18n::t_args(
                    "review-ago",
                    &[("age", &readable_age(now - item.created_at))],
                )
            },
            requested_at: crate::clock::display(item.created_at),
            updated_at: crate::clock::display(item.updated_at),
            justification: item.justification.clone(),
        }
    }
}

/// One audit row of the address's history.
#[derive(Debug, Clone)]
pub struct HistoryRow {
    /// When.
    pub at: String,
    /// Who, from where.
    pub actor: String,
    /// Through which door.
    pub door: String,
    /// What.
    pub action: String,
    /// Before.
    pub old_value: String,
    /// After.
    pub new_value: String,
}

impl HistoryRow {
    /// The row of `entry`.
    pub fn new(entry: &AuditEntry) -> HistoryRow {
        HistoryRow {
            at: crate::clock::display(entry.at),
            actor: format!("{} ({})", entry.actor, entry.source),
            door: entry.door.clone(),
            action: entry.action.clone(),
            old_value: entry.old_value.clone().unwrap_or_default(),
            new_value: entry.new_value.clone().unwrap_or_default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_read_as_people_say_them() {
        assert_eq!(readable_age(20), "just now");
        assert_eq!(readable_age(25 * 60), "25 min");
        assert_eq!(readable_age(5 * 3600 + 60), "5 h");
        assert_eq!(readable_age(2 * 86_400 + 4 * 3600), "2 d 4 h");
        assert_eq!(readable_age(12 * 86_400 + 4 * 3600), "12 d");
    }

    #[test]
    fn a_long_justification_is_cut_with_an_ellipsis() {
        let long = "word ".repeat(40);
        let short = shorten(&long);
        assert!(short.ends_with('\u{2026}'));
        assert!(short.chars().count() <= JUSTIFICATION_SHOWN + 1);
        assert_eq!(shorten("  two\n words "), "two words");
    }
}
