//! The provider's systems drive the inventory (issue 15): staff credentials, the desired state
//! of a customer or of the whole inventory, dry runs, `If-Match`, cancellation, CSV sync.

use crate::helpers::api_client::v1;
use crate::helpers::{BOB, spawn_app};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

/// Runs a program to its end off the test's runtime, whose reactor drives the panel's
/// database connections meanwhile.
async fn run(mut command: std::process::Command) -> std::process::Output {
    tokio::task::spawn_blocking(move || command.output().expect("the program runs"))
        .await
        .expect("the program's thread")
}

fn alice_as_seeded() -> Value {
    json!({
        "name": "Alice Hosting GmbH",
        "servers": [
            {"name": "alice-cluster", "assignments": ["198.51.100.16/29"]},
            {"name": "alice-mail", "assignments": ["2001:db8:10::/64"]},
            {"name": "alice-web", "assignments": ["203.0.113.45"]},
        ]
    })
}

#[tokio::test]
async fn a_provisioning_script_creates_a_customer_with_a_dry_run_first_and_the_second_run_changes_nothing()
 {
    let app = spawn_app().await;
    let mut command = crate::helpers::ptrdesk_command();
    command
        .args(["credential", "add", "billing-sync", "--scope", "inventory"])
        .env("PTRDESK_DATABASE", &app.database_url);
    let output = run(command).await;
    assert!(output.status.success(), "{output:?}");
    let login = String::from_utf8(output.stdout).expect("text");
    let (username, secret) = login.trim().split_once(':').expect("username:secret");

    // The calls a provisioning script makes, with Python's standard library.
    let script = r#"
import base64, json, sys, urllib.request, urllib.error
base, user, secret = sys.argv[1:4]
auth = "Basic " + base64.b64encode(f"{user}:{secret}".encode()).decode()
def call(method, path, body=None, headers={}):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(base + path, data=data, method=method,
        headers={"Authorization": auth, "Content-Type": "application/json", **headers})
    try:
        with urllib.request.urlopen(request) as answer:
            return {"status": answer.status, "etag": answer.headers.get("ETag"), "body": json.load(answer)}
    except urllib.error.HTTPError as error:
        return {"status": error.code, "etag": None, "body": json.load(error)}
acme = {"name": "Acme GmbH", "servers": [{"name": "web-1",
        "assignments": ["192.0.2.10", "192.0.2.16/29", "2001:db8:77::/64"]}]}
path = "/api/v1/inventory/customers/K77"
calls = [call("PUT", path + "?dry_run=true", acme), call("GET", path),
         call("PUT", path, acme), call("GET", path), call("PUT", path, acme)]
print(json.dumps(calls))
"#;
    let mut python = std::process::Command::new("python3");
    python.args(["-c", script, &app.address, username, secret]);
    let output = run(python).await;
    assert!(output.status.success(), "{output:?}");
    let calls: Vec<Value> = serde_json::from_slice(&output.stdout).expect("JSON");

    let dry_run = &calls[0];
    assert_eq!(dry_run["status"], 200, "{dry_run}");
    let created: Vec<&Value> = dry_run["body"]["create"]
        .as_array()
        .expect("create")
        .iter()
        .collect();
    assert_eq!(
        created.len(),
        5,
        "the customer, its server and three assignments: {dry_run}"
    );
    assert_eq!(created[0], &json!({"customer": "K77"}));
    assert_eq!(created[1], &json!({"customer": "K77", "server": "web-1"}));
    assert_eq!(
        created[2],
        &json!({"customer": "K77", "server": "web-1", "network": "192.0.2.10"})
    );
    assert_eq!(
        calls[1]["status"], 404,
        "the dry run changed nothing: {}",
        calls[1]
    );
    assert_eq!(calls[1]["body"]["error"]["code"], "CUSTOMER_NOT_FOUND");

    assert_eq!(calls[2]["status"], 200);
    assert_eq!(
        calls[2]["body"], dry_run["body"],
        "the applied call answers the same diff"
    );
    let state = &calls[3];
    assert_eq!(state["body"]["name"], "Acme GmbH");
    assert_eq!(
        state["body"]["servers"][0]["assignments"],
        json!(["192.0.2.10", "192.0.2.16/29", "2001:db8:77::/64"])
    );
    assert!(
        state["etag"]
            .as_str()
            .is_some_and(|tag| tag.starts_with('"'))
    );
    assert_eq!(calls[4]["status"], 200);
    assert_eq!(
        calls[4]["body"],
        json!({"create": [], "move": [], "remove": [], "rename": []}),
        "the same body twice changes nothing the second time"
    );

    let audit = app.audit_actions().await;
    assert_eq!(
        audit
            .iter()
            .filter(|(action, actor)| action == "assignment.add" && actor == "api:billing-sync")
            .count(),
        3,
        "{audit:?}"
    );
}

