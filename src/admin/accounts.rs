//! The write path of user accounts: adding one (the rules for user names and passwords are
//! here, for every door), changing a role, replacing a password, disabling and
//! enabling, ending sessions. Each is one transaction with its audit row, and each of the
//! first three ends every session of the user in that same transaction (their next request,
//! on any node, is signed out). The admin pages and the command line both call these.

use super::{Acting, audit};
use crate::db::{self, audit::Actor, users::Account};
use crate::domain::AuditAction;
use crate::domain::Door;
use crate::domain::Role;
use crate::field_limits;
use crate::password::MIN_LENGTH;

/// Why a new user, or a new password, is refused; nothing was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Refused {
    /// An empty user name, one with white space, or one too long.
    #[error(
        "Enter a user name without spaces (at most {} characters).",
        field_limits::USERNAME
    )]
    Username,
    /// A password shorter than [`MIN_LENGTH`] characters (it has this many).
    #[error("The password has {0} characters; at least {MIN_LENGTH} are needed.")]
    PasswordTooShort(usize),
    /// A password longer than [`field_limits::PASSWORD`] characters (it has this many).
    #[error("The password has {0} characters; at most {max} are accepted.", max = field_limits::PASSWORD)]
    PasswordTooLong(usize),
    /// The user name is taken.
    #[error("This user name is taken.")]
    Taken,
}

impl Refused {
    /// The form field (or command-line argument) the refusal concerns.
    pub fn field(self) -> &'static str {
        match self {
            Refused::Username | Refused::Taken => "username",
            Refused::PasswordTooShort(_) | Refused::PasswordTooLong(_) => "password",
        }
    }

    /// The sentence in the reader's language (`Display` stays English, for the logs and the
    /// command line).
    pub fn text(self) -> crate::i18n::Text {
        use crate::i18n::Text;
        match self {
            Refused::Username => Text::new("form-username").arg("max", field_limits::USERNAME),
            Refused::PasswordTooShort(length) => Text::new("form-password-too-short")
                .arg("length", length)
                .arg("min", MIN_LENGTH),
            Refused::PasswordTooLong(length) => Text::new("form-password-too-long")
                .arg("length", length)
                .arg("max", field_limits::PASSWORD),
            Refused::Taken => Text::new("form-username-taken"),
        }
    }
}

/// The user name a person chose, if it is one: without white space (around it is trimmed),
/// not empty, at most [`field_limits::USERNAME`] characters.
pub fn check_username(username: &str) -> Result<&str, Refused> {
    let username = username.trim();
    let fits = !username.is_empty() && username.chars().count() <= field_limits::USERNAME;
    if fits && !username.contains(char::is_whitespace) {
        Ok(username)
    } else {
        Err(Refused::Username)
    }
}

/// Whether a person may set `password`: [`MIN_LENGTH`] to [`field_limits::PASSWORD`]
/// characters. Checked before hashing, which is what costs.
pub fn check_password(password: &str) -> Result<(), Refused> {
    match password.chars().count() {
        n if n < MIN_LENGTH => Err(Refused::PasswordTooShort(n)),
        n if n > field_limits::PASSWORD => Err(Refused::PasswordTooLong(n)),
        _ => Ok(()),
    }
}

/// Adds a user called `username` (see [`check_username`]) with this password hash; its id, or
/// why not (nothing added).
pub async fn add_user(
    db: &db::Db,
    by: &Acting,
    username: &str,
    password_hash: &str,
    role: Role,
    customer_id: Option<i64>,
) -> Result<Result<i64, Refused>, sqlx::Error> {
    let username = match check_username(username) {
        Ok(username) => username,
        Err(refused) => return Ok(Err(refused)),
    };
    let mut tx = db.begin_write().await?;
    let now = crate::clock::now();
    let id =
        match db::users::insert(&mut *tx, username, password_hash, role, customer_id, now).await {
            Ok(id) => id,
            Err(err) if db::is_unique_violation(&err) => return Ok(Err(Refused::Taken)),
            Err(err) => return Err(err),
        };
    let added = format!("{username} ({})", role.as_str());
    audit(
        &mut tx,
        by,
        AuditAction::UserAdd,
        customer_id,
        None,
        Some(&added),
    )
    .await?;
    tx.commit().await?;
    Ok(Ok(id))
}

