//! The staff overview's figures (issue 22): changes per day by outcome, the review queue by
//! age, drift starts per day, findings by check per day, publishing latency (median and 90th
//! percentile) per day. Days are UTC days
//! (`at / 86400`).

use crate::domain::finding::FindingId;
use sqlx::AnyPool;

/// Seconds in a day.
pub const DAY: i64 = 86_400;

/// `(day, action, count)` of the audit rows of `actions` since `since`.
pub async fn actions_per_day(
    db: &AnyPool,
    since: i64,
    actions: &[&str],
) -> Result<Vec<(i64, String, i64)>, sqlx::Error> {
    // The actions are this module's callers' constants; placeholders keep the SQL fixed.
    let list = (0..actions.len())
        .map(|n| format!("${}", n + 2))
        .collect::<Vec<_>>()
        .join(", ");
    let sql = format!(
        "SELECT at / {DAY} AS day, action, COUNT(*) AS n FROM audit \
         WHERE at >= $1 AND action IN ({list}) GROUP BY at / {DAY}, action ORDER BY day"
    );
    let mut query = sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(since);
    for action in actions {
        query = query.bind(*action);
    }
    query.fetch_all(db).await
}

/// The open review items (rejected or in review, not superseded) by age at `now`: under a
/// day, 1–3 days, 3–7 days, a week or more.
pub async fn queue_by_age(db: &AnyPool, now: i64) -> Result<[i64; 4], sqlx::Error> {
    let row: (Option<i64>, Option<i64>, Option<i64>, Option<i64>) = sqlx::query_as(
        "SELECT SUM(CASE WHEN created_at > $1 THEN 1 ELSE 0 END), \
                SUM(CASE WHEN created_at <= $1 AND created_at > $2 THEN 1 ELSE 0 END), \
                SUM(CASE WHEN created_at <= $2 AND created_at > $3 THEN 1 ELSE 0 END), \
                SUM(CASE WHEN created_at <= $3 THEN 1 ELSE 0 END) \
         FROM changes WHERE state IN ('rejected', 'in-review') AND superseded_by IS NULL",
    )
    .bind(now - DAY)
    .bind(now - 3 * DAY)
    .bind(now - 7 * DAY)
    .fetch_one(db)
    .await?;
    Ok([
        row.0.unwrap_or(0),
        row.1.unwrap_or(0),
        row.2.unwrap_or(0),
        row.3.unwrap_or(0),
    ])
}

/// `(day, check, changes)`: how many changes requested on each day since `since` have a
/// finding of each check (one pass over those changes; checks with none that day left out).
pub async fn findings_per_day(
    db: &AnyPool,
    since: i64,
) -> Result<Vec<(i64, FindingId, i64)>, sqlx::Error> {
    let sums = (0..FindingId::ALL.len())
        .map(|n| format!("SUM(CASE WHEN findings LIKE ${} THEN 1 ELSE 0 END)", n + 2))
        .collect::<Vec<_>>()
        .join(", ");
    let sql = format!(
        "SELECT created_at / {DAY} AS day, {sums} FROM changes WHERE created_at >= $1 \
         GROUP BY created_at / {DAY} ORDER BY day"
    );
    let mut query = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(since);
    for id in FindingId::ALL {
        // serde writes `"id":"embeds-ip"` without spaces (as the review queue's filter reads it).
        query = query.bind(format!("%\"id\":\"{}\"%", id.as_str()));
    }
    let mut counted = Vec::new();
    for row in query.fetch_all(db).await? {
        let day: i64 = sqlx::Row::try_get(&row, 0)?;
        for (n, id) in FindingId::ALL.iter().enumerate() {
            let count: Option<i64> = sqlx::Row::try_get(&row, n + 1)?;
            if let Some(count) = count.filter(|count| *count > 0) {
                counted.push((day, *id, count));
            }
        }
    }
    Ok(counted)
}

/// Publishing latency of one day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DayLatency {
    /// The UTC day (`at / 86400`).
    pub day: i64,
    /// Changes published that day.
    pub changes: i64,
    /// The median seconds from request to publication (nearest rank).
    pub median: i64,
    /// The 90th percentile (nearest rank).
    pub p90: i64,
}

/// The median and 90th percentile of the seconds from request to publication of the changes
/// published on each day since `since` (a change published at once counts 0 s). Ranked in
/// the database with window functions, so only two rows a day come back, however many
/// changes there were.
pub async fn latency_percentiles(db: &AnyPool, since: i64) -> Result<Vec<DayLatency>, sqlx::Error> {
    // Nearest rank: the p-th percentile of n values is the ceil(p n / 100)-th smallest.
    let rows: Vec<(i64, i64, i64, i64)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT day, n, rank_in_day, latency FROM (\
           SELECT updated_at / {DAY} AS day, updated_at - created_at AS latency, \
                  ROW_NUMBER() OVER (PARTITION BY updated_at / {DAY} \
                                     ORDER BY updated_at - created_at, id) AS rank_in_day, \
                  COUNT(*) OVER (PARTITION BY updated_at / {DAY}) AS n \
           FROM changes WHERE state = 'published' AND updated_at >= $1) ranked \
         WHERE rank_in_day = (n + 1) / 2 OR rank_in_day = (9 * n + 9) / 10 \
         ORDER BY day, rank_in_day"
    )))
    .bind(since)
    .fetch_all(db)
    .await?;
    let mut days: Vec<DayLatency> = Vec::new();
    for (day, n, rank, latency) in rows {
        if days.last().is_none_or(|last| last.day != day) {
            days.push(DayLatency {
                day,
                changes: n,
                median: 0,
                p90: 0,
            });
        }
        let Some(current) = days.last_mut() else {
            continue;
        };
        // Both ranks may be the same row (one or two changes that day).
        if rank == (n + 1) / 2 {
            current.median = latency;
        }
        if rank == (9 * n + 9) / 10 {
            current.p90 = latency;
        }
    }
    Ok(days)
}
