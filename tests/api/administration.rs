//! Administration through HTTP: customers, users, servers and assignments, CSV import; every
//! action audited; help-desk users refused (403, nothing changed) and customers shown nothing
//! (404) on every administration route.

use crate::helpers::{
    ADMIN, ALICE, ALICE_NUMBER, ALICE_SINGLE, ALICE_V4_SUBNET, BOB, HELPDESK, TestApp, TestUser,
    collapse, spawn_app,
};
use reqwest::StatusCode;

/// `(actor, door, action, old, new)` of an audit row.
type AuditRow = (String, String, String, Option<String>, Option<String>);

/// Every audit row with `action`, oldest first.
async fn audit_rows(app: &TestApp, action: &str) -> Vec<AuditRow> {
    sqlx::query_as(
        "SELECT actor, door, action, old_value, new_value FROM audit WHERE action = $1 ORDER BY id",
    )
    .bind(action)
    .fetch_all(&app.db.pool)
    .await
    .expect("the audit table answers")
}

/// Everything the administration routes could change, as text to compare.
async fn snapshot(app: &TestApp) -> String {
    let pool = &app.db.pool;
    let customers: Vec<(i64, String, String)> =
        sqlx::query_as("SELECT id, number, name FROM customers ORDER BY id")
            .fetch_all(pool)
            .await
            .expect("customers");
    let users: Vec<(i64, String, String, String, i64, i64)> = sqlx::query_as(
        "SELECT id, username, role, password_hash, COALESCE(customer_id, 0) AS c, COALESCE(disabled_at, 0) AS d \
         FROM users ORDER BY id",
    )
    .fetch_all(pool)
    .await
    .expect("users");
    let servers: Vec<(i64, i64, String)> =
        sqlx::query_as("SELECT id, customer_id, name FROM servers ORDER BY id")
            .fetch_all(pool)
            .await
            .expect("servers");
    let assignments: Vec<(i64, i64, String)> =
        sqlx::query_as("SELECT id, server_id, network FROM assignments ORDER BY id")
            .fetch_all(pool)
            .await
            .expect("assignments");
    let entries: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT address_text, COALESCE(hostname, '') AS h, version FROM entries ORDER BY address_text",
    )
    .fetch_all(pool)
    .await
    .expect("entries");
    let counts: (i64, i64) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM changes) AS c, (SELECT COUNT(*) FROM audit) AS a",
    )
    .fetch_one(pool)
    .await
    .expect("counts");
    format!("{customers:?}\n{users:?}\n{servers:?}\n{assignments:?}\n{entries:?}\n{counts:?}")
}

/// A signed-in staff user whose browser holds the session's CSRF token (from the start page
/// their role is sent to).
async fn staff(app: &TestApp, person: crate::helpers::Person) -> TestUser {
    let user = app.signed_in(person).await;
    let start = user.get("/").await.location.expect("a start page");
    assert_eq!(user.get(&start).await.status, StatusCode::OK, "{start}");
    user
}

async fn assignment_count(app: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM assignments")
        .fetch_one(&app.db.pool)
        .await
        .expect("assignments")
}

#[tokio::test]
async fn an_admin_lists_searches_and_adds_customers() {
    let app = spawn_app().await;
    let admin = staff(&app, ADMIN).await;

    let all = admin.get("/admin/customers").await;
    assert_eq!(all.status, StatusCode::OK);
    let text = all.page().text();
    assert!(
        text.contains("Alice Hosting GmbH") && text.contains("Bob Networks Ltd"),
        "{text}"
    );

    let found = admin.get("/admin/customers?q=bob").await.page().text();
    assert!(
        found.contains("Bob Networks Ltd") && !found.contains("Alice Hosting GmbH"),
        "{found}"
    );

    let added = admin
        .post_form(
            "/admin/customers",
            &[("number", "K3"), ("name", "Carol Cloud AG")],
        )
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER);
    let id = app.customer_id("K3").await;
    assert_eq!(added.location, Some(format!("/admin/customers/{id}")));
    let page = admin
        .get(&format!("/admin/customers/{id}"))
        .await
        .page()
        .text();
    assert!(
        page.contains("Carol Cloud AG") && page.contains("Customer K3 (Carol Cloud AG) was added."),
        "{page}"
    );
    assert_eq!(
        audit_rows(&app, "customer.add").await,
        vec![(
            "root".into(),
            "page".into(),
            "customer.add".into(),
            None,
            Some("K3 Carol Cloud AG".into())
        )]
    );
}

