//! The three kinds of user (SPEC "Users").

use serde::{Deserialize, Serialize};

/// What a signed-in user may do; enforced on the server for every route.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    /// Sees and edits the PTRs of their own customer only.
    Customer,
    /// Works the review queue and administers everything.
    Admin,
    /// Looks anything up, changes nothing.
    #[serde(rename = "helpdesk")]
    HelpDesk,
}

impl Role {
    /// The value stored in `users.role`.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Customer => "customer",
            Role::Admin => "admin",
            Role::HelpDesk => "helpdesk",
        }
    }

    /// Reads a stored or typed role name.
    pub fn parse(text: &str) -> Option<Role> {
        match text {
            "customer" => Some(Role::Customer),
            "admin" => Some(Role::Admin),
            "helpdesk" | "help-desk" => Some(Role::HelpDesk),
            _ => None,
        }
    }
}
