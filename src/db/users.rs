//! Users and their roles; password hashes never leave this module except for verification.

use crate::domain::Role;
use sqlx::{Any, Executor};

/// What sign-in needs to know about a username.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Credentials {
    /// Row id.
    pub id: i64,
    /// argon2id PHC string.
    pub password_hash: String,
    /// Set when an admin disabled the user.
    pub disabled_at: Option<i64>,
}

/// A signed-in user as every request sees it. Serialised only to ride along with the session
/// the store loaded in the same query (see [`crate::db::sessions::find`]), never stored.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Account {
    /// Row id.
    pub id: i64,
    /// Login name.
    pub username: String,
    /// What the user may do.
    pub role: Role,
    /// The customer a customer user belongs to.
    pub customer_id: Option<i64>,
    /// That customer's name, for the header.
    pub customer_name: Option<String>,
    /// Set when an admin disabled the user.
    pub disabled_at: Option<i64>,
    /// The language they chose (`de`), if any.
    pub language: Option<String>,
    /// The time zone they chose (`Europe/Berlin`), if any.
    pub time_zone: Option<String>,
    /// For a customer user: their customer's page version when this was read (migration
    /// 0075), read here so that the page's cache costs no query of its own (0 for staff).
    pub page_version: i64,
}

/// The columns of an [`Account`], with [`account_joins`] after `users u`: one list for
/// [`account`] and for the session store's load, which reads the account with the session.
macro_rules! account_columns {
    () => {
        "u.id, u.username, u.role, u.customer_id, c.name AS customer_name, u.disabled_at, \
         u.language, u.time_zone, COALESCE(v.version, 0) AS page_version"
    };
}
/// The joins [`account_columns`] reads from.
macro_rules! account_joins {
    () => {
        "LEFT JOIN customers c ON c.id = u.customer_id \
         LEFT JOIN page_versions v ON v.customer_id = u.customer_id"
    };
}
pub(crate) use {account_columns, account_joins};

/// An [`Account`] as its columns come.
#[derive(sqlx::FromRow)]
pub(crate) struct AccountRow {
    pub(crate) id: i64,
    pub(crate) username: String,
    pub(crate) role: String,
    pub(crate) customer_id: Option<i64>,
    pub(crate) customer_name: Option<String>,
    pub(crate) disabled_at: Option<i64>,
    pub(crate) language: Option<String>,
    pub(crate) time_zone: Option<String>,
    pub(crate) page_version: i64,
}

impl AccountRow {
    /// The account, or a decode error for a role this build does not know.
    pub(crate) fn into_account(self) -> Result<Account, sqlx::Error> {
        let role = Role::parse(&self.role)
            .ok_or_else(|| sqlx::Error::Decode(format!("unknown role {:?}", self.role).into()))?;
        Ok(Account {
            id: self.id,
            username: self.username,
            role,
            customer_id: self.customer_id,
            customer_name: self.customer_name,
            disabled_at: self.disabled_at,
            language: self.language,
            time_zone: self.time_zone,
            page_version: self.page_version,
        })
    }
}

/// Adds a user and returns its id.
pub async fn insert<'e>(
    db: impl Executor<'e, Database = Any>,
    username: &str,
    password_hash: &str,
    role: Role,
    customer_id: Option<i64>,
    at: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO users (username, password_hash, role, customer_id, created_at) \
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(username)
    .bind(password_hash)
    .bind(role.as_str())
    .bind(customer_id)
    .bind(at)
    .fetch_one(db)
    .await
}

/// The stored credentials of `username`, if such a user exists.
pub async fn credentials<'e>(
    db: impl Executor<'e, Database = Any>,
    username: &str,
) -> Result<Option<Credentials>, sqlx::Error> {
    sqlx::query_as("SELECT id, password_hash, disabled_at FROM users WHERE username = $1")
        .bind(username)
        .fetch_optional(db)
        .await
}

/// The user with this id, with the name of their customer.
pub async fn account<'e>(
    db: impl Executor<'e, Database = Any>,
    id: i64,
) -> Result<Option<Account>, sqlx::Error> {
    let row: Option<AccountRow> = sqlx::query_as(concat!(
        "SELECT ",
        account_columns!(),
        " FROM users u ",
        account_joins!(),
        " WHERE u.id = $1"
    ))
    .bind(id)
    .fetch_optional(db)
    .await?;
    row.map(AccountRow::into_account).transpose()
}

/// Stores the language and time zone `user_id` chose (`None`: follow the browser and the
/// configuration).
pub async fn set_locale<'e>(
    db: impl Executor<'e, Database = Any>,
    user_id: i64,
    language: Option<&str>,
    time_zone: Option<&str>,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET language = $1, time_zone = $2 WHERE id = $3")
        .bind(language)
        .bind(time_zone)
        .bind(user_id)
        .execute(db)
        .await?;
    Ok(())
}

/// One user as `ptrdesk user list` prints it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct UserListing {
    /// Login name.
    pub username: String,
    /// `customer`, `admin` or `helpdesk`.
    pub role: String,
    /// The number of a customer user's customer.
    pub customer_number: Option<String>,
    /// Set when the user is disabled.
    pub disabled_at: Option<i64>,
    /// Open sessions.
    pub sessions: i64,
}

/// Every user, by name, with their open sessions counted.
pub async fn listing<'e>(
    db: impl Executor<'e, Database = Any>,
) -> Result<Vec<UserListing>, sqlx::Error> {
    sqlx::query_as(
        "SELECT u.username, u.role, c.number AS customer_number, u.disabled_at, \
                (SELECT COUNT(*) FROM sessions s WHERE s.user_id = u.id) AS sessions \
         FROM users u LEFT JOIN customers c ON c.id = u.customer_id ORDER BY u.username",
    )
    .fetch_all(db)
    .await
}
