//! Every error a person meets on a form is in their language (issue 19): a user who chose
//! German submits the wrong thing and reads the German sentence beside the field (or in the
//! flash), not the English one; a signed-out visitor gets the language of `Accept-Language`.
//! The English sentences are asserted by the tests of each form.

use crate::helpers::dns_app::spawn_dns_app;
use crate::helpers::*;
use reqwest::StatusCode;

/// `person` signed in, having chosen German in the header's menu, with `start` loaded (for
/// its CSRF token).
async fn german(app: &TestApp, person: Person, start: &str) -> TestUser {
    let user = app.signed_in(person).await;
    assert_eq!(user.get(start).await.status, StatusCode::OK, "{start}");
    user.choose_language("de").await;
    let page = user.get(start).await;
    assert!(page.body.contains("lang=\"de\""), "German is chosen");
    user
}

/// `reply` came back at `status` with `german` on the page and not `english`.
#[track_caller]
fn says(reply: &Reply, status: StatusCode, german: &str, english: &str) {
    assert_eq!(reply.status, status, "{}", reply.page().text());
    let text = reply.page().text();
    assert!(text.contains(german), "German {german:?} in: {text}");
    assert!(!text.contains(english), "English {english:?} in: {text}");
}

/// The sentence stands beside the field `field` (its `…-err` element).
#[track_caller]
fn beside(reply: &Reply, field: &str, german: &str) {
    let html = reply.body.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        html.contains(&format!("id=\"{field}-err\">{german}")),
        "{german:?} beside {field}: {html}"
    );
}

const UNPROCESSABLE: StatusCode = StatusCode::UNPROCESSABLE_ENTITY;

#[tokio::test]
async fn the_server_and_assignment_forms_answer_in_german() {
    let app = spawn_app().await;
    let id = app.customer_id(ALICE_NUMBER).await;
    let admin = german(&app, ADMIN, &format!("/admin/customers/{id}")).await;

    let servers = format!("/admin/customers/{id}/servers");
    let first = admin.post_form(&servers, &[("name", "alice-db")]).await;
    assert_eq!(first.status, StatusCode::SEE_OTHER);
    let twice = admin.post_form(&servers, &[("name", "alice-db")]).await;
    says(
        &twice,
        UNPROCESSABLE,
        "Dieser Kunde hat bereits einen Server mit diesem Namen.",
        "This customer has a server with this name already.",
    );

    let server = app.server_id(ALICE_NUMBER, "alice-db").await.to_string();
    let assignments = format!("/admin/customers/{id}/assignments");
    let add = |network: String| {
        let (admin, assignments, server) = (&admin, &assignments, &server);
        async move {
            admin
                .post_form(assignments, &[("server", server), ("network", &network)])
                .await
        }
    };
    let overlap = add("198.51.100.20".to_owned()).await;
    says(
        &overlap,
        UNPROCESSABLE,
        "198.51.100.20 überschneidet sich mit der bestehenden Zuweisung 198.51.100.16/29.",
        "overlaps the existing assignment",
    );
    beside(
        &overlap,
        "assignment-network",
        "198.51.100.20 überschneidet sich",
    );
    let host_bits = add("192.0.2.17/29".to_owned()).await;
    says(
        &host_bits,
        UNPROCESSABLE,
        "„192.0.2.17/29“ ist nicht der Anfang seines Netzes; meinten Sie 192.0.2.16/29?",
        "is not the start of its network",
    );
    let unparsable = add("not-a-net".to_owned()).await;
    says(
        &unparsable,
        UNPROCESSABLE,
        "„not-a-net“ ist keine IP-Adresse und kein Netz",
        "is not an IP address or network",
    );
    let long = add("1".repeat(83)).await;
    says(
        &long,
        UNPROCESSABLE,
        "Das Netz hat 83 Zeichen; erlaubt sind höchstens 64.",
        "at most 64 are accepted",
    );
    beside(
        &long,
        "assignment-network",
        "Das Netz hat 83 Zeichen; erlaubt sind höchstens 64.",
    );

    let single = app.assignment_id(ALICE_NUMBER, ALICE_SINGLE).await;
    let moving = format!("/admin/assignments/{single}/move");
    let nobody = admin
        .post_form(&moving, &[("customer", "K404"), ("server", "x")])
        .await;
    says(
        &nobody,
        UNPROCESSABLE,
        "Es gibt keinen Kunden mit dieser Nummer.",
        "There is no customer with this number.",
    );
    let nowhere = admin
        .post_form(&moving, &[("customer", "K1"), ("server", "no-such-server")])
        .await;
    says(
        &nowhere,
        UNPROCESSABLE,
        "Dieser Kunde hat keinen Server mit diesem Namen; legen Sie ihn zuerst an.",
        "That customer has no server with this name",
    );
    let unnamed = admin
        .post_form(&moving, &[("customer", "K1"), ("server", "")])
        .await;
    says(
        &unnamed,
        UNPROCESSABLE,
        "Geben Sie den Namen des Servers ein, auf den die Zuweisung verschoben werden soll.",
        "Enter the name of the server to move it to.",
    );
}

