//! Wall-clock time as stored in the database (Unix seconds) and as shown to people.

use time::OffsetDateTime;

/// Seconds since the Unix epoch, the unit of every time column.
pub fn now() -> i64 {
    OffsetDateTime::now_utc().unix_timestamp()
}

/// A stored time as its reader reads it: in their language and time zone while a request is
/// handled (`26.11.2026 19:43 CET`), else `2026-11-26 18:43 UTC` (see [`crate::i18n`]).
pub fn display(unix_seconds: i64) -> String {
    crate::i18n::format::datetime(unix_seconds)
}
