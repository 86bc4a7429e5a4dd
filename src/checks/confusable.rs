//! `confusable`: a name that people can mistake for another one (Unicode TS #39, "Unicode
//! Security Mechanisms"), such as `mail.pаypal.com` with a Cyrillic `а`. Three rules:
//!
//! - a label that mixes scripts beyond TS #39's *highly restrictive* level (one script, or
//!   Latin with Han and Hiragana/Katakana, Han and Bopomofo, or Han and Hangul), or holds a
//!   character outside TS #39's General Security Profile;
//! - a name in another script (Cyrillic, Greek, …) whose skeleton is all ASCII: a whole-script
//!   confusable of a Latin name (`раураӏ.com`);
//! - a name whose skeleton equals, or lies below, the skeleton of a protected domain or of a
//!   brand the admins listed, without being inside that domain (`paypa1.com`, `pаypal.com`).
//!
//! The Unicode data (confusables.txt, scripts, identifier status; Unicode 18) comes from the
//! `unicode-security` and `unicode-script` crates of the unicode-rs project.

use crate::domain::Hostname;
use crate::domain::finding::{Finding, FindingId, Severity};
use crate::i18n::{Arg, Text};
use unicode_script::{Script, UnicodeScript};
use unicode_security::{
    GeneralSecurityProfile, MixedScript, RestrictionLevel, RestrictionLevelDetection, skeleton,
};

/// Why a domain's look-alikes are refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Original {
    /// The provider reserves it (`protected-domain`).
    Protected,
    /// An admin listed it as a well-known brand.
    Brand,
}

/// One domain whose look-alikes are refused, with its skeleton computed once.
#[derive(Debug, Clone)]
struct Guarded {
    /// Lower-case ASCII (`xn--`) form.
    ascii: String,
    /// The form people read.
    unicode: String,
    kind: Original,
    /// The skeleton of each label, left to right.
    skeleton: Vec<String>,
}

/// The protected and brand domains of a policy, prepared for comparing skeletons: built once
/// when a policy is put in force, not for every check.
#[derive(Debug, Clone, Default)]
pub struct Originals {
    guarded: Vec<Guarded>,
}

impl Originals {
    /// The originals of `protected` and `brands` (lower-case ASCII domains); an entry that is
    /// not a host name is left out (it could not be matched anyway).
    pub fn new(protected: &[String], brands: &[String]) -> Originals {
        let protected = protected.iter().map(|domain| (domain, Original::Protected));
        let brands = brands.iter().map(|domain| (domain, Original::Brand));
        let guarded = protected
            .chain(brands)
            .filter_map(|(domain, kind)| {
                let name = Hostname::parse(domain.trim()).ok()?;
                Some(Guarded {
                    ascii: name.as_ascii().to_owned(),
                    unicode: name.as_unicode().to_owned(),
                    kind,
                    skeleton: label_skeletons(name.as_unicode()),
                })
            })
            .collect();
        Originals { guarded }
    }

    /// Whether no domain is guarded.
    pub fn is_empty(&self) -> bool {
        self.guarded.is_empty()
    }
}

