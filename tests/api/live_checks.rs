//! The live checks of a PTR field in real headless Chromium: what a customer sees while
//! typing, Save following the `syntax` finding, and a late answer for older text never
//! replacing the answer for newer text.

use crate::helpers::chromium::{Chromium, PATIENCE, eventually};
use crate::helpers::{ALICE, ALICE_SINGLE, Person, TestApp, spawn_app};
use fantoccini::Locator;
use fantoccini::elements::Element;
use ptrdesk::domain::Hostname;
use serde_json::json;

/// Breaks the `syntax` rule: an underscore in a host name.
const BAD_NAME: &str = "mail_1.alice-hosting.net";
/// Passes every offline check.
const GOOD_NAME: &str = "mail.alice-hosting.net";
/// Where the lead finds a picture of a live finding (outside the repository on purpose).
const SCREENSHOT: &str = "/tmp/ptrdesk-live-check.png";

#[tokio::test]
async fn a_customer_sees_findings_while_typing_and_saves_the_fixed_name() {
    let app = spawn_app().await;
    let browser = Chromium::start().await;
    sign_in(&browser, &app, ALICE).await;
    let row = PtrRow::find(&browser, ALICE_SINGLE).await;

    row.type_name(BAD_NAME).await;
    let syntax = syntax_message(BAD_NAME);
    eventually("the syntax finding with Save disabled", async || {
        let live = row.live().await;
        (live.text.contains(&syntax) && !live.save_enabled)
            .then_some(())
            .ok_or(live)
    })
    .await;
    let screenshot = browser.screenshot().await.expect("a screenshot");
    std::fs::write(SCREENSHOT, screenshot).expect("the screenshot is written");

    row.type_name(GOOD_NAME).await;
    eventually("all checks passed with Save enabled", async || {
        let live = row.live().await;
        (live.text.contains("All checks passed") && live.save_enabled)
            .then_some(())
            .ok_or(live)
    })
    .await;
    row.save.click().await.expect("Save is clicked");

    let expected = format!("The PTR of {ALICE_SINGLE} is now {GOOD_NAME}.");
    eventually("the flash message of the saved name", async || {
        let flash = match browser.find(Locator::Css(".flash")).await {
            Ok(flash) => flash.text().await.unwrap_or_default(),
            Err(_) => String::new(),
        };
        (flash == expected).then_some(()).ok_or(flash)
    })
    .await;
    browser.refresh().await.expect("the page reloads");
    let row = PtrRow::find(&browser, ALICE_SINGLE).await;
    assert_eq!(row.value().await, GOOD_NAME);
    assert_eq!(
        app.stored_ptr(ALICE_SINGLE).await.as_deref(),
        Some(GOOD_NAME)
    );
}

