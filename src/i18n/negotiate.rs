//! The language of a reader who has not chosen one: the best match of their browser's
//! `Accept-Language` among the languages the panel speaks.

use fluent_templates::LanguageIdentifier;

/// The best of `accept_language` (the header's value) that the panel speaks, else `default`.
/// `de-AT` is served `de`; weights (`;q=0.5`) order the choices; `*` and unknown ones are
/// skipped.
pub fn negotiate(
    accept_language: Option<&str>,
    default: &LanguageIdentifier,
) -> LanguageIdentifier {
    let Some(header) = accept_language else {
        return default.clone();
    };
    let mut wanted: Vec<(u16, usize, &str)> = header
        .split(',')
        .enumerate()
        .filter_map(|(position, item)| {
            let mut parts = item.split(';');
            let tag = parts.next()?.trim();
            let weight = parts
                .find_map(|part| part.trim().strip_prefix("q="))
                .map_or(Some(1000), |q| {
                    q.trim()
                        .parse::<f32>()
                        .ok()
                        .map(|q| (q.clamp(0.0, 1.0) * 1000.0) as u16)
                })?;
            (!tag.is_empty() && tag != "*" && weight > 0).then_some((weight, position, tag))
        })
        .collect();
    // Highest weight first; equal weights in the header's order.
    wanted.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    for (_, _, tag) in wanted {
        if let Some(language) = super::language(tag) {
            return language;
        }
        let primary = tag.split(['-', '_']).next().unwrap_or(tag);
        if let Some(language) = super::language(primary) {
            return language;
        }
    }
    default.clone()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn best(header: &str) -> String {
        negotiate(Some(header), &"en".parse().unwrap()).to_string()
    }

    #[test]
    fn the_browsers_order_and_weights_decide() {
        assert_eq!(best("de-DE,de;q=0.9,en;q=0.8"), "de");
        assert_eq!(best("en-GB,de;q=0.9"), "en");
        assert_eq!(best("fr-FR,de;q=0.5,en;q=0.4"), "de");
        assert_eq!(best("en;q=0.2, de-AT;q=0.7"), "de");
        assert_eq!(best("fr, it"), "en");
        assert_eq!(best("de;q=0, *"), "en");
        assert_eq!(best(""), "en");
        assert_eq!(negotiate(None, &"de".parse().unwrap()).to_string(), "de");
    }
}
