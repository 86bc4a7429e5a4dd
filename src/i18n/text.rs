//! A sentence kept language-neutral: its catalogue key and the values put into it. Stored with
//! a change's findings and put into words in the reader's language when shown.

use fluent_templates::fluent_bundle::FluentValue;
use serde::{Deserialize, Serialize};

/// A sentence by key, with its values.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Text {
    /// The catalogue key.
    pub key: String,
    /// The values put into the sentence, by name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub args: Vec<(String, Arg)>,
}

/// One value put into a sentence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Arg {
    /// A count (chooses the plural form, and is formatted for the language).
    Number(i64),
    /// Anything else: a host name, an address.
    Text(String),
    /// A sentence of its own, put into words in the same language as the one it is part of
    /// (the reason in "could not be checked: {reason}").
    Sentence(Box<Text>),
}

impl Arg {
    pub(crate) fn to_fluent(&self) -> FluentValue<'_> {
        match self {
            Arg::Number(number) => FluentValue::from(*number),
            Arg::Text(text) => FluentValue::from(text.as_str()),
            Arg::Sentence(text) => FluentValue::from(text.render()),
        }
    }
}

/// What can be put into a sentence.
pub trait ToArg {
    /// The value as a sentence's argument.
    fn to_arg(&self) -> Arg;
}

macro_rules! number_args {
    ($($ty:ty),*) => {$(
        impl ToArg for $ty {
            fn to_arg(&self) -> Arg {
                Arg::Number(i64::try_from(*self).unwrap_or(i64::MAX))
            }
        }
    )*};
}
number_args!(i64, i32, u32, u64, usize, u16, u8);

impl ToArg for str {
    fn to_arg(&self) -> Arg {
        Arg::Text(self.to_owned())
    }
}

impl ToArg for String {
    fn to_arg(&self) -> Arg {
        Arg::Text(self.clone())
    }
}

impl ToArg for std::net::IpAddr {
    fn to_arg(&self) -> Arg {
        Arg::Text(self.to_string())
    }
}

impl ToArg for Text {
    fn to_arg(&self) -> Arg {
        Arg::Sentence(Box::new(self.clone()))
    }
}

impl ToArg for Arg {
    fn to_arg(&self) -> Arg {
        self.clone()
    }
}

impl<T: ToArg + ?Sized> ToArg for &T {
    fn to_arg(&self) -> Arg {
        (**self).to_arg()
    }
}

impl<T: ToArg> ToArg for Option<T> {
    fn to_arg(&self) -> Arg {
        match self {
            Some(value) => value.to_arg(),
            None => Arg::Text(String::new()),
        }
    }
}

impl Text {
    /// The sentence `key`, no values yet.
    pub fn new(key: impl Into<String>) -> Text {
        Text {
            key: key.into(),
            args: Vec::new(),
        }
    }

    /// The same sentence with the value `name` set.
    pub fn arg(mut self, name: &str, value: impl ToArg) -> Text {
        self.args.push((name.to_owned(), value.to_arg()));
        self
    }

    /// The sentence in the current language ([`super::current`]).
    pub fn render(&self) -> String {
        let args: Vec<(&str, &dyn ToArg)> = self
            .args
            .iter()
            .map(|(name, value)| (name.as_str(), value as &dyn ToArg))
            .collect();
        super::t_args(&self.key, &args)
    }

    /// A stored sentence for its reader: `text` in their language, else (stored before
    /// sentences were kept language-neutral) the English it was stored as.
    pub fn render_or(text: Option<&Text>, english: &str) -> String {
        text.map_or_else(|| english.to_owned(), Text::render)
    }

    /// The sentence in English, whatever the request's language: what the audit log, the
    /// Robot API and stored messages keep.
    pub fn english(&self) -> String {
        super::in_locale(super::Locale::english(), || self.render())
    }
}