#[tokio::test]
async fn adding_a_customer_with_a_taken_number_or_no_name_says_so_beside_the_field() {
    let app = spawn_app().await;
    let admin = staff(&app, ADMIN).await;
    let before = snapshot(&app).await;

    let taken = admin
        .post_form("/admin/customers", &[("number", "K1"), ("name", "Again")])
        .await;
    assert_eq!(taken.status, StatusCode::UNPROCESSABLE_ENTITY);
    let form = taken
        .page()
        .forms()
        .into_iter()
        .find(|f| f.action == "/admin/customers" && f.input("number").is_some())
        .expect("the add form");
    assert!(
        form.text
            .contains("A customer with this number exists already."),
        "{}",
        form.text
    );
    assert_eq!(
        form.value("name").as_deref(),
        Some("Again"),
        "the input is kept"
    );

    let nameless = admin
        .post_form("/admin/customers", &[("number", "K9"), ("name", " ")])
        .await;
    assert_eq!(nameless.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(nameless.page().text().contains("Enter the customer's name"));
    assert_eq!(snapshot(&app).await, before, "nothing was stored");
}

#[tokio::test]
async fn an_admin_renames_a_customer_and_the_customer_sees_the_new_name() {
    let app = spawn_app().await;
    let admin = staff(&app, ADMIN).await;
    let id = app.customer_id(ALICE_NUMBER).await;

    let reply = admin
        .post_form(
            &format!("/admin/customers/{id}/rename"),
            &[("name", "Alice Cloud SE")],
        )
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    let alice = app.signed_in(ALICE).await;
    assert!(
        alice
            .get("/ips")
            .await
            .page()
            .text()
            .contains("Alice Cloud SE")
    );
    assert_eq!(
        audit_rows(&app, "customer.rename").await,
        vec![(
            "root".into(),
            "page".into(),
            "customer.rename".into(),
            Some("Alice Hosting GmbH".into()),
            Some("Alice Cloud SE".into())
        )]
    );

    let empty = admin
        .post_form(&format!("/admin/customers/{id}/rename"), &[("name", "")])
        .await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(empty.page().text().contains("Enter the new name"));
}

#[tokio::test]
async fn an_admin_adds_a_server_and_an_assignment_and_the_customer_sees_it() {
    let app = spawn_app().await;
    let admin = staff(&app, ADMIN).await;
    let id = app.customer_id(ALICE_NUMBER).await;

    let server = admin
        .post_form(
            &format!("/admin/customers/{id}/servers"),
            &[("name", "alice-db")],
        )
        .await;
    assert_eq!(server.status, StatusCode::SEE_OTHER);
    let twice = admin
        .post_form(
            &format!("/admin/customers/{id}/servers"),
            &[("name", "alice-db")],
        )
        .await;
    assert_eq!(twice.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        twice
            .page()
            .text()
            .contains("has a server with this name already")
    );

    let server_id = app.server_id(ALICE_NUMBER, "alice-db").await.to_string();
    let path = format!("/admin/customers/{id}/assignments");
    let bad = admin
        .post_form(
            &path,
            &[("server", &server_id), ("network", "192.0.2.17/29")],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        collapse(&bad.body)
            .contains("is not the start of its network; did you mean 192.0.2.16/29?"),
        "the parser's message is shown"
    );
    let overlap = admin
        .post_form(
            &path,
            &[("server", &server_id), ("network", "198.51.100.20")],
        )
        .await;
    assert_eq!(overlap.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        overlap
            .page()
            .text()
            .contains("overlaps the existing assignment 198.51.100.16/29")
    );

    let added = admin
        .post_form(
            &path,
            &[("server", &server_id), ("network", "192.0.2.16/29")],
        )
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER);
    let alice = app.signed_in(ALICE).await;
    assert!(
        alice
            .get("/ips?per_page=100")
            .await
            .page()
            .text()
            .contains("192.0.2.16")
    );
    assert_eq!(audit_rows(&app, "server.add").await.len(), 1);
    assert_eq!(
        audit_rows(&app, "assignment.add")
            .await
            .last()
            .map(|row| (row.0.clone(), row.4.clone())),
        Some(("root".into(), Some("192.0.2.16/29 on alice-db".into())))
    );

    let someone_elses = app.server_id("K2", "bob-edge").await.to_string();
    let foreign = admin
        .post_form(
            &path,
            &[("server", &someone_elses), ("network", "192.0.2.99")],
        )
        .await;
    assert_eq!(
        foreign.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "another customer's server is refused"
    );
}