/// Gives `user` the role `role` (with `customer_id` for a customer user) and signs them out
/// everywhere: what they may do changed.
pub async fn set_role(
    db: &db::Db,
    by: &Acting,
    user: &Account,
    role: Role,
    customer_id: Option<i64>,
) -> Result<(), sqlx::Error> {
    let mut tx = db.begin_write().await?;
    db::admin::set_role(&mut *tx, user.id, role, customer_id).await?;
    db::sessions::end_all_of_user(&mut *tx, user.id, None).await?;
    let before = format!("{} ({})", user.username, user.role.as_str());
    audit(
        &mut tx,
        by,
        AuditAction::UserRole,
        customer_id.or(user.customer_id),
        Some(&before),
        Some(role.as_str()),
    )
    .await?;
    tx.commit().await
}

/// Sets (or, with `None`, removes) `user`'s e-mail address, where notification mails go;
/// audited with the address before and after.
pub async fn set_email(
    db: &db::Db,
    by: &Acting,
    user: &Account,
    email: Option<&crate::domain::EmailAddress>,
) -> Result<(), sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let before = db::mail::email_of(&mut *tx, user.id).await?;
    db::mail::set_email(&mut *tx, user.id, email.map(|email| email.as_str())).await?;
    let after = email.map(|email| format!("{} <{email}>", user.username));
    let before = before.map(|email| format!("{} <{email}>", user.username));
    audit(
        &mut tx,
        by,
        AuditAction::UserEmail,
        user.customer_id,
        before.as_deref(),
        Some(after.as_deref().unwrap_or(&user.username)),
    )
    .await?;
    tx.commit().await
}

/// The language and time zone `user_id` chose for themselves (`None`: follow the browser,
/// the configured default). Not audited: it changes how the panel reads, not what it does.
pub async fn set_locale(
    db: &db::Db,
    user_id: i64,
    language: Option<&str>,
    time_zone: Option<&str>,
) -> Result<(), sqlx::Error> {
    db::users::set_locale(&db.pool, user_id, language, time_zone).await
}

/// A user's own notification settings, in one transaction: their address (audited when it
/// changes) and, of their role's topics, those in `on` on and the others off.
pub async fn set_mail_preferences(
    db: &db::Db,
    by: &Acting,
    user: &Account,
    email: Option<&crate::domain::EmailAddress>,
    on: &[crate::domain::MailTopic],
) -> Result<(), sqlx::Error> {
    let before = db::mail::email_of(&db.pool, user.id).await?;
    if before.as_deref() != email.map(|email| email.as_str()) {
        set_email(db, by, user, email).await?;
    }
    let mut tx = db.begin_write().await?;
    for topic in crate::domain::MailTopic::of_role(user.role) {
        db::mail::set_opt_out(&mut *tx, user.id, *topic, !on.contains(topic)).await?;
    }
    tx.commit().await
}

/// Turns `topic` off for user `user_id` (the signed unsubscribe link of a mail).
pub async fn unsubscribe(
    db: &db::Db,
    user_id: i64,
    topic: crate::domain::MailTopic,
) -> Result<(), sqlx::Error> {
    db::mail::set_opt_out(&db.pool, user_id, topic, true).await
}

/// Replaces `user`'s password hash and signs them out everywhere: whoever knew the old
/// password is signed out with it.
pub async fn set_password(
    db: &db::Db,
    by: &Acting,
    user: &Account,
    password_hash: &str,
) -> Result<(), sqlx::Error> {
    let mut tx = db.begin_write().await?;
    db::admin::set_password_hash(&mut *tx, user.id, password_hash).await?;
    db::sessions::end_all_of_user(&mut *tx, user.id, None).await?;
    audit(
        &mut tx,
        by,
        AuditAction::UserPasswordReset,
        user.customer_id,
        None,
        Some(&user.username),
    )
    .await?;
    tx.commit().await
}

/// Disables `user` (signing them out everywhere and refusing the API credentials they made)
/// or enables them again.
pub async fn set_disabled(
    db: &db::Db,
    by: &Acting,
    user: &Account,
    disabled: bool,
) -> Result<(), sqlx::Error> {
    let mut tx = db.begin_write().await?;
    db::admin::set_disabled(&mut *tx, user.id, disabled.then(crate::clock::now)).await?;
    if disabled {
        db::sessions::end_all_of_user(&mut *tx, user.id, None).await?;
    }
    let action = if disabled {
        AuditAction::UserDisable
    } else {
        AuditAction::UserEnable
    };
    audit(
        &mut tx,
        by,
        action,
        user.customer_id,
        None,
        Some(&user.username),
    )
    .await?;
    tx.commit().await
}

