//! What the mail-readiness page of a server reads: the customer's server, its assignments and
//! the customer's own PTRs in them.

use crate::domain::{Network, address_from_key};
use sqlx::{Any, AnyConnection};
use std::net::IpAddr;

/// A server of the customer with what its addresses are.
#[derive(Debug, Clone)]
pub struct ServerAddresses {
    /// The customer's name for the server.
    pub name: String,
    /// Its assignments, by first address.
    pub networks: Vec<Network>,
    /// The customer's own PTRs in them (address, name), by address; at most the limit asked.
    pub named: Vec<(IpAddr, String)>,
}

#[derive(sqlx::FromRow)]
struct NamedRow {
    address: Vec<u8>,
    hostname: String,
}

/// Server `server_id` if customer `customer_id` holds it (`None` otherwise: a 404 for every
/// door), its networks and at most `limit` of its named entries.
pub async fn server_addresses(
    conn: &mut AnyConnection,
    customer_id: i64,
    server_id: i64,
    limit: i64,
) -> Result<Option<ServerAddresses>, sqlx::Error> {
    let name: Option<String> =
        sqlx::query_scalar("SELECT name FROM servers WHERE id = $1 AND customer_id = $2")
            .bind(server_id)
            .bind(customer_id)
            .fetch_optional(&mut *conn)
            .await?;
    let Some(name) = name else {
        return Ok(None);
    };
    let texts: Vec<String> = sqlx::query_scalar(
        "SELECT network FROM assignments WHERE server_id = $1 ORDER BY first_addr",
    )
    .bind(server_id)
    .fetch_all(&mut *conn)
    .await?;
    let networks = texts
        .iter()
        .map(|text| {
            Network::parse(text).map_err(|err| {
                sqlx::Error::Decode(format!("stored network {text:?}: {err}").into())
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let rows: Vec<NamedRow> = sqlx::query_as::<Any, NamedRow>(
        "SELECT e.address, e.hostname FROM entries e JOIN assignments a ON a.id = e.assignment_id \
         WHERE a.server_id = $1 AND e.hostname IS NOT NULL ORDER BY e.address LIMIT $2",
    )
    .bind(server_id)
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    let named = rows
        .into_iter()
        .map(|row| {
            let ip = address_from_key(&row.address)
                .ok_or_else(|| sqlx::Error::Decode("stored address is not 16 bytes".into()))?;
            Ok((ip, row.hostname))
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
    Ok(Some(ServerAddresses {
        name,
        networks,
        named,
    }))
}

/// The server (id and name) holding assignment `assignment_id`.
pub async fn server_of_assignment(
    conn: &mut AnyConnection,
    assignment_id: i64,
) -> Result<Option<(i64, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT s.id, s.name FROM assignments a JOIN servers s ON s.id = a.server_id \
         WHERE a.id = $1",
    )
    .bind(assignment_id)
    .fetch_optional(&mut *conn)
    .await
}
