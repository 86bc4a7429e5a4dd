//! The admins' audit log: filters by customer, IP (address or network), actor, door and date,
//! newest first, and the same rows as a CSV download; help-desk users get 403.

use crate::helpers::{
    ADMIN, ALICE, ALICE_SINGLE, BOB, BOB_SINGLE, HELPDESK, Person, TestApp, collapse, spawn_app,
};
use ptrdesk::db::audit::{self, Actor, NewAuditRow};
use ptrdesk::domain::{AuditAction, Door};
use reqwest::StatusCode;
use reqwest::header::{CONTENT_DISPOSITION, CONTENT_TYPE};

/// Alice sets two PTRs, Bob one; the seed import wrote the assignment rows.
async fn some_history() -> TestApp {
    let app = spawn_app().await;
    let alice = app.signed_in(ALICE).await;
    alice
        .save(ALICE_SINGLE, "www.alice-secret-hosting.net")
        .await;
    alice
        .save("198.51.100.20", "node4.alice-secret-hosting.net")
        .await;
    let bob = app.signed_in(BOB).await;
    bob.save(BOB_SINGLE, "edge.bob-networks.example").await;
    assert_eq!(app.audit(BOB_SINGLE).await.len(), 1, "arranged");
    app
}

/// The log's rows as the admin sees them, one text per row.
async fn rows(app: &TestApp, query: &str) -> Vec<String> {
    let admin = app.signed_in(ADMIN).await;
    let reply = admin.get(&format!("/admin/audit?{query}")).await;
    assert_eq!(reply.status, StatusCode::OK, "{query}: {}", reply.body);
    reply
        .body
        .split("<tr class=\"audit-row\">")
        .skip(1)
        .map(|row| collapse(&crate::helpers::collapse(&strip_tags(row))))
        .collect()
}

fn strip_tags(html: &str) -> String {
    let html = html.split("</tr>").next().unwrap_or_default();
    let mut text = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                text.push(' ');
            }
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    text
}

fn today() -> String {
    date(ptrdesk::clock::now())
}

fn date(unix: i64) -> String {
    ptrdesk::clock::display(unix)
        .split(' ')
        .next()
        .unwrap_or_default()
        .to_owned()
}

#[tokio::test]
async fn the_log_lists_every_row_newest_first() {
    let app = some_history().await;

    let rows = rows(&app, "").await;

    assert!(rows.len() >= 9, "6 imports and 3 PTRs: {rows:?}");
    assert!(rows[0].contains("bob"), "{rows:?}");
    assert!(rows[0].contains("edge.bob-networks.example"), "{rows:?}");
    assert!(rows.last().unwrap().contains("assignment.add"), "{rows:?}");
}

#[tokio::test]
async fn the_log_filters_by_customer_ip_actor_door_and_date() {
    let app = some_history().await;

    let alice_ptrs = rows(&app, "customer=K1&door=page").await;
    let by_name = rows(&app, "customer=Bob+Networks+Ltd&door=page").await;
    let by_ip = rows(&app, &format!("ip={ALICE_SINGLE}")).await;
    let by_network = rows(&app, "ip=198.51.100.0%2F24").await;
    let by_actor = rows(&app, "actor=bob").await;
    let imports = rows(&app, "door=import").await;
    let today_rows = rows(&app, &format!("from={0}&to={0}", today())).await;
    let tomorrow = rows(
        &app,
        &format!("from={}", date(ptrdesk::clock::now() + 86_400)),
    )
    .await;
    let yesterday = rows(
        &app,
        &format!("to={}", date(ptrdesk::clock::now() - 86_400)),
    )
    .await;

    assert_eq!(alice_ptrs.len(), 2, "{alice_ptrs:?}");
    assert!(
        alice_ptrs
            .iter()
            .all(|row| row.contains("alice") && row.contains("K1"))
    );
    assert_eq!(by_name.len(), 1, "{by_name:?}");
    assert!(by_name[0].contains("edge.bob-networks.example"));
    assert_eq!(by_ip.len(), 1, "{by_ip:?}");
    assert!(by_ip[0].contains("www.alice-secret-hosting.net"));
    assert_eq!(by_network.len(), 1, "{by_network:?}");
    assert!(by_network[0].contains("198.51.100.20"));
    assert_eq!(by_actor.len(), 1, "{by_actor:?}");
    assert_eq!(imports.len(), 6, "{imports:?}");
    assert!(imports.iter().all(|row| row.contains("assignment.add")));
    assert_eq!(today_rows.len(), 9, "{today_rows:?}");
    assert!(tomorrow.is_empty(), "{tomorrow:?}");
    assert!(yesterday.is_empty(), "{yesterday:?}");
}

#[tokio::test]
async fn a_filter_that_cannot_be_understood_is_explained() {
    let app = some_history().await;
    let admin = app.signed_in(ADMIN).await;

    let reply = admin
        .get("/admin/audit?ip=nonsense&customer=K404&from=31.12.2026")
        .await;

    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    let text = collapse(&reply.page().text());
    assert!(text.contains("is not an IP address or network"), "{text}");
    assert!(
        text.contains("No customer has the number or name"),
        "{text}"
    );
    assert!(text.contains("is not a date like"), "{text}");
}