#[tokio::test]
async fn the_same_network_moves_from_another_customer_with_its_ptr_reset_and_unlisted_ones_go() {
    let app = spawn_app().await;
    let bob = app.api(Some(&app.api_login("K2").await));
    let set =
        crate::helpers::api_client::set_ptr(&bob, "203.0.113.200", "edge.example.com", None).await;
    assert_eq!(set.status, StatusCode::OK, "{}", set.body);
    assert!(app.stored_ptr("203.0.113.200").await.is_some());
    let staff = app.api(Some(&app.staff_login("inventory").await));

    let mut desired = alice_as_seeded();
    desired["name"] = json!("Alice Hosting AG");
    desired["servers"] = json!([
        {"name": "alice-cluster", "assignments": ["198.51.100.16/29"]},
        {"name": "alice-web", "assignments": ["203.0.113.45", "203.0.113.200"]},
    ]);
    let reply = v1(
        &staff,
        Method::PUT,
        "/inventory/customers/K1",
        Some(&desired),
        &[],
    )
    .await;

    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let diff = reply.json();
    assert_eq!(
        diff["move"],
        json!([{"network": "203.0.113.200",
                "from": {"customer": "K2", "server": "bob-edge"},
                "to": {"customer": "K1", "server": "alice-web"}}])
    );
    assert_eq!(
        diff["remove"],
        json!([{"customer": "K1", "server": "alice-mail", "network": "2001:db8:10::/64"},
               {"customer": "K1", "server": "alice-mail"}])
    );
    assert_eq!(
        diff["rename"],
        json!([{"customer": "K1", "from": "Alice Hosting GmbH", "to": "Alice Hosting AG"}])
    );
    assert_eq!(
        app.stored_ptr("203.0.113.200").await,
        None,
        "the PTR did not follow the IP"
    );
    let owner = app.assignment_id("K1", "203.0.113.200").await;
    assert!(owner > 0);
    let audit = app.audit("203.0.113.200").await;
    assert!(
        audit
            .iter()
            .any(|row| row.action == "ptr.reset" && row.actor == "api:provisioning"),
        "the reset is audited: {audit:?}"
    );
    let gone = bob.get("/api/v1/ips/203.0.113.200").await;
    assert_eq!(gone.status, StatusCode::NOT_FOUND, "Bob no longer holds it");
}

