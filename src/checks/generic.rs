//! Rules about how the name relates to the address: `embeds-ip`, `provider-default`,
//! `generic-looking`.

use crate::domain::finding::Finding;
use crate::domain::{DefaultNames, Hostname};
use std::net::IpAddr;

/// `embeds-ip`: the name carries this IP's full address in some encoding.
pub fn embeds_ip(_hostname: &Hostname, _ip: IpAddr) -> Option<Finding> {
    None
}

/// `provider-default`: the provider's own default name, or inside its default-name domain.
pub fn provider_default(_hostname: &Hostname, _ip: IpAddr, _defaults: &DefaultNames) -> Option<Finding> {
    None
}

/// `generic-looking`: scored from partial octets, dynamic-style tokens and digit runs.
pub fn generic_looking(_hostname: &Hostname, _ip: IpAddr) -> Option<Finding> {
    None
}
