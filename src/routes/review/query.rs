//! The queue's query string (finding id, customer, minimum age, page) and the filter it means.

use crate::db::review::QueueFilter;
use crate::domain::finding::FindingId;
use crate::field_limits;
use serde::{Deserialize, Serialize};

/// The queue's query string, as typed: finding id, customer, minimum age, page.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
pub struct QueueQuery {
    /// A finding id such as `embeds-ip`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub finding: String,
    /// Part of a customer's name or number.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub customer: String,
    /// Older than this: `12h`, `3d` (a bare number is hours).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub older_than: String,
    /// 1-based page number.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub page: String,
}

impl QueueQuery {
    /// Reads the `back` field of a form; anything odd gives the whole queue.
    pub(super) fn from_back(back: &str) -> QueueQuery {
        serde_urlencoded::from_str(back).unwrap_or_default()
    }

    pub(crate) fn to_query_string(&self) -> String {
        serde_urlencoded::to_string(self).unwrap_or_default()
    }

    /// The link to page `page` of the list at `path` with these filters.
    pub(crate) fn page_link(&self, path: &str, page: i64) -> String {
        let mut other = self.clone();
        other.page = page.to_string();
        format!("{path}?{}", other.to_query_string())
    }

    pub(crate) fn page_number(&self) -> i64 {
        self.page.trim().parse::<i64>().unwrap_or(1).max(1)
    }

    pub(crate) fn is_filtered(&self) -> bool {
        !(self.finding.trim().is_empty()
            && self.customer.trim().is_empty()
            && self.older_than.trim().is_empty())
    }

    /// The database filter, or what is wrong with the typed one (the rest still applies).
    pub(crate) fn filter(&self, now: i64) -> (QueueFilter, Vec<String>) {
        let mut problems = Vec::new();
        // Lengths first: a filter over its limit is reported and left out.
        let finding_text = within(&mut problems, "the check filter", &self.finding);
        let customer = within(&mut problems, "the customer filter", &self.customer);
        let older_than = within(&mut problems, "the age filter", &self.older_than);
        let finding = match finding_text.trim() {
            "" => None,
            text => FindingId::parse(text).or_else(|| {
                problems.push(crate::i18n::t_args(
                    "review-filter-no-such-check",
                    &[("name", &text)],
                ));
                None
            }),
        };
        let customer = customer.trim();
        let created_before = match parse_age(older_than) {
            Ok(age) => age.map(|seconds| now - seconds),
            Err(_) => {
                // The sentence of `parse_age`, in the reader's language.
                problems.push(crate::i18n::t("review-filter-age-problem"));
                None
            }
        };
        let filter = QueueFilter {
            finding,
            customer: (!customer.is_empty()).then(|| customer.to_owned()),
            created_before,
        };
        (filter, problems)
    }
}

/// `value` when it is within the filters' length limit; else empty, with the problem noted.
fn within<'t>(problems: &mut Vec<String>, called: &'static str, value: &'t str) -> &'t str {
    match field_limits::check(&[(called, value, field_limits::SEARCH)]) {
        Ok(()) => value,
        Err(too_long) => {
            problems.push(too_long.text().render());
            ""
        }
    }
}

/// `12h`, `3d`, `36` (hours) as seconds; empty is no age filter.
fn parse_age(text: &str) -> Result<Option<i64>, &'static str> {
    const PROBLEM: &str = "Write the age as hours or days, e.g. 12h or 3d.";
    let text = text.trim().to_ascii_lowercase();
    if text.is_empty() {
        return Ok(None);
    }
    let digits_end = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let amount: i64 = text[..digits_end].parse().map_err(|_| PROBLEM)?;
    let unit = match text[digits_end..].trim() {
        "" | "h" | "hour" | "hours" => 3600,
        "d" | "day" | "days" => 86_400,
        _ => return Err(PROBLEM),
    };
    amount.checked_mul(unit).map(Some).ok_or(PROBLEM)
}

#[cfg(test)]
mod tests {
    use super::parse_age;

    #[test]
    fn ages_are_typed_in_hours_or_days() {
        assert_eq!(parse_age(""), Ok(None));
        assert_eq!(parse_age("12h"), Ok(Some(12 * 3600)));
        assert_eq!(parse_age(" 36 "), Ok(Some(36 * 3600)));
        assert_eq!(parse_age("3d"), Ok(Some(3 * 86_400)));
        assert_eq!(parse_age("2 days"), Ok(Some(2 * 86_400)));
        assert!(parse_age("soon").is_err());
        assert!(parse_age("3w").is_err());
        assert!(parse_age("99999999999999999999d").is_err());
    }
}