#[tokio::test]
async fn overlaps_and_bad_addresses_are_refused_with_every_problem_by_path_and_nothing_changes() {
    let app = spawn_app().await;
    let staff = app.api(Some(&app.staff_login("inventory").await));
    let before = v1(&staff, Method::GET, "/inventory/customers/K1", None, &[]).await;
    let body = json!({
        "name": "Alice Hosting GmbH",
        "servers": [
            {"name": "alice-web", "assignments": ["203.0.113.208/28", "203.0.113.999", "203.0.113.45"]},
            {"name": "alice-web", "assignments": ["203.0.113.45"]},
        ]
    });

    let reply = v1(
        &staff,
        Method::PUT,
        "/inventory/customers/K1",
        Some(&body),
        &[],
    )
    .await;

    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        reply.body
    );
    let error = &reply.json()["error"];
    assert_eq!(error["code"], "INVALID_INPUT");
    let paths: Vec<&str> = error["invalid"]
        .as_array()
        .expect("paths")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(paths.contains(&"servers[0].assignments[1]"), "{paths:?}");
    assert!(
        paths.contains(&"servers[0].assignments[0]"),
        "the overlap with Bob's /29 is in the same answer: {paths:?}"
    );
    assert!(paths.contains(&"servers[1].name"), "{paths:?}");
    assert!(
        paths.contains(&"servers[1].assignments[0]"),
        "listed twice: {paths:?}"
    );

    // Valid on its own, but only part of Bob's /29: refused, not moved.
    let body = json!({"name": "Alice Hosting GmbH",
                      "servers": [{"name": "alice-web", "assignments": ["203.0.113.208/28"]}]});
    let reply = v1(
        &staff,
        Method::PUT,
        "/inventory/customers/K1",
        Some(&body),
        &[],
    )
    .await;
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        reply.body
    );
    let problem = &reply.json()["error"]["problems"][0];
    assert_eq!(problem["path"], "servers[0].assignments[0]");
    assert!(
        problem["message"]
            .as_str()
            .is_some_and(|m| m.contains("203.0.113.208/29") && m.contains("K2")),
        "{problem}"
    );

    let after = v1(&staff, Method::GET, "/inventory/customers/K1", None, &[]).await;
    assert_eq!(
        after.header("etag").expect("an ETag"),
        before.header("etag").expect("an ETag"),
        "nothing changed"
    );
    assert_eq!(after.json(), before.json(), "nothing changed");
    assert!(app.assignment_id("K2", "203.0.113.210").await > 0);
}

#[tokio::test]
async fn if_match_keeps_two_provisioning_runs_from_overwriting_each_other() {
    let app = spawn_app().await;
    let staff = app.api(Some(&app.staff_login("inventory").await));
    let read = v1(&staff, Method::GET, "/inventory/customers/K1", None, &[]).await;
    let etag = read.header("etag").expect("an ETag");
    let mut first = alice_as_seeded();
    first["name"] = json!("Alice One");
    let mut second = alice_as_seeded();
    second["name"] = json!("Alice Two");

    let applied = v1(
        &staff,
        Method::PUT,
        "/inventory/customers/K1",
        Some(&first),
        &[("If-Match", &etag)],
    )
    .await;
    let late = v1(
        &staff,
        Method::PUT,
        "/inventory/customers/K1",
        Some(&second),
        &[("If-Match", &etag)],
    )
    .await;

    assert_eq!(applied.status, StatusCode::OK, "{}", applied.body);
    let moved_on = applied.header("etag").expect("the ETag after the change");
    assert_ne!(moved_on, etag, "the state moved on");
    assert_eq!(
        late.status,
        StatusCode::PRECONDITION_FAILED,
        "{}",
        late.body
    );
    assert_eq!(late.json()["error"]["etag"], json!(moved_on));
    let now = v1(&staff, Method::GET, "/inventory/customers/K1", None, &[]).await;
    assert_eq!(now.json()["name"], "Alice One");
}

