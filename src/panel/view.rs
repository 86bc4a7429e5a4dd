//! What one row, one assignment and one server group of the page show.

use crate::clock;
use crate::db::inventory::ListedChange;
use crate::domain::ChangeState;
use crate::domain::finding::{Finding, Severity};

use super::AddForm;

/// One address and its PTR field.
#[derive(Debug, Clone)]
pub struct Row {
    /// The address in canonical text.
    pub ip: String,
    /// The field's value: the customer's PTR (Unicode form) or what they typed.
    pub value: String,
    /// The provider default for this address, if there is one.
    pub default_name: Option<String>,
    /// Whether the customer has a PTR of their own here.
    pub customised: bool,
    /// The entry version the form is based on.
    pub version: i64,
    /// The problem to show beside the field.
    pub error: Option<String>,
    /// A change that is not published (yet): its state and reasons.
    pub open: Option<OpenChange>,
    /// With an open change: what DNS serves now (the customer's PTR or the default).
    pub in_force: Option<String>,
    /// Warnings kept with the PTR in force.
    pub warnings: Vec<Finding>,
    /// Whether the public name servers serve the PTR in force yet (when they are configured).
    pub dns: Option<crate::dns::live::LiveStatus>,
    /// The PTR in force fails its checks since it was last re-verified (it stays published).
    pub drift: Option<RowDrift>,
}

/// An entry drift as the customer's row shows it.
#[derive(Debug, Clone)]
pub struct RowDrift {
    /// What fails now.
    pub message: String,
    /// Since when, readable.
    pub since: String,
}

impl From<&crate::db::drift::Shown> for RowDrift {
    fn from(drift: &crate::db::drift::Shown) -> RowDrift {
        RowDrift {
            message: drift.sentence(),
            since: clock::display(drift.since),
        }
    }
}

/// A requested change that is not in force, as the customer sees it beside the field.
#[derive(Debug, Clone)]
pub struct OpenChange {
    /// The change's row id (the "ask for review" form names it).
    pub id: i64,
    /// Where it stands.
    pub state: ChangeState,
    /// One sentence on what happens next.
    pub summary: String,
    /// The reasons.
    pub findings: Vec<Finding>,
    /// An admin's note.
    pub note: Option<String>,
    /// The justification typed into the "ask for review" form that came back.
    pub review_input: String,
    /// Why that form came back, shown beside the field.
    pub review_error: Option<String>,
}

impl OpenChange {
    pub(super) fn from_listed(change: &ListedChange) -> OpenChange {
        let summary = match change.state {
            ChangeState::Pending => crate::i18n::t_args(
                "open-pending",
                &[(
                    "until",
                    &change
                        .deadline
                        .map(clock::display)
                        .unwrap_or_else(|| crate::i18n::t("open-its-deadline")),
                )],
            ),
            ChangeState::Rejected => crate::i18n::t("open-rejected"),
            ChangeState::InReview => crate::i18n::t("open-in-review"),
            ChangeState::Denied => crate::i18n::t("open-denied"),
            ChangeState::Published => String::new(),
        };
        OpenChange {
            id: change.id,
            state: change.state,
            summary,
            findings: change
                .findings
                .iter()
                .filter(|finding| finding.severity != Severity::Info)
                .cloned()
                .collect(),
            note: change.note.clone(),
            review_input: String::new(),
            review_error: None,
        }
    }

    /// Whether the customer may ask an admin to review it (only a rejected change).
    pub fn can_ask_review(&self) -> bool {
        self.state.can_become(ChangeState::InReview)
    }

    /// The badge text.
    pub fn label(&self) -> String {
        crate::i18n::t_args("open-state", &[("state", &self.state.as_str())])
    }

    /// The CSS class of the badge.
    pub fn css(&self) -> &'static str {
        self.state.as_str()
    }
}

/// One assignment on the page.
#[derive(Debug, Clone)]
pub struct AssignmentView {
    /// Row id.
    pub id: i64,
    /// Canonical network text.
    pub network: String,
    /// "IPv4 address", "IPv4 subnet", "IPv6 subnet".
    pub kind: String,
    /// A single address (its row needs no heading of its own).
    pub single: bool,
    /// True when every address has a row; false when entries are added one by one.
    pub lists_every_address: bool,
    /// The rows.
    pub rows: Vec<Row>,
    /// More entries exist than are shown.
    pub truncated: bool,
    /// The add form (used when not every address is listed).
    pub add: AddForm,
    /// Delegation to the customer's own name servers, when an admin allows it.
    pub delegation: Option<DelegationView>,
}

/// The assignments of one server on this page.
#[derive(Debug, Clone)]
pub struct ServerGroup {
    /// The server's row id (its mail-readiness page names it).
    pub server_id: i64,
    /// The server's name.
    pub server_name: String,
    /// Its assignments on this page.
    pub assignments: Vec<AssignmentView>,
}

/// The delegation part of an assignment (an admin allowed it).
#[derive(Debug, Clone, Default)]
pub struct DelegationView {
    /// The name servers it is delegated to (empty: not delegated).
    pub delegated_to: Vec<String>,
    /// The zone the customer's name servers serve (without the final dot).
    pub zone: String,
    /// The form's name server fields.
    pub inputs: Vec<String>,
    /// What is wrong with the form that came back.
    pub error: Option<String>,
    /// What the live check of the name servers found.
    pub findings: Vec<crate::domain::finding::Finding>,
}

/// Name server fields the delegation form offers.
pub const NAMESERVER_FIELDS: usize = 4;

impl AssignmentView {
    /// Whether its reverse names are delegated (its PTRs are set on the customer's servers).
    pub fn is_delegated(&self) -> bool {
        self.delegation
            .as_ref()
            .is_some_and(|delegation| !delegation.delegated_to.is_empty())
    }
}
