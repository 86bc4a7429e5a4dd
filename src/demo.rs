//! The demo data of `ptrdesk demo`: two customers with servers, single IPv4 addresses, an IPv4
//! /29 and IPv6 /64s, some PTRs already set (one rejected, one with a warning), and the demo
//! logins of SPEC. Seeding goes through the same import and write path as real data; an
//! already seeded database is reused as is.

use crate::changes::{self, ChangeRequest, Requested};
use crate::checks::Engine;
use crate::db::{self, Db, audit::Actor};
use crate::domain::{Door, Role};
use secrecy::SecretString;

const ASSIGNMENTS: &str = "\
customer_number,customer_name,server,network
K10001,Demo Hosting GmbH,web-1,203.0.113.45
K10001,Demo Hosting GmbH,web-1,203.0.113.46
K10001,Demo Hosting GmbH,mail-1,203.0.113.10
K10001,Demo Hosting GmbH,mail-1,2001:db8:10::/64
K10001,Demo Hosting GmbH,cluster-1,198.51.100.16/29
K10001,Demo Hosting GmbH,cluster-1,2001:db8:11::/64
K10002,Other Networks Ltd,edge-1,192.0.2.10
K10002,Other Networks Ltd,edge-1,192.0.2.32/29
K10002,Other Networks Ltd,edge-1,2001:db8:20::/64
";

const PTRS: &[(&str, &str, &str)] = &[
    ("K10001", "203.0.113.45", "www.demo-hosting.net"),
    ("K10001", "203.0.113.10", "mail.demo-hosting.net"),
    ("K10001", "2001:db8:10::25", "mail.demo-hosting.net"),
    ("K10001", "198.51.100.17", "node1.demo-hosting.net"),
    ("K10001", "198.51.100.18", "node2.demo-hosting.net"),
    ("K10002", "192.0.2.10", "edge.other-networks.net"),
    // Not every request passes: this one carries its own address and is rejected.
    ("K10001", "203.0.113.46", "203-0-113-46.demo-hosting.net"),
    // And this one is published with a warning (it looks generated).
    (
        "K10001",
        "198.51.100.19",
        "dsl-100-19.pool.demo-hosting.net",
    ),
];

const USERS: &[(&str, Role, Option<&str>)] = &[
    ("demo", Role::Customer, Some("K10001")),
    ("other", Role::Customer, Some("K10002")),
    ("admin", Role::Admin, None),
    ("helpdesk", Role::HelpDesk, None),
];

/// Fills an empty database with the demo data; leaves a seeded one alone.
pub async fn seed(db: &Db, engine: &Engine) -> anyhow::Result<()> {
    if db::customers::find(&db.pool, "K10001").await?.is_some() {
        return Ok(());
    }
    let actor = Actor {
        user_id: None,
        name: "demo".to_owned(),
        source: "local".to_owned(),
    };
    crate::import::import_assignments(db, ASSIGNMENTS, &actor).await?;
    let at = crate::clock::now();
    for (username, role, customer) in USERS {
        let customer_id = match customer {
            Some(number) => db::customers::find(&db.pool, number)
                .await?
                .map(|customer| customer.id),
            None => None,
        };
        // The demo password is the username (SPEC "Demo logins").
        let hash = crate::password::hash(SecretString::from(username.to_string())).await?;
        db::users::insert(&db.pool, username, &hash, *role, customer_id, at).await?;
    }
    // The Robot API login of SPEC: demo-api / demo-api for the demo customer.
    let demo = db::customers::find(&db.pool, "K10001")
        .await?
        .ok_or_else(|| anyhow::anyhow!("demo customer K10001 missing"))?;
    let secret_hash = crate::credentials::hash_secret("demo-api");
    db::credentials::insert(
        &db.pool,
        demo.id,
        "demo-api",
        &secret_hash,
        "Demo API login",
        None,
        at,
    )
    .await?;
    for (number, ip, hostname) in PTRS {
        let customer = db::customers::find(&db.pool, number)
            .await?
            .ok_or_else(|| anyhow::anyhow!("demo customer {number} missing"))?;
        let owned = db::inventory::owned_ip(&db.pool, customer.id, ip.parse()?)
            .await?
            .ok_or_else(|| anyhow::anyhow!("demo IP {ip} not assigned"))?;
        changes::submit(
            db,
            engine,
            ChangeRequest {
                owned,
                requested: Requested::Hostname((*hostname).to_owned()),
                based_on_version: None,
                door: Door::System,
                actor: actor.clone(),
            },
        )
        .await?;
    }
    Ok(())
}
