//! The panel in English and German (issue 19). A reader of the German panel meets no English
//! sentence and a reader of the English one no German: every page every role reaches from
//! its start page, and the states behind a form, are read in both languages, as `ptrdesk
//! demo` (data in every state) serves them. What counts as a word of a language comes from
//! the catalogues themselves: the words English uses and German does not, and the reverse.
//! Data (what people typed, customer names, host names, addresses, ids, `<code>`) is data in
//! every language.

use crate::demo::start_demo;
use crate::helpers::*;
use reqwest::StatusCode;
use std::collections::{BTreeMap, BTreeSet, HashSet, VecDeque};

/// Pages read per role and language at most (the crawl keeps two of each kind of address).
const MOST_PAGES: usize = 120;

/// The words of the catalogues of `language` (`locales/<language>/*.ftl`), lower case:
/// message text only (no keys, comments or placeables).
fn catalogue_words(language: &str) -> HashSet<String> {
    let dir = std::path::Path::new(ptrdesk::i18n::CATALOGUE_DIR).join(language);
    let mut words = HashSet::new();
    for entry in std::fs::read_dir(&dir).expect("the catalogues are readable") {
        let text = std::fs::read_to_string(entry.expect("a catalogue").path())
            .expect("a catalogue is readable");
        for line in text.lines() {
            if line.trim_start().starts_with('#') {
                continue;
            }
            let value = match line.split_once('=') {
                Some((key, value)) if !key.trim().contains(' ') => value,
                _ => line,
            };
            words.extend(words_of(&strip_placeables(value)));
        }
    }
    words
}

fn strip_placeables(text: &str) -> String {
    let mut kept = String::new();
    let mut depth = 0;
    for c in text.chars() {
        match c {
            '{' => depth += 1,
            '}' => depth = usize::saturating_sub(depth, 1),
            _ if depth == 0 => kept.push(c),
            _ => {}
        }
    }
    kept
}

/// The words of `text` a reader reads as words of a language, lower case: three letters or
/// more, not a name (a host name, address, id or `.local`: anything with a dot, hyphen,
/// colon, slash, `@` or digit in it) and not a technical token in capitals (`AAAA`, `QUIT`).
fn words_of(text: &str) -> Vec<String> {
    text.split_whitespace()
        .map(|token| {
            let punctuation = |c: char| ",;:!?()[]\"'“”„«»‘’…".contains(c);
            token
                .trim_start_matches(punctuation)
                .trim_end_matches(|c: char| punctuation(c) || c == '.')
        })
        .filter(|token| {
            token.chars().count() >= 3
                && token.chars().all(char::is_alphabetic)
                && !token.chars().all(|c| c.is_uppercase())
        })
        .map(str::to_lowercase)
        .collect()
}

/// The first segments of the catalogues' keys (`ips`, `admin`, `rc`, …): a token made of
/// them (`ips-title`) on a page is a key shown instead of its sentence.
fn key_prefixes() -> HashSet<String> {
    let dir = std::path::Path::new(ptrdesk::i18n::CATALOGUE_DIR).join("en");
    let mut prefixes = HashSet::new();
    for entry in std::fs::read_dir(&dir).expect("the catalogues are readable") {
        let text = std::fs::read_to_string(entry.expect("a catalogue").path())
            .expect("a catalogue is readable");
        for line in text.lines() {
            let Some((key, _)) = line.split_once(" =") else {
                continue;
            };
            let is_key = key
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
            if let (true, Some((prefix, _))) = (is_key, key.split_once('-')) {
                prefixes.insert(prefix.to_owned());
            }
        }
    }
    prefixes
}

/// The pieces that show a catalogue key instead of its sentence (a key no catalogue has:
/// the lookup then shows the key itself).
fn keys_shown(pieces: &[String], prefixes: &HashSet<String>) -> Vec<String> {
    pieces
        .iter()
        .filter(|piece| {
            piece.split_whitespace().any(|token| {
                let token = token.trim_matches(|c: char| !c.is_ascii_alphanumeric() && c != '-');
                // Keys are three or more lower-case words (`nav-sign-out`); check ids
                // (`mail-banner`) and server names (`mail-1`) are not.
                let words: Vec<&str> = token.split('-').collect();
                words.len() >= 3
                    && words.iter().all(|word| {
                        !word.is_empty() && word.chars().all(|c| c.is_ascii_lowercase())
                    })
                    && prefixes.contains(words[0])
            })
        })
        .map(|piece| format!("{piece:?} (a catalogue key)"))
        .collect()
}

