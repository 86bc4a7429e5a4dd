//! A private PostgreSQL cluster for one test, so the test may stop and start the server under
//! a running panel without touching the shared cluster of [`super::POSTGRES_ENV`]: `initdb`
//! and `pg_ctl` of the newest `/usr/lib/postgresql/*/bin`, run as the `postgres` user when the
//! tests run as root (as scripts/test.sh does), on a free port of 127.0.0.1, in a temporary
//! directory. Dropping it stops the server.

use std::path::PathBuf;
use std::process::{Command, Output};

/// A running (or stopped) private cluster.
pub struct PostgresCluster {
    bin: PathBuf,
    dir: tempfile::TempDir,
    port: u16,
}

impl PostgresCluster {
    /// Creates the cluster and starts its server (about 2 s).
    pub fn start() -> PostgresCluster {
        let bin = newest_bin();
        let dir = tempfile::tempdir().expect("a temporary directory");
        if is_root() {
            let owned = Command::new("chown")
                .arg("postgres:postgres")
                .arg(dir.path())
                .status()
                .expect("chown runs");
            assert!(
                owned.success(),
                "the cluster directory is given to postgres"
            );
        }
        let port = free_port();
        let cluster = PostgresCluster { bin, dir, port };
        let data = cluster.data();
        cluster.run(
            "initdb",
            &[
                "-D",
                &data,
                "-U",
                "postgres",
                "--auth=trust",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
            ],
        );
        cluster.start_server();
        cluster
    }

    /// `postgres://postgres@127.0.0.1:PORT/NAME`.
    pub fn url(&self, database: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{database}", self.port)
    }

    /// Creates database `name`.
    pub async fn create_database(&self, name: &str) {
        sqlx::any::install_default_drivers();
        let mut admin = <sqlx::AnyConnection as sqlx::Connection>::connect(&self.url("postgres"))
            .await
            .expect("the private cluster answers");
        let create = format!("CREATE DATABASE {name}");
        sqlx::raw_sql(sqlx::AssertSqlSafe(create))
            .execute(&mut admin)
            .await
            .expect("a database in the private cluster");
    }

    /// Starts the server (again) and waits until it accepts connections.
    pub fn start_server(&self) {
        let log = self.dir.path().join("server.log").display().to_string();
        let options = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync=off",
            self.port,
            self.dir.path().display()
        );
        self.run(
            "pg_ctl",
            &[
                "-D",
                &self.data(),
                "-l",
                &log,
                "-o",
                &options,
                "-w",
                "start",
            ],
        );
    }

    /// Stops the server the hard way (`-m immediate`: every backend is killed, as in a crash
    /// of the database host) and waits until it is gone.
    pub fn stop_server(&self) {
        self.run(
            "pg_ctl",
            &["-D", &self.data(), "-m", "immediate", "-w", "stop"],
        );
    }

    fn data(&self) -> String {
        self.dir.path().join("data").display().to_string()
    }

    fn command(&self, program: &str, args: &[&str]) -> Command {
        let program = self.bin.join(program);
        let mut command = if is_root() {
            let mut command = Command::new("runuser");
            command.args(["-u", "postgres", "--"]).arg(program);
            command
        } else {
            Command::new(program)
        };
        command.args(args);
        command
    }

    fn run(&self, program: &str, args: &[&str]) -> Output {
        let output = self
            .command(program, args)
            .output()
            .unwrap_or_else(|err| panic!("{program} runs: {err}"));
        assert!(
            output.status.success(),
            "{program} {args:?} failed: {}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        output
    }
}

impl Drop for PostgresCluster {
    fn drop(&mut self) {
        // Already stopped is fine: pg_ctl then says so and fails, which changes nothing.
        let _ = self
            .command(
                "pg_ctl",
                &["-D", &self.data(), "-m", "immediate", "-w", "stop"],
            )
            .output();
    }
}

/// The `bin` directory of the newest PostgreSQL installed.
fn newest_bin() -> PathBuf {
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .expect("PostgreSQL is installed under /usr/lib/postgresql")
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let version = entry.file_name().to_string_lossy().parse().ok()?;
            Some((version, entry.path().join("bin")))
        })
        .filter(|(_, bin)| bin.join("pg_ctl").exists())
        .collect();
    versions.sort();
    versions
        .pop()
        .map(|(_, bin)| bin)
        .expect("a PostgreSQL version with pg_ctl under /usr/lib/postgresql")
}

fn is_root() -> bool {
    // `id -u` rather than a libc call: the tests have no libc dependency.
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|output| String::from_utf8_lossy(&output.stdout).trim() == "0")
}

/// A port of 127.0.0.1 that was free a moment ago (the OS picks it).
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a free port on loopback")
        .port()
}
