//! Fails the build when a language's catalogues lack a key English has, or have one English
//! lacks: a sentence left untranslated would show its key (or English) to a reader.

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

fn main() {
    println!("cargo:rerun-if-changed=locales");
    let locales = Path::new("locales");
    let english = keys_by_catalogue(&locales.join("en"));
    let mut problems = Vec::new();
    for entry in fs::read_dir(locales).expect("locales/ is readable") {
        // One key, one sentence: a key in two catalogues of a language would hide one of them.
        let dir = entry.expect("locales/ is readable").path();
        let language = dir.file_name().unwrap().to_string_lossy().into_owned();
        let mut seen: BTreeSet<String> = BTreeSet::new();
        for (catalogue, keys) in keys_by_catalogue(&dir) {
            for key in keys {
                if !seen.insert(key.clone()) {
                    problems.push(format!(
                        "{language}/{catalogue}: `{key}` is also in another catalogue"
                    ));
                }
            }
        }
    }
    for entry in fs::read_dir(locales).expect("locales/ is readable") {
        let dir = entry.expect("locales/ is readable").path();
        let language = dir.file_name().unwrap().to_string_lossy().into_owned();
        if !dir.is_dir() || language == "en" {
            continue;
        }
        let theirs = keys_by_catalogue(&dir);
        for (catalogue, keys) in &english {
            let other = theirs.iter().find(|(name, _)| name == catalogue);
            let other_keys = other.map(|(_, keys)| keys.clone()).unwrap_or_default();
            for key in keys.difference(&other_keys) {
                problems.push(format!("{language}/{catalogue}: missing `{key}`"));
            }
            for key in other_keys.difference(keys) {
                problems.push(format!(
                    "{language}/{catalogue}: `{key}` is not in en/{catalogue}"
                ));
            }
        }
        for (catalogue, _) in &theirs {
            if !english.iter().any(|(name, _)| name == catalogue) {
                problems.push(format!("{language}/{catalogue}: no such catalogue in en/"));
            }
        }
    }
    if !problems.is_empty() {
        panic!(
            "the catalogues differ from English:\n  {}",
            problems.join("\n  ")
        );
    }
}

/// The message keys (and `key.attribute`s) of each `.ftl` file in `dir`, by file name.
fn keys_by_catalogue(dir: &Path) -> Vec<(String, BTreeSet<String>)> {
    let mut catalogues = Vec::new();
    for entry in fs::read_dir(dir).expect("a language directory is readable") {
        let path = entry.expect("a language directory is readable").path();
        if path.extension().is_none_or(|ext| ext != "ftl") {
            continue;
        }
        let text = fs::read_to_string(&path).expect("a catalogue is readable");
        let mut keys = BTreeSet::new();
        let mut message = None;
        for line in text.lines() {
            let first = line.chars().next();
            if first.is_some_and(|c| c.is_ascii_alphabetic()) {
                if let Some((key, _)) = line.split_once('=') {
                    let key = key.trim().to_owned();
                    keys.insert(key.clone());
                    message = Some(key);
                }
            } else if let (Some(message), Some((name, _))) = (
                &message,
                line.trim()
                    .strip_prefix('.')
                    .and_then(|attribute| attribute.split_once('=')),
            ) {
                keys.insert(format!("{message}.{}", name.trim()));
            }
        }
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        catalogues.push((name, keys));
    }
    catalogues.sort();
    catalogues
}