#[tokio::test]
async fn removing_an_assignment_with_ptrs_is_refused_in_german() {
    let app = spawn_app().await;
    let alice = app.signed_in(ALICE).await;
    let saved = alice.save(ALICE_SINGLE, "mail.alice-hosting.net").await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let id = app.customer_id(ALICE_NUMBER).await;
    let admin = german(&app, ADMIN, &format!("/admin/customers/{id}")).await;
    let single = app.assignment_id(ALICE_NUMBER, ALICE_SINGLE).await;

    let refused = admin
        .post_form(&format!("/admin/assignments/{single}/remove"), &[])
        .await;

    says(
        &refused,
        UNPROCESSABLE,
        "203.0.113.45 hat eine Adresse mit eigenem PTR-Eintrag oder offener Änderung.",
        "with a PTR of their own",
    );
}

#[tokio::test]
async fn the_credential_and_webhook_forms_answer_in_german() {
    let app = spawn_app().await;
    let admin = german(&app, ADMIN, "/admin/credentials").await;

    let unlabelled = admin
        .post_form("/admin/credentials", &[("label", " "), ("scope", "read")])
        .await;
    says(
        &unlabelled,
        UNPROCESSABLE,
        "Geben Sie an, wofür die Zugangsdaten sind (höchstens 100 Zeichen).",
        "Enter what the credential is for",
    );

    admin.get("/admin/webhooks").await;
    let event = ptrdesk::domain::WebhookEvent::ALL[0].as_str();
    let bad_url = admin
        .post_form(
            "/admin/webhooks",
            &[("url", "ftp://example.net"), (event, "on")],
        )
        .await;
    says(
        &bad_url,
        UNPROCESSABLE,
        "Geben Sie die URL des Empfängers ein, beginnend mit https:// (oder http:// innerhalb Ihres Netzes).",
        "Enter the receiver's URL",
    );
    let no_event = admin
        .post_form("/admin/webhooks", &[("url", "https://hooks.example.net/")])
        .await;
    says(
        &no_event,
        UNPROCESSABLE,
        "Wählen Sie mindestens ein Ereignis.",
        "Choose at least one event.",
    );
    let secret = "s".repeat(201);
    let long_secret = admin
        .post_form(
            "/admin/webhooks",
            &[
                ("url", "https://hooks.example.net/"),
                ("secret", &secret),
                (event, "on"),
            ],
        )
        .await;
    says(
        &long_secret,
        UNPROCESSABLE,
        "Das Geheimnis hat höchstens 200 Zeichen.",
        "The secret has at most 200 characters.",
    );
}

#[tokio::test]
async fn the_user_form_answers_in_german() {
    let app = spawn_app().await;
    let admin = german(&app, ADMIN, "/admin/users").await;
    let add = |username: &'static str, password: String| {
        let admin = &admin;
        async move {
            admin
                .post_form(
                    "/admin/users",
                    &[
                        ("username", username),
                        ("role", "customer"),
                        ("customer", ALICE_NUMBER),
                        ("password", &password),
                    ],
                )
                .await
        }
    };

    let taken = add("alice", "another-long-password".to_owned()).await;
    says(
        &taken,
        UNPROCESSABLE,
        "Dieser Benutzername ist bereits vergeben.",
        "This user name is taken.",
    );
    let short = add("carol", "short".to_owned()).await;
    says(
        &short,
        UNPROCESSABLE,
        "Das Passwort hat 5 Zeichen; nötig sind mindestens 12.",
        "at least 12 are needed",
    );
    let long = add("carol", "p".repeat(1025)).await;
    says(
        &long,
        UNPROCESSABLE,
        "Das Passwort hat 1025 Zeichen; erlaubt sind höchstens 1024.",
        "at most 1024 are accepted",
    );
    let spaced = add("carol smith", "another-long-password".to_owned()).await;
    says(
        &spaced,
        UNPROCESSABLE,
        "Geben Sie einen Benutzernamen ohne Leerzeichen ein (höchstens 64 Zeichen).",
        "Enter a user name without spaces",
    );
}

