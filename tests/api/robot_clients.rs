//! Real Robot clients against ptrdesk's Robot-compatible API: the Ansible collection
//! `community.hrobot`'s `reverse_dns` module and the PyPI `hetzner` client, exactly as
//! published (pinned in `scripts/test.sh`, which installs both into `.test-tools/robot`). Both
//! hard-code Robot's host; the only change is their base URL: a copy of the collection whose
//! `module_utils/robot.py` names this server, and the `hetzner` client's HTTPS connection
//! swapped for a plain one to loopback (ptrdesk behind a TLS front needs neither).

use crate::helpers::api::ApiLogin;
use crate::helpers::dns_server::{DnsServer, Zone};
use crate::helpers::*;
use ptrdesk::checks::policy::ForwardPolicy;
use ptrdesk::domain::RobotPending;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

const WEB_AS_SENT: &str = "Web.Alice-Hosting.net";
const WEB: &str = "web.alice-hosting.net";
const MAIL: &str = "mail.alice-hosting.net";

fn venv() -> PathBuf {
    let venv = std::env::var_os("ROBOT_CLIENTS_VENV")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join(".test-tools/robot"));
    assert!(
        venv.join("bin/ansible").exists(),
        "the Robot clients are not installed in {}: run scripts/test.sh once",
        venv.display()
    );
    venv
}

/// The collection as installed, copied with its base URL pointed at `base`.
fn hrobot_collection_for(base: &str) -> tempfile::TempDir {
    let site_packages = std::fs::read_dir(venv().join("lib"))
        .expect("the venv's lib folder")
        .filter_map(Result::ok)
        .map(|entry| entry.path().join("site-packages"))
        .find(|path| path.join("ansible_collections/community/hrobot").exists())
        .expect("community.hrobot is installed");
    let dir = tempfile::tempdir().expect("a temporary folder");
    let target = dir.path().join("ansible_collections/community");
    std::fs::create_dir_all(&target).expect("the collections folder");
    let copied = std::process::Command::new("cp")
        .arg("-r")
        .arg(site_packages.join("ansible_collections/community/hrobot"))
        .arg(&target)
        .status()
        .expect("cp runs");
    assert!(copied.success());
    let robot = target.join("hrobot/plugins/module_utils/robot.py");
    let source = std::fs::read_to_string(&robot).expect("robot.py");
    let fixed = "BASE_URL = \"https://robot-ws.your-server.de\"";
    assert!(source.contains(fixed), "the collection's base URL moved");
    std::fs::write(
        &robot,
        source.replace(fixed, &format!("BASE_URL = \"{base}\"")),
    )
    .expect("robot.py is patched");
    dir
}

/// What one run of the Ansible module reported.
#[derive(Debug)]
struct AnsibleRun {
    /// `CHANGED`, `SUCCESS` or `FAILED!`.
    outcome: String,
    /// The module's JSON result.
    result: Value,
}

/// Runs `community.hrobot.reverse_dns` once, as `ansible localhost -m …` does.
async fn reverse_dns(collection: &Path, login: &ApiLogin, args: Value) -> AnsibleRun {
    let venv = venv();
    let mut args = args;
    args["hetzner_user"] = json!(login.username);
    args["hetzner_password"] = json!(login.secret);
    let mut command = std::process::Command::new(venv.join("bin/ansible"));
    command
        .args(["localhost", "-i", "localhost,", "-c", "local", "-o"])
        .args(["-m", "community.hrobot.reverse_dns"])
        .arg("-a")
        .arg(args.to_string())
        .arg("-e")
        .arg(format!(
            "ansible_python_interpreter={}",
            venv.join("bin/python").display()
        ))
        .env("ANSIBLE_COLLECTIONS_PATH", collection)
        .env("ANSIBLE_HOME", collection.join("home"))
        .env("ANSIBLE_LOCAL_TEMP", collection.join("tmp"))
        .env("ANSIBLE_NOCOLOR", "1")
        .env("ANSIBLE_HOST_KEY_CHECKING", "0")
        .env("ANSIBLE_PYTHON_INTERPRETER", venv.join("bin/python"));
    let output = run_beside_the_server(command, None).await;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let line = stdout
        .lines()
        .find(|line| line.starts_with("localhost | "))
        .unwrap_or_else(|| {
            panic!(
                "an ansible result line: {stdout}\n{}",
                String::from_utf8_lossy(&output.stderr)
            )
        });
    let (head, json_text) = line.split_once(" => ").expect("`host | OUTCOME => {…}`");
    AnsibleRun {
        outcome: head.trim_start_matches("localhost | ").trim().to_owned(),
        result: serde_json::from_str(json_text).expect("the module's JSON result"),
    }
}

