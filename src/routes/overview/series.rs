//! The overview's two time series drawn as more than columns: findings by check per day
//! (small multiples: one labelled row of day columns per check, on one shared scale, so no
//! colour is needed to tell checks apart) and publishing latency per day (median and 90th
//! percentile as two lines told apart by dash and marker shape, with a labelled time axis).
//! Each comes with the table of its numbers.

use super::{DAY, HEIGHT, LABEL_WIDTH, WIDTH, day_label, readable_seconds};
use crate::db::overview::DayLatency;
use crate::domain::finding::FindingId;

/// Height of one check's row in the findings chart.
const ROW: f64 = 38.0;
/// The tallest column of a row.
const CELL: f64 = 24.0;
/// Left edge of the latency plot (its time axis labels).
const AXIS: f64 = 70.0;

/// One day's column of one check.
pub(super) struct Cell {
    pub(super) x: f64,
    pub(super) y: f64,
    pub(super) width: f64,
    pub(super) height: f64,
    /// The number shown above it ("" for none).
    pub(super) value: String,
    pub(super) title: String,
}

/// One check's row.
pub(super) struct CheckRow {
    pub(super) id: &'static str,
    pub(super) total: i64,
    /// Its baseline.
    pub(super) base: f64,
    pub(super) cells: Vec<Cell>,
    /// The table's numbers, one per day.
    pub(super) values: Vec<i64>,
}

/// Findings by check per day.
pub(super) struct FindingsChart {
    pub(super) height: f64,
    pub(super) rows: Vec<CheckRow>,
    /// Each day's label and the middle of its column.
    pub(super) days: Vec<(f64, String)>,
    /// The checks with no finding in these days.
    pub(super) quiet: Vec<&'static str>,
}

/// The findings chart of `days` from `(day, check, changes)`.
pub(super) fn findings_chart(days: &[i64], counted: &[(i64, FindingId, i64)]) -> FindingsChart {
    let first = days.first().copied().unwrap_or(0);
    let mut values: Vec<(FindingId, Vec<i64>)> = FindingId::ALL
        .iter()
        .map(|id| (*id, vec![0; days.len()]))
        .collect();
    for (day, id, count) in counted {
        let Some(n) = usize::try_from(day - first)
            .ok()
            .filter(|n| *n < days.len())
        else {
            continue;
        };
        if let Some((_, row)) = values.iter_mut().find(|(check, _)| check == id) {
            row[n] += count;
        }
    }
    let (mut shown, quiet): (Vec<_>, Vec<_>) = values
        .into_iter()
        .partition(|(_, row)| row.iter().any(|value| *value > 0));
    shown.sort_by(|a, b| {
        let total = |row: &[i64]| row.iter().sum::<i64>();
        total(&b.1)
            .cmp(&total(&a.1))
            .then(a.0.as_str().cmp(b.0.as_str()))
    });
    let max = shown
        .iter()
        .flat_map(|(_, row)| row.iter().copied())
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    let step = (WIDTH - LABEL_WIDTH - 10.0) / days.len().max(1) as f64;
    let x_of = |n: usize| LABEL_WIDTH + n as f64 * step;
    let rows = shown
        .into_iter()
        .enumerate()
        .map(|(r, (id, row))| {
            let y = r as f64 * ROW;
            let base = y + ROW - 4.0;
            let cells = row
                .iter()
                .enumerate()
                .filter(|(_, value)| **value > 0)
                .map(|(n, value)| {
                    let height = (*value as f64 / max * CELL).max(2.0);
                    Cell {
                        x: x_of(n) + step * 0.15,
                        y: base - height,
                        width: step * 0.7,
                        height,
                        value: value.to_string(),
                        title: format!("{} {}: {value}", day_label(days[n]), id.as_str()),
                    }
                })
                .collect();
            CheckRow {
                id: id.as_str(),
                total: row.iter().sum(),
                base,
                cells,
                values: row,
            }
        })
        .collect::<Vec<_>>();
    FindingsChart {
        height: rows.len() as f64 * ROW,
        rows,
        days: days
            .iter()
            .enumerate()
            .map(|(n, day)| (x_of(n) + step / 2.0, day_label(*day)))
            .collect(),
        quiet: quiet.into_iter().map(|(id, _)| id.as_str()).collect(),
    }
}

/// One marker of a line.
pub(super) struct Point {
    pub(super) x: f64,
    pub(super) y: f64,
    pub(super) title: String,
}

/// One line of the latency chart.
pub(super) struct Line {
    pub(super) name: String,
    /// `stroke-dasharray` ("" for a solid line).
    pub(super) dash: &'static str,
    /// `circle` or `square`.
    pub(super) marker: &'static str,
    /// The `points` of each run of consecutive days with publications.
    pub(super) runs: Vec<String>,
    pub(super) points: Vec<Point>,
}

/// Publishing latency per day.
pub(super) struct LatencyChart {
    /// The time axis: height and label of each tick.
    pub(super) ticks: Vec<(f64, String)>,
    pub(super) lines: Vec<Line>,
    pub(super) days: Vec<(f64, String)>,
    /// The table: day, changes, median, 90th percentile.
    pub(super) rows: Vec<(String, i64, String, String)>,
    pub(super) axis: f64,
}