#[tokio::test]
async fn the_log_is_paged() {
    let app = spawn_app().await;
    let actor = Actor {
        user_id: None,
        name: "pager".to_owned(),
        source: "local".to_owned(),
    };
    for n in 0..60 {
        let value = format!("row {n}");
        audit::insert(
            &app.db.pool,
            &NewAuditRow {
                actor: &actor,
                door: Door::System,
                action: AuditAction::PolicyUpdate,
                customer_id: None,
                ip: None,
                old_value: None,
                new_value: Some(&value),
                change_id: None,
                at: ptrdesk::clock::now(),
            },
        )
        .await
        .expect("the row is arranged");
    }

    let first = rows(&app, "actor=pager").await;
    let second = rows(&app, "actor=pager&page=2").await;

    assert_eq!(first.len(), 50);
    assert!(first[0].contains("row 59"), "{first:?}");
    assert_eq!(second.len(), 10);
    assert!(second[9].contains("row 0"), "{second:?}");
}

/// A client signed in as `person` that shows headers (the test browser reads only bodies).
async fn client_of(app: &TestApp, person: Person) -> reqwest::Client {
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("an HTTP client");
    let login = client
        .get(format!("{}/login", app.address))
        .send()
        .await
        .expect("the login page")
        .text()
        .await
        .expect("a body");
    let csrf = login
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a CSRF token");
    let signed_in = client
        .post(format!("{}/login", app.address))
        .form(&[
            ("csrf", csrf),
            ("username", person.username),
            ("password", person.password),
        ])
        .send()
        .await
        .expect("the sign-in answers");
    assert_eq!(signed_in.status(), StatusCode::SEE_OTHER);
    client
}

#[tokio::test]
async fn the_csv_export_has_the_filtered_rows_properly_quoted() {
    let app = some_history().await;
    let actor = Actor {
        user_id: None,
        name: "cli".to_owned(),
        source: "local".to_owned(),
    };
    let tricky = "a \"quoted\", comma\nand a new line";
    audit::insert(
        &app.db.pool,
        &NewAuditRow {
            actor: &actor,
            door: Door::System,
            action: AuditAction::CustomerRename,
            customer_id: Some(app.customer_id("K1").await),
            ip: None,
            old_value: Some("Alice Hosting GmbH"),
            new_value: Some(tricky),
            change_id: None,
            at: ptrdesk::clock::now(),
        },
    )
    .await
    .expect("the row is arranged");
    let admin = client_of(&app, ADMIN).await;

    let response = admin
        .get(format!(
            "{}/admin/audit.csv?customer=K1&door=system",
            app.address
        ))
        .send()
        .await
        .expect("the export answers");
    let all = admin
        .get(format!("{}/admin/audit.csv?customer=K1", app.address))
        .send()
        .await
        .expect("the export answers")
        .text()
        .await
        .expect("a body");

    assert_eq!(response.status(), StatusCode::OK);
    let content_type = response.headers()[CONTENT_TYPE]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(content_type.starts_with("text/csv"), "{content_type}");
    let disposition = response.headers()[CONTENT_DISPOSITION]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(disposition.starts_with("attachment"), "{disposition}");
    let body = response.text().await.expect("a body");
    let mut reader = csv::Reader::from_reader(body.as_bytes());
    let headers = reader.headers().expect("a header line").clone();
    assert_eq!(
        headers.iter().collect::<Vec<_>>(),
        [
            "id",
            "time",
            "actor",
            "source",
            "door",
            "action",
            "customer_number",
            "customer_name",
            "ip",
            "old_value",
            "new_value",
            "change_id"
        ]
    );
    let records: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("a record")).collect();
    assert_eq!(records.len(), 1, "{body}");
    assert_eq!(&records[0][2], "cli");
    assert_eq!(&records[0][4], "system");
    assert_eq!(&records[0][6], "K1");
    assert_eq!(&records[0][7], "Alice Hosting GmbH");
    assert_eq!(&records[0][10], tricky, "the value survives the round trip");
    let all: Vec<csv::StringRecord> = csv::Reader::from_reader(all.as_bytes())
        .records()
        .map(|r| r.expect("a record"))
        .collect();
    // 3 imports, 2 PTRs and the rename; newest first.
    assert_eq!(all.len(), 6, "{all:?}");
    assert_eq!(&all[0][5], "customer.rename");
    assert!(
        all.iter()
            .any(|r| &r[8] == ALICE_SINGLE && &r[10] == "www.alice-secret-hosting.net")
    );
}

#[tokio::test]
async fn help_desk_users_get_403_on_the_audit_log() {
    let app = some_history().await;
    let helpdesk = app.signed_in(HELPDESK).await;

    for path in ["/admin/audit", "/admin/audit?actor=bob", "/admin/audit.csv"] {
        let reply = helpdesk.get(path).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{path}");
        assert!(!reply.body.contains("edge.bob-networks.example"), "{path}");
    }
}