/// The words only English uses and those only German uses.
fn language_words() -> (HashSet<String>, HashSet<String>) {
    let english = catalogue_words("en");
    let german = catalogue_words("de");
    let english_only = english.difference(&german).cloned().collect();
    let german_only = german.difference(&english).cloned().collect();
    (english_only, german_only)
}

/// What a reader reads on a page: text outside tags, `<code>`, `<script>` and `<style>`, and
/// the attributes a screen reader or a tooltip reads out.
fn read_aloud(html: &str) -> Vec<String> {
    let mut pieces = Vec::new();
    let mut rest = html;
    let mut skipping: Option<String> = None;
    while let Some(open) = rest.find('<') {
        let text = &rest[..open];
        if skipping.is_none() && !text.trim().is_empty() {
            pieces.push(decode(text));
        }
        let Some(close) = rest[open..].find('>') else {
            break;
        };
        let tag = &rest[open + 1..open + close];
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        match skipping {
            Some(until) if tag.starts_with('/') && name == *until => skipping = None,
            Some(_) => {}
            None if !tag.starts_with('/')
                && (["code", "script", "style", "pre"].contains(&name.as_str())
                    || tag.contains(" translate=\"no\"")) =>
            {
                // Code, scripts, and what the page marks as not to be translated (names,
                // codes, a finding's details) are not sentences of a language.
                skipping = Some(name.clone());
            }
            None => {
                for name in ["title", "aria-label", "placeholder", "alt"] {
                    pieces.extend(attribute(tag, name));
                }
                // A submit input's value is read too.
                if name == "input" && tag.contains("type=\"submit\"") {
                    pieces.extend(attribute(tag, "value"));
                }
            }
        }
        rest = &rest[open + close + 1..];
    }
    pieces
}

/// The value of the attribute `name` in `tag` (the text between `<` and `>`).
fn attribute(tag: &str, name: &str) -> Option<String> {
    let marker = format!(" {name}=\"");
    let value = &tag[tag.find(&marker)? + marker.len()..];
    Some(decode(&value[..value.find('"')?]))
}

