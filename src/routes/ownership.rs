//! The one way a door turns an address it was given as text into the customer's own address:
//! parse, then [`db::inventory::owned_ip`] (the one ownership query). Each door says "not
//! yours" in its own words (a 404 page, `IP_NOT_FOUND`), but never tells an unassigned address
//! from another customer's.

use crate::db::{self, Db, inventory::OwnedIp};
use std::net::IpAddr;

/// Why an address given as text is not the customer's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotOwned {
    /// The text is not an IP address.
    NotAnAddress,
    /// An address, but not one of the customer's (unassigned or someone else's).
    NotTheirs(IpAddr),
}

/// The address `text` if customer `customer_id` holds it.
pub async fn owned(
    db: &Db,
    customer_id: i64,
    text: &str,
) -> Result<Result<OwnedIp, NotOwned>, sqlx::Error> {
    let Ok(ip) = crate::domain::parse_address(text) else {
        return Ok(Err(NotOwned::NotAnAddress));
    };
    Ok(db::inventory::owned_ip(&db.pool, customer_id, ip)
        .await?
        .ok_or(NotOwned::NotTheirs(ip)))
}
