//! What every signed-in page's frame shows: who is signed in, the sign-out form, a flash.

use crate::auth::SignedIn;
use crate::domain::Role;
use crate::error::AppError;
use crate::session::AppSession;

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
        })
    }
}

impl Layout {
    /// Whether the staff navigation is shown (admin and help-desk).
    pub fn is_staff(&self) -> bool {
        matches!(self.role, Role::Admin | Role::HelpDesk)
    }

    /// Whether the admin-only navigation is shown.
    pub fn is_admin(&self) -> bool {
        self.role == Role::Admin
    }
}
