//! axe-core (npm, pinned and installed under `.test-tools/axe` by `scripts/test.sh`) run in
//! the page a real headless Chromium shows: the accessibility rules a page must pass with no
//! violation.

use fantoccini::Client;
use serde_json::Value;
use std::path::Path;

/// The violations axe-core finds in the page `client` shows now, each as
/// `rule (impact): help — the elements`.
pub async fn violations(client: &Client) -> Vec<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(".test-tools/axe/node_modules/axe-core/axe.min.js");
    let source = std::fs::read_to_string(&path).unwrap_or_else(|_| {
        panic!(
            "{} is missing: run scripts/test.sh (it installs axe-core with npm)",
            path.display()
        )
    });
    client
        .execute(&source, Vec::new())
        .await
        .expect("axe-core loads into the page");
    let found = client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             axe.run(document)
               .then(r => done({ passes: r.passes.length, violations: r.violations.map(v => ({
                 id: v.id, impact: v.impact, help: v.help,
                 nodes: v.nodes.map(n => n.target.join(' ')) })) }))
               .catch(e => done({ passes: 0, violations: [
                 { id: 'axe-error', impact: 'none', help: String(e), nodes: [] }] }));",
            Vec::new(),
        )
        .await
        .expect("axe-core runs");
    // A run that checked nothing proves nothing.
    assert!(
        found["passes"].as_u64().is_some_and(|passes| passes > 0),
        "axe-core ran no rule: {found}"
    );
    found["violations"]
        .as_array()
        .cloned()
        .unwrap_or_else(|| panic!("axe-core answered no list of violations: {found}"))
        .iter()
        .map(|violation| {
            let nodes: Vec<String> = violation["nodes"]
                .as_array()
                .cloned()
                .unwrap_or_default()
                .iter()
                .map(|node| node.as_str().unwrap_or_default().to_owned())
                .collect();
            format!(
                "{} ({}): {} — {}",
                text(&violation["id"]),
                text(&violation["impact"]),
                text(&violation["help"]),
                nodes.join(", ")
            )
        })
        .collect()
}

fn text(value: &Value) -> String {
    value.as_str().unwrap_or_default().to_owned()
}
