//! Wall-clock time as stored in the database (Unix seconds) and as shown to people.

use time::{OffsetDateTime, macros::format_description};

/// Seconds since the Unix epoch, the unit of every time column.
pub fn now() -> i64 {
    OffsetDateTime::now_utc().unix_timestamp()
}

/// A stored time as people read it: `2026-11-26 18:43 UTC`.
pub fn display(unix_seconds: i64) -> String {
    let format = format_description!("[year]-[month]-[day] [hour]:[minute] UTC");
    OffsetDateTime::from_unix_timestamp(unix_seconds)
        .ok()
        .and_then(|at| at.format(format).ok())
        .unwrap_or_else(|| unix_seconds.to_string())
}