/// Runs a client to its end on the blocking pool, so that the test's runtime keeps serving
/// the app the client talks to; `stdin` is written to it first.
async fn run_beside_the_server(
    mut command: std::process::Command,
    stdin: Option<String>,
) -> std::process::Output {
    use std::io::Write;
    tokio::task::spawn_blocking(move || {
        let mut child = command
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("the client starts");
        let mut pipe = child.stdin.take().expect("stdin");
        if let Some(text) = stdin {
            pipe.write_all(text.as_bytes())
                .expect("the calls are written");
        }
        drop(pipe);
        child.wait_with_output().expect("the client ends")
    })
    .await
    .expect("the client's thread")
}

#[tokio::test]
async fn ansible_sets_a_ptr_reports_a_rerun_unchanged_and_removes_it() {
    let app = spawn_app().await;
    let login = app.api_login(ALICE_NUMBER).await;
    let collection = hrobot_collection_for(&app.address);
    let present = json!({ "ip": ALICE_SINGLE, "value": WEB_AS_SENT });
    let absent = json!({ "ip": ALICE_SINGLE, "state": "absent" });

    let first = reverse_dns(collection.path(), &login, present.clone()).await;
    let rerun = reverse_dns(collection.path(), &login, present).await;
    let in_force = app.stored_ptr(ALICE_SINGLE).await;
    let removed = reverse_dns(collection.path(), &login, absent.clone()).await;
    let removed_again = reverse_dns(collection.path(), &login, absent).await;

    assert_eq!(first.outcome, "CHANGED", "{:?}", first.result);
    assert_eq!(
        in_force.as_deref(),
        Some(WEB),
        "DNS serves the canonical name"
    );
    assert_eq!(
        (rerun.outcome.as_str(), &rerun.result["changed"]),
        ("SUCCESS", &json!(false)),
        "the name read back is the name sent: {:?}",
        rerun.result
    );
    assert_eq!(removed.outcome, "CHANGED", "{:?}", removed.result);
    assert_eq!(
        removed_again.outcome, "SUCCESS",
        "{:?}",
        removed_again.result
    );
    assert_eq!(removed_again.result["changed"], json!(false));
    assert_eq!(app.stored_ptr(ALICE_SINGLE).await, None);
    let actions: Vec<String> = app
        .audit(ALICE_SINGLE)
        .await
        .into_iter()
        .map(|row| row.action)
        .collect();
    assert_eq!(actions, ["ptr.set", "ptr.reset"], "one write per change");
}

#[tokio::test]
async fn ansible_fails_on_an_ip_that_is_not_the_customers() {
    let app = spawn_app().await;
    let login = app.api_login(ALICE_NUMBER).await;
    let collection = hrobot_collection_for(&app.address);

    let run = reverse_dns(
        collection.path(),
        &login,
        json!({ "ip": BOB_SINGLE, "value": WEB }),
    )
    .await;
    let bad_name = reverse_dns(
        collection.path(),
        &login,
        json!({ "ip": ALICE_SINGLE, "value": "web_1.alice-hosting.net" }),
    )
    .await;

    assert_eq!(run.outcome, "FAILED!", "{:?}", run.result);
    assert_eq!(run.result["msg"], json!("The IP address was not found"));
    assert_eq!(bad_name.outcome, "FAILED!", "{:?}", bad_name.result);
    assert_eq!(bad_name.result["error"]["code"], json!("INVALID_INPUT"));
    assert_eq!(app.stored_ptr(BOB_SINGLE).await, None);
    assert_eq!(app.stored_ptr(ALICE_SINGLE).await, None);
}

