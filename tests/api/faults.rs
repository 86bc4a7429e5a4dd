//! Faults a running node meets, each started for real: the database going away under it (a
//! private PostgreSQL cluster stopped hard; another SQLite connection holding the write lock),
//! the process killed with SIGKILL in the middle of a bulk change, and a resolver that never
//! answers. What a user notices is asserted: a clear error page instead of a hang, nothing
//! half-written, recovery without a restart (or after one, for SIGKILL), and DNS checks that
//! end at their deadline.

mod bulk_killed;
mod database_down;
mod dns_black_hole;

/// The request id an error page quotes (`none` outside a request).
fn request_id_on(body: &str) -> String {
    let start = r#"<code class="request-id">"#;
    let from = body
        .find(start)
        .unwrap_or_else(|| panic!("an error page with a request id: {body}"))
        + start.len();
    let length = body[from..].find("</code>").expect("the id's end");
    body[from..from + length].to_owned()
}
