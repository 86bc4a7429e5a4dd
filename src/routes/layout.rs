//! What every signed-in page's frame shows: who is signed in, the sign-out form, a flash.

use crate::auth::SignedIn;
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
}

impl Layout {
    /// The frame for `user`, taking the pending flash message.
    pub fn new(user: &SignedIn, session: &AppSession) -> Result<Layout, AppError> {
        Ok(Layout {
            username: user.account.username.clone(),
            customer_name: user.account.customer_name.clone(),
            csrf: session.csrf_token()?,
            flash: session.take_flash(),
        })
    }
}