#[tokio::test]
async fn a_late_answer_for_older_text_never_replaces_the_answer_for_newer_text() {
    let app = spawn_app().await;
    let browser = Chromium::start().await;
    sign_in(&browser, &app, ALICE).await;
    let row = PtrRow::find(&browser, ALICE_SINGLE).await;
    // The browser holds back every live check of the bad name until the test lets it through,
    // so the answer for the older text deterministically arrives after the newer one.
    browser
        .execute(HOLD_BACK, vec![json!(BAD_NAME)])
        .await
        .expect("fetch is wrapped");

    row.type_name(BAD_NAME).await;
    eventually("the check of the bad name to be held back", async || {
        let held = held_checks(&browser).await;
        (held.waiting > 0).then_some(()).ok_or(held)
    })
    .await;
    row.type_name(GOOD_NAME).await;
    eventually("all checks passed with Save enabled", async || {
        let live = row.live().await;
        (live.text.contains("All checks passed") && live.save_enabled)
            .then_some(())
            .ok_or(live)
    })
    .await;
    let released = browser
        .execute(RELEASE, vec![])
        .await
        .expect("the held checks are released")
        .as_u64()
        .expect("a count of released checks") as usize;
    let delivered = eventually("the held answers to reach the page", async || {
        let held = held_checks(&browser).await;
        (held.delivered.len() == released)
            .then_some(held.delivered.clone())
            .ok_or(held)
    })
    .await;

    assert!(
        delivered
            .iter()
            .all(|body| body.contains(r#"data-syntax-error="true""#)),
        "each late answer carries the syntax finding, so showing it would change the page: {delivered:?}"
    );
    let syntax = syntax_message(BAD_NAME);
    let live = row.live().await;
    assert!(
        live.text.contains("All checks passed") && !live.text.contains(&syntax),
        "{live:?}"
    );
    assert!(live.save_enabled, "{live:?}");
}

/// Wraps `fetch` so that a live check whose hostname starts with `arguments[0]` waits until
/// [`RELEASE`]; each such answer's body is recorded as delivered one task after the page's
/// script read it, when every continuation of that read has run.
const HOLD_BACK: &str = r#"
const [prefix] = arguments;
const realFetch = window.fetch.bind(window);
const held = (window.ptrdeskHeld = { waiting: [], delivered: [] });
window.fetch = (resource, options) => {
  const hostname = new URL(resource, location.href).searchParams.get("hostname") ?? "";
  if (!hostname.startsWith(prefix)) return realFetch(resource, options);
  return new Promise((release) => held.waiting.push(release))
    .then(() => realFetch(resource, options))
    .then((response) => {
      const text = response.text.bind(response);
      response.text = () => text().then((body) => {
        setTimeout(() => held.delivered.push(body), 0);
        return body;
      });
      return response;
    });
};
"#;

/// Lets every held live check through; answers how many there were.
const RELEASE: &str = r#"
const waiting = window.ptrdeskHeld.waiting.splice(0);
waiting.forEach((release) => release());
return waiting.length;
"#;

/// What [`HOLD_BACK`] has seen so far.
#[derive(Debug)]
struct HeldChecks {
    waiting: usize,
    delivered: Vec<String>,
}

async fn held_checks(browser: &Chromium) -> HeldChecks {
    let seen = browser
        .execute(
            "const held = window.ptrdeskHeld; \
             return { waiting: held.waiting.length, delivered: held.delivered };",
            vec![],
        )
        .await
        .expect("the held checks are readable");
    HeldChecks {
        waiting: seen["waiting"].as_u64().unwrap_or_default() as usize,
        delivered: seen["delivered"]
            .as_array()
            .map(|bodies| {
                bodies
                    .iter()
                    .map(|body| body.as_str().unwrap_or_default().to_owned())
                    .collect()
            })
            .unwrap_or_default(),
    }
}

/// Signs in through the login form and waits for the customer's page.
async fn sign_in(browser: &Chromium, app: &TestApp, person: Person) {
    browser
        .goto(&format!("{}/login", app.address))
        .await
        .expect("the login page opens");
    let username = browser
        .find(Locator::Id("username"))
        .await
        .expect("the username field");
    username
        .send_keys(person.username)
        .await
        .expect("the username is typed");
    let password = browser
        .find(Locator::Id("password"))
        .await
        .expect("the password field");
    password
        .send_keys(person.password)
        .await
        .expect("the password is typed");
    browser
        .find(Locator::XPath("//button[normalize-space()='Sign in']"))
        .await
        .expect("the Sign in button")
        .click()
        .await
        .expect("Sign in is clicked");
    browser
        .wait()
        .at_most(PATIENCE)
        .for_element(Locator::Css("input[name=hostname]"))
        .await
        .expect("the customer's page with PTR fields after signing in");
}

/// The sentence of the `syntax` finding for `name`, as the domain type words it.
fn syntax_message(name: &str) -> String {
    Hostname::parse(name)
        .expect_err("the name breaks the syntax rule")
        .to_string()
}

/// The PTR row of one address on the customer's page.
struct PtrRow {
    field: Element,
    live: Element,
    save: Element,
}

/// What the live box under a field shows, and whether Save can be pressed.
#[derive(Debug)]
struct Live {
    text: String,
    save_enabled: bool,
}

impl PtrRow {
    async fn find(browser: &Chromium, ip: &str) -> PtrRow {
        let field_id = format!("ptr-{ip}");
        let field = browser
            .find(Locator::Id(&field_id))
            .await
            .expect("the PTR field of the address");
        let live = browser
            .find(Locator::Id(&format!("live-{ip}")))
            .await
            .expect("the live box of the address");
        let save = browser
            .find(Locator::XPath(&format!(
                "//input[@id='{field_id}']/ancestor::form//button[normalize-space()='Save']"
            )))
            .await
            .expect("the Save button of the address");
        PtrRow { field, live, save }
    }

    /// Replaces the field's text by typing `name`, key by key.
    async fn type_name(&self, name: &str) {
        self.field.clear().await.expect("the field is cleared");
        self.field.send_keys(name).await.expect("the name is typed");
    }

    async fn value(&self) -> String {
        self.field
            .prop("value")
            .await
            .expect("the field's value")
            .unwrap_or_default()
    }

    async fn live(&self) -> Live {
        Live {
            text: self.live.text().await.expect("the live box's text"),
            save_enabled: self.save.is_enabled().await.expect("Save's state"),
        }
    }
}