/// Rejected with offline checks only: it carries alice's address.
const EMBEDS_IP: &str = "203-0-113-45.alice-hosting.net";

/// The id of the change alice's browser `alice` makes rejected for her single address.
async fn rejected_change(app: &TestApp, alice: &TestUser) -> i64 {
    let reply = alice.save(ALICE_SINGLE, EMBEDS_IP).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    let queue = ptrdesk::db::review::page(
        &app.db.pool,
        &ptrdesk::db::review::QueueFilter::default(),
        10,
        0,
    )
    .await
    .expect("the queue answers");
    queue.first().expect("the rejected change").id
}

#[tokio::test]
async fn review_steps_refused_are_told_in_german() {
    let app = spawn_app().await;
    let alice = german(&app, ALICE, "/ips").await;
    let id = rejected_change(&app, &alice).await;
    let change = id.to_string();

    let unjustified = alice
        .post_form(
            "/ptr/review",
            &[("change", &change), ("justification", " ")],
        )
        .await;
    says(
        &unjustified,
        UNPROCESSABLE,
        "Begründen Sie, warum dieser Name zu dieser Adresse passt, damit ein Admin entscheiden kann.",
        "Say why this name is right",
    );
    let long = "j".repeat(2399);
    let too_long = alice
        .post_form(
            "/ptr/review",
            &[("change", &change), ("justification", &long)],
        )
        .await;
    says(
        &too_long,
        UNPROCESSABLE,
        "Die Begründung hat 2399 Zeichen; erlaubt sind höchstens 2000.",
        "The justification has 2399 characters",
    );
    let justification = [
        ("change", change.as_str()),
        ("justification", "It is our mail server's real name."),
    ];
    let asked = alice.post_form("/ptr/review", &justification).await;
    assert_eq!(asked.status, StatusCode::SEE_OTHER, "{}", asked.body);
    says(
        &alice.get("/ips").await,
        StatusCode::OK,
        "Ihre Freigabeanfrage wurde gesendet.",
        "Your request for review was sent.",
    );
    let again = alice.post_form("/ptr/review", &justification).await;
    assert_eq!(again.status, StatusCode::SEE_OTHER, "{}", again.body);
    says(
        &alice.get("/ips").await,
        StatusCode::OK,
        "Es wurde nichts gesendet: diese Änderung ist in Freigabe und kann diesen Schritt nicht durchlaufen.",
        "cannot take this step",
    );

    let admin = german(&app, ADMIN, "/admin/review").await;
    let unnoted = admin
        .post_form(&format!("/admin/review/{id}/deny"), &[("note", " ")])
        .await;
    says(
        &unnoted,
        UNPROCESSABLE,
        "Eine Notiz ist nötig: Der Kunde sieht sie neben seinem Eintrag.",
        "A note is required",
    );
    let note = "n".repeat(2001);
    let long_note = admin
        .post_form(&format!("/admin/review/{id}/deny"), &[("note", &note)])
        .await;
    says(
        &long_note,
        UNPROCESSABLE,
        "Die Notiz hat 2001 Zeichen; erlaubt sind höchstens 2000.",
        "The note has 2001 characters",
    );
    let denied = admin
        .post_form(&format!("/admin/review/{id}/deny"), &[("note", "Nein.")])
        .await;
    assert_eq!(denied.status, StatusCode::SEE_OTHER, "{}", denied.body);
    let stale = admin
        .post_form(&format!("/admin/review/{id}/approve"), &[("note", "Doch.")])
        .await;
    assert_eq!(stale.status, StatusCode::SEE_OTHER, "{}", stale.body);
    says(
        &admin.get("/admin/review").await,
        StatusCode::OK,
        "Es wurde nichts geändert: diese Änderung ist endgültig abgelehnt und kann diesen Schritt nicht durchlaufen.",
        "cannot take this step",
    );
}