#[tokio::test]
async fn a_moved_ips_ptr_goes_back_to_the_default_and_its_open_changes_are_superseded() {
    let app = spawn_app().await;
    let alice = app.signed_in(ALICE).await;
    alice.save(ALICE_SINGLE, "mail.alice-hosting.de").await;
    alice.save("198.51.100.17", "node.example").await; // rejected: an open change
    assert_eq!(
        app.stored_ptr(ALICE_SINGLE).await.as_deref(),
        Some("mail.alice-hosting.de")
    );
    let admin = staff(&app, ADMIN).await;
    let single = app.assignment_id(ALICE_NUMBER, ALICE_SINGLE).await;
    let subnet = app.assignment_id(ALICE_NUMBER, "198.51.100.17").await;

    for assignment in [single, subnet] {
        let reply = admin
            .post_form(
                &format!("/admin/assignments/{assignment}/move"),
                &[("customer", "K2"), ("server", "bob-edge")],
            )
            .await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER);
    }

    assert_eq!(
        app.stored_ptr(ALICE_SINGLE).await,
        None,
        "the PTR did not follow the IP"
    );
    let last = app.audit(ALICE_SINGLE).await.pop().expect("an audit row");
    assert_eq!(
        (
            last.actor.as_str(),
            last.door.as_str(),
            last.action.as_str()
        ),
        ("root", "system", "ptr.reset")
    );
    assert_eq!(last.old_value.as_deref(), Some("mail.alice-hosting.de"));
    let open: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM changes WHERE superseded_by IS NULL AND state <> 'published'",
    )
    .fetch_one(&app.db.pool)
    .await
    .expect("changes");
    assert_eq!(open, 0, "the old owner's open change is superseded");
    assert_eq!(app.assignment_id("K2", ALICE_SINGLE).await, single);
    let bob = app.signed_in(BOB).await;
    assert!(
        bob.get("/ips?per_page=100")
            .await
            .page()
            .row_ips()
            .contains(&ALICE_SINGLE.to_owned())
    );
    assert!(
        !alice
            .get("/ips?per_page=100")
            .await
            .page()
            .row_ips()
            .contains(&ALICE_SINGLE.to_owned())
    );
    assert_eq!(audit_rows(&app, "assignment.move").await.len(), 2);
}

#[tokio::test]
async fn moving_to_another_server_of_the_same_customer_keeps_the_ptr() {
    let app = spawn_app().await;
    let alice = app.signed_in(ALICE).await;
    alice.save(ALICE_SINGLE, "mail.alice-hosting.de").await;
    let admin = staff(&app, ADMIN).await;
    let single = app.assignment_id(ALICE_NUMBER, ALICE_SINGLE).await;

    let reply = admin
        .post_form(
            &format!("/admin/assignments/{single}/move"),
            &[("customer", ""), ("server", "alice-mail")],
        )
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.stored_ptr(ALICE_SINGLE).await.as_deref(),
        Some("mail.alice-hosting.de")
    );
    let row = audit_rows(&app, "assignment.move")
        .await
        .pop()
        .expect("a move row");
    assert_eq!(row.3.as_deref(), Some("203.0.113.45 on alice-web"));

    let nowhere = admin
        .post_form(
            &format!("/admin/assignments/{single}/move"),
            &[("customer", "K2"), ("server", "no-such")],
        )
        .await;
    assert_eq!(nowhere.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        nowhere
            .page()
            .text()
            .contains("That customer has no server with this name")
    );
    let nobody = admin
        .post_form(
            &format!("/admin/assignments/{single}/move"),
            &[("customer", "K404"), ("server", "x")],
        )
        .await;
    assert_eq!(nobody.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        nobody
            .page()
            .text()
            .contains("There is no customer with this number.")
    );
}

