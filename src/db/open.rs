//! Opening the database: which engine a URL names, how the URL is shown (never with its
//! password), and why opening failed, said so that an operator knows what to do.
//!
//! Policy: only `sqlite:` (or a bare file path) and `postgres:`/`postgresql:` URLs are taken;
//! any other scheme (`mysql://`, the typo `postgress://`) is refused with that list rather
//! than read as a file name. An SQLite file's directory is created when it is missing. A
//! database that can be read but not written is refused at start: a panel that signs nobody
//! in and answers every save with an error is worse than one that does not start.

use std::path::{Path, PathBuf};

/// What a database URL names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// An SQLite file (`path`; `None` for `:memory:`), opened through `connect`.
    Sqlite {
        /// The file.
        path: Option<PathBuf>,
        /// The URL sqlx is given.
        connect: String,
    },
    /// A PostgreSQL database.
    Postgres {
        /// The URL as given.
        connect: String,
    },
}

/// Why the database could not be opened or used; every message names the URL without its
/// password and says what to do.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    /// The scheme is not one ptrdesk knows.
    #[error(
        "the database URL {shown} is neither SQLite nor PostgreSQL (scheme \"{scheme}:\"); use \
         sqlite://FILE (e.g. sqlite:///var/lib/ptrdesk/ptrdesk.sqlite), postgres://USER:PASSWORD@HOST/NAME \
         or postgresql://USER:PASSWORD@HOST/NAME"
    )]
    UnknownScheme {
        /// The URL without password.
        shown: String,
        /// The scheme given.
        scheme: String,
    },
    /// The SQLite file's directory is missing and cannot be created.
    #[error(
        "cannot open the database {shown}: its directory {directory} does not exist (or this user cannot reach it) and cannot be \
         created ({reason}); create it and let the user ptrdesk runs as write to it, e.g. \
         `install -d -o ptrdesk -g ptrdesk -m 0750 {directory}`"
    )]
    NoDirectory {
        /// The URL without password.
        shown: String,
        /// The directory.
        directory: String,
        /// What the system said.
        reason: String,
    },
    /// The database could not be opened.
    #[error("cannot open the database {shown}: {reason}; {advice}")]
    Open {
        /// The URL without password.
        shown: String,
        /// What went wrong.
        reason: String,
        /// What to do.
        advice: String,
    },
    /// The database answers but refuses writes.
    #[error(
        "the database {shown} can be read but not written ({reason}); ptrdesk writes on every \
         sign-in and save, so it does not start on it. {advice}"
    )]
    NotWritable {
        /// The URL without password.
        shown: String,
        /// What the database said.
        reason: String,
        /// What to do.
        advice: String,
    },
}

const POSTGRES_NOT_WRITABLE: &str = "Connect to the primary, not a read-only replica, and give the role \
     write access (default_transaction_read_only must be off).";

/// `url` as it may be shown and logged: without the password (in the user part or a
/// `password=` parameter).
pub fn shown(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let (before_query, query) = match rest.split_once('?') {
        Some((before, query)) => (before, Some(query)),
        None => (rest, None),
    };
    let (authority, path) = match before_query.find('/') {
        Some(at) => before_query.split_at(at),
        None => (before_query, ""),
    };
    let authority = match authority.rsplit_once('@') {
        Some((user_info, host)) => {
            let user = user_info
                .split_once(':')
                .map_or(user_info, |(user, _)| user);
            format!("{user}@{host}")
        }
        None => authority.to_owned(),
    };
    let query = query.map(|query| {
        query
            .split('&')
            .filter(|pair| !pair.to_ascii_lowercase().starts_with("password="))
            .collect::<Vec<_>>()
            .join("&")
    });
    match query.filter(|query| !query.is_empty()) {
        Some(query) => format!("{scheme}://{authority}{path}?{query}"),
        None => format!("{scheme}://{authority}{path}"),
    }
}

/// Reads `url`: `sqlite://FILE`, `sqlite:FILE`, a bare file path, `postgres://…` or
/// `postgresql://…`.
pub fn target(url: &str) -> Result<Target, OpenError> {
    let url = url.trim();
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        return Ok(Target::Postgres {
            connect: url.to_owned(),
        });
    }
    let path = match url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
    {
        Some(path) => path,
        None => {
            if let Some(scheme) = scheme_of(url) {
                return Err(OpenError::UnknownScheme {
                    shown: shown(url),
                    scheme: scheme.to_owned(),
                });
            }
            url
        }
    };
    let file = path.split_once('?').map_or(path, |(file, _)| file);
    let connect = if path.contains('?') {
        format!("sqlite://{path}")
    } else {
        format!("sqlite://{path}?mode=rwc")
    };
    Ok(Target::Sqlite {
        path: (!file.is_empty() && file != ":memory:").then(|| PathBuf::from(file)),
        connect,
    })
}