#[tokio::test]
async fn delegation_refusals_are_told_in_german() {
    let app = spawn_dns_app().await;
    let alice = german(&app, ALICE, "/ips").await;
    let id = app
        .assignment_id(ALICE_NUMBER, "198.51.100.17")
        .await
        .to_string();
    let delegate = |ns1: String, ns2: &'static str| {
        let (alice, id) = (&alice, &id);
        async move {
            alice
                .post_form(
                    "/delegation",
                    &[("assignment", id), ("ns1", &ns1), ("ns2", ns2)],
                )
                .await
        }
    };

    let not_allowed = delegate("ns1.alice-ns.net".to_owned(), "ns2.alice-ns.net").await;
    says(
        &not_allowed,
        UNPROCESSABLE,
        "Die Delegierung ist für diese Zuweisung nicht freigeschaltet; bitten Sie Ihren Anbieter darum.",
        "Delegation is not enabled for this assignment",
    );

    let admin = app.signed_in(ADMIN).await;
    admin.get("/admin/customers").await;
    let assignment = app.assignment_id(ALICE_NUMBER, "198.51.100.17").await;
    let allowed = admin
        .post_form(
            &format!("/admin/assignments/{assignment}/delegation"),
            &[("allowed", "yes")],
        )
        .await;
    assert_eq!(allowed.status, StatusCode::SEE_OTHER, "{}", allowed.body);

    let one = delegate("ns1.alice-ns.net".to_owned(), "").await;
    says(
        &one,
        UNPROCESSABLE,
        "Nennen Sie mindestens zwei Nameserver (und höchstens",
        "Name at least two name servers",
    );
    let hyphen = delegate("-ns1.alice-ns.net".to_owned(), "ns2.alice-ns.net").await;
    says(
        &hyphen,
        UNPROCESSABLE,
        "-ns1.alice-ns.net ist kein Hostname: Das Label \"-ns1\" beginnt mit einem Bindestrich.",
        "starts with a hyphen",
    );
    let long = format!("{}.alice-ns.net", "n".repeat(300));
    let long = delegate(long, "ns2.alice-ns.net").await;
    says(
        &long,
        UNPROCESSABLE,
        "Ein Nameserver hat 313 Zeichen; erlaubt sind höchstens 256.",
        "A name server has 313 characters",
    );
}

#[tokio::test]
async fn the_import_tells_its_lines_and_its_summary_in_german() {
    let app = spawn_app().await;
    let admin = german(&app, ADMIN, "/admin/import").await;

    let bad = "customer_number,customer_name,server,network\n\
               K7,Seven,s1,192.0.2.0/30\n\
               K7,Seven,s1,192.0.2.1/30\n\
               K7,Seven,s1,203.0.113.45\n\
               K7,Seven\n";
    let reply = admin.post_form("/admin/import", &[("csv", bad)]).await;
    assert_eq!(reply.status, UNPROCESSABLE);
    let text = reply.page().text();
    for german in [
        "„192.0.2.1/30“ ist nicht der Anfang seines Netzes",
        "203.0.113.45 überschneidet sich mit der bestehenden Zuweisung 203.0.113.45",
        "erwartet 4 Felder (customer_number,customer_name,server,network), gefunden 2",
    ] {
        assert!(text.contains(german), "{german:?} in: {text}");
    }
    for english in ["is not the start", "overlaps", "expected 4 fields"] {
        assert!(!text.contains(english), "{english:?} in: {text}");
    }
    // As a browser sends the text area: CRLF line ends, the lines numbered as typed.
    let crlf = bad.replace('\n', "\r\n");
    let reply = admin.post_form("/admin/import", &[("csv", &crlf)]).await;
    let text = reply.page().text();
    for german in [
        "Zeile 3: „192.0.2.1/30“ ist nicht der Anfang",
        "Zeile 5: erwartet 4 Felder",
    ] {
        assert!(text.contains(german), "{german:?} in: {text}");
    }

    let long = format!("K8,{},s1,192.0.2.8/30\n", "n".repeat(201));
    let reply = admin.post_form("/admin/import", &[("csv", &long)]).await;
    says(
        &reply,
        UNPROCESSABLE,
        "Der Kundenname hat 201 Zeichen; erlaubt sind höchstens 200.",
        "The customer name has 201 characters",
    );

    let good = "K7,Seven,s1,192.0.2.0/30\nK7,Seven,s2,2001:db8:77::/64\n";
    let reply = admin.post_form("/admin/import", &[("csv", good)]).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    says(
        &admin.get("/admin/import").await,
        StatusCode::OK,
        "2 Zuweisungen importiert; ein Kunde und 2 Server angelegt",
        "imported 2 assignment(s)",
    );
}