#[tokio::test]
async fn an_assignment_with_its_own_ptrs_is_removed_only_with_reset_and_remove() {
    let app = spawn_app().await;
    let alice = app.signed_in(ALICE).await;
    alice.save(ALICE_SINGLE, "mail.alice-hosting.de").await;
    let admin = staff(&app, ADMIN).await;
    let single = app.assignment_id(ALICE_NUMBER, ALICE_SINGLE).await;
    let subnet = app.assignment_id(ALICE_NUMBER, "198.51.100.17").await;
    let before = snapshot(&app).await;

    let refused = admin
        .post_form(&format!("/admin/assignments/{single}/remove"), &[])
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.page().text().contains("Reset and remove"));
    assert_eq!(snapshot(&app).await, before);

    let plain = admin
        .post_form(&format!("/admin/assignments/{subnet}/remove"), &[])
        .await;
    assert_eq!(
        plain.status,
        StatusCode::SEE_OTHER,
        "no PTR of its own: removed"
    );
    let reset = admin
        .post_form(
            &format!("/admin/assignments/{single}/remove"),
            &[("reset", "yes")],
        )
        .await;
    assert_eq!(reset.status, StatusCode::SEE_OTHER);

    assert_eq!(app.entry(ALICE_SINGLE).await, None);
    let rows = alice.get("/ips?per_page=100").await.page().row_ips();
    assert!(
        !rows.contains(&ALICE_SINGLE.to_owned())
            && !rows.iter().any(|ip| ip.starts_with("198.51.100.")),
        "{rows:?}"
    );
    let history = app.audit(ALICE_SINGLE).await;
    assert_eq!(
        history
            .last()
            .map(|row| (row.door.as_str(), row.action.as_str())),
        Some(("system", "ptr.reset"))
    );
    assert_eq!(audit_rows(&app, "assignment.remove").await.len(), 2);
    let customer = app.customer_id(ALICE_NUMBER).await;
    let page = admin.get(&format!("/admin/customers/{customer}")).await;
    assert!(!page.page().text().contains(ALICE_V4_SUBNET));
}

#[tokio::test]
async fn a_csv_import_with_bad_lines_lists_each_and_imports_nothing() {
    let app = spawn_app().await;
    let admin = staff(&app, ADMIN).await;
    assert_eq!(admin.get("/admin/import").await.status, StatusCode::OK);
    let before = assignment_count(&app).await;

    let csv = "customer_number,customer_name,server,network\n\
               K7,Seven,s1,192.0.2.0/30\n\
               K7,Seven,s1,192.0.2.1/30\n\
               K7,Seven,s1,203.0.113.45\n\
               K7,Seven\n";
    let reply = admin.post_form("/admin/import", &[("csv", csv)]).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    let text = reply.page().text();
    assert!(
        text.contains("Nothing was imported: 3 line(s) need fixing."),
        "{text}"
    );
    assert!(
        text.contains("Line 3: \"192.0.2.1/30\" is not the start of its network"),
        "{text}"
    );
    assert!(
        text.contains("Line 4: 203.0.113.45 overlaps the existing assignment 203.0.113.45"),
        "{text}"
    );
    assert!(text.contains("Line 5: expected 4 fields"), "{text}");
    assert_eq!(
        assignment_count(&app).await,
        before,
        "nothing half imported"
    );
    assert!(db_customer_absent(&app, "K7").await);

    let good = "K7,Seven,s1,192.0.2.0/30\nK7,Seven,s2,2001:db8:77::/64\n";
    let reply = admin.post_form("/admin/import", &[("csv", good)]).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    assert_eq!(assignment_count(&app).await, before + 2);
    let page = admin.get("/admin/import").await.page().text();
    assert!(
        page.contains("imported 2 assignment(s); created 1 customer(s) and 2 server(s)"),
        "{page}"
    );
    let rows = audit_rows(&app, "assignment.add").await;
    assert_eq!(
        rows.last().map(|row| (row.0.as_str(), row.1.as_str())),
        Some(("root", "import"))
    );
}

