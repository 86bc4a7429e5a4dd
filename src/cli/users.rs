//! `ptrdesk user …`: the operator's account commands. Changes go through
//! [`crate::admin::accounts`] (audited as actor `cli` through the door `system`, sessions ended as
//! on the admin pages).
//!
//! Policy: user names and passwords follow the rules of [`accounts::check_username`] and
//! [`accounts::check_password`], as on the admin page; a password made up here is 20 random hex
//! characters and printed once.

use super::{UserCommand, operator};
use crate::admin::accounts;
use crate::config::Settings;
use crate::db::{self, Db, users::Account};
use crate::domain::Role;
use anyhow::{Context, bail};
use secrecy::SecretString;
use std::path::Path;

/// Runs one `ptrdesk user` command.
pub(super) async fn run(command: UserCommand) -> anyhow::Result<()> {
    match command {
        UserCommand::Add {
            username,
            role,
            customer,
            password_stdin,
            email,
            config,
        } => {
            let email = email.as_deref().map(parse_email).transpose()?;
            let db = connect(config.as_deref()).await?;
            add_user(&db, &username, &role, customer.as_deref(), password_stdin).await?;
            if let Some(email) = email {
                let user = account(&db, &username).await?;
                accounts::set_email(&db, &operator(), &user, Some(&email)).await?;
                println!("{username}'s notification mails go to {email}");
            }
            Ok(())
        }
        UserCommand::Email {
            username,
            address,
            config,
        } => {
            let email = match address.trim() {
                "-" => None,
                typed => Some(parse_email(typed)?),
            };
            let db = connect(config.as_deref()).await?;
            let user = account(&db, &username).await?;
            accounts::set_email(&db, &operator(), &user, email.as_ref()).await?;
            match email {
                Some(email) => println!("{username}'s notification mails go to {email}"),
                None => println!("{username} has no e-mail address any more; no mail goes to them"),
            }
            Ok(())
        }
        UserCommand::List { config } => list(&connect(config.as_deref()).await?).await,
        UserCommand::Password {
            username,
            password_stdin,
            config,
        } => {
            let db = connect(config.as_deref()).await?;
            let user = account(&db, &username).await?;
            let (password, generated) = new_password(password_stdin)?;
            let hash = crate::password::hash(SecretString::from(password.clone())).await?;
            accounts::set_password(&db, &operator(), &user, &hash).await?;
            println!("new password for {username}; their sessions are ended");
            if generated {
                println!("password: {password}");
            }
            Ok(())
        }
        UserCommand::Disable { username, config } => {
            set_disabled(config.as_deref(), &username, true).await
        }
        UserCommand::Enable { username, config } => {
            set_disabled(config.as_deref(), &username, false).await
        }
        UserCommand::Role {
            username,
            role,
            customer,
            config,
        } => {
            let db = connect(config.as_deref()).await?;
            let user = account(&db, &username).await?;
            let (role, customer_id) = role_and_customer(&db, &role, customer.as_deref()).await?;
            accounts::set_role(&db, &operator(), &user, role, customer_id).await?;
            println!(
                "{username} is now {}; their sessions are ended",
                role.as_str()
            );
            Ok(())
        }
        UserCommand::Reset2fa { username, config } => {
            let db = connect(config.as_deref()).await?;
            let user = account(&db, &username).await?;
            accounts::reset_two_factor(&db, &operator(), &user).await?;
            println!(
                "{username}'s two-factor sign-in is reset; they set it up at their next sign-in"
            );
            Ok(())
        }
        UserCommand::Sessions {
            username,
            end,
            config,
        } => {
            let db = connect(config.as_deref()).await?;
            let user = account(&db, &username).await?;
            if end {
                let ended = accounts::end_sessions(&db, &operator(), &user).await?;
                println!("{username} is signed out everywhere ({ended} sessions ended)");
                return Ok(());
            }
            let sessions = db::sessions::of_user(&db.pool, user.id).await?;
            if sessions.is_empty() {
                println!("{username} has no open sessions");
            }
            for session in sessions {
                println!(
                    "{}  signed in {}  last seen {}  from {}  {}",
                    session.id,
                    crate::clock::display(session.created_at),
                    crate::clock::display(session.last_seen_at),
                    session.address.as_deref().unwrap_or("unknown"),
                    session.user_agent.as_deref().unwrap_or(""),
                );
            }
            Ok(())
        }
    }
}

