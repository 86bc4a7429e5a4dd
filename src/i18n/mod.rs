//! Every word a person reads, in their language.
//!
//! The sentences live in Fluent catalogues, `locales/<language>/<catalogue>.ftl`, compiled into
//! the binary. Code and templates name a sentence by its key and never hold the words:
//! templates through the filters of [`filters`] (`{{ "ips-title"|t }}`), Rust through [`t`],
//! [`t_args`] and [`Text`] (a sentence kept language-neutral, as the check engine's findings
//! store it, and put into words when shown).
//!
//! Which language: the request's [`Locale`], chosen once per request by [`scope`] (the
//! signed-in user's setting, else `Accept-Language`, else `default_language`) and readable
//! anywhere while the request is handled, the way [`crate::request_id`] is. Outside a request
//! (the command line, background jobs) it is English in UTC unless [`in_locale`] says otherwise
//! (a mail in its recipient's language).
//!
//! A new language is one directory under `locales/` with the same files: the build compares
//! the keys of every catalogue against English (`build.rs`) and fails on a missing or extra one.

pub mod filters;
pub mod format;
mod negotiate;
mod text;

pub use negotiate::negotiate;
pub use text::{Arg, Text, ToArg};

use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader};
use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::LazyLock;

fluent_templates::static_loader! {
    static CATALOGUES = {
        locales: "./locales",
        fallback_language: "en",
        // No Unicode isolation marks around the values put into a sentence: the pages are
        // left-to-right only, and the marks would show in e-mail and break copy and paste.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

/// The language of the catalogues every other one is compared with and falls back to.
pub const ENGLISH: &str = "en";

/// Who reads: their language and time zone.
#[derive(Debug, Clone, PartialEq)]
pub struct Locale {
    /// One of [`languages`].
    pub language: LanguageIdentifier,
    /// Where times are shown for.
    pub time_zone: jiff::tz::TimeZone,
}

impl Locale {
    /// English, times in UTC: the locale outside a request.
    pub fn english() -> Locale {
        Locale {
            language: english(),
            time_zone: jiff::tz::TimeZone::UTC,
        }
    }

    /// The language's code, as in `<html lang>` (`de`).
    pub fn code(&self) -> String {
        self.language.to_string()
    }
}

fn english() -> LanguageIdentifier {
    ENGLISH.parse().expect("en is a language identifier")
}

/// A language the panel speaks: its code and its own name for itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Language {
    /// `de`.
    pub code: String,
    /// `Deutsch`.
    pub name: String,
}

static LANGUAGES: LazyLock<Vec<Language>> = LazyLock::new(|| {
    let mut languages: Vec<Language> = CATALOGUES
        .locales()
        .map(|language| Language {
            code: language.to_string(),
            name: CATALOGUES.lookup(language, "language-name"),
        })
        .collect();
    // English first, then by code: the order of the language menu.
    languages.sort_by_key(|language| (language.code != ENGLISH, language.code.clone()));
    languages
});

/// Every language with catalogues, English first.
pub fn languages() -> &'static [Language] {
    &LANGUAGES
}

/// The language `code` names, if the panel speaks it.
pub fn language(code: &str) -> Option<LanguageIdentifier> {
    let wanted: LanguageIdentifier = code.trim().parse().ok()?;
    CATALOGUES
        .locales()
        .find(|known| **known == wanted)
        .cloned()
}

/// The time zone `name` names (`Europe/Berlin`, `UTC`), if the time zone database knows it.
pub fn time_zone(name: &str) -> Option<jiff::tz::TimeZone> {
    jiff::tz::TimeZone::get(name.trim()).ok()
}

/// Every time zone name the database knows, sorted: the choices of the preferences page.
pub fn time_zone_names() -> &'static [String] {
    static NAMES: LazyLock<Vec<String>> = LazyLock::new(|| {
        let mut names: Vec<String> = jiff::tz::db()
            .available()
            .map(|name| name.to_string())
            .collect();
        names.sort();
        names
    });
    &NAMES
}

tokio::task_local! {
    static CURRENT: RefCell<Locale>;
}

/// Runs `work` as the handling of a request read in `locale`.
pub async fn scope<F: Future>(locale: Locale, work: F) -> F::Output {
    CURRENT.scope(RefCell::new(locale), work).await
}

/// Runs `work` (not in a request: a mail being written) in `locale`.
pub fn in_locale<R>(locale: Locale, work: impl FnOnce() -> R) -> R {
    CURRENT.sync_scope(RefCell::new(locale), work)
}