async fn db_customer_absent(app: &TestApp, number: &str) -> bool {
    ptrdesk::db::customers::find(&app.db.pool, number)
        .await
        .expect("customers")
        .is_none()
}

#[tokio::test]
async fn an_admin_adds_a_customer_user_who_then_signs_in() {
    let app = spawn_app().await;
    let admin = staff(&app, ADMIN).await;
    assert!(
        admin
            .get("/admin/users")
            .await
            .page()
            .text()
            .contains("support")
    );

    let no_customer = admin
        .post_form(
            "/admin/users",
            &[
                ("username", "carol"),
                ("role", "customer"),
                ("customer", ""),
                ("password", "carol-long-password"),
            ],
        )
        .await;
    assert_eq!(no_customer.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        no_customer
            .page()
            .text()
            .contains("A customer user needs the customer's number.")
    );
    let short = admin
        .post_form(
            "/admin/users",
            &[
                ("username", "carol"),
                ("role", "customer"),
                ("customer", "K1"),
                ("password", "short"),
            ],
        )
        .await;
    assert_eq!(short.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(short.page().text().contains("at least 12 characters"));
    let taken = admin
        .post_form(
            "/admin/users",
            &[
                ("username", "alice"),
                ("role", "admin"),
                ("password", "another-long-password"),
            ],
        )
        .await;
    assert_eq!(taken.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(taken.page().text().contains("This user name is taken."));

    let added = admin
        .post_form(
            "/admin/users",
            &[
                ("username", "carol"),
                ("role", "customer"),
                ("customer", "K1"),
                ("password", "carol-long-password"),
            ],
        )
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER);
    let carol = app.visitor();
    assert_eq!(
        carol.login("carol", "carol-long-password").await.status,
        StatusCode::SEE_OTHER
    );
    assert!(
        carol
            .get("/ips")
            .await
            .page()
            .text()
            .contains("Alice Hosting GmbH")
    );
    assert_eq!(audit_rows(&app, "user.add").await.len(), 1);
}

#[tokio::test]
async fn an_admin_changes_a_role_and_the_user_gets_the_new_screens() {
    let app = spawn_app().await;
    let admin = staff(&app, ADMIN).await;
    let bob = app.signed_in(BOB).await;
    let id = app.user_id("bob").await;

    let reply = admin
        .post_form(
            &format!("/admin/users/{id}/role"),
            &[("role", "helpdesk"), ("customer", "")],
        )
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    let ended = bob.get("/ips").await;
    assert_eq!(
        ended.location.as_deref(),
        Some("/login"),
        "the role change ended his session"
    );
    let bob = app.signed_in(BOB).await;
    assert_eq!(
        bob.get("/ips").await.status,
        StatusCode::NOT_FOUND,
        "no longer a customer"
    );
    assert_eq!(bob.get("/admin/users").await.status, StatusCode::FORBIDDEN);
    assert_eq!(audit_rows(&app, "user.role").await.len(), 1);

    let me = app.user_id("root").await;
    let demote = admin
        .post_form(&format!("/admin/users/{me}/role"), &[("role", "helpdesk")])
        .await;
    assert_eq!(demote.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        demote
            .page()
            .text()
            .contains("You cannot take the admin role from yourself.")
    );
}

#[tokio::test]
async fn a_password_reset_shows_a_new_password_once_and_only_it_works() {
    let app = spawn_app().await;
    let admin = staff(&app, ADMIN).await;
    let id = app.user_id("alice").await;

    let reply = admin
        .post_form(&format!("/admin/users/{id}/password"), &[])
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    let text = admin.get("/admin/users").await.page().text();
    let password = text
        .split("New password for alice: ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .expect("the new password is shown")
        .to_owned();
    assert!(
        !admin
            .get("/admin/users")
            .await
            .page()
            .text()
            .contains(&password),
        "shown once"
    );
    assert_eq!(
        app.visitor()
            .login(ALICE.username, ALICE.password)
            .await
            .status,
        StatusCode::UNAUTHORIZED,
        "old one refused"
    );
    assert_eq!(
        app.visitor().login("alice", &password).await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(audit_rows(&app, "user.password.reset").await.len(), 1);
}

#[tokio::test]
async fn a_disabled_users_open_session_is_refused_at_once_and_works_again_after_enabling() {
    let app = spawn_app().await;
    let admin = staff(&app, ADMIN).await;
    let alice = app.signed_in(ALICE).await;
    assert_eq!(alice.get("/ips").await.status, StatusCode::OK);
    let id = app.user_id("alice").await;

    let reply = admin
        .post_form(&format!("/admin/users/{id}/disable"), &[])
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    let refused = alice.get("/ips").await;
    assert_eq!(refused.status, StatusCode::SEE_OTHER);
    assert_eq!(refused.location.as_deref(), Some("/login"));
    let save = alice
        .post_form(
            "/ptr/save",
            &[
                ("ip", ALICE_SINGLE),
                ("hostname", "mail.alice-hosting.de"),
                ("version", "0"),
            ],
        )
        .await;
    assert_eq!(save.status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.stored_ptr(ALICE_SINGLE).await,
        None,
        "nothing saved by a disabled user"
    );
    assert_eq!(
        app.visitor()
            .login(ALICE.username, ALICE.password)
            .await
            .status,
        StatusCode::UNAUTHORIZED,
        "no new sign-in"
    );

    let reply = admin
        .post_form(&format!("/admin/users/{id}/enable"), &[])
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.visitor()
            .login(ALICE.username, ALICE.password)
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(audit_rows(&app, "user.disable").await.len(), 1);
    assert_eq!(audit_rows(&app, "user.enable").await.len(), 1);

    let me = app.user_id("root").await;
    let myself = admin
        .post_form(&format!("/admin/users/{me}/disable"), &[])
        .await;
    assert_eq!(myself.status, StatusCode::UNPROCESSABLE_ENTITY);
}

/// Every state-changing administration route, with fields that an admin would succeed with.
async fn changing_routes(app: &TestApp) -> Vec<(String, Vec<(&'static str, &'static str)>)> {
    let customer = app.customer_id(ALICE_NUMBER).await;
    let server = app.server_id(ALICE_NUMBER, "alice-web").await;
    let server_field: &'static str = Box::leak(server.to_string().into_boxed_str());
    let single = app.assignment_id(ALICE_NUMBER, ALICE_SINGLE).await;
    let subnet = app.assignment_id(ALICE_NUMBER, "198.51.100.17").await;
    let user = app.user_id("bob").await;
    vec![
        (
            "/admin/customers".into(),
            vec![("number", "K5"), ("name", "Five")],
        ),
        (
            format!("/admin/customers/{customer}/rename"),
            vec![("name", "Renamed")],
        ),
        (
            format!("/admin/customers/{customer}/servers"),
            vec![("name", "new-server")],
        ),
        (
            format!("/admin/customers/{customer}/assignments"),
            vec![("server", server_field), ("network", "192.0.2.0/29")],
        ),
        (
            format!("/admin/assignments/{single}/move"),
            vec![("customer", "K2"), ("server", "bob-edge")],
        ),
        (
            format!("/admin/assignments/{subnet}/remove"),
            vec![("reset", "yes")],
        ),
        (
            "/admin/users".into(),
            vec![
                ("username", "mallory"),
                ("role", "admin"),
                ("password", "mallory-long-password"),
            ],
        ),
        (format!("/admin/users/{user}/role"), vec![("role", "admin")]),
        (format!("/admin/users/{user}/password"), vec![]),
        (format!("/admin/users/{user}/disable"), vec![]),
        (format!("/admin/users/{user}/enable"), vec![]),
        (
            "/admin/import".into(),
            vec![("csv", "K6,Six,s,192.0.2.64/29")],
        ),
    ]
}

#[tokio::test]
async fn help_desk_gets_403_and_changes_nothing_on_every_administration_route() {
    let app = spawn_app().await;
    let alice = app.signed_in(ALICE).await;
    alice.save(ALICE_SINGLE, "mail.alice-hosting.de").await;
    let helpdesk = staff(&app, HELPDESK).await;
    let before = snapshot(&app).await;

    for (path, fields) in changing_routes(&app).await {
        let reply = helpdesk.post_form(&path, &fields).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "POST {path}");
        assert!(
            reply
                .page()
                .text()
                .contains("can look this up but not change it"),
            "POST {path} is refused for the role, not for the form token"
        );
        assert_eq!(snapshot(&app).await, before, "POST {path} changed nothing");
    }
    let customer = app.customer_id(ALICE_NUMBER).await;
    for path in [
        "/admin/customers".to_owned(),
        format!("/admin/customers/{customer}"),
        "/admin/users".into(),
        "/admin/import".into(),
    ] {
        assert_eq!(
            helpdesk.get(&path).await.status,
            StatusCode::FORBIDDEN,
            "GET {path}"
        );
    }
}

#[tokio::test]
async fn an_admin_succeeds_on_every_route_the_help_desk_is_refused() {
    let app = spawn_app().await;
    let admin = staff(&app, ADMIN).await;
    for (path, fields) in changing_routes(&app).await {
        let reply = admin.post_form(&path, &fields).await;
        assert_eq!(
            reply.status,
            StatusCode::SEE_OTHER,
            "POST {path}: {}",
            reply.page().text()
        );
    }
}

#[tokio::test]
async fn a_customer_gets_404_on_every_administration_route() {
    let app = spawn_app().await;
    let bob = app.signed_in(BOB).await;
    let before = snapshot(&app).await;
    let customer = app.customer_id(ALICE_NUMBER).await;
    for path in [
        "/admin/customers".to_owned(),
        format!("/admin/customers/{customer}"),
        "/admin/users".into(),
        "/admin/import".into(),
    ] {
        assert_eq!(
            bob.get(&path).await.status,
            StatusCode::NOT_FOUND,
            "GET {path}"
        );
    }
    for (path, fields) in changing_routes(&app).await {
        let reply = bob.post_form(&path, &fields).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "POST {path}");
    }
    assert_eq!(snapshot(&app).await, before);
}

#[tokio::test]
async fn administration_forms_without_the_csrf_token_are_refused() {
    let app = spawn_app().await;
    let admin = staff(&app, ADMIN).await;
    let before = snapshot(&app).await;
    for (path, fields) in changing_routes(&app).await {
        let reply = admin.post_exactly(&path, &fields).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "POST {path}");
        assert!(reply.page().text().contains("Form expired"), "POST {path}");
    }
    assert_eq!(snapshot(&app).await, before);
}