/// An app whose DNS checks know `alice-hosting.net` but none of its hosts: every name there
/// waits for DNS.
async fn app_where_names_wait(pending: RobotPending) -> (TestApp, DnsServer) {
    let dns = DnsServer::serving([Zone::new("net"), Zone::new("alice-hosting.net")]).await;
    let server = dns.address.to_string();
    let app = spawn_app_with(|settings| {
        settings.dns_checks = true;
        settings.dns_servers = vec![server];
        settings.check_mode = ptrdesk::domain::CheckMode::Resolver;
        settings.forward_policy = ForwardPolicy::Require;
        settings.robot_pending = pending;
    })
    .await;
    (app, dns)
}

#[tokio::test]
async fn ansible_sees_a_pending_name_as_set_and_absent_withdraws_it() {
    let (app, _dns) = app_where_names_wait(RobotPending::Accept).await;
    let login = app.api_login(ALICE_NUMBER).await;
    let collection = hrobot_collection_for(&app.address);
    let present = json!({ "ip": ALICE_SINGLE, "value": MAIL });
    let absent = json!({ "ip": ALICE_SINGLE, "state": "absent" });

    let first = reverse_dns(collection.path(), &login, present.clone()).await;
    let rerun = reverse_dns(collection.path(), &login, present).await;
    let removed = reverse_dns(collection.path(), &login, absent.clone()).await;
    let removed_again = reverse_dns(collection.path(), &login, absent).await;

    assert_eq!(first.outcome, "CHANGED", "{:?}", first.result);
    // A failed run also says "changed": false; only SUCCESS is "unchanged".
    assert_eq!(
        (rerun.outcome.as_str(), &rerun.result["changed"]),
        ("SUCCESS", &json!(false)),
        "GET answers the pending name: {:?}",
        rerun.result
    );
    assert_eq!(removed.outcome, "CHANGED", "{:?}", removed.result);
    assert_eq!(
        (
            removed_again.outcome.as_str(),
            &removed_again.result["changed"]
        ),
        ("SUCCESS", &json!(false)),
        "{:?}",
        removed_again.result
    );
    assert_eq!(app.stored_ptr(ALICE_SINGLE).await, None);
    let actions: Vec<String> = app
        .audit(ALICE_SINGLE)
        .await
        .into_iter()
        .map(|row| row.action)
        .collect();
    assert_eq!(actions, ["ptr.request.pending", "ptr.request.withdrawn"]);
}

#[tokio::test]
async fn ansible_fails_fast_when_the_provider_refuses_pending_names() {
    let (app, _dns) = app_where_names_wait(RobotPending::Refuse).await;
    let login = app.api_login(ALICE_NUMBER).await;
    let collection = hrobot_collection_for(&app.address);

    let run = reverse_dns(
        collection.path(),
        &login,
        json!({ "ip": ALICE_SINGLE, "value": MAIL }),
    )
    .await;

    assert_eq!(run.outcome, "FAILED!", "{:?}", run.result);
    assert_eq!(run.result["error"]["code"], json!("INVALID_INPUT"));
    assert!(
        run.result["msg"]
            .as_str()
            .is_some_and(|msg| msg.contains("DNS does not confirm it yet")),
        "{:?}",
        run.result
    );
    assert!(app.audit(ALICE_SINGLE).await.is_empty(), "nothing pending");
}

/// The PyPI `hetzner` client's rDNS calls, driven by a short script: each line of `calls` is
/// `get IP`, `set IP NAME`, `remove IP` or `list [SERVER_IP]`; prints one JSON line per call.
const HETZNER_SCRIPT: &str = r#"
import http.client, json, sys
from hetzner import RobotError
from hetzner.robot import Robot

user, secret, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
robot = Robot(user, secret)
# The client hard-codes Robot's host over HTTPS: its connection is swapped for loopback.
robot.conn.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
for line in sys.stdin:
    words = line.split()
    try:
        if words[0] == "get":
            rdns = robot.rdns.get(words[1])
            answer = {"ip": rdns.ip, "ptr": rdns.ptr}
        elif words[0] == "set":
            robot.rdns.get(words[1]).set(words[2])
            answer = {"ok": True}
        elif words[0] == "remove":
            robot.rdns.get(words[1]).remove()
            answer = {"ok": True}
        else:
            robot.rdns.main_ip = words[1] if len(words) > 1 else None
            answer = [{"ip": r.ip, "ptr": r.ptr} for r in robot.rdns]
    except RobotError as err:
        answer = {"error": str(err), "status": err.status}
    print(json.dumps(answer), flush=True)
