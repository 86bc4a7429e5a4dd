//! CSV import of IP assignments: `customer_number,customer_name,server,network` per line (a
//! header line with those names is optional, `#` starts a comment). Every line is checked
//! first; one bad line means nothing is imported and every bad line is reported.

use crate::admin::inventory::{CustomerSpec, ServerSpec};
use crate::db::audit::{self, Actor, NewAuditRow};
use crate::db::{Db, customers, inventory};
use crate::domain::AuditAction;
use crate::domain::{Door, Network, overlapping_spans};
use crate::field_limits;
use crate::i18n::Text;
use std::collections::HashMap;
use std::fmt;

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportSummary {
    /// Assignments added.
    pub assignments: usize,
    /// Customers created on the way.
    pub new_customers: usize,
    /// Servers created on the way.
    pub new_servers: usize,
}

impl fmt::Display for ImportSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "imported {} assignment(s); created {} customer(s) and {} server(s)",
            self.assignments, self.new_customers, self.new_servers
        )
    }
}

impl ImportSummary {
    /// The summary in the reader's language (`Display` stays English, for the command line).
    pub fn text(&self) -> Text {
        Text::new("form-import-summary")
            .arg("assignments", self.assignments)
            .arg("customers", self.new_customers)
            .arg("servers", self.new_servers)
    }
}

/// One rejected line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineError {
    /// 1-based line number in the file.
    pub line: u64,
    /// What is wrong, in English (the command line).
    pub message: String,
    /// What is wrong, for the page (in the reader's language).
    pub text: Text,
}

/// Why nothing was imported.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// Some lines are wrong.
    #[error("{}", render_lines(.0))]
    Rejected(Vec<LineError>),
    /// The database failed.
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
}