/// `count` users `user-000`, `user-001`, … (customer users of Alice), written straight into
/// the database with a hash no password matches: the list's paging is under test, not sign-in.
async fn many_users(app: &TestApp, count: usize) {
    let alice = app.customer_id(ALICE_NUMBER).await;
    for n in 0..count {
        ptrdesk::db::users::insert(
            &app.db.pool,
            &format!("user-{n:03}"),
            "$argon2id$v=19$m=19456,t=2,p=1$bm90LWEtc2FsdA$bm90LWEtaGFzaA",
            ptrdesk::domain::Role::Customer,
            Some(alice),
            0,
        )
        .await
        .expect("a user is added");
    }
}

#[tokio::test]
async fn the_users_list_shows_the_first_hundred_says_so_and_a_search_finds_the_others() {
    let app = spawn_app().await;
    many_users(&app, 150).await;
    let admin = staff(&app, ADMIN).await;

    let first = admin.get("/admin/users").await.page().text();
    let found = admin.get("/admin/users?q=USER-14").await.page().text();
    let by_customer = admin.get(&format!("/admin/users?q={ALICE_NUMBER}")).await;
    let nobody = admin.get("/admin/users?q=nobody-here").await.page().text();

    assert!(first.contains("user-000"), "{first}");
    assert!(!first.contains("user-149"), "beyond the first 100 by name");
    assert!(first.contains("Showing the first 100 by name."), "{first}");
    assert!(found.contains("user-140") && found.contains("user-149"));
    assert!(!found.contains("user-139") && !found.contains("Showing the first"));
    assert_eq!(by_customer.status, StatusCode::OK);
    assert!(
        by_customer
            .page()
            .text()
            .contains("Showing the first 100 matches")
    );
    assert!(nobody.contains("No user matches."), "{nobody}");
}