#[tokio::test]
async fn cancelling_a_customer_removes_its_assignments_disables_its_users_and_keeps_its_history() {
    let app = spawn_app().await;
    let staff = app.api(Some(&app.staff_login("inventory").await));
    let bob = app.signed_in(BOB).await;

    let reply = v1(&staff, Method::DELETE, "/inventory/customers/K2", None, &[]).await;

    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let removed = reply.json()["remove"].as_array().expect("remove").len();
    assert_eq!(
        removed,
        3 + 1 + 1,
        "three assignments, one server, the customer"
    );
    let state = v1(&staff, Method::GET, "/inventory/customers/K2", None, &[])
        .await
        .json();
    assert_eq!(state["cancelled"], true);
    assert_eq!(state["servers"], json!([]));
    let signed_out = bob.get("/ips").await;
    assert_eq!(
        signed_out.location.as_deref(),
        Some("/login"),
        "Bob's session ended"
    );
    let refused = app.visitor().login(BOB.username, BOB.password).await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED, "Bob is disabled");
    let actions = app.audit_actions().await;
    assert!(
        actions
            .iter()
            .any(|(action, _)| action == "customer.cancel")
    );
    assert!(actions.iter().any(|(action, _)| action == "user.disable"));
    assert!(
        actions.iter().any(|(action, _)| action == "assignment.add"),
        "the history stays"
    );

    let again = v1(&staff, Method::DELETE, "/inventory/customers/K2", None, &[]).await;
    assert_eq!(
        again.json()["remove"],
        json!([]),
        "cancelling twice changes nothing"
    );
    let missing = v1(
        &staff,
        Method::DELETE,
        "/inventory/customers/K404",
        None,
        &[],
    )
    .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_read_credential_reads_and_cannot_write_and_a_customer_credential_is_not_staff() {
    let app = spawn_app().await;
    let reader = app.api(Some(&app.staff_login("read").await));
    let customer = app.api(Some(&app.api_login("K1").await));

    let read = v1(&reader, Method::GET, "/inventory/customers/K1", None, &[]).await;
    let write = v1(
        &reader,
        Method::PUT,
        "/inventory/customers/K1",
        Some(&alice_as_seeded()),
        &[],
    )
    .await;
    let stranger = v1(&customer, Method::GET, "/inventory/customers/K1", None, &[]).await;

    assert_eq!(read.status, StatusCode::OK);
    assert!(read.header("ratelimit-limit").is_some());
    assert_eq!(write.status, StatusCode::FORBIDDEN, "{}", write.body);
    assert_eq!(stranger.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn the_whole_inventory_from_a_csv_file_with_remove_missing_cancels_the_customers_it_omits() {
    let app = spawn_app().await;
    let file = app.dir().join("inventory.csv");
    std::fs::write(
        &file,
        "customer_number,customer_name,server,network\n\
         K1,Alice Hosting GmbH,alice-web,203.0.113.45\n\
         K1,Alice Hosting GmbH,alice-cluster,198.51.100.16/29\n\
         K1,Alice Hosting GmbH,alice-mail,2001:db8:10::/64\n\
         K3,Carol Cloud,c-1,192.0.2.64/28\n",
    )
    .expect("the file");
    let sync = |extra: &[&str]| {
        let mut command = crate::helpers::ptrdesk_command();
        command
            .args(["import", "assignments"])
            .arg(&file)
            .args(["--sync", "--remove-missing"])
            .args(extra)
            .env("PTRDESK_DATABASE", &app.database_url);
        run(command)
    };

    let dry = sync(&["--dry-run"]).await;
    assert!(dry.status.success(), "{dry:?}");
    let printed = String::from_utf8_lossy(&dry.stdout).into_owned();
    assert!(printed.contains("+ K3 c-1 192.0.2.64/28"), "{printed}");
    assert!(printed.contains("- K2\n"), "{printed}");
    assert!(
        printed.contains("dry run: nothing was changed"),
        "{printed}"
    );
    assert!(
        app.assignment_id("K2", "203.0.113.200").await > 0,
        "the dry run changed nothing"
    );

    let applied = sync(&[]).await;
    assert!(applied.status.success(), "{applied:?}");
    let again = sync(&[]).await;
    let printed = String::from_utf8_lossy(&again.stdout).into_owned();
    assert!(printed.contains("nothing to change"), "{printed}");
    let staff = app.api(Some(&app.staff_login("inventory").await));
    let carol = v1(&staff, Method::GET, "/inventory/customers/K3", None, &[])
        .await
        .json();
    assert_eq!(carol["servers"][0]["assignments"], json!(["192.0.2.64/28"]));
    let bob = v1(&staff, Method::GET, "/inventory/customers/K2", None, &[])
        .await
        .json();
    assert_eq!(bob["cancelled"], true);
    let all = v1(&staff, Method::GET, "/inventory", None, &[])
        .await
        .json();
    let numbers: Vec<&str> = all["customers"]
        .as_array()
        .expect("customers")
        .iter()
        .filter_map(|c| c["number"].as_str())
        .collect();
    assert_eq!(numbers, ["K1", "K2", "K3"]);
    // What GET answers, PUT takes back: nothing changes.
    let again = v1(&staff, Method::PUT, "/inventory", Some(&all), &[]).await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.body);
    assert_eq!(
        again.json(),
        json!({"create": [], "move": [], "remove": [], "rename": []})
    );
}

#[tokio::test]
async fn an_admin_makes_a_staff_credential_sees_its_secret_once_and_revokes_it() {
    let app = spawn_app().await;
    let admin = app.signed_in(crate::helpers::ADMIN).await;
    let empty = admin.get("/admin/credentials").await;
    assert!(empty.body.contains("No staff credentials yet."));

    let refused = admin
        .post_form(
            "/admin/credentials",
            &[("label", "billing-sync"), ("scope", "")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused
            .body
            .contains(r#"id="staff-scope-err">Choose what the credential may do."#)
    );
    assert!(
        refused.body.contains(r#"value="billing-sync""#),
        "the typed name is kept"
    );

    let made = admin
        .post_form(
            "/admin/credentials",
            &[("label", "billing-sync"), ("scope", "inventory")],
        )
        .await;
    assert_eq!(made.status, StatusCode::OK);
    let login = crate::api_credentials::shown_login(&made.body);
    let listed = admin.get("/admin/credentials").await;
    assert!(
        !listed.body.contains(&login.secret),
        "the secret is shown once"
    );
    assert!(
        listed.body.contains(&login.username),
        "the credential is listed"
    );
    let username = login.username.clone();
    let staff = app.api(Some(&login));
    let read = v1(&staff, Method::GET, "/inventory/customers/K1", None, &[]).await;
    assert_eq!(read.status, StatusCode::OK);

    let id: i64 = sqlx::query_scalar("SELECT id FROM staff_credentials WHERE username = $1")
        .bind(&username)
        .fetch_one(&app.db.pool)
        .await
        .expect("the credential");
    let revoked = admin
        .post_form(&format!("/admin/credentials/{id}/revoke"), &[])
        .await;
    assert_eq!(revoked.status, StatusCode::SEE_OTHER);
    let refused = v1(&staff, Method::GET, "/inventory/customers/K1", None, &[]).await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED);
    let actions = app.audit_actions().await;
    assert!(actions.iter().any(
        |(action, actor)| action == "credential.add" && actor == crate::helpers::ADMIN.username
    ));
    assert!(
        actions
            .iter()
            .any(|(action, _)| action == "credential.revoke")
    );
}

#[tokio::test]
async fn provisioning_makes_a_login_for_a_customer_who_then_signs_in_with_it() {
    let app = spawn_app().await;
    let staff = app.api(Some(&app.staff_login("inventory").await));
    let reader = app.api(Some(&app.staff_login("read").await));
    let body = json!({"username": "carol"});

    let made = v1(
        &staff,
        Method::POST,
        "/inventory/customers/K2/users",
        Some(&body),
        &[],
    )
    .await;
    let taken = v1(
        &staff,
        Method::POST,
        "/inventory/customers/K2/users",
        Some(&body),
        &[],
    )
    .await;
    let refused = v1(
        &reader,
        Method::POST,
        "/inventory/customers/K2/users",
        Some(&body),
        &[],
    )
    .await;
    let listed = v1(
        &reader,
        Method::GET,
        "/inventory/customers/K2/users",
        None,
        &[],
    )
    .await;

    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    let password = made.json()["password"]
        .as_str()
        .expect("a password")
        .to_owned();
    let signed_in = app.visitor().login("carol", &password).await;
    assert_eq!(signed_in.status, StatusCode::SEE_OTHER, "carol signs in");
    assert_eq!(taken.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        taken.body.contains("This user name is taken."),
        "{}",
        taken.body
    );
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let listed = listed.json();
    let names: Vec<&str> = listed["users"]
        .as_array()
        .expect("users")
        .iter()
        .filter_map(|u| u["username"].as_str())
        .collect();
    assert_eq!(names, ["bob", "carol"]);
}
