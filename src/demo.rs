//! The demo data of `ptrdesk demo`: two customers with servers, single IPv4 addresses, an IPv4
//! /29 and IPv6 /64s, and changes in every state, so that a newcomer sees every outcome: some
//! PTRs published (one with a warning), one pending until its name gets an address record, one
//! pending because DNS did not answer (unverified), rejected ones in the review queue (one in
//! review with a justification), and denied requests with the admin's note; plus the demo
//! logins of SPEC. Seeding goes through the same import, write and review paths as real data;
//! an already seeded database is reused as is.
//!
//! The outcomes come from the real checks asking the demo's own DNS server, which serves
//! forward zones for the demo domains ([`crate::dns::demo_zones`]): the names that pass have
//! address records there. With an offline engine, the DNS-dependent ones are published.

use crate::changes::{self, ChangeRequest, Decision, Requested};
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
    // Not every request passes: these carry their own address or a special-use name and
    // are rejected; REVIEWS below takes some of them further.
    ("K10001", "203.0.113.46", "203-0-113-46.demo-hosting.net"),
    (
        "K10001",
        "198.51.100.20",
        "host-198-51-100-20.demo-hosting.net",
    ),
    ("K10001", "198.51.100.21", "build.demo-hosting.internal"),
    ("K10002", "192.0.2.33", "c0000221.other-networks.net"),
    ("K10001", "198.51.100.16", "cluster-1.local"),
    // A typo in the domain: demo-hostng.net does not exist (NXDOMAIN), rejected.
    ("K10001", "198.51.100.23", "node3.demo-hostng.net"),
    // Pending: the domain exists, but the name has no A record yet.
    ("K10001", "198.51.100.22", "new.demo-hosting.net"),
    // Pending, unverified: the demo's DNS serves no .org, and refuses the question.
    ("K10001", "2001:db8:11::80", "status.demo-hosting.org"),
    // And this one is published with a warning (it looks generated).
    (
        "K10001",
        "198.51.100.19",
        "dsl-100-19.pool.demo-hosting.net",
    ),
];

/// A review step taken on a rejected demo change: the customer asks with a justification,
/// and the admin decides with a note (`None`: still waiting in the queue).
struct DemoReview {
    username: &'static str,
    ip: &'static str,
    justification: &'static str,
    decision: Option<(Decision, &'static str)>,
}

const REVIEWS: &[DemoReview] = &[
    DemoReview {
        username: "demo",
        ip: "198.51.100.20",
        justification: "This host name follows our own inventory scheme; our monitoring relies on it.",
        decision: None,
    },
    DemoReview {
        username: "demo",
        ip: "198.51.100.16",
        justification: "The cluster announces itself under this name on our network.",
        decision: Some((
            Decision::Deny,
            "Names under .local exist only inside one network. Please choose a public name, such as cluster-1.demo-hosting.net.",
        )),
    },
    DemoReview {
        username: "other",
        ip: "192.0.2.33",
        justification: "The name is what our mail server greets with.",
        decision: Some((
            Decision::Deny,
            "A name made of the address in hex looks generated to mail filters. Please choose a name such as mail.other-networks.net.",
        )),
    },
];

/// What the demo's own blocklist says its listing means (`dnsbl_return_codes`): the
/// provider's words, shown as configured in every language.
pub const BLOCKLIST_MEANING: &str = "demo listing";

/// The sentences the demo's people typed (justifications, decision notes): data, shown as
/// typed in every language of the panel.
pub fn typed_sentences() -> Vec<&'static str> {
    REVIEWS
        .iter()
        .flat_map(|review| {
            std::iter::once(review.justification)
                .chain(review.decision.as_ref().map(|(_, note)| *note))
        })
        .collect()
}

const USERS: &[(&str, Role, Option<&str>)] = &[
    ("demo", Role::Customer, Some("K10001")),
    ("other", Role::Customer, Some("K10002")),
    ("admin", Role::Admin, None),
    ("helpdesk", Role::HelpDesk, None),
];

/// Why `ptrdesk demo` does not use a database.
#[derive(Debug, thiserror::Error)]
#[error(
    "the database holds data that is not the demo's ({customers} other customer(s), {users} other \
     user(s)); the demo adds logins with known passwords (admin / admin, …), so it only runs on a \
     new database or one it made itself: give --database a new file, e.g. \
     --database sqlite://ptrdesk-demo.sqlite"
)]
pub struct NotDemoData {
    customers: i64,
    users: i64,
}

/// Refuses a database that holds anything but the demo's data (an empty one is fine).
pub async fn ensure_demo_data(db: &Db) -> Result<(), anyhow::Error> {
    let (customers, users) = db::customers::count_outside_demo(&db.pool).await?;
    if customers > 0 || users > 0 {
        return Err(NotDemoData { customers, users }.into());
    }
    Ok(())
}

/// Fills an empty database with the demo data; leaves a seeded one alone. Call
/// [`ensure_demo_data`] first.
pub async fn seed(
    db: &Db,
    engine: &Engine,
    publishing: &crate::dns::Publishing,
) -> anyhow::Result<()> {
    if db::customers::find(&db.pool, "K10001").await?.is_some() {
        return Ok(());
    }
    let actor = Actor {
        user_id: None,
        name: "demo".to_owned(),
        source: "local".to_owned(),
    };
    crate::import::import_assignments(db, Some(publishing), ASSIGNMENTS, &actor).await?;
    let at = crate::clock::now();
    let mut actors = std::collections::HashMap::new();
    for (username, role, customer) in USERS {
        let customer_id = match customer {
            Some(number) => db::customers::find(&db.pool, number)
                .await?
                .map(|customer| customer.id),
            None => None,
        };
        // The demo password is the username (SPEC "Demo logins").
        let hash = crate::password::hash(SecretString::from(username.to_string())).await?;
        let user_id = db::users::insert(&db.pool, username, &hash, *role, customer_id, at).await?;
        let user = Actor {
            user_id: Some(user_id),
            name: (*username).to_owned(),
            source: "local".to_owned(),
        };
        actors.insert(*username, (user, customer_id));
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
    review(db, &actors).await
}

/// Takes the demo's rejected changes through the review steps of [`REVIEWS`].
async fn review(
    db: &Db,
    actors: &std::collections::HashMap<&str, (Actor, Option<i64>)>,
) -> anyhow::Result<()> {
    let (admin, _) = actors
        .get("admin")
        .ok_or_else(|| anyhow::anyhow!("demo admin missing"))?;
    for DemoReview {
        username,
        ip,
        justification,
        decision,
    } in REVIEWS
    {
        let (customer, customer_id) = actors
            .get(username)
            .ok_or_else(|| anyhow::anyhow!("demo user {username} missing"))?;
        let customer_id =
            customer_id.ok_or_else(|| anyhow::anyhow!("{username} is no customer"))?;
        let filter = db::review::QueueFilter::default();
        let change = db::review::page(&db.pool, &filter, db::review::PAGE_SIZE, 0)
            .await?
            .into_iter()
            .find(|item| item.ip.to_string() == *ip)
            .ok_or_else(|| anyhow::anyhow!("demo change of {ip} was not rejected"))?;
        changes::request_review(db, change.id, customer_id, justification, customer).await?;
        if let Some((decision, note)) = decision {
            changes::decide_review(db, change.id, decision.clone(), note, admin).await?;
        }
    }
    Ok(())
}
