//! Validated types of the reverse-DNS domain. Nothing here knows about HTTP or SQL.

pub mod audit;
pub mod change;
pub mod default_name;
pub mod finding;
pub mod hostname;
pub mod mail;
pub mod network;
pub mod policy;
pub mod role;
pub mod scope;
pub mod webhook;

pub use audit::AuditAction;
pub use change::{ChangeState, Door, RobotPending};
pub use default_name::{DefaultNamePattern, DefaultNames};
pub use hostname::{Hostname, HostnameError};
pub use mail::{EmailAddress, EmailError, MailTopic};
pub use network::{
    Network, NetworkError, address_from_key, address_key, address_number, number_address,
    overlapping_spans, parse_address, parse_net,
};
pub use policy::{CheckMode, ForwardPolicy, PolicyOverrides};
pub use role::Role;
pub use scope::StaffScope;
pub use webhook::WebhookEvent;
