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

/// Standard output of a command that must succeed.
fn succeeded(output: &Output) -> String {
    assert!(output.status.success(), "{output:?}");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[tokio::test]
async fn a_password_shorter_than_twelve_characters_is_refused_on_the_command_line() {
    let app = spawn_app().await;

    let added = ptrdesk(
        &app,
        &["user", "add", "ops", "--role", "admin", "--password-stdin"],
        "x\n",
    )
    .await;
    let changed = ptrdesk(
        &app,
        &["user", "password", "alice", "--password-stdin"],
        "short-pw\n",
    )
    .await;

    for output in [added, changed] {
        assert!(!output.status.success(), "{output:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains("at least 12 are needed"), "{stderr}");
    }
    assert_eq!(
        app.visitor().login("ops", "x").await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.visitor()
            .login(ALICE.username, ALICE.password)
            .await
            .status,
        StatusCode::SEE_OTHER,
        "her password is unchanged"
    );
}

#[tokio::test]
async fn a_new_password_from_the_command_line_signs_the_user_out_and_only_it_works() {
    let app = spawn_app().await;
    let alice = app.signed_in(ALICE).await;

    let output = ptrdesk(&app, &["user", "password", "alice"], "").await;

    let stdout = succeeded(&output);
    let password = stdout
        .lines()
        .find_map(|line| line.strip_prefix("password: "))
        .expect("the new password is printed")
        .to_owned();
    assert!(password.len() >= 12, "{password}");
    assert_eq!(alice.get("/ips").await.location.as_deref(), Some("/login"));
    assert_eq!(
        app.visitor()
            .login(ALICE.username, ALICE.password)
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.visitor().login(ALICE.username, &password).await.status,
        StatusCode::SEE_OTHER
    );
    let actor: String =
        sqlx::query_scalar("SELECT actor FROM audit WHERE action = 'user.password.reset'")
            .fetch_one(&app.db.pool)
            .await
            .expect("the reset is audited");
    assert_eq!(actor, "cli");
}

#[tokio::test]
async fn the_command_line_disables_enables_and_changes_roles_and_lists_sessions() {
    let app = spawn_app().await;
    let alice = app.signed_in(ALICE).await;
    let _again = app.signed_in(ALICE).await;

    let sessions = succeeded(&ptrdesk(&app, &["user", "sessions", "alice"], "").await);
    assert_eq!(sessions.lines().count(), 2, "{sessions}");
    let listed = succeeded(&ptrdesk(&app, &["user", "list"], "").await);
    let alice_line = listed
        .lines()
        .find(|line| line.starts_with("alice "))
        .expect("alice is listed");
    assert!(
        alice_line.contains("customer")
            && alice_line.contains("K1")
            && alice_line.contains("2 session(s)"),
        "{alice_line}"
    );

    succeeded(&ptrdesk(&app, &["user", "disable", "alice"], "").await);
    assert_eq!(alice.get("/ips").await.location.as_deref(), Some("/login"));
    assert_eq!(
        app.visitor()
            .login(ALICE.username, ALICE.password)
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    let listed = succeeded(&ptrdesk(&app, &["user", "list"], "").await);
    assert!(
        listed.lines().any(|line| line.starts_with("alice ")
            && line.contains("disabled")
            && line.contains("0 session(s)")),
        "{listed}"
    );

    succeeded(&ptrdesk(&app, &["user", "enable", "alice"], "").await);
    let alice = app.signed_in(ALICE).await;
    succeeded(&ptrdesk(&app, &["user", "role", "alice", "helpdesk"], "").await);
    assert_eq!(alice.get("/ips").await.location.as_deref(), Some("/login"));
    let support = app.signed_in(ALICE).await;
    assert_eq!(
        support.get("/lookup").await.status,
        StatusCode::OK,
        "now help-desk"
    );

    let ended = succeeded(&ptrdesk(&app, &["user", "sessions", "alice", "--end"], "").await);
    assert!(ended.contains("1 sessions ended"), "{ended}");
    assert_eq!(
        support.get("/lookup").await.location.as_deref(),
        Some("/login")
    );
    let missing = ptrdesk(&app, &["user", "disable", "nobody"], "").await;
    assert!(!missing.status.success());
    assert!(String::from_utf8_lossy(&missing.stderr).contains("no user called \"nobody\""));
}

#[tokio::test]
async fn after_a_restore_dns_bump_moves_every_zone_past_what_any_secondary_was_seen_serving() {
    let app = spawn_app().await;
    let publishing = ptrdesk::dns::Publishing::from_settings(&Default::default())
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
