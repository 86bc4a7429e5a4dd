//! axe-core (npm, installed by scripts/test.sh into `.test-tools/axe`) run inside the page a
//! real Chromium shows: the accessibility rules people rely on (labels, contrast, landmarks,
//! names of links and buttons), as violations a test can assert to be none.

use super::chromium::Chromium;
use serde_json::json;

/// Where scripts/test.sh puts axe-core.
const AXE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/.test-tools/axe/node_modules/axe-core/axe.min.js"
);

/// The violations axe finds on the page `browser` shows now (rule id, impact, the elements).
pub async fn violations(browser: &Chromium) -> Vec<serde_json::Value> {
    let script = std::fs::read_to_string(AXE).unwrap_or_else(|err| {
        panic!("{AXE} is missing ({err}): run scripts/test.sh, which installs npm axe-core")
    });
    browser
        .execute(&script, Vec::new())
        .await
        .expect("axe-core loads into the page");
    let found = browser
        .execute_async(
            "const done = arguments[arguments.length - 1];\
             axe.run(document).then(r => done(JSON.stringify(r.violations.map(v => \
               ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.html)})))));",
            vec![json!(null)],
        )
        .await
        .expect("axe runs");
    serde_json::from_str(found.as_str().expect("axe's result as text")).expect("axe's JSON")
}
