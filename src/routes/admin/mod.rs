//! Administration (admins only, through [`crate::auth::AdminUser`]: help-desk
//! users get 403, customers 404): customers, users, servers and IP assignments, CSV import,
//! the validation policy.
//! Every action is a CSRF-checked form that answers 303 with a flash message, or re-renders
//! its page at 422 with the message beside the field. The writing is done by [`crate::admin`]
//! (one transaction with its audit row, door `page`, the admin as actor).

pub mod assignments;
pub mod credentials;
pub mod customers;
pub mod dnssec;
pub mod import;
pub mod mail;
pub mod policy;
pub mod users;
pub mod webhooks;

use crate::error::AppError;
use crate::session::AppSession;
use actix_web::HttpResponse;
use actix_web::http::{StatusCode, header};
use std::collections::HashMap;

/// A form that came back with a problem: which form, which field, what is wrong, and what
/// the admin typed (so nothing is lost).
#[derive(Debug, Clone, Default)]
pub struct FormState {
    form: String,
    field: String,
    message: String,
    values: HashMap<String, String>,
}

impl FormState {
    /// A problem with `field` of `form`, keeping the typed `values`.
    pub fn problem(
        form: impl Into<String>,
        field: &str,
        message: impl Into<String>,
        values: &[(&str, &str)],
    ) -> FormState {
        FormState {
            form: form.into(),
            field: field.to_owned(),
            message: message.into(),
            values: values
                .iter()
                .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
                .collect(),
        }
    }

    /// The message beside `field` of `form`, if that is where the problem is.
    pub fn error(&self, form: &str, field: &str) -> Option<&str> {
        (self.form == form && self.field == field).then_some(self.message.as_str())
    }

    /// What was typed into `field` of `form` (empty for any other form).
    pub fn value(&self, form: &str, field: &str) -> &str {
        if self.form == form {
            self.values.get(field).map_or("", String::as_str)
        } else {
            ""
        }
    }

    /// The status of a page showing this form: 200 without a problem, 422 with one.
    pub fn status(&self) -> StatusCode {
        if self.form.is_empty() {
            StatusCode::OK
        } else {
            StatusCode::UNPROCESSABLE_ENTITY
        }
    }

    /// Whether the problem is in `form` (to open it or focus it).
    pub fn is_form(&self, form: &str) -> bool {
        self.form == form
    }
}

/// The 303 after a successful form.
pub(crate) fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, location))
        .finish()
}

/// A form that did what it asked: `message` as the next page's flash, and 303 to `location`.
pub(crate) fn done(
    session: &AppSession,
    message: &str,
    location: &str,
) -> Result<HttpResponse, AppError> {
    session.flash(message)?;
    Ok(see_other(location))
}

/// Trims a form field; `None` when empty or longer than `max` characters.
pub(crate) fn field(text: &str, max: usize) -> Option<&str> {
    let text = text.trim();
    (!text.is_empty() && text.chars().count() <= max).then_some(text)
}
