//! The `ptrdesk` command; everything lives in the library, see `ptrdesk::cli`.

#[tokio::main]
async fn main() -> std::process::ExitCode {
    match ptrdesk::cli::run().await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("ptrdesk: {err:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
