//! Statements over many rows at once (multi-row `INSERT`, `IN` lists, `UPDATE … FROM` a list
//! of values), for the writers that handle thousands of rows in one transaction: a bulk change
//! ([`crate::changes::record_all`]) and the seed. One statement per [`MAX_ROWS`] rows instead
//! of one per row: the round trips, not the rows, are what a big batch waits for.

use sqlx::AnyConnection;
use std::fmt::Write;

/// The most bind parameters one statement carries: SQLite allows 32,766, PostgreSQL 65,535.
pub const MAX_PARAMETERS: usize = 30_000;

/// Rows per statement: more saves round trips and statement overhead, up to the parameter
/// limit; past a few hundred rows the gain is small.
pub const MAX_ROWS: usize = 1_000;

/// Rows of `columns` parameters each that fit one statement.
pub fn rows_per_statement(columns: usize) -> usize {
    (MAX_PARAMETERS / columns.max(1)).clamp(1, MAX_ROWS)
}

/// How a statement marks its parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placeholders {
    /// `$1, $2, …`: PostgreSQL's only form.
    Numbered,
    /// `?, ?, …`: SQLite looks a named `$n` up in a list when it prepares a statement, which
    /// takes quadratic time over thousands of parameters (a second per 1,000-row insert);
    /// anonymous ones are simply counted.
    Anonymous,
}

impl Placeholders {
    /// The form `conn`'s engine wants.
    pub fn of(conn: &AnyConnection) -> Placeholders {
        if conn.backend_name() == "PostgreSQL" {
            Placeholders::Numbered
        } else {
            Placeholders::Anonymous
        }
    }
}

/// Builds the text of one statement, numbering its parameters in the order they are written
/// (bind them in that order).
#[derive(Debug)]
pub struct Statement {
    sql: String,
    placeholders: Placeholders,
    parameters: usize,
}

impl Statement {
    /// A statement starting with `head`.
    pub fn new(placeholders: Placeholders, head: &str) -> Statement {
        Statement {
            sql: head.to_owned(),
            placeholders,
            parameters: 0,
        }
    }

    /// Appends plain SQL text.
    pub fn push(&mut self, text: &str) -> &mut Statement {
        self.sql.push_str(text);
        self
    }

    /// Appends the next parameter.
    pub fn parameter(&mut self) -> &mut Statement {
        self.parameters += 1;
        match self.placeholders {
            Placeholders::Numbered => {
                let _ = write!(self.sql, "${}", self.parameters);
            }
            Placeholders::Anonymous => self.sql.push('?'),
        }
        self
    }

    /// Appends `n` parameters separated by commas (an `IN` list's inside).
    pub fn list(&mut self, n: usize) -> &mut Statement {
        for index in 0..n {
            if index > 0 {
                self.sql.push_str(", ");
            }
            self.parameter();
        }
        self
    }

    /// Appends `rows` parenthesised tuples of `columns` parameters (a `VALUES` list's inside).
    pub fn tuples(&mut self, rows: usize, columns: usize) -> &mut Statement {
        for row in 0..rows {
            if row > 0 {
                self.sql.push_str(", ");
            }
            self.sql.push('(');
            self.list(columns);
            self.sql.push(')');
        }
        self
    }

    /// The text.
    pub fn sql(&self) -> &str {
        &self.sql
    }

    /// The text, to run.
    pub fn into_sql(self) -> sqlx::AssertSqlSafe<String> {
        sqlx::AssertSqlSafe(self.sql)
    }
}

/// The text of a multi-row `INSERT` of `rows` rows into `columns` of `table`.
pub fn insert_statement(
    table: &str,
    columns: &[&str],
    rows: usize,
    placeholders: Placeholders,
) -> Statement {
    let mut statement = Statement::new(
        placeholders,
        &format!("INSERT INTO {table} ({}) VALUES ", columns.join(", ")),
    );
    statement.tuples(rows, columns.len());
    statement
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_multi_row_insert_numbers_its_parameters_across_rows() {
        assert_eq!(
            insert_statement("servers", &["id", "name"], 2, Placeholders::Numbered).sql(),
            "INSERT INTO servers (id, name) VALUES ($1, $2), ($3, $4)"
        );
        assert_eq!(
            insert_statement("servers", &["id", "name"], 2, Placeholders::Anonymous).sql(),
            "INSERT INTO servers (id, name) VALUES (?, ?), (?, ?)"
        );
    }

    #[test]
    fn a_statement_numbers_a_fixed_parameter_and_a_list_in_one_sequence() {
        let mut statement = Statement::new(Placeholders::Numbered, "SELECT 1 WHERE a = ");
        statement.parameter().push(" AND b IN (").list(3).push(")");
        assert_eq!(
            statement.sql(),
            "SELECT 1 WHERE a = $1 AND b IN ($2, $3, $4)"
        );
    }
}