#[tokio::test]
async fn a_change_to_a_user_beyond_the_first_hundred_comes_back_with_that_user_shown() {
    let app = spawn_app().await;
    many_users(&app, 150).await;
    let admin = staff(&app, ADMIN).await;
    let id = app.user_id("user-149").await;

    let refused = admin
        .post_form(
            &format!("/admin/users/{id}/role"),
            &[("role", "customer"), ("customer", "K-NOBODY")],
        )
        .await;
    let disabled = admin
        .post_form(&format!("/admin/users/{id}/disable"), &[])
        .await;
    let location = disabled.location.clone().expect("a redirect");
    let after = admin.get(&location).await.page().text();

    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let text = refused.page().text();
    assert!(text.contains("user-149"), "the user is listed: {text}");
    assert!(text.contains("There is no customer with this number."));
    assert_eq!(location, "/admin/users?q=user-149");
    assert!(after.contains("user-149 is disabled;"), "{after}");
    assert!(after.contains("Disabled"), "{after}");
}

#[tokio::test]
async fn the_customers_list_says_when_it_shows_only_the_first_hundred() {
    let app = spawn_app().await;
    for n in 0..120 {
        ptrdesk::db::customers::insert(&app.db.pool, &format!("Z{n:03}"), "Many GmbH", 0)
            .await
            .expect("a customer is added");
    }
    let admin = staff(&app, ADMIN).await;

    let first = admin.get("/admin/customers").await.page().text();
    let narrowed = admin.get("/admin/customers?q=Z11").await.page().text();

    assert!(
        first.contains("Showing the first 100 by number."),
        "{first}"
    );
    assert!(!first.contains("Z119"));
    assert!(narrowed.contains("Z119") && !narrowed.contains("Showing the first"));
}

