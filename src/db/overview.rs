//! The staff overview's figures (issue 22): changes per day by outcome, the review queue by
//! age, drift starts per day, findings by check, publishing latency per day. Days are UTC days
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

/// How many changes requested since `since` have a finding of each check, by check (one pass
/// over those changes).
pub async fn findings_since(
    db: &AnyPool,
    since: i64,
) -> Result<Vec<(FindingId, i64)>, sqlx::Error> {
    let sums = (0..FindingId::ALL.len())
        .map(|n| format!("SUM(CASE WHEN findings LIKE ${} THEN 1 ELSE 0 END)", n + 2))
        .collect::<Vec<_>>()
        .join(", ");
    let sql = format!("SELECT {sums} FROM changes WHERE created_at >= $1");
    let mut query = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(since);
    for id in FindingId::ALL {
        // serde writes `"id":"embeds-ip"` without spaces (as the review queue's filter reads it).
        query = query.bind(format!("%\"id\":\"{}\"%", id.as_str()));
    }
    let row = query.fetch_one(db).await?;
    FindingId::ALL
        .iter()
        .enumerate()
        .map(|(n, id)| {
            let count: Option<i64> = sqlx::Row::try_get(&row, n)?;
            Ok((*id, count.unwrap_or(0)))
        })
        .collect()
}

/// `(day, changes, average seconds, longest seconds)` from request to publication of the
/// changes published since `since`.
pub async fn publishing_latency(
    db: &AnyPool,
    since: i64,
) -> Result<Vec<(i64, i64, f64, i64)>, sqlx::Error> {
    let rows: Vec<(i64, i64, Option<f64>, Option<i64>)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT updated_at / {DAY} AS day, COUNT(*), AVG(CAST(updated_at - created_at AS DOUBLE PRECISION)), \
                MAX(updated_at - created_at) \
         FROM changes WHERE state = 'published' AND updated_at >= $1 \
         GROUP BY updated_at / {DAY} ORDER BY day"
    )))
    .bind(since)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(day, count, average, longest)| {
            (day, count, average.unwrap_or(0.0), longest.unwrap_or(0))
        })
        .collect())
}