"#;

async fn hetzner_client(app: &TestApp, login: &ApiLogin, calls: &[String]) -> Vec<Value> {
    let port = app.address.rsplit(':').next().expect("a port").to_owned();
    let mut command = std::process::Command::new(venv().join("bin/python"));
    command
        .arg("-c")
        .arg(HETZNER_SCRIPT)
        .args([&login.username, &login.secret, &port]);
    let output = run_beside_the_server(command, Some(calls.join("\n"))).await;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let answers: Vec<Value> = stdout
        .lines()
        .map(|line| serde_json::from_str(line).expect("a JSON line"))
        .collect();
    assert_eq!(
        answers.len(),
        calls.len(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    answers
}

#[tokio::test]
async fn the_hetzner_client_sets_reads_lists_and_removes_ptrs() {
    let app = spawn_app().await;
    let login = app.api_login(ALICE_NUMBER).await;

    let answers = hetzner_client(
        &app,
        &login,
        &[
            format!("get {ALICE_SINGLE}"),
            format!("set {ALICE_SINGLE} {WEB_AS_SENT}"),
            format!("get {ALICE_SINGLE}"),
            "list".to_owned(),
            format!("list {ALICE_SINGLE}"),
            format!("set {ALICE_SINGLE} web_1.alice-hosting.net"),
            format!("get {BOB_SINGLE}"),
            format!("remove {ALICE_SINGLE}"),
            format!("get {ALICE_SINGLE}"),
            "list".to_owned(),
        ],
    )
    .await;

    assert_eq!(
        answers[0],
        json!({ "ip": ALICE_SINGLE, "ptr": null }),
        "none yet"
    );
    assert_eq!(answers[1], json!({ "ok": true }));
    assert_eq!(
        answers[2],
        json!({ "ip": ALICE_SINGLE, "ptr": WEB_AS_SENT })
    );
    assert_eq!(
        answers[3],
        json!([{ "ip": ALICE_SINGLE, "ptr": WEB_AS_SENT }])
    );
    assert_eq!(answers[4], answers[3], "server_ip narrows to that server");
    assert_eq!(answers[5]["status"], json!(400), "{}", answers[5]);
    assert!(
        answers[5]["error"]
            .as_str()
            .is_some_and(|text| text.contains("fields: ptr")),
        "{}",
        answers[5]
    );
    assert_eq!(
        answers[6],
        json!({ "ip": BOB_SINGLE, "ptr": null }),
        "another customer's IP reads as nothing"
    );
    assert_eq!(answers[7], json!({ "ok": true }));
    assert_eq!(answers[8], json!({ "ip": ALICE_SINGLE, "ptr": null }));
    assert_eq!(
        answers[9],
        json!([]),
        "404 NOT_FOUND reads as an empty list"
    );
    assert_eq!(app.stored_ptr(ALICE_SINGLE).await, None);
}

#[tokio::test]
async fn the_hetzner_client_reads_a_pending_name_and_removes_it() {
    let (app, _dns) = app_where_names_wait(RobotPending::Accept).await;
    let login = app.api_login(ALICE_NUMBER).await;

    let answers = hetzner_client(
        &app,
        &login,
        &[
            format!("set {ALICE_SINGLE} {MAIL}"),
            format!("get {ALICE_SINGLE}"),
            "list".to_owned(),
            format!("remove {ALICE_SINGLE}"),
            format!("get {ALICE_SINGLE}"),
        ],
    )
    .await;

    assert_eq!(answers[0], json!({ "ok": true }));
    assert_eq!(answers[1], json!({ "ip": ALICE_SINGLE, "ptr": MAIL }));
    assert_eq!(answers[2], json!([{ "ip": ALICE_SINGLE, "ptr": MAIL }]));
    assert_eq!(
        answers[3],
        json!({ "ok": true }),
        "DELETE's body is read as nothing"
    );
    assert_eq!(answers[4], json!({ "ip": ALICE_SINGLE, "ptr": null }));
    let last = app.audit(ALICE_SINGLE).await.pop().expect("an audit row");
    assert_eq!(last.action, "ptr.request.withdrawn");
}