#[tokio::test]
async fn a_customers_assignments_are_listed_a_hundred_at_a_time_and_a_refused_move_shows_its_own() {
    let app = spawn_app().await;
    // 150 single addresses on one server of a new customer, 198.18.0.0 – 198.18.0.149.
    let csv: String = (0..150)
        .map(|n| format!("K900,Many Addresses Ltd,many-1,198.18.0.{n}\n"))
        .collect();
    app.import(&csv).await;
    let customer = app.customer_id("K900").await;
    let last = app.assignment_id("K900", "198.18.0.149").await;
    let admin = staff(&app, ADMIN).await;

    let page = admin.get(&format!("/admin/customers/{customer}")).await;
    let found = admin
        .get(&format!("/admin/customers/{customer}?q=198.18.0.149"))
        .await
        .page()
        .text();
    let refused = admin
        .post_form(
            &format!("/admin/assignments/{last}/move"),
            &[("customer", ""), ("server", "no-such-server")],
        )
        .await;

    let text = page.page().text();
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        text.contains("198.18.0.0") && !text.contains("198.18.0.149"),
        "{text}"
    );
    assert!(
        text.contains("Showing the first 100 by server and address."),
        "{text}"
    );
    assert!(found.contains("198.18.0.149"), "{found}");
    assert!(!found.contains("Showing the first"), "one match");
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let refused = refused.page().text();
    assert!(
        refused.contains("198.18.0.149"),
        "the assignment is listed: {refused}"
    );
    assert!(refused.contains("That customer has no server with this name; add it first."));
}
