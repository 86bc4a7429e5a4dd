//! Administration (admins only, through [`AdminUser`]: help-desk
//! users get 403, customers 404): customers, users, servers and IP assignments, CSV import,
//! the validation policy.
//! Every action is a CSRF-checked form that answers 303 with a flash message, or re-renders
//! its page at 422 with the message beside the field; every change writes an audit row (door
//! `page`, the admin as actor) in the same transaction.

pub mod assignments;
pub mod customers;
pub mod import;
pub mod policy;
pub mod users;

use crate::auth::AdminUser;
use crate::db::{Tx, audit};
use crate::domain::Door;
use crate::error::AppError;
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

    /// Whether the problem is in `form` (to open it or focus it).
    pub fn is_form(&self, form: &str) -> bool {
        self.form == form
    }
}

/// An HTML answer with `status`.
pub(crate) fn html(status: StatusCode, body: String) -> HttpResponse {
    HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .body(body)
}

/// The 303 after a successful form.
pub(crate) fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, location))
        .finish()
}

/// One administration audit row (door `page`, the admin as actor) inside `tx`.
pub(crate) async fn audit_row(
    tx: &mut Tx,
    admin: &AdminUser,
    action: &str,
    customer_id: Option<i64>,
    old_value: Option<&str>,
    new_value: Option<&str>,
) -> Result<(), AppError> {
    audit::insert(
        &mut **tx,
        &audit::NewAuditRow {
            actor: &admin.user.actor(),
            door: Door::Page,
            action,
            customer_id,
            ip: None,
            old_value,
            new_value,
            change_id: None,
            at: crate::clock::now(),
        },
    )
    .await?;
    Ok(())
}

/// Trims a form field; `None` when empty or longer than `max` characters.
pub(crate) fn field(text: &str, max: usize) -> Option<&str> {
    let text = text.trim();
    (!text.is_empty() && text.chars().count() <= max).then_some(text)
}
