//! Forms that came back with a problem, and the "add an entry" form of a subnet.

use crate::domain::finding::Finding;
use std::net::IpAddr;

/// A form that came back with a problem, shown beside the field it concerns.
#[derive(Debug, Clone)]
pub enum FormProblem {
    /// The PTR field of one address.
    Row {
        /// The address.
        ip: IpAddr,
        /// What the customer typed, kept.
        input: String,
        /// What is wrong.
        message: String,
        /// The version to base the next save on.
        version: i64,
    },
    /// The "add an entry" form of a subnet.
    Add {
        /// The assignment whose form it is.
        assignment_id: i64,
        /// The typed address.
        address: String,
        /// The typed hostname.
        hostname: String,
        /// Problem with the address, if any.
        address_error: Option<String>,
        /// Problem with the hostname, if any.
        hostname_error: Option<String>,
    },
    /// The "delegate to your name servers" form of an assignment.
    Delegation {
        /// The assignment whose form it is.
        assignment_id: i64,
        /// The typed name servers, kept.
        nameservers: Vec<String>,
        /// What is wrong.
        message: String,
        /// What the live check of the name servers found.
        findings: Vec<Finding>,
    },
    /// The "ask for review" form of a rejected change.
    Review {
        /// The change it asks about.
        change_id: i64,
        /// The typed justification, kept.
        justification: String,
        /// What is wrong.
        message: String,
    },
}

impl FormProblem {
    /// The sentence to show.
    pub fn message(&self) -> Option<String> {
        match self {
            FormProblem::Row { message, .. } => Some(message.clone()),
            FormProblem::Add {
                address_error,
                hostname_error,
                ..
            } => address_error.clone().or_else(|| hostname_error.clone()),
            FormProblem::Review { message, .. } | FormProblem::Delegation { message, .. } => {
                Some(message.clone())
            }
        }
    }
}

/// The "add an entry" form of a subnet.
#[derive(Debug, Clone, Default)]
pub struct AddForm {
    /// Typed address.
    pub address: String,
    /// Typed hostname.
    pub hostname: String,
    /// Problem with the address.
    pub address_error: Option<String>,
    /// Problem with the hostname.
    pub hostname_error: Option<String>,
}