/// The scheme of `url` when it has one (`mysql` of `mysql://…`, `postgress` of a typo).
fn scheme_of(url: &str) -> Option<&str> {
    let (scheme, _) = url.split_once(':')?;
    let mut chars = scheme.chars();
    let first_is_letter = chars.next().is_some_and(|c| c.is_ascii_alphabetic());
    (first_is_letter
        && scheme.len() > 1
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')))
    .then_some(scheme)
}

/// Creates the directory of the SQLite file `path` when it is missing.
pub fn create_directory(url: &str, path: &Path) -> Result<(), OpenError> {
    let Some(directory) = path.parent().filter(|dir| !dir.as_os_str().is_empty()) else {
        return Ok(());
    };
    if directory.is_dir() {
        return Ok(());
    }
    std::fs::create_dir_all(directory).map_err(|err| OpenError::NoDirectory {
        shown: shown(url),
        directory: directory.display().to_string(),
        reason: err.to_string(),
    })?;
    tracing::info!(directory = %directory.display(), "created the database's directory");
    Ok(())
}

/// Turns a failure to connect or migrate into a sentence that says what to do.
pub fn explain(url: &str, target: &Target, err: &sqlx::Error) -> OpenError {
    let reason = err.to_string();
    let shown = shown(url);
    match target {
        Target::Sqlite { path, .. } => {
            let lower = reason.to_ascii_lowercase();
            if lower.contains("not a database") {
                return OpenError::Open {
                    shown,
                    reason: "the file is not an SQLite database".to_owned(),
                    advice: "check that the URL names ptrdesk's database file, or name a new file"
                        .to_owned(),
                };
            }
            if lower.contains("readonly") || lower.contains("read-only") {
                return not_writable(&shown, target, &reason);
            }
            let directory = path.as_deref().and_then(Path::parent).map(|dir| {
                if dir.as_os_str().is_empty() {
                    Path::new(".")
                } else {
                    dir
                }
            });
            if let Some(directory) = directory
                && lower.contains("unable to open")
                && !writable_directory(directory)
            {
                return OpenError::Open {
                    shown,
                    reason: format!(
                        "the directory {} is not writable by this user",
                        directory.display()
                    ),
                    advice: format!(
                        "let the user ptrdesk runs as write to it (SQLite creates the file and its \
                         -wal and -shm files there), e.g. `chown ptrdesk:ptrdesk {}`",
                        directory.display()
                    ),
                };
            }
            OpenError::Open {
                shown,
                reason,
                advice: "check the path and its permissions".to_owned(),
            }
        }
        Target::Postgres { .. } => {
            if reason.contains("read-only") {
                return not_writable(&shown, target, &reason);
            }
            OpenError::Open {
                shown,
                reason,
                advice: "check that PostgreSQL runs and accepts this user, and that the database \
                         exists (`createdb -O USER NAME`)"
                    .to_owned(),
            }
        }
    }
}

/// The database refuses writes.
pub fn not_writable(shown: &str, target: &Target, reason: &str) -> OpenError {
    OpenError::NotWritable {
        shown: shown.to_owned(),
        reason: reason.to_owned(),
        advice: match target {
            Target::Sqlite { path, .. } => {
                let directory = path
                    .as_deref()
                    .and_then(Path::parent)
                    .filter(|dir| !dir.as_os_str().is_empty())
                    .map_or_else(|| ".".to_owned(), |dir| dir.display().to_string());
                format!(
                    "Let the user ptrdesk runs as write the file and its directory (SQLite keeps \
                     -wal and -shm files beside it), e.g. `chown -R ptrdesk:ptrdesk {directory}`, \
                     and run every ptrdesk command as that user; a read-only mount cannot hold \
                     the database."
                )
            }
            Target::Postgres { .. } => POSTGRES_NOT_WRITABLE.to_owned(),
        },
    }
}

/// Whether this process may create files in `directory`.
fn writable_directory(directory: &Path) -> bool {
    let probe = directory.join(format!(".ptrdesk-write-test-{}", std::process::id()));
    match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&probe)
    {
        Ok(_) => {
            let _ = std::fs::remove_file(&probe);
            true
        }
        Err(_) => false,
    }
}

/// Whether this process may write the SQLite file `path`: a file that became read-only (its
/// owner, mode or immutable flag changed, its mount remounted read-only) after start. Asked
/// with access(2), never by opening the file: closing a descriptor of it would release every
/// POSIX lock this process's SQLite connections hold on it (SQLite then fails writes with
/// "disk I/O error", or worse).
pub fn writable_file(path: &Path) -> Result<(), std::io::Error> {
    use std::os::unix::ffi::OsStrExt;
    let path = std::ffi::CString::new(path.as_os_str().as_bytes())
        .map_err(|_| std::io::Error::new(std::io::ErrorKind::InvalidInput, "a NUL in the path"))?;
    // SAFETY: `path` is a NUL-terminated string that lives across the call; access(2) only
    // reads it.
    match unsafe { libc::access(path.as_ptr(), libc::W_OK) } {
        0 => Ok(()),
        _ => Err(std::io::Error::last_os_error()),
    }
}

#[cfg(test)]
mod tests {
    use super::{Target, shown, target};

    #[test]
    fn a_shown_url_has_no_password() {
        assert_eq!(
            shown("postgres://ptrdesk:s3cret@db.internal:5432/ptrdesk"),
            "postgres://ptrdesk@db.internal:5432/ptrdesk"
        );
        assert_eq!(
            shown("postgresql://db/ptrdesk?user=p&password=s3cret&sslmode=require"),
            "postgresql://db/ptrdesk?user=p&sslmode=require"
        );
        assert_eq!(
            shown("sqlite:///var/lib/ptrdesk/ptrdesk.sqlite"),
            "sqlite:///var/lib/ptrdesk/ptrdesk.sqlite"
        );
    }

    #[test]
    fn only_sqlite_and_postgres_urls_are_taken() {
        for url in [
            "mysql://root@db/ptrdesk",
            "postgress://u:p@db/x",
            "file:ptrdesk.db",
        ] {
            let err = target(url).expect_err(url).to_string();
            assert!(err.contains("sqlite://FILE"), "{err}");
            assert!(!err.contains(":p@"), "{err}");
        }
        assert!(matches!(
            target("postgresql://db/x"),
            Ok(Target::Postgres { .. })
        ));
        for url in [
            "sqlite://a.sqlite",
            "sqlite:a.sqlite",
            "a.sqlite",
            "/tmp/x/a.sqlite",
        ] {
            assert!(
                matches!(target(url), Ok(Target::Sqlite { path: Some(_), .. })),
                "{url}"
            );
        }
    }
}