/// For the rest of this request, reads in `locale`: the signed-in user's own choice, known
/// once their account is loaded. Outside a request it does nothing.
pub fn choose(locale: Locale) {
    let _ = CURRENT.try_with(|current| *current.borrow_mut() = locale);
}

/// For the rest of this request, reads as a signed-in user chose: their language and time
/// zone where they set them (and the panel still knows them), else what the request had.
pub fn follow_user(language: Option<&str>, time_zone: Option<&str>) {
    let mut locale = current();
    if let Some(language) = language.and_then(self::language) {
        locale.language = language;
    }
    if let Some(time_zone) = time_zone.and_then(self::time_zone) {
        locale.time_zone = time_zone;
    }
    choose(locale);
}

/// The locale of the request being handled; English in UTC outside one.
pub fn current() -> Locale {
    CURRENT
        .try_with(|current| current.borrow().clone())
        .unwrap_or_else(|_| Locale::english())
}

/// Runs `read` with the current language without copying the locale.
fn with_language<R>(read: impl FnOnce(&LanguageIdentifier) -> R) -> R {
    let mut read = Some(read);
    let mut once = |language: &LanguageIdentifier| (read.take().expect("called once"))(language);
    match CURRENT.try_with(|current| once(&current.borrow().language)) {
        Ok(result) => result,
        Err(_) => once(&ENGLISH_ID),
    }
}

static ENGLISH_ID: LazyLock<LanguageIdentifier> = LazyLock::new(english);

/// The sentence `key` in the current language.
pub fn t(key: &str) -> String {
    with_language(|language| lookup(language, key, None))
}

/// The sentence `key` in the current language, with `args` put in.
pub fn t_args(key: &str, args: &[(&str, &dyn ToArg)]) -> String {
    let values: Vec<Arg> = args.iter().map(|(_, value)| value.to_arg()).collect();
    let args: HashMap<Cow<'static, str>, FluentValue<'_>> = args
        .iter()
        .zip(&values)
        .map(|((name, _), value)| (Cow::Owned((*name).to_owned()), value.to_fluent()))
        .collect();
    with_language(|language| lookup(language, key, Some(&args)))
}

/// The sentence `key` in `language`, falling back to English; a missing key shows as itself
/// (the build's key comparison keeps that from reaching a user).
fn lookup(
    language: &LanguageIdentifier,
    key: &str,
    args: Option<&HashMap<Cow<'static, str>, FluentValue<'_>>>,
) -> String {
    CATALOGUES
        .lookup_single_language(language, key, args)
        .or_else(|_| CATALOGUES.lookup_single_language(&ENGLISH_ID, key, args))
        .unwrap_or_else(|_| key.to_owned())
}

/// Serialises a [`Text`] as its sentence in the current language: for answers that keep a
/// sentence language-neutral until they are written out (`#[serde(serialize_with = …)]`).
pub fn serialize_text<S: serde::Serializer>(text: &Text, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&text.render())
}

/// The catalogue directory's path, for the tests that read the catalogues themselves.
pub const CATALOGUE_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/locales");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_and_german_are_spoken_english_first() {
        let codes: Vec<&str> = languages().iter().map(|l| l.code.as_str()).collect();
        assert_eq!(codes, ["en", "de"]);
        assert_eq!(languages()[1].name, "Deutsch");
    }

    #[test]
    fn every_catalogue_of_every_language_parses_whole() {
        use fluent_templates::fluent_bundle::FluentResource;
        let mut read = 0;
        for language in std::fs::read_dir(CATALOGUE_DIR).unwrap() {
            for file in std::fs::read_dir(language.unwrap().path()).unwrap() {
                let path = file.unwrap().path();
                let text = std::fs::read_to_string(&path).unwrap();
                if let Err((_, errors)) = FluentResource::try_new(text) {
                    panic!("{} does not parse: {errors:?}", path.display());
                }
                read += 1;
            }
        }
        assert!(read >= 4, "the catalogues were read ({read})");
    }

    #[test]
    fn a_sentence_follows_the_chosen_language() {
        assert_eq!(t("nav-sign-out"), "Sign out");
        let german = Locale {
            language: language("de").unwrap(),
            time_zone: jiff::tz::TimeZone::UTC,
        };
        assert_eq!(in_locale(german, || t("nav-sign-out")), "Abmelden");
    }
}
