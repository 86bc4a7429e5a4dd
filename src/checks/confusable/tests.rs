//! Unit tests of `confusable`: each rule, and what the finding tells people.
use super::*;

fn host(name: &str) -> Hostname {
    Hostname::parse(name).unwrap()
}

fn brands(list: &[&str]) -> Originals {
    let list: Vec<String> = list.iter().map(|domain| (*domain).to_owned()).collect();
    Originals::new(&[], &list)
}

fn message(name: &str, originals: &Originals) -> Option<String> {
    confusable(&host(name), originals).map(|finding| finding.message)
}

#[test]
fn a_latin_label_with_a_cyrillic_letter_names_both_scripts_and_the_letter() {
    let message = message("mail.p\u{430}ypal.com", &Originals::default()).unwrap();
    assert_eq!(
        message,
        "In mail.p\u{430}ypal.com (mail.xn--pypal-4ve.com), the label \u{201c}p\u{430}ypal\u{201d} \
         mixes Latin (\u{201c}p\u{201d}) and Cyrillic (\u{201c}\u{430}\u{201d}, U+0430) letters, \
         which lets a name imitate another. Use the letters of one script per label (the only mixes \
         allowed are Chinese, Japanese or Korean writing, each with Latin letters)."
    );
}

#[test]
fn a_listed_brands_look_alike_is_named_as_such_and_wins_over_the_script_rule() {
    let finding = confusable(&host("mail.p\u{430}ypal.com"), &brands(&["paypal.com"])).unwrap();
    assert_eq!(finding.severity, Severity::Error);
    assert_eq!(
        finding.message,
        "mail.p\u{430}ypal.com (mail.xn--pypal-4ve.com) can be mistaken for paypal.com, the \
         domain of a well-known brand: Unicode TS #39 counts their letters as look-alikes. Use a \
         name that does not imitate it."
    );
    assert!(
        finding.details.iter().any(|d| d.contains("mixes Latin")),
        "{:?}",
        finding.details
    );
    assert!(
        finding
            .details
            .contains(&"As stored and served by DNS: mail.xn--pypal-4ve.com".to_owned())
    );
}

#[test]
fn an_ascii_look_alike_of_a_brand_is_refused_and_the_brand_itself_is_not() {
    let originals = brands(&["paypal.com", "microsoft.com"]);
    assert!(message("paypa1.com", &originals).is_some(), "1 for l");
    assert!(
        message("mail.rnicrosoft.com", &originals).is_some(),
        "rn for m"
    );
    assert_eq!(message("paypal.com", &originals), None);
    assert_eq!(message("mail.paypal.com", &originals), None);
    assert_eq!(message("paypal.com.example.net", &originals), None);
    assert_eq!(message("mypaypal.com", &originals), None);
}

#[test]
fn a_protected_domains_look_alike_says_the_provider_reserves_it() {
    let originals = Originals::new(&["your-server.de".to_owned()], &[]);
    let message = message("mail.y\u{43e}ur-server.de", &originals).unwrap();
    assert!(
        message.contains("can be mistaken for your-server.de, a domain the provider reserves"),
        "{message}"
    );
    assert_eq!(confusable(&host("mail.your-server.de"), &originals), None);
}

#[test]
fn an_all_cyrillic_label_that_reads_as_latin_is_a_whole_script_confusable() {
    let message = message(
        "\u{440}\u{430}\u{443}\u{440}\u{430}\u{4cf}.com",
        &Originals::default(),
    )
    .unwrap();
    assert!(message.contains("is written in Cyrillic letters that look like the Latin \u{201c}paypal\u{201d}, so the name reads as \u{201c}paypal.com\u{201d}"), "{message}");
}

#[test]
fn names_in_one_script_that_read_as_themselves_pass() {
    for name in [
        "b\u{fc}cher.de",
        "stra\u{df}e.de",
        "\u{43f}\u{440}\u{438}\u{43c}\u{435}\u{440}.\u{440}\u{444}",
        "\u{3b5}\u{3bb}\u{3bb}\u{3b7}\u{3bd}\u{3b9}\u{3ba}\u{3ac}.gr",
        "\u{4f8b}\u{3048}.\u{30c6}\u{30b9}\u{30c8}.jp",
        "mail.\u{d55c}\u{ad6d}.kr",
    ] {
        assert_eq!(message(name, &brands(&["paypal.com"])), None, "{name}");
    }
}

#[test]
fn latin_with_japanese_is_allowed_and_latin_with_greek_is_not() {
    assert_eq!(
        message("sony\u{30b9}\u{30c8}\u{30a2}.jp", &Originals::default()),
        None
    );
    let message = message("\u{3b1}pple.com", &Originals::default()).unwrap();
    assert!(
        message.contains(
            "mixes Greek (\u{201c}\u{3b1}\u{201d}, U+03B1) and Latin (\u{201c}p\u{201d})"
        ),
        "{message}"
    );
}

#[test]
fn a_plain_ascii_name_without_originals_is_not_even_looked_at() {
    assert_eq!(message("mail.example.com", &Originals::default()), None);
}