fn render_lines(errors: &[LineError]) -> String {
    errors
        .iter()
        .map(|err| format!("line {}: {}", err.line, err.message))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The actor of imports run from the command line.
pub fn cli_actor() -> Actor {
    Actor {
        user_id: None,
        name: "cli".to_owned(),
        source: "local".to_owned(),
    }
}

struct Line {
    number: u64,
    customer_number: String,
    customer_name: String,
    server: String,
    network: Network,
}

/// Checks and imports `csv` in one transaction; with `publishing` (a node serving DNS), the
/// new zones' rows are created in it too.
pub async fn import_assignments(
    db: &Db,
    publishing: Option<&crate::dns::Publishing>,
    csv: &str,
    actor: &Actor,
) -> Result<ImportSummary, ImportError> {
    let (lines, mut errors) = parse(csv);
    let mut tx = db.begin_publish().await?;
    for line in &lines {
        if let Some(existing) = inventory::overlapping(&mut **tx, &line.network).await? {
            errors.push(LineError {
                line: line.number,
                message: format!(
                    "{} overlaps the existing assignment {existing}",
                    line.network
                ),
                text: Text::new("form-import-overlaps-existing")
                    .arg("network", line.network.to_string())
                    .arg("existing", existing),
            });
        }
    }
    if !errors.is_empty() {
        errors.sort_by_key(|err| err.line);
        return Err(ImportError::Rejected(errors));
    }
    let at = crate::clock::now();
    let mut summary = ImportSummary {
        assignments: 0,
        new_customers: 0,
        new_servers: 0,
    };
    let mut customer_ids: HashMap<String, i64> = HashMap::new();
    for line in &lines {
        let customer_id = match customer_ids.get(&line.customer_number) {
            Some(id) => *id,
            None => {
                let id = match customers::find(&mut **tx, &line.customer_number).await? {
                    Some(customer) => customer.id,
                    None => {
                        summary.new_customers += 1;
                        customers::insert(&mut **tx, &line.customer_number, &line.customer_name, at)
                            .await?
                    }
                };
                customer_ids.insert(line.customer_number.clone(), id);
                id
            }
        };
        let server_id = match inventory::find_server(&mut **tx, customer_id, &line.server).await? {
            Some(id) => id,
            None => {
                summary.new_servers += 1;
                inventory::insert_server(&mut **tx, customer_id, &line.server, at).await?
            }
        };
        if let Err(existing) =
            inventory::add_assignment(&mut tx, server_id, &line.network, at).await?
        {
            let text = match &existing {
                Some(existing) => Text::new("form-import-overlaps-assignment")
                    .arg("network", line.network.to_string())
                    .arg("existing", existing),
                None => Text::new("form-import-overlaps-concurrent")
                    .arg("network", line.network.to_string()),
            };
            let existing = existing.unwrap_or_else(|| "added at the same moment".to_owned());
            return Err(ImportError::Rejected(vec![LineError {
                line: line.number,
                message: format!("{} overlaps the assignment {existing}", line.network),
                text,
            }]));
        }
        tx.range_changed(line.network.first(), line.network.last());
        if let Some(publishing) = publishing {
            crate::dns::sync::create_zones_of(&mut tx, publishing, &line.network, at).await?;
        }
        let network = line.network.to_string();
        audit::insert(
            &mut **tx,
            &NewAuditRow {
                actor,
                door: Door::Import,
                action: AuditAction::AssignmentAdd,
                customer_id: Some(customer_id),
                ip: None,
                old_value: None,
                new_value: Some(&format!("{network} on {}", line.server)),
                change_id: None,
                at,
            },
        )
        .await?;
        summary.assignments += 1;
    }
    tx.commit().await?;
    Ok(summary)
}

/// Reads every line, returning the good ones and an error for each bad one (including
/// overlaps between lines of the same file).
fn parse(csv: &str) -> (Vec<Line>, Vec<LineError>) {
    // A browser sends a text area's lines ending in CRLF, which the reader does not count as
    // new lines: with plain line ends each error names the line as the person sees it.
    let csv = csv.replace("\r\n", "\n");
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .comment(Some(b'#'))
        .trim(csv::Trim::All)
        .from_reader(csv.as_bytes());
    let mut lines: Vec<Line> = Vec::new();
    let mut errors = Vec::new();
    for record in reader.records() {
        let record = match record {
            Ok(record) => record,
            Err(err) => {
                let line = err.position().map_or(0, |pos| pos.line());
                errors.push(LineError {
                    line,
                    message: format!("cannot be read as CSV: {err}"),
                    text: Text::new("form-import-not-csv").arg("error", err.to_string()),
                });
                continue;
            }
        };
        let number = record.position().map_or(0, |pos| pos.line());
        if record.iter().all(str::is_empty) {
            continue;
        }
        if number == 1
            && record
                .get(0)
                .is_some_and(|first| first.eq_ignore_ascii_case("customer_number"))
        {
            continue;
        }
        let mut fail = |message: String, text: Text| {
            errors.push(LineError {
                line: number,
                message,
                text,
            })
        };
        if record.len() != 4 {
            fail(
                format!(
                    "expected 4 fields (customer_number,customer_name,server,network), found {}",
                    record.len()
                ),
                Text::new("form-import-field-count").arg("found", record.len()),
            );
            continue;
        }
        let (customer_number, customer_name, server, network) =
            (&record[0], &record[1], &record[2], &record[3]);
        if customer_number.is_empty() || server.is_empty() {
            fail(
                "the customer number and the server name must not be empty".to_owned(),
                Text::new("form-import-empty-fields"),
            );
            continue;
        }
        // The same limits as the administration forms.
        let lengths = field_limits::check(&[
            (
                "the customer number",
                customer_number,
                field_limits::CUSTOMER_NUMBER,
            ),
            (
                "the customer name",
                customer_name,
                field_limits::CUSTOMER_NAME,
            ),
            ("the server name", server, field_limits::SERVER_NAME),
        ]);
        if let Err(too_long) = lengths {
            let text = too_long.text();
            fail(too_long.message, text);
            continue;
        }
        let network = match Network::parse(network) {
            Ok(network) => network,
            Err(err) => {
                fail(err.to_string(), err.text());
                continue;
            }
        };
        lines.push(Line {
            number,
            customer_number: customer_number.to_owned(),
            customer_name: if customer_name.is_empty() {
                customer_number.to_owned()
            } else {
                customer_name.to_owned()
            },
            server: server.to_owned(),
            network,
        });
    }
    let overlapping = overlaps(&lines);
    for (later, earlier) in &overlapping {
        let (later, earlier) = (&lines[*later], &lines[*earlier]);
        errors.push(LineError {
            line: later.number,
            message: format!(
                "{} overlaps {} on line {}",
                later.network, earlier.network, earlier.number
            ),
            text: Text::new("form-import-overlaps")
                .arg("network", later.network.to_string())
                .arg("earlier", earlier.network.to_string())
                .arg("line", earlier.number),
        });
    }
    let dropped: std::collections::HashSet<usize> = overlapping.iter().map(|(i, _)| *i).collect();
    let lines = (lines.into_iter().enumerate())
        .filter(|(index, _)| !dropped.contains(index))
        .map(|(_, line)| line)
        .collect();
    (lines, errors)
}

/// Every line that overlaps an earlier one (index of the later line, index of the earlier),
/// found in one pass over the lines in address order.
fn overlaps(lines: &[Line]) -> Vec<(usize, usize)> {
    let spans: Vec<(u128, u128)> = lines.iter().map(|line| line.network.span()).collect();
    overlapping_spans(&spans)
        .into_iter()
        .map(|(index, before)| {
            if lines[index].number > lines[before].number {
                (index, before)
            } else {
                (before, index)
            }
        })
        .collect()
}

/// The desired inventory a CSV file describes (for `ptrdesk import assignments --sync`):
/// each customer with its servers and their assignments, in the order of the file; or every
/// bad line.
pub fn desired_inventory(csv: &str) -> Result<Vec<CustomerSpec>, Vec<LineError>> {
    let (lines, mut errors) = parse(csv);
    if !errors.is_empty() {
        errors.sort_by_key(|err| err.line);
        return Err(errors);
    }
    let mut customers: Vec<CustomerSpec> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    for line in lines {
        let at = *index
            .entry(line.customer_number.clone())
            .or_insert_with(|| {
                customers.push(CustomerSpec {
                    number: Some(line.customer_number.clone()),
                    name: line.customer_name.clone(),
                    cancelled: false,
                    servers: Vec::new(),
                });
                customers.len() - 1
            });
        let servers = &mut customers[at].servers;
        let network = line.network.to_string();
        match servers.iter_mut().find(|server| server.name == line.server) {
            Some(server) => server.assignments.push(network),
            None => servers.push(ServerSpec {
                name: line.server,
                assignments: vec![network],
            }),
        }
    }
    Ok(customers)
}