#[tokio::test]
async fn search_texts_over_their_limit_are_told_in_german() {
    let app = spawn_app().await;
    let admin = german(&app, ADMIN, "/admin/users").await;
    let q = "q".repeat(257);

    let reply = admin.get(&format!("/admin/users?q={q}")).await;

    says(
        &reply,
        StatusCode::BAD_REQUEST,
        "Der Suchtext hat 257 Zeichen; erlaubt sind höchstens 256. Kürzen Sie den Text und suchen Sie erneut.",
        "Shorten it and search again.",
    );
}

#[tokio::test]
async fn a_signed_out_visitor_reads_the_sign_in_errors_in_the_language_of_the_browser() {
    let app = spawn_app().await;
    let visitor = app.visitor_with_header("Accept-Language", "de-DE,de;q=0.9");

    let wrong = visitor.login(ALICE.username, "not-her-password").await;
    says(
        &wrong,
        StatusCode::UNAUTHORIZED,
        "Benutzername oder Passwort ist nicht richtig.",
        "The username or password is not right.",
    );
    let long = "p".repeat(1025);
    let too_long = visitor.login(ALICE.username, &long).await;
    says(
        &too_long,
        UNPROCESSABLE,
        "Das Passwort hat 1025 Zeichen; erlaubt sind höchstens 1024.",
        "at most 1024 are accepted",
    );
}

#[tokio::test]
async fn a_sign_in_through_the_provider_is_refused_in_the_language_of_the_browser() {
    use crate::helpers::oidc_provider::OidcProvider;
    let provider = OidcProvider::start().await;
    let issuer = provider.issuer.clone();
    let app = spawn_app_with(move |settings| {
        settings.oidc_issuer_url = Some(issuer);
        settings.oidc_client_id = Some("ptrdesk".to_owned());
        settings.oidc_client_secret = Some("client-secret".to_owned().into());
        settings.oidc_provider_name = "Example ID".to_owned();
    })
    .await;
    provider
        .set_user("c-unknown", serde_json::json!({"customer": "K999"}))
        .await;
    let visitor = app.visitor_with_header("Accept-Language", "de");

    let start = visitor.get("/login/oidc").await;
    let authorize = start.location.expect("the provider's authorization URL");
    let back = provider.authorize(&authorize, "c-unknown").await;
    let path = &back[back.find("/login/oidc/callback").expect("the callback")..];
    let refused = visitor.get(path).await;

    says(
        &refused,
        StatusCode::FORBIDDEN,
        "Ihr Konto beim Anmeldedienst nennt die Kundennummer „K999“, die ptrdesk nicht kennt.",
        "which ptrdesk does not know",
    );
    let logged: Option<String> = sqlx::query_scalar(
        "SELECT new_value FROM audit WHERE action = 'user.sign-in.refused' ORDER BY id DESC",
    )
    .fetch_optional(&app.db.pool)
    .await
    .expect("the audit log answers");
    assert!(
        logged.is_some_and(|value| value.contains("which ptrdesk does not know")),
        "the audit log keeps English"
    );
}

#[tokio::test]
async fn a_bulk_line_over_the_limit_is_named_in_german() {
    let app = spawn_app().await;
    let alice = german(&app, ALICE, "/bulk").await;
    let long_line = format!("198.51.100.17,{}.alice-hosting.net", "a".repeat(2100));
    let csv = format!("{ALICE_SINGLE},mail.alice-hosting.net\n{long_line}\n");

    let reply = alice
        .post_form("/bulk/apply", &[("csv", &csv), ("atomic", "on")])
        .await;

    says(
        &reply,
        UNPROCESSABLE,
        &format!(
            "Zeile 2 hat {} Zeichen; eine Zeile hat höchstens 2048. Jede Zeile ist eine Adresse, ein Komma und ein Hostname. Es wurde nichts geprüft oder gespeichert.",
            long_line.len()
        ),
        "a line has at most",
    );
    assert_eq!(app.entry(ALICE_SINGLE).await, None);
}