/// Signs `user` out everywhere; returns how many sessions ended.
pub async fn end_sessions(db: &db::Db, by: &Acting, user: &Account) -> Result<u64, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let ended = db::sessions::end_all_of_user(&mut *tx, user.id, None).await?;
    let summary = format!("{} ({ended} sessions)", user.username);
    audit(
        &mut tx,
        by,
        AuditAction::UserSessionsEnd,
        user.customer_id,
        None,
        Some(&summary),
    )
    .await?;
    tx.commit().await?;
    Ok(ended)
}

/// How a sign-in through the provider ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IdentitySignIn {
    /// The linked (or newly made) user, signed in.
    SignedIn {
        /// Their id.
        user_id: i64,
    },
    /// Nothing was created or changed; the sentence says why, for the person (in their
    /// language; the audit row keeps it in English).
    Refused(crate::i18n::Text),
}

/// What the claims of an identity make of a ptrdesk user: a role and, for a customer user,
/// the customer's id; or why they cannot be one.
async fn role_from_claims(
    db: &db::Db,
    identity: &crate::oidc::Identity,
) -> Result<Result<(Role, Option<i64>), crate::i18n::Text>, sqlx::Error> {
    use crate::i18n::Text;
    let role = match identity.role.as_deref() {
        None => Role::Customer,
        Some(claim) => match Role::parse(claim) {
            Some(role) => role,
            None => {
                return Ok(Err(Text::new("form-oidc-unknown-role").arg("role", claim)));
            }
        },
    };
    if role != Role::Customer {
        return Ok(Ok((role, None)));
    }
    let Some(number) = identity.customer_number.as_deref() else {
        return Ok(Err(Text::new("form-oidc-no-customer-number")));
    };
    match db::customers::find(&db.pool, number).await? {
        Some(customer) if customer.number == number => Ok(Ok((role, Some(customer.id)))),
        _ => Ok(Err(
            Text::new("form-oidc-unknown-customer").arg("number", number)
        )),
    }
}

/// A user name for a new user signing in as `identity`: its name hint (or `oidc-` and its
/// subject), made unique with `-2`, `-3`, … .
async fn new_username(
    db: &db::Db,
    identity: &crate::oidc::Identity,
) -> Result<String, sqlx::Error> {
    let hint = identity
        .name_hint
        .clone()
        .unwrap_or_else(|| format!("oidc-{}", identity.subject));
    let base: String = hint
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .take(crate::field_limits::USERNAME - 4)
        .collect();
    let base = if base.is_empty() {
        "oidc-user".to_owned()
    } else {
        base
    };
    let mut candidate = base.clone();
    let mut counter = 1;
    while db::identities::username_taken(&db.pool, &candidate).await? {
        counter += 1;
        candidate = format!("{base}-{counter}");
    }
    Ok(candidate)
}

