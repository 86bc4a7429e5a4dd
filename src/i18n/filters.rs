//! The template side of the catalogues. A module that declares templates brings these in with
//! `use crate::i18n::filters;`, and its templates then write
//!
//! - `{{ "ips-title"|t }}`: the sentence `ips-title`;
//! - `{{ "ips-count"|t1("count", ips.len()) }}` (and `t2`, `t3`, `t4` for more values);
//! - `{{ finding.text|tr }}`: a [`Text`] kept language-neutral, such as a check's finding;
//! - `{{ at|when }}` / `{{ at|day }}`: a stored time (Unix seconds) for the reader;
//! - `{{ count|num }}`: a number with the language's separators.
//!
//! Every filter returns plain text, which askama escapes: catalogues hold no HTML.

use super::{Text, ToArg, format};
use askama::Values;
use std::fmt::Display;

/// The sentence named by the filtered key.
#[askama::filter_fn]
pub fn t(key: &str, _env: &dyn Values) -> askama::Result<String> {
    Ok(super::t(key))
}

/// The sentence with one value.
#[askama::filter_fn]
pub fn t1<V: ToArg>(key: &str, _env: &dyn Values, name: &str, value: V) -> askama::Result<String> {
    Ok(super::t_args(key, &[(name, &value as &dyn ToArg)]))
}

/// The sentence with two values.
#[askama::filter_fn]
pub fn t2<V1: ToArg, V2: ToArg>(
    key: &str,
    _env: &dyn Values,
    name1: &str,
    value1: V1,
    name2: &str,
    value2: V2,
) -> askama::Result<String> {
    Ok(super::t_args(
        key,
        &[
            (name1, &value1 as &dyn ToArg),
            (name2, &value2 as &dyn ToArg),
        ],
    ))
}

/// The sentence with three values.
#[askama::filter_fn]
#[allow(clippy::too_many_arguments)]
pub fn t3<V1: ToArg, V2: ToArg, V3: ToArg>(
    key: &str,
    _env: &dyn Values,
    name1: &str,
    value1: V1,
    name2: &str,
    value2: V2,
    name3: &str,
    value3: V3,
) -> askama::Result<String> {
    Ok(super::t_args(
        key,
        &[
            (name1, &value1 as &dyn ToArg),
            (name2, &value2 as &dyn ToArg),
            (name3, &value3 as &dyn ToArg),
        ],
    ))
}

/// A language-neutral sentence in the reader's language.
#[askama::filter_fn]
pub fn tr(text: &Text, _env: &dyn Values) -> askama::Result<String> {
    Ok(text.render())
}

/// A stored time for the reader: their time zone, their language's pattern.
#[askama::filter_fn]
pub fn when(unix_seconds: &i64, _env: &dyn Values) -> askama::Result<String> {
    Ok(format::datetime(*unix_seconds))
}

/// The day of a stored time for the reader.
#[askama::filter_fn]
pub fn day(unix_seconds: &i64, _env: &dyn Values) -> askama::Result<String> {
    Ok(format::date(*unix_seconds))
}

/// A whole number with the language's separators.
#[askama::filter_fn]
pub fn num<V: ToArg>(value: V, _env: &dyn Values) -> askama::Result<String> {
    Ok(match value.to_arg() {
        super::Arg::Number(number) => format::number(number),
        super::Arg::Text(text) => text,
        super::Arg::Sentence(text) => text.render(),
    })
}

/// The reader's language code, for `<html lang="…">`; filters anything.
#[askama::filter_fn]
pub fn lang(_anything: impl Display, _env: &dyn Values) -> askama::Result<String> {
    Ok(super::current().code())
}