/// What is confusable about one name, most telling first.
#[derive(Debug)]
enum Problem<'a> {
    /// Its skeleton is that of a guarded domain (or lies below it).
    LooksLike(&'a Guarded),
    /// A label in a non-Latin script that reads as an ASCII name.
    WholeScript {
        label: &'a str,
        script: &'static str,
    },
    /// A label that mixes scripts beyond the allowed combinations.
    MixedScripts { label: &'a str, scripts: Arg },
    /// A character outside TS #39's General Security Profile.
    Uncommon { label: &'a str, character: char },
}

/// `confusable`: whether `hostname` can be mistaken for another name; `originals` are the
/// domains whose look-alikes are refused.
pub fn confusable(hostname: &Hostname, originals: &Originals) -> Option<Finding> {
    let ascii_only = hostname.as_unicode().is_ascii();
    // Almost every name: plain ASCII, and no domain to imitate.
    if ascii_only && originals.is_empty() {
        return None;
    }
    let labels: Vec<&str> = hostname.as_unicode().split('.').collect();
    let skeletons: Vec<String> = labels.iter().map(|label| label_skeleton(label)).collect();
    let mut problems: Vec<Problem<'_>> = originals
        .guarded
        .iter()
        .filter(|guarded| looks_like(hostname, &skeletons, guarded))
        .map(Problem::LooksLike)
        .collect();
    if !ascii_only {
        let reads_as_ascii = skeletons.iter().all(|skeleton| skeleton.is_ascii());
        for label in labels.iter().filter(|label| !label.is_ascii()) {
            problems.extend(script_problem(label, reads_as_ascii));
        }
    }
    let first = problems.first()?;
    let text = sentence(hostname, first, &skeletons);
    let mut details: Vec<String> = problems
        .iter()
        .skip(1)
        .map(|problem| sentence(hostname, problem, &skeletons).english())
        .collect();
    if !ascii_only {
        details.push(format!(
            "As stored and served by DNS: {}",
            hostname.as_ascii()
        ));
    }
    details.push(format!(
        "Skeleton (Unicode TS #39, what is compared): {}",
        skeletons.join(".")
    ));
    Some(Finding::said(FindingId::Confusable, Severity::Error, text).with_details(details))
}

/// Whether the name's skeleton equals or lies below `guarded`'s while the name itself is not
/// inside that domain (the real one is not a look-alike of itself).
fn looks_like(hostname: &Hostname, skeletons: &[String], guarded: &Guarded) -> bool {
    let name = hostname.as_ascii();
    let inside = name == guarded.ascii
        || name
            .strip_suffix(guarded.ascii.as_str())
            .is_some_and(|rest| rest.ends_with('.'));
    !inside && skeletons.ends_with(&guarded.skeleton)
}

/// The script problem of one non-ASCII label, if any; `reads_as_ascii`: the skeleton of the
/// whole name is ASCII.
fn script_problem(label: &str, reads_as_ascii: bool) -> Option<Problem<'_>> {
    let level = label.detect_restriction_level();
    if level > RestrictionLevel::HighlyRestrictive {
        if let Some(character) = label.chars().find(|c| !c.identifier_allowed()) {
            return Some(Problem::Uncommon { label, character });
        }
        return Some(Problem::MixedScripts {
            label,
            scripts: scripts_of(label),
        });
    }
    let set = label.resolve_script_set();
    let foreign = !set.is_empty() && !set.is_all() && !set.base.contains_script(Script::Latin);
    if foreign && reads_as_ascii {
        let script = label
            .chars()
            .map(|c| c.script())
            .find(|script| !matches!(script, Script::Common | Script::Inherited))
            .map_or("another", Script::full_name);
        return Some(Problem::WholeScript { label, script });
    }
    None
}

/// `Latin (“p”) and Cyrillic (“а”, U+0430)`: each script of the label's letters with its first
/// letter, in the order they appear.
fn scripts_of(label: &str) -> Arg {
    let mut seen: Vec<(Script, char)> = Vec::new();
    for c in label.chars() {
        let script = c.script();
        if !matches!(script, Script::Common | Script::Inherited)
            && !seen.iter().any(|(known, _)| *known == script)
        {
            seen.push((script, c));
        }
    }
    let parts: Vec<Arg> = seen
        .iter()
        .map(|(script, c)| Arg::Text(format!("{} ({})", script.full_name(), show_char(*c))))
        .collect();
    if parts.is_empty() {
        return Arg::Sentence(Box::new(Text::new("finding-confusable-no-letters")));
    }
    super::listed(parts)
}

/// `“а”, U+0430` for a non-ASCII character, `“p”` for an ASCII one.
fn show_char(c: char) -> String {
    if c.is_ascii() {
        format!("\u{201c}{c}\u{201d}")
    } else {
        format!("\u{201c}{c}\u{201d}, U+{:04X}", u32::from(c))
    }
}

/// The sentence for one problem.
fn sentence(hostname: &Hostname, problem: &Problem<'_>, skeletons: &[String]) -> Text {
    let name = shown(hostname);
    match problem {
        Problem::LooksLike(guarded) => {
            let what = match guarded.kind {
                Original::Protected => "finding-confusable-protected",
                Original::Brand => "finding-confusable-brand",
            };
            Text::new("finding-confusable-looks-like")
                .arg("name", name)
                .arg("original", &guarded.unicode)
                .arg("what", Text::new(what))
        }
        Problem::WholeScript { label, script } => Text::new("finding-confusable-whole-script")
            .arg("name", name)
            .arg("label", *label)
            .arg("script", *script)
            .arg("latin", label_skeleton(label).to_lowercase())
            .arg("whole", read_as_latin(hostname, skeletons)),
        Problem::MixedScripts { label, scripts } => Text::new("finding-confusable-mixed-scripts")
            .arg("name", name)
            .arg("label", *label)
            .arg("scripts", scripts),
        Problem::Uncommon { label, character } => Text::new("finding-confusable-uncommon")
            .arg("name", name)
            .arg("label", *label)
            .arg("char", show_char(*character)),
    }
}

/// How a name in another script reads to someone who expects Latin letters: each non-ASCII
/// label replaced by its skeleton (`раураӏ.com` → `paypal.com`).
fn read_as_latin(hostname: &Hostname, skeletons: &[String]) -> String {
    let labels = hostname.as_unicode().split('.').zip(skeletons);
    let read: Vec<String> = labels
        .map(|(label, skeleton)| {
            if label.is_ascii() {
                label.to_owned()
            } else {
                skeleton.to_lowercase()
            }
        })
        .collect();
    read.join(".")
}

/// The name as people should be shown a possibly confusable one: the Unicode form with the
/// `xn--` form beside it.
fn shown(hostname: &Hostname) -> String {
    if hostname.as_unicode() == hostname.as_ascii() {
        hostname.as_ascii().to_owned()
    } else {
        format!("{} ({})", hostname.as_unicode(), hostname.as_ascii())
    }
}

/// The TS #39 skeleton of one label.
fn label_skeleton(label: &str) -> String {
    skeleton(label).collect()
}

/// The skeletons of a name's labels, left to right.
fn label_skeletons(name: &str) -> Vec<String> {
    name.split('.').map(label_skeleton).collect()
}

#[cfg(test)]
mod tests;
