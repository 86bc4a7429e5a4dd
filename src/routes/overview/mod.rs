//! `GET /overview`: the staff overview (issue 22) — changes per day by outcome, the review
//! queue by age, drift, findings by check per day and publishing latency (median and 90th
//! percentile per day), over the last 14 days, drawn
//! as SVG on the server (no chart library, no script). Each series has its own pattern as well
//! as its own colour, every bar carries its number, and each chart's numbers are also a table,
//! so nothing depends on telling colours apart.

use crate::auth::StaffUser;
use crate::db::overview::{self, DAY};
use crate::error::AppError;
use crate::i18n::filters;
use crate::routes::layout::{Layout, html};
use crate::session::AppSession;
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;

mod series;

/// Days the charts cover.
const DAYS: i64 = 14;
/// The drawing area of a column chart, in SVG units.
const WIDTH: f64 = 700.0;
const HEIGHT: f64 = 180.0;
/// Left margin of a bar chart (its labels).
const LABEL_WIDTH: f64 = 150.0;

/// One series: its name and its fill (a colour and a pattern, defined in the page's SVG).
struct Series {
    name: &'static str,
    fill: &'static str,
}

/// One stacked segment of a column.
struct Segment {
    y: f64,
    height: f64,
    fill: &'static str,
    title: String,
}

/// One column (a day).
struct ColumnView {
    x: f64,
    width: f64,
    label: String,
    /// The column's number ("" for none).
    total: String,
    total_y: f64,
    segments: Vec<Segment>,
}

/// A chart of stacked columns, one per day.
struct ColumnChart {
    id: &'static str,
    title: &'static str,
    series: Vec<Series>,
    columns: Vec<ColumnView>,
    /// The table: one row per day, one number per series.
    rows: Vec<(String, Vec<String>)>,
}

/// One horizontal bar.
struct BarView {
    y: f64,
    width: f64,
    label: String,
    value: String,
}

/// A chart of horizontal bars.
struct BarChart {
    id: &'static str,
    title: &'static str,
    height: f64,
    fill: &'static str,
    bars: Vec<BarView>,
}

fn day_label(day: i64) -> String {
    let date = crate::clock::display(day * DAY);
    // `2026-12-06 00:00 UTC` → `12-06`
    date.get(5..10).unwrap_or(&date).to_owned()
}

/// Stacked columns for `days`, with `values[series][day]`.
fn column_chart(
    id: &'static str,
    title: &'static str,
    series: Vec<Series>,
    days: &[i64],
    values: &[Vec<i64>],
    format: impl Fn(i64) -> String,
) -> ColumnChart {
    let totals: Vec<i64> = (0..days.len())
        .map(|day| values.iter().map(|series| series[day]).sum())
        .collect();
    let max = totals.iter().copied().max().unwrap_or(0).max(1) as f64;
    let step = WIDTH / days.len().max(1) as f64;
    let columns = days
        .iter()
        .enumerate()
        .map(|(n, day)| {
            let mut bottom = HEIGHT;
            let segments = series
                .iter()
                .zip(values)
                .filter(|(_, values)| values[n] > 0)
                .map(|(series, values)| {
                    let height = values[n] as f64 / max * (HEIGHT - 20.0);
                    bottom -= height;
                    Segment {
                        y: bottom,
                        height,
                        fill: series.fill,
                        title: format!(
                            "{} {}: {}",
                            day_label(*day),
                            crate::i18n::t(series.name),
                            format(values[n])
                        ),
                    }
                })
                .collect();
            ColumnView {
                x: n as f64 * step + step * 0.15,
                width: step * 0.7,
                label: day_label(*day),
                total: if totals[n] > 0 {
                    format(totals[n])
                } else {
                    String::new()
                },
                total_y: bottom - 4.0,
                segments,
            }
        })
        .collect();
    let rows = days
        .iter()
        .enumerate()
        .map(|(n, day)| {
            (
                day_label(*day),
                values.iter().map(|series| format(series[n])).collect(),
            )
        })
        .collect();
    ColumnChart {
        id,
        title,
        series,
        columns,
        rows,
    }
}

fn bar_chart(
    id: &'static str,
    title: &'static str,
    fill: &'static str,
    bars: Vec<(String, i64)>,
) -> BarChart {
    let max = bars
        .iter()
        .map(|(_, value)| *value)
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    let bars: Vec<BarView> = bars
        .into_iter()
        .enumerate()
        .map(|(n, (label, value))| BarView {
            y: n as f64 * 26.0,
            width: value as f64 / max * (WIDTH - LABEL_WIDTH - 60.0),
            label,
            value: crate::i18n::format::number(value),
        })
        .collect();
    BarChart {
        id,
        title,
        height: bars.len() as f64 * 26.0,
        fill,
        bars,
    }
}