/// A round top for the time axis at or above `seconds`.
fn axis_top(seconds: i64) -> i64 {
    const STEPS: [i64; 12] = [
        10, 30, 60, 300, 600, 1800, 3600, 7200, 21_600, 43_200, 86_400, 172_800,
    ];
    STEPS
        .into_iter()
        .find(|step| *step >= seconds)
        .unwrap_or_else(|| (seconds + DAY - 1) / DAY * DAY)
}

/// The latency chart of `days` from the days that had publications.
pub(super) fn latency_chart(days: &[i64], measured: &[DayLatency]) -> LatencyChart {
    let first = days.first().copied().unwrap_or(0);
    let mut by_day: Vec<Option<DayLatency>> = vec![None; days.len()];
    for day in measured {
        if let Some(n) = usize::try_from(day.day - first)
            .ok()
            .filter(|n| *n < days.len())
        {
            by_day[n] = Some(*day);
        }
    }
    let top = axis_top(
        by_day
            .iter()
            .flatten()
            .map(|day| day.p90)
            .max()
            .unwrap_or(0),
    );
    let step = (WIDTH - AXIS - 10.0) / days.len().max(1) as f64;
    let x_of = |n: usize| AXIS + n as f64 * step + step / 2.0;
    let y_of = |seconds: i64| HEIGHT - seconds as f64 / top as f64 * (HEIGHT - 10.0);
    let line = |name: String, dash, marker, pick: fn(&DayLatency) -> i64| {
        let mut runs = Vec::new();
        let mut run: Vec<String> = Vec::new();
        let mut points = Vec::new();
        for (n, day) in by_day.iter().enumerate() {
            match day {
                Some(day) => {
                    let (x, y) = (x_of(n), y_of(pick(day)));
                    run.push(format!("{x:.1},{y:.1}"));
                    points.push(Point {
                        x,
                        y,
                        title: format!(
                            "{} {name}: {}",
                            day_label(days[n]),
                            readable_seconds(pick(day))
                        ),
                    });
                }
                None if !run.is_empty() => runs.push(std::mem::take(&mut run).join(" ")),
                None => {}
            }
        }
        if !run.is_empty() {
            runs.push(run.join(" "));
        }
        Line {
            name,
            dash,
            marker,
            runs,
            points,
        }
    };
    let lines = vec![
        line(
            crate::i18n::t("overview-latency-median"),
            "",
            "circle",
            |day| day.median,
        ),
        line(
            crate::i18n::t("overview-latency-p90"),
            "6 4",
            "square",
            |day| day.p90,
        ),
    ];
    LatencyChart {
        ticks: [0, top / 2, top]
            .into_iter()
            .map(|seconds| (y_of(seconds), readable_seconds(seconds)))
            .collect(),
        lines,
        days: days
            .iter()
            .enumerate()
            .map(|(n, day)| (x_of(n), day_label(*day)))
            .collect(),
        rows: days
            .iter()
            .zip(&by_day)
            .map(|(day, measured)| match measured {
                Some(measured) => (
                    day_label(*day),
                    measured.changes,
                    readable_seconds(measured.median),
                    readable_seconds(measured.p90),
                ),
                None => (day_label(*day), 0, "–".to_owned(), "–".to_owned()),
            })
            .collect(),
        axis: AXIS,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_findings_chart_has_a_row_per_check_seen_busiest_first() {
        let days = [100, 101, 102];
        let chart = findings_chart(
            &days,
            &[
                (100, FindingId::EmbedsIp, 1),
                (102, FindingId::EmbedsIp, 2),
                (101, FindingId::ForwardConfirmed, 4),
                (99, FindingId::Syntax, 9),
            ],
        );
        let ids: Vec<_> = chart.rows.iter().map(|row| (row.id, row.total)).collect();
        assert_eq!(ids, [("forward-confirmed", 4), ("embeds-ip", 3)]);
        assert_eq!(chart.rows[1].values, [1, 0, 2]);
        assert!(
            chart.quiet.contains(&"syntax"),
            "a day outside is not counted"
        );
        assert_eq!(chart.rows[0].cells.len(), 1);
    }

    #[test]
    fn the_latency_chart_breaks_its_lines_on_days_without_publications() {
        let measured = |day, median, p90| DayLatency {
            day,
            changes: 3,
            median,
            p90,
        };
        let chart = latency_chart(
            &[10, 11, 12, 13],
            &[measured(10, 0, 40), measured(11, 5, 50), measured(13, 0, 0)],
        );
        assert_eq!(chart.lines[1].runs.len(), 2);
        assert_eq!(chart.lines[1].points.len(), 3);
        assert_eq!(chart.ticks.last().map(|tick| tick.1.as_str()), Some("60 s"));
        assert_eq!(chart.rows[2].2, "–");
        assert_eq!(chart.rows[1].3, "50 s");
    }
}
