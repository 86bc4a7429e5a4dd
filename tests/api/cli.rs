//! The command line, run as the real `ptrdesk` binary against the test panel's database.

use crate::helpers::{ALICE, ALICE_CUSTOMER, Person, TestApp, spawn_app};
use ptrdesk::db;
use ptrdesk::domain::Network;
use reqwest::StatusCode;
use std::io::Write;
use std::process::{Output, Stdio};

/// Runs `ptrdesk ARGS` on the app's database, with `stdin` as standard input.
async fn ptrdesk(app: &TestApp, args: &[&str], stdin: &str) -> Output {
    let mut command = crate::helpers::ptrdesk_command();
    command
        .args(args)
        .env("PTRDESK_DATABASE", &app.database_url)
        .current_dir(app.dir())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let stdin = stdin.to_owned();
    tokio::task::spawn_blocking(move || {
        let mut child = command.spawn().expect("the ptrdesk binary starts");
        child
            .stdin
            .take()
            .expect("a pipe to standard input")
            .write_all(stdin.as_bytes())
            .expect("standard input is written");
        child.wait_with_output().expect("the ptrdesk binary ends")
    })
    .await
    .expect("the command runs")
}

fn write_csv(app: &TestApp, name: &str, text: &str) -> String {
    let path = app.dir().join(name);
    std::fs::write(&path, text).expect("the CSV file is written");
    path.display().to_string()
}

async fn is_assigned(app: &TestApp, network: &str) -> bool {
    let network = Network::parse(network).expect("a network");
    db::inventory::overlapping(&app.db.pool, &network)
        .await
        .expect("the assignments table answers")
        .is_some()
}

#[tokio::test]
async fn importing_a_good_file_adds_its_assignments() {
    let app = spawn_app().await;
    let file = write_csv(
        &app,
        "good.csv",
        "customer_number,customer_name,server,network\n\
         K1,Alice Hosting GmbH,alice-web,203.0.113.46\n\
         K4,Dora Data,dora-1,198.18.0.0/29\n",
    );

    let output = ptrdesk(&app, &["import", "assignments", &file], "").await;

    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{output:?}");
    assert!(stdout.contains("imported 2 assignment(s)"), "{stdout}");
    let alice = app.signed_in(ALICE).await;
    let page = alice.get("/ips").await.page();
    assert!(page.row("203.0.113.46").is_some(), "alice sees her new IP");
    assert!(is_assigned(&app, "198.18.0.0/29").await);
}

#[tokio::test]
async fn a_file_with_bad_lines_imports_nothing_and_names_every_bad_line() {
    let app = spawn_app().await;
    let file = write_csv(
        &app,
        "bad.csv",
        "customer_number,customer_name,server,network\n\
         K1,Alice Hosting GmbH,alice-web,203.0.113.46\n\
         K5,Erin Edge,erin-1,192.0.2.300\n\
         K5,Erin Edge,erin-1,198.18.0.0/24\n\
         K5,Erin Edge,erin-1,198.18.0.128/25\n\
         K5,Erin Edge,erin-1\n\
         K5,Erin Edge,erin-2,198.18.1.1\n\
         K5,Erin Edge,erin-2,203.0.113.40/29\n",
    );

    let output = ptrdesk(&app, &["import", "assignments", &file], "").await;

    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "{output:?}");
    for bad_line in ["line 3:", "line 5:", "line 6:", "line 8:"] {
        assert!(stderr.contains(bad_line), "{bad_line} in {stderr}");
    }
    for good_line in ["line 2:", "line 4:", "line 7:"] {
        assert!(!stderr.contains(good_line), "{good_line} in {stderr}");
    }
    for network in ["203.0.113.46", "198.18.0.0/24", "198.18.1.1"] {
        assert!(!is_assigned(&app, network).await, "{network} was imported");
    }
    let erin = db::customers::find(&app.db.pool, "K5")
        .await
        .expect("a query");
    assert!(erin.is_none(), "the customer of the file was created");
    let alice = app.signed_in(ALICE).await;
    assert!(alice.get("/ips").await.page().row("203.0.113.46").is_none());
}

#[tokio::test]
async fn a_user_added_on_the_command_line_can_sign_in() {
    let app = spawn_app().await;
    let dave = Person {
        username: "dave",
        password: "dave-typed-this-on-stdin",
    };
    let args = [
        "user",
        "add",
        dave.username,
        "--role",
        "customer",
        "--customer",
        "K1",
        "--password-stdin",
    ];

    let output = ptrdesk(&app, &args, &format!("{}\n", dave.password)).await;

    assert!(output.status.success(), "{output:?}");
    let browser = app.visitor();
    let reply = browser.login(dave.username, dave.password).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    let page = browser.get("/ips").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.page().text().contains(ALICE_CUSTOMER));
}

#[tokio::test]
async fn after_a_restore_dns_bump_moves_every_zone_past_what_any_secondary_was_seen_serving() {
    let app = spawn_app().await;
    let publishing = ptrdesk::config::Settings::default()
        .publishing()
        .expect("the default settings publish");
    ptrdesk::dns::sync::sync_all(&app.db, &publishing, ptrdesk::clock::now())
        .await
        .expect("the zone sync runs");
    let restored = db::zones::list(&app.db.pool)
        .await
        .expect("the zones table answers");
    // A public name server was last seen serving a serial the restored database never reached.
    let lost = restored
        .iter()
        .map(|zone| zone.serial)
        .max()
        .expect("zones")
        + 5000;
    db::zones::record_server_serial(
        &app.db.pool,
        &db::zones::ServerSerial {
            zone: restored[0].name.clone(),
            server: "192.0.2.53".to_owned(),
            serial: Some(lost),
            problem: None,
            checked_at: ptrdesk::clock::now(),
        },
    )
    .await
    .expect("the server's serial is recorded");

    let output = ptrdesk(&app, &["dns", "bump"], "").await;

    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let bumped = db::zones::list(&app.db.pool)
        .await
        .expect("the zones table answers");
    for zone in bumped.iter().filter(|zone| zone.active == 1) {
        let before = restored
            .iter()
            .find(|old| old.name == zone.name)
            .map_or(0, |old| old.serial);
        let past = if zone.name == restored[0].name {
            lost
        } else {
            before
        };
        assert!(
            zone.serial > past,
            "{} is at {}, not past {past}",
            zone.name,
            zone.serial
        );
    }
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains(&restored[0].name), "{stdout}");
}