/// A duration in seconds as people read it: `45 s`, `12 min`, `3.5 h`.
fn readable_seconds(seconds: i64) -> String {
    match seconds {
        s if s < 120 => crate::i18n::t_args("overview-seconds", &[("seconds", &s)]),
        s if s < 7200 => crate::i18n::t_args("overview-minutes", &[("minutes", &(s / 60))]),
        s => crate::i18n::t_args(
            "overview-hours",
            &[(
                "hours",
                &format!("{:.1}", s as f64 / 3600.0)
                    .replace('.', &crate::i18n::t("overview-decimal-point")),
            )],
        ),
    }
}

#[derive(Template)]
#[template(path = "staff/overview.html")]
struct OverviewPage {
    layout: Layout,
    changes: ColumnChart,
    queue: BarChart,
    queue_total: i64,
    /// Long drifts waiting in the review queue (policy `drift_review_days`).
    long_drift: i64,
    drifting: i64,
    drift: ColumnChart,
    findings: series::FindingsChart,
    latency: series::LatencyChart,
    width: f64,
    height: f64,
    label_width: f64,
}

/// How many long drifts wait in the review queue (0 when the policy is off).
async fn long_drift(state: &AppState, now: i64) -> Result<i64, AppError> {
    if state.drift_review_days <= 0 {
        return Ok(0);
    }
    let period = now - state.drift_review_days * DAY;
    let filter = crate::db::drift::DriftFilter::default();
    let (_, total) =
        crate::db::drift_review::queued(&state.db.pool, &filter, period, period).await?;
    Ok(total)
}

/// `GET /overview`
pub async fn overview(
    user: StaffUser,
    session: AppSession,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let pool = &state.db.pool;
    let now = crate::clock::now();
    let today = now / DAY;
    let days: Vec<i64> = (today - DAYS + 1..=today).collect();
    let since = days[0] * DAY;
    let index = |day: i64| {
        usize::try_from(day - days[0])
            .ok()
            .filter(|n| *n < days.len())
    };

    let outcomes: [(&str, &[&str], &str); 4] = [
        (
            "overview-series-published",
            &["ptr.set", "ptr.reset", "change.approved"],
            "url(#fill-solid)",
        ),
        (
            "overview-series-pending",
            &["ptr.request.pending"],
            "url(#fill-dots)",
        ),
        (
            "overview-series-rejected",
            &["ptr.request.rejected"],
            "url(#fill-stripes)",
        ),
        (
            "overview-series-denied",
            &["change.denied"],
            "url(#fill-cross)",
        ),
    ];
    let all: Vec<&str> = outcomes
        .iter()
        .flat_map(|(_, actions, _)| actions.iter().copied())
        .collect();
    let mut all_actions = all.clone();
    all_actions.extend(["ptr.drift.start", "ptr.drift.end"]);
    let counted = overview::actions_per_day(pool, since, &all_actions).await?;
    let mut change_values = vec![vec![0; days.len()]; outcomes.len()];
    let mut drift_values = vec![vec![0; days.len()]; 2];
    for (day, action, count) in counted {
        let Some(n) = index(day) else { continue };
        if let Some(series) = outcomes
            .iter()
            .position(|(_, actions, _)| actions.contains(&action.as_str()))
        {
            change_values[series][n] += count;
        }
        match action.as_str() {
            "ptr.drift.start" => drift_values[0][n] += count,
            "ptr.drift.end" => drift_values[1][n] += count,
            _ => {}
        }
    }
    let changes = column_chart(
        "changes",
        "overview-changes-title",
        outcomes
            .iter()
            .map(|(name, _, fill)| Series { name, fill })
            .collect(),
        &days,
        &change_values,
        crate::i18n::format::number,
    );
    let drift = column_chart(
        "drift",
        "overview-drift-title",
        vec![
            Series {
                name: "overview-series-began",
                fill: "url(#fill-stripes)",
            },
            Series {
                name: "overview-series-ended",
                fill: "url(#fill-solid)",
            },
        ],
        &days,
        &drift_values,
        crate::i18n::format::number,
    );

    let ages = overview::queue_by_age(pool, now).await?;
    let queue = bar_chart(
        "queue",
        "overview-queue-title",
        "url(#fill-dots)",
        [
            "overview-age-under-a-day",
            "overview-age-1-to-3-days",
            "overview-age-3-to-7-days",
            "overview-age-a-week",
        ]
        .iter()
        .zip(ages)
        .map(|(label, count)| (crate::i18n::t(label), count))
        .collect(),
    );
    let findings = series::findings_chart(&days, &overview::findings_per_day(pool, since).await?);
    let latency = series::latency_chart(&days, &overview::latency_percentiles(pool, since).await?);
    let page = OverviewPage {
        layout: Layout::new(&user.user, &session)?,
        changes,
        queue_total: ages.iter().sum(),
        long_drift: long_drift(&state, now).await?,
        queue,
        drifting: crate::db::drift::count(pool).await?,
        drift,
        findings,
        latency,
        width: WIDTH,
        height: HEIGHT,
        label_width: LABEL_WIDTH,
    };
    html(StatusCode::OK, &page)
}
