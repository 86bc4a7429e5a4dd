//! A requested change of a PTR: its state (SPEC "States") and the door it came through.

use serde::{Deserialize, Serialize};

/// Where a requested change stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChangeState {
    /// No error; served by DNS.
    Published,
    /// Waiting on DNS that may still change; re-checked in the background.
    Pending,
    /// An error finding; the customer may ask for review.
    Rejected,
    /// The customer asked for an admin decision.
    InReview,
    /// Final admin refusal.
    Denied,
}

impl ChangeState {
    /// The value stored in `changes.state`.
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeState::Published => "published",
            ChangeState::Pending => "pending",
            ChangeState::Rejected => "rejected",
            ChangeState::InReview => "in-review",
            ChangeState::Denied => "denied",
        }
    }

    /// Whether a change in this state may move to `next` (SPEC "States"). A new request is
    /// not a transition: it is a new change that supersedes the open one.
    pub fn can_become(self, next: ChangeState) -> bool {
        TRANSITIONS.contains(&(self, next))
    }

    /// Reads a stored state.
    pub fn parse(text: &str) -> Option<ChangeState> {
        [
            ChangeState::Published,
            ChangeState::Pending,
            ChangeState::Rejected,
            ChangeState::InReview,
            ChangeState::Denied,
        ]
        .into_iter()
        .find(|state| state.as_str() == text)
    }
}

/// Every allowed move between states, in one place.
const TRANSITIONS: &[(ChangeState, ChangeState)] = &[
    (ChangeState::Pending, ChangeState::Published),
    (ChangeState::Pending, ChangeState::Rejected),
    (ChangeState::Rejected, ChangeState::InReview),
    // An admin may decide a rejected change from the queue without waiting for a request.
    (ChangeState::Rejected, ChangeState::Published),
    (ChangeState::Rejected, ChangeState::Denied),
    (ChangeState::InReview, ChangeState::Published),
    (ChangeState::InReview, ChangeState::Denied),
];

/// How a change reached ptrdesk; recorded in every audit row (SPEC "Data").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Door {
    /// The customer's page in the browser.
    Page,
    /// The Robot-compatible or native API.
    Api,
    /// A bulk or CSV import.
    Import,
    /// An admin's review decision.
    Review,
    /// ptrdesk itself (background re-checks, reassignment).
    System,
}

impl Door {
    /// The value stored in `audit.door`.
    pub fn as_str(self) -> &'static str {
        match self {
            Door::Page => "page",
            Door::Api => "api",
            Door::Import => "import",
            Door::Review => "review",
            Door::System => "system",
        }
    }
}

/// What the Robot-compatible API does with a write that would only wait for DNS (setting
/// `robot_pending`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RobotPending {
    /// Record it as pending and answer it like a success with `"state": "pending"`; `GET`
    /// answers the requested name while it waits.
    #[default]
    Accept,
    /// Answer 400 `INVALID_INPUT` with the findings and record nothing, for providers who
    /// prefer their customers' scripts to fail fast.
    Refuse,
}
