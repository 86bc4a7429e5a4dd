//! What every signed-in page's frame shows: who is signed in, the sign-out form, a flash; and
//! the pager below a long list (drawn by the `pager` macro of `templates/_macros.html`); and
//! [`html`], how every handler answers with a page.

use crate::auth::SignedIn;
use crate::domain::Role;
use crate::error::AppError;
use crate::session::AppSession;
use actix_web::HttpResponse;
use actix_web::http::{StatusCode, header};
use askama::Template;

/// The frame of a page, filled once per request.
#[derive(Debug, Clone)]
pub struct Layout {
    /// Signed-in username.
    pub username: String,
    /// Their customer's name, for customer users.
    pub customer_name: Option<String>,
    /// CSRF token for every form on the page.
    pub csrf: String,
    /// A message left by the previous request.
    pub flash: Option<String>,
    /// The user's role, for the navigation.
    pub role: Role,
    /// The language the page is in, selected in the header's language menu.
    pub language: String,
}

impl Layout {
    /// The frame for `user`, taking the pending flash message.
    pub fn new(user: &SignedIn, session: &AppSession) -> Result<Layout, AppError> {
        Ok(Layout {
            username: user.account.username.clone(),
            customer_name: user.account.customer_name.clone(),
            csrf: session.csrf_token()?,
            flash: session.take_flash(),
            role: user.account.role,
            language: crate::i18n::current().code(),
        })
    }
}

impl Layout {
    /// Whether the staff navigation is shown (admin and help-desk).
    pub fn is_staff(&self) -> bool {
        matches!(self.role, Role::Admin | Role::HelpDesk)
    }

    /// The choices of the header's language menu.
    pub fn languages(&self) -> &'static [crate::i18n::Language] {
        crate::i18n::languages()
    }

    /// Whether the admin-only navigation is shown.
    pub fn is_admin(&self) -> bool {
        self.role == Role::Admin
    }
}

/// Where a list stands and the links to the pages beside it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pager {
    /// The page shown, from 1.
    pub page: i64,
    /// How many pages there are, when counted.
    pub pages: Option<i64>,
    /// The link to the page before, if any.
    pub previous: Option<String>,
    /// The link to the page after, if any.
    pub next: Option<String>,
}

impl Pager {
    /// Page `page` of `pages`, `link` making the address of a page.
    pub fn counted(page: i64, pages: i64, link: impl Fn(i64) -> String) -> Pager {
        Pager {
            page,
            pages: Some(pages),
            previous: (page > 1).then(|| link(page - 1)),
            next: (page < pages).then(|| link(page + 1)),
        }
    }

    /// Page `page` of a list whose end is not counted: `has_next` says whether one follows.
    pub fn open_ended(page: i64, has_next: bool, link: impl Fn(i64) -> String) -> Pager {
        Pager {
            page,
            pages: None,
            previous: (page > 1).then(|| link(page - 1)),
            next: has_next.then(|| link(page + 1)),
        }
    }
}

/// A page or fragment as the answer, with `status`: the one way a handler answers HTML.
pub fn html(status: StatusCode, page: &impl Template) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .body(page.render()?))
}

/// Like [`html`], for a page that carries a secret (a new API credential, a second factor's
/// key, recovery codes): no cache may keep it.
pub fn html_no_store(status: StatusCode, page: &impl Template) -> Result<HttpResponse, AppError> {
    let mut answer = html(status, page)?;
    answer.headers_mut().insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("no-store"),
    );
    Ok(answer)
}