fn parse_email(typed: &str) -> anyhow::Result<crate::domain::EmailAddress> {
    crate::domain::EmailAddress::parse(typed).map_err(|err| anyhow::anyhow!("{err}"))
}

async fn connect(config: Option<&Path>) -> anyhow::Result<Db> {
    let settings = Settings::load(config)?;
    Ok(Db::connect(&settings.database).await?)
}

async fn account(db: &Db, username: &str) -> anyhow::Result<Account> {
    let credentials = db::users::credentials(&db.pool, username)
        .await?
        .with_context(|| format!("no user called {username:?}"))?;
    db::users::account(&db.pool, credentials.id)
        .await?
        .with_context(|| format!("no user called {username:?}"))
}

async fn list(db: &Db) -> anyhow::Result<()> {
    for user in db::users::listing(&db.pool).await? {
        let status = if user.disabled_at.is_some() {
            "disabled"
        } else {
            "active"
        };
        println!(
            "{:<24} {:<9} {:<12} {:<9} {} session(s)",
            user.username,
            user.role,
            user.customer_number.as_deref().unwrap_or("-"),
            status,
            user.sessions
        );
    }
    Ok(())
}

async fn set_disabled(config: Option<&Path>, username: &str, disabled: bool) -> anyhow::Result<()> {
    let db = connect(config).await?;
    let user = account(&db, username).await?;
    accounts::set_disabled(&db, &operator(), &user, disabled).await?;
    if disabled {
        println!(
            "{username} is disabled; their sessions are ended and their API credentials refused"
        );
    } else {
        println!("{username} is enabled again");
    }
    Ok(())
}

/// A role and, for a customer user, the customer's id.
async fn role_and_customer(
    db: &Db,
    role: &str,
    customer: Option<&str>,
) -> anyhow::Result<(Role, Option<i64>)> {
    let role = Role::parse(role)
        .with_context(|| format!("unknown role {role:?}: use customer, admin or helpdesk"))?;
    let customer_id = match (role, customer) {
        (Role::Customer, Some(customer)) => Some(
            db::customers::find(&db.pool, customer)
                .await?
                .with_context(|| format!("no customer with number or name {customer:?}"))?
                .id,
        ),
        (Role::Customer, None) => bail!("a customer user needs --customer NUMBER"),
        (_, Some(_)) => bail!("only customer users belong to a customer"),
        (_, None) => None,
    };
    Ok((role, customer_id))
}

/// A password from the first line of standard input (see [`accounts::check_password`]), or a new random one; `true` when made up here.
fn new_password(from_stdin: bool) -> anyhow::Result<(String, bool)> {
    if !from_stdin {
        return Ok((crate::token::random_token(10), true));
    }
    let mut line = String::new();
    std::io::stdin().read_line(&mut line)?;
    let line = line.trim_end_matches(['\r', '\n']).to_owned();
    if let Err(refused) = accounts::check_password(&line) {
        bail!("the password on standard input: {refused}");
    }
    Ok((line, false))
}

async fn add_user(
    db: &Db,
    username: &str,
    role: &str,
    customer: Option<&str>,
    password_stdin: bool,
) -> anyhow::Result<()> {
    if let Err(refused) = accounts::check_username(username) {
        bail!("the user name {username:?}: {refused}");
    }
    let (role, customer_id) = role_and_customer(db, role, customer).await?;
    let (password, generated) = new_password(password_stdin)?;
    let hash = crate::password::hash(SecretString::from(password.clone())).await?;
    match accounts::add_user(db, &operator(), username, &hash, role, customer_id).await? {
        Ok(_) => {}
        Err(accounts::Refused::Taken) => bail!("a user called {username:?} exists already"),
        Err(refused) => bail!("the user name {username:?}: {refused}"),
    }
    println!("added {} user {username}", role.as_str());
    if generated {
        println!("password: {password}");
    }
    Ok(())
}