fn decode(text: &str) -> String {
    text.replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The data of the demo, shown as it was typed whatever the language.
fn demo_data() -> Vec<String> {
    let mut data: Vec<String> = ptrdesk::demo::typed_sentences()
        .into_iter()
        .map(str::to_owned)
        .collect();
    data.extend(
        [
            "Demo Hosting GmbH",
            "Other Networks Ltd",
            "helpdesk",
            "admin",
            "other",
            "demo",
        ]
        .map(str::to_owned),
    );
    // What the demo's blocklist says a listing means (configuration, as the provider wrote it).
    data.push(ptrdesk::demo::BLOCKLIST_MEANING.to_owned());
    // The language menu names each language in itself.
    data.extend(
        ptrdesk::i18n::languages()
            .iter()
            .map(|language| language.name.clone()),
    );
    // Longest first, so that a sentence goes before a name inside it.
    data.sort_by_key(|text| std::cmp::Reverse(text.len()));
    data
}

/// The pieces of `pieces` with a word of `foreign` in them (data taken out first), each with
/// the words that gave it away.
fn foreign_pieces(
    pieces: &[String],
    html: &str,
    foreign: &HashSet<String>,
    data: &[String],
) -> Vec<String> {
    // The labels of the host names the page shows (in its text or its `<code>`) are data
    // wherever they stand alone: a generic-name score lists `node` of node1.example.net, the
    // reading of a default name its word `static`.
    let text: String = html
        .split('<')
        .filter_map(|part| part.split_once('>').map(|(_, text)| text))
        .collect::<Vec<_>>()
        .join(" ");
    let labels: HashSet<String> = text
        .split_whitespace()
        .filter(|token| token.trim_end_matches('.').contains('.'))
        .flat_map(|name| name.split(|c: char| !c.is_alphabetic()))
        .map(str::to_lowercase)
        .collect();
    let mut found = Vec::new();
    for piece in pieces {
        let mut text = piece.clone();
        for typed in data.iter().filter(|typed| typed.contains(' ')) {
            text = text.replace(typed.as_str(), " ");
        }
        let names: HashSet<String> = data
            .iter()
            .filter(|typed| !typed.contains(' '))
            .map(|name| name.to_lowercase())
            .collect();
        let words: BTreeSet<String> = words_of(&text)
            .into_iter()
            .filter(|word| {
                foreign.contains(word) && !names.contains(word) && !labels.contains(word)
            })
            .collect();
        if !words.is_empty() {
            found.push(format!(
                "{piece:?} ({})",
                words.into_iter().collect::<Vec<_>>().join(", ")
            ));
        }
    }
    found
}

/// The kind of an address, for the crawl: numbers and addresses made alike, query values
/// dropped (`/admin/review/12` and `/admin/review/13` are one kind).
fn kind_of(path: &str) -> String {
    let (path, query) = path.split_once('?').unwrap_or((path, ""));
    let path: Vec<String> = path
        .split('/')
        .map(|part| {
            if part.chars().any(|c| c.is_ascii_digit()) {
                "N".to_owned()
            } else {
                part.to_owned()
            }
        })
        .collect();
    let keys: Vec<&str> = query
        .split('&')
        .filter_map(|pair| pair.split('=').next())
        .collect();
    format!("{}?{}", path.join("/"), keys.join("&"))
}

/// Whether the crawl follows a link to `path`: pages only, nothing that signs out, downloads
/// or answers JSON.
fn followed(path: &str) -> bool {
    path.starts_with('/')
        && !path.starts_with("//")
        && ![
            "/logout",
            "/static/",
            "/api/",
            "/rdns",
            "/metrics",
            "/livez",
            "/healthz",
            "/readyz",
            "/mail/unsubscribe",
            "/login/oidc",
        ]
        .iter()
        .any(|prefix| path.starts_with(prefix))
        && !path.contains(".csv")
        && !path.contains("format=")
}

/// Every page `user` reaches from `start` by following links: address -> page.
async fn crawl(user: &crate::helpers::TestUser, start: &[&str]) -> BTreeMap<String, String> {
    let mut pages = BTreeMap::new();
    let mut kinds: BTreeMap<String, usize> = BTreeMap::new();
    let mut queue: VecDeque<String> = start.iter().map(|path| (*path).to_owned()).collect();
    let mut seen: HashSet<String> = queue.iter().cloned().collect();
    while let Some(path) = queue.pop_front() {
        if pages.len() >= MOST_PAGES {
            break;
        }
        let reply = user.get(&path).await;
        if !reply.status.is_success() || !reply.body.contains("<html") {
            continue;
        }
        for link in reply.body.split("href=\"").skip(1) {
            let Some(end) = link.find('"') else { continue };
            let target = decode(&link[..end]);
            let target = target.split('#').next().unwrap_or_default().to_owned();
            if !followed(&target) || seen.contains(&target) {
                continue;
            }
            let count = kinds.entry(kind_of(&target)).or_default();
            if *count >= 2 {
                continue;
            }
            *count += 1;
            seen.insert(target.clone());
            queue.push_back(target);
        }
        pages.insert(path, reply.body);
    }
    pages
}

/// The pages of the demo as `username` reads them in `accept_language`, plus the states
/// behind a form that are not links: a refused save, a wrong password.
async fn read_as(
    url: &str,
    username: Option<&str>,
    accept_language: &str,
) -> BTreeMap<String, String> {
    let user = visitor_at_with_header(url, "Accept-Language", accept_language);
    let mut pages = BTreeMap::new();
    let wrong = user.login("demo", "not-the-password").await;
    pages.insert("POST /login (wrong password)".to_owned(), wrong.body);
    pages.insert("GET /login".to_owned(), user.get("/login").await.body);
    pages.insert(
        "GET /no-such-page".to_owned(),
        user.get("/no-such-page").await.body,
    );
    let Some(username) = username else {
        return pages;
    };
    let signed_in = user.login(username, username).await;
    assert_eq!(
        signed_in.status,
        reqwest::StatusCode::SEE_OTHER,
        "{username} signs in"
    );
    let start: &[&str] = match username {
        "demo" => &[
            "/",
            "/ips",
            "/api-credentials",
            "/sessions",
            "/account/notifications",
            "/account/preferences",
            "/bulk",
        ],
        _ => &[
            "/",
            "/lookup?q=198.51.100.17",
            "/lookup?q=demo-hosting",
            "/lookup?q=K10001",
            "/lookup/ip/198.51.100.17",
            "/sessions",
            "/account/notifications",
            "/account/preferences",
        ],
    };
    pages.extend(crawl(&user, start).await);
    if username == "demo" {
        let refused = user.save("203.0.113.46", "not a host name").await;
        pages.insert("POST /ptr/save (not a host name)".to_owned(), refused.body);
    }
    pages
}

/// Reads every page in `language` and lists each piece with words of the other language.
async fn check(
    url: &str,
    username: Option<&str>,
    accept_language: &str,
    foreign: &HashSet<String>,
) -> Vec<String> {
    let data = demo_data();
    let prefixes = key_prefixes();
    let pages = read_as(url, username, accept_language).await;
    assert!(
        username.is_none() || pages.len() >= 8,
        "the crawl as {username:?} reached only {} pages: {:?}",
        pages.len(),
        pages.keys().collect::<Vec<_>>()
    );
    let mut found = Vec::new();
    for (path, html) in &pages {
        let language = accept_language.split([',', '-']).next().unwrap_or_default();
        assert!(
            html.contains(&format!("<html lang=\"{language}\"")),
            "{path} says it is in {language}"
        );
        let pieces = read_aloud(html);
        for piece in keys_shown(&pieces, &prefixes) {
            found.push(format!(
                "{} as {}: {piece}",
                path,
                username.unwrap_or("visitor")
            ));
        }
        for piece in foreign_pieces(&pieces, html, foreign, &data) {
            found.push(format!(
                "{} as {}: {piece}",
                path,
                username.unwrap_or("visitor")
            ));
        }
    }
    found
}

async fn demo() -> (crate::demo::Demo, String, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let database = fresh_database(dir.path()).await;
    let path = dir.path().to_owned();
    let (demo, url) = tokio::task::spawn_blocking(move || start_demo(&path, &database))
        .await
        .expect("the demo starts");
    (demo, url, dir)
}

#[tokio::test]
async fn a_german_reader_meets_no_english_on_any_page_of_any_role() {
    let (_demo, url, _dir) = demo().await;
    let (english_only, _) = language_words();
    let mut found = Vec::new();
    for username in [None, Some("demo"), Some("admin"), Some("helpdesk")] {
        found.extend(check(&url, username, "de-DE,de;q=0.9,en;q=0.5", &english_only).await);
    }
    assert!(
        found.is_empty(),
        "English on German pages:\n{}",
        found.join("\n")
    );
}

#[tokio::test]
async fn an_english_reader_meets_no_german_on_any_page_of_any_role() {
    let (_demo, url, _dir) = demo().await;
    let (_, german_only) = language_words();
    let mut found = Vec::new();
    for username in [None, Some("demo"), Some("admin"), Some("helpdesk")] {
        found.extend(check(&url, username, "en-GB,en;q=0.9", &german_only).await);
    }
    assert!(
        found.is_empty(),
        "German on English pages:\n{}",
        found.join("\n")
    );
}

/// The `lang` of a page's `<html>`.
fn html_lang(body: &str) -> String {
    let start = body.find("<html lang=\"").expect("an <html lang>") + 12;
    body[start..]
        .split('"')
        .next()
        .unwrap_or_default()
        .to_owned()
}

#[tokio::test]
async fn the_language_menu_changes_the_panel_for_every_browser_and_node_of_the_user() {
    let first = spawn_app().await;
    let second = first.restart().await;
    let alice = first.signed_in(ALICE).await;
    let english = alice.get("/ips").await;
    assert_eq!(
        html_lang(&english.body),
        "en",
        "no choice, no Accept-Language: English"
    );
    assert!(english.page().text().contains("Sign out"));

    alice.choose_language("de").await;
    let german = alice.get("/ips").await;
    assert_eq!(html_lang(&german.body), "de");
    assert!(
        german.page().text().contains("Abmelden"),
        "{}",
        german.page().text()
    );

    // Another browser asking for English, on another node: the user's choice wins.
    let elsewhere = second
        .signed_in_with_header(ALICE, "Accept-Language", "en-GB,en;q=0.9")
        .await;
    let there = elsewhere.get("/ips").await;
    assert_eq!(
        html_lang(&there.body),
        "de",
        "the choice is stored with the user"
    );

    let back = elsewhere
        .post_form("/account/language", &[("language", "en")])
        .await;
    assert_eq!(back.status, StatusCode::SEE_OTHER);
    assert_eq!(html_lang(&alice.get("/ips").await.body), "en");
}

#[tokio::test]
async fn a_language_the_panel_does_not_speak_is_refused_and_changes_nothing() {
    let app = spawn_app().await;
    let alice = app.signed_in(ALICE).await;
    alice
        .post_form("/account/language", &[("language", "de")])
        .await;
    let refused = alice
        .post_form("/account/language", &[("language", "tlh")])
        .await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    assert!(
        refused
            .page()
            .text()
            .contains("Diese Sprache spricht ptrdesk nicht"),
        "the refusal is in the user's language: {}",
        refused.page().text()
    );
    assert_eq!(
        html_lang(&alice.get("/ips").await.body),
        "de",
        "still German"
    );
}

#[tokio::test]
async fn signed_out_pages_follow_the_browser_else_the_configured_default() {
    let app = spawn_app().await;
    let german = app.visitor_with_header("Accept-Language", "de-AT,de;q=0.9,en;q=0.1");
    assert_eq!(html_lang(&german.get("/login").await.body), "de");
    assert_eq!(html_lang(&app.visitor().get("/login").await.body), "en");
    let french = app.visitor_with_header("Accept-Language", "fr-FR,fr;q=0.9");
    assert_eq!(html_lang(&french.get("/login").await.body), "en");

    let german_default =
        spawn_app_with(|settings| settings.default_language = "de".to_owned()).await;
    assert_eq!(
        html_lang(&german_default.visitor().get("/login").await.body),
        "de"
    );
    let french_there = german_default.visitor_with_header("Accept-Language", "fr");
    assert_eq!(
        html_lang(&french_there.get("/login").await.body),
        "de",
        "nothing the panel speaks asked for: the default"
    );
    let english_there = german_default.visitor_with_header("Accept-Language", "en-US");
    assert_eq!(html_lang(&english_there.get("/login").await.body), "en");
}

/// The form of the preferences page (not the header's language menu).
fn preferences_form(page: &Page) -> Form {
    page.forms()
        .into_iter()
        .find(|form| form.value("time_zone").is_some())
        .expect("the preferences form")
}

#[tokio::test]
async fn times_are_shown_in_the_users_language_and_time_zone() {
    let app = spawn_app().await;
    let alice = app.signed_in(ALICE).await;
    let before = alice.get("/sessions").await.page().text();
    assert!(before.contains(" UTC"), "the default: UTC, {before}");

    let saved = alice
        .post_form(
            "/account/preferences",
            &[("language", "de"), ("time_zone", "Europe/Berlin")],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let page = alice.get("/account/preferences").await.page();
    let form = preferences_form(&page);
    assert!(
        page.text()
            .contains("Ihre Sprache und Zeitzone sind gespeichert."),
        "the confirmation is in the language just chosen: {}",
        page.text()
    );
    assert_eq!(form.value("time_zone").as_deref(), Some("Europe/Berlin"));
    let sessions = alice.get("/sessions").await.page().text();
    let german_time = sessions
        .split_whitespace()
        .collect::<Vec<_>>()
        .windows(3)
        .any(|words| {
            let date = words[0].as_bytes();
            date.len() == 10
                && date[2] == b'.'
                && date[5] == b'.'
                && words[1].len() == 5
                && words[1].as_bytes()[2] == b':'
                && (words[2].starts_with("CET") || words[2].starts_with("CEST"))
        });
    assert!(
        german_time,
        "a time such as 07.12.2026 03:12 CET: {sessions}"
    );
}

#[tokio::test]
async fn a_time_zone_not_in_the_database_is_refused_beside_its_field_and_nothing_changes() {
    let app = spawn_app().await;
    let alice = app.signed_in(ALICE).await;
    let refused = alice
        .post_form(
            "/account/preferences",
            &[("language", "de"), ("time_zone", "Mars/Olympus_Mons")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let page = refused.page();
    let form = preferences_form(&page);
    assert_eq!(
        form.input_attr("time_zone", "aria-invalid").as_deref(),
        Some("true"),
        "the field is marked"
    );
    assert!(
        page.text()
            .contains("“Mars/Olympus_Mons” is not a time zone name"),
        "the reason is beside the field: {}",
        page.text()
    );
    assert_eq!(
        form.value("time_zone").as_deref(),
        Some("Mars/Olympus_Mons"),
        "kept as typed"
    );
    assert_eq!(
        html_lang(&alice.get("/ips").await.body),
        "en",
        "nothing was saved, the language neither"
    );
}

/// What overflows on the page the browser shows: a button, badge, label, heading or table
/// cell whose text is wider than its box, anything wider than the window (outside a list
/// that scrolls on purpose), a button sticking out of its card.
const OVERFLOWS: &str = r#"
const problems = [];
const describe = el => `${el.tagName.toLowerCase()}${el.className ? '.' + String(el.className).split(' ').join('.') : ''} "${(el.innerText || el.value || '').trim().slice(0, 60)}"`;
for (const el of document.querySelectorAll('button, .badge, label, h1, h2, h3, th, td, nav a, .actions a, dt, dd')) {
  if (el.offsetParent === null || el.closest('.sr-only')) continue;
  if (el.scrollWidth > el.clientWidth + 1) problems.push(`${describe(el)} is ${el.scrollWidth}px wide in ${el.clientWidth}px`);
}
for (const el of document.querySelectorAll('button, input, select, textarea')) {
  if (el.offsetParent === null) continue;
  const card = el.closest('section, .card, form');
  if (!card || card.closest('.table-scroll')) continue;
  const r = el.getBoundingClientRect(), c = card.getBoundingClientRect();
  if (r.right > c.right + 1) problems.push(`${describe(el)} sticks out of its ${card.tagName.toLowerCase()} by ${Math.round(r.right - c.right)}px`);
}
if (document.documentElement.scrollWidth > window.innerWidth + 1) {
  const wide = [...document.querySelectorAll('body *')].filter(el => el.getBoundingClientRect().right > window.innerWidth + 1 && !el.closest('.table-scroll')).slice(0, 5).map(describe);
  if (wide.length) problems.push(`the page is ${document.documentElement.scrollWidth}px wide in a ${window.innerWidth}px window: ${wide.join('; ')}`);
}
return problems;
"#;

/// The overflows on `path` in German at each window width, with a screenshot of each in
/// /tmp for people to look at.
async fn german_layout(
    browser: &chromium::Chromium,
    address: &str,
    path: &str,
    name: &str,
) -> Vec<String> {
    let mut problems = Vec::new();
    for width in [1280, 390] {
        browser
            .set_window_size(width, 900)
            .await
            .expect("the window is resized");
        browser
            .goto(&format!("{address}{path}"))
            .await
            .expect("the page opens");
        let lang = browser
            .execute("return document.documentElement.lang", Vec::new())
            .await
            .expect("the page answers");
        assert_eq!(lang, "de", "{path} is shown in German");
        let screenshot = browser.screenshot().await.expect("a screenshot");
        std::fs::write(format!("/tmp/ptrdesk-de-{name}-{width}.png"), screenshot)
            .expect("the screenshot is written");
        let found = browser
            .execute(OVERFLOWS, Vec::new())
            .await
            .expect("the layout is measured");
        for problem in found.as_array().into_iter().flatten() {
            problems.push(format!(
                "{path} at {width}px: {}",
                problem.as_str().unwrap_or_default()
            ));
        }
    }
    problems
}

#[tokio::test]
async fn long_german_words_break_neither_the_customer_page_nor_the_review_detail() {
    let app = spawn_app().await;
    let alice = app.signed_in(ALICE).await;
    let saved = alice
        .save(ALICE_SINGLE, "203-0-113-45.alice-hosting.net")
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let change: i64 = sqlx::query_scalar("SELECT MAX(id) FROM changes")
        .fetch_one(&app.db.pool)
        .await
        .expect("the rejected change");
    let asked = alice
        .post_form(
            "/ptr/review",
            &[
                ("change", change.to_string().as_str()),
                (
                    "justification",
                    "Unser Mailserver meldet sich mit diesem Namen.",
                ),
            ],
        )
        .await;
    assert_eq!(asked.status, StatusCode::SEE_OTHER, "{}", asked.body);
    let admin = app.signed_in(ADMIN).await;
    admin.get("/admin/review").await;
    for user in [&alice, &admin] {
        user.choose_language("de").await;
    }

    let browser = chromium::Chromium::start().await;
    browser.sign_in(&app.address, ALICE).await;
    let mut problems = german_layout(&browser, &app.address, "/ips", "ips").await;
    browser
        .delete_all_cookies()
        .await
        .expect("the browser signs out");
    browser.sign_in(&app.address, ADMIN).await;
    problems.extend(
        german_layout(
            &browser,
            &app.address,
            &format!("/admin/review/{change}"),
            "review",
        )
        .await,
    );
    assert!(
        problems.is_empty(),
        "the German layout breaks:\n{}",
        problems.join("\n")
    );
}