/// Signs in `identity`, verified by [`crate::oidc::Oidc::finish`], from `source`: the user
/// linked to its issuer and subject (their role and customer following the claims, which
/// ends their other sessions when either changed), or a new user linked to it on the first
/// sign-in. A disabled user, an unknown role, or a customer user whose claim names no known
/// customer is refused and nothing is created. Every sign-in and refusal is audited.
pub async fn sign_in_with_identity(
    db: &db::Db,
    identity: &crate::oidc::Identity,
    source: &str,
) -> Result<IdentitySignIn, anyhow::Error> {
    let linked = db::identities::linked_user(&db.pool, &identity.issuer, &identity.subject).await?;
    let account = match linked {
        Some(id) => db::users::account(&db.pool, id).await?,
        None => None,
    };
    let decision = match (&account, role_from_claims(db, identity).await?) {
        (Some(account), _) if account.disabled_at.is_some() => {
            Err(crate::i18n::Text::new("form-oidc-disabled"))
        }
        (_, claims) => claims,
    };
    let (role, customer_id) = match decision {
        Ok(chosen) => chosen,
        Err(why) => {
            let by = Acting {
                actor: Actor {
                    user_id: account.as_ref().map(|account| account.id),
                    name: format!("oidc:{}", identity.subject),
                    source: source.to_owned(),
                },
                door: Door::Page,
            };
            let mut tx = db.begin_write().await?;
            audit(
                &mut tx,
                &by,
                AuditAction::UserSignInRefused,
                None,
                None,
                Some(&why.english()),
            )
            .await?;
            tx.commit().await?;
            tracing::warn!(subject = %identity.subject, reason = %why.english(), "sign-in through the provider refused");
            return Ok(IdentitySignIn::Refused(why));
        }
    };
    let by = |user_id: Option<i64>, name: &str| Acting {
        actor: Actor {
            user_id,
            name: name.to_owned(),
            source: source.to_owned(),
        },
        door: Door::Page,
    };
    let user_id = match account {
        Some(account) => {
            if account.role != role || account.customer_id != customer_id {
                let by = by(Some(account.id), "oidc");
                set_role(db, &by, &account, role, customer_id).await?;
            }
            let mut tx = db.begin_write().await?;
            let by = by(Some(account.id), &account.username);
            audit(
                &mut tx,
                &by,
                AuditAction::UserSignIn,
                customer_id,
                None,
                Some("oidc"),
            )
            .await?;
            tx.commit().await?;
            account.id
        }
        None => {
            let username = new_username(db, identity).await?;
            // Nobody knows this password: the user signs in through the provider only.
            let unusable =
                crate::password::hash(secrecy::SecretString::from(crate::token::random_token(32)))
                    .await?;
            let now = crate::clock::now();
            let mut tx = db.begin_write().await?;
            let id =
                db::users::insert(&mut *tx, &username, &unusable, role, customer_id, now).await?;
            db::identities::link(&mut *tx, &identity.issuer, &identity.subject, id, now).await?;
            let added = format!("{username} ({})", role.as_str());
            audit(
                &mut tx,
                &by(Some(id), "oidc"),
                AuditAction::UserAdd,
                customer_id,
                None,
                Some(&added),
            )
            .await?;
            audit(
                &mut tx,
                &by(Some(id), &username),
                AuditAction::UserSignIn,
                customer_id,
                None,
                Some("oidc"),
            )
            .await?;
            tx.commit().await?;
            id
        }
    };
    // The provider's `email` claim is where the user's mails go (kept up to date from it).
    let claimed = identity
        .email
        .as_deref()
        .and_then(|email| crate::domain::EmailAddress::parse(email).ok());
    if let Some(email) = claimed
        && db::mail::email_of(&db.pool, user_id).await?.as_deref() != Some(email.as_str())
        && let Some(account) = db::users::account(&db.pool, user_id).await?
    {
        set_email(db, &by(Some(user_id), "oidc"), &account, Some(&email)).await?;
    }
    Ok(IdentitySignIn::SignedIn { user_id })
}

/// Confirms the enrolment of `user`'s second factor with `code` at `now`: enables it and
/// returns the new recovery codes (in clear: show them once); `None` when the code does not
/// fit the secret being enrolled.
pub async fn confirm_two_factor(
    db: &db::Db,
    by: &Acting,
    user: &Account,
    code: &str,
    now: i64,
) -> Result<Option<Vec<String>>, sqlx::Error> {
    let Some(stored) = db::two_factor::totp(&db.pool, user.id).await? else {
        return Ok(None);
    };
    let Some(step) = crate::two_factor::matching_step(&stored.secret, code, now) else {
        return Ok(None);
    };
    let codes = crate::two_factor::new_recovery_codes();
    let hashes: Vec<String> = codes
        .iter()
        .map(|code| crate::two_factor::hash_recovery_code(code))
        .collect();
    let mut tx = db.begin_write().await?;
    if !db::two_factor::accept_step(&mut *tx, user.id, step, Some(now)).await? {
        return Ok(None);
    }
    db::two_factor::replace_recovery_codes(&mut tx, user.id, &hashes).await?;
    audit(
        &mut tx,
        by,
        AuditAction::UserTwoFactorEnable,
        user.customer_id,
        None,
        Some(&user.username),
    )
    .await?;
    tx.commit().await?;
    Ok(Some(codes))
}

/// Removes `user`'s second factor (a lost phone and lost recovery codes): they enrol again
/// at their next sign-in; their sessions end.
pub async fn reset_two_factor(db: &db::Db, by: &Acting, user: &Account) -> Result<(), sqlx::Error> {
    let mut tx = db.begin_write().await?;
    db::two_factor::remove(&mut tx, user.id).await?;
    db::sessions::end_all_of_user(&mut *tx, user.id, None).await?;
    audit(
        &mut tx,
        by,
        AuditAction::UserTwoFactorReset,
        user.customer_id,
        None,
        Some(&user.username),
    )
    .await?;
    tx.commit().await
}
