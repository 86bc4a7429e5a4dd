//! A DNS relay on 127.0.0.1 (UDP) that holds every question until the test lets them through,
//! then relays each to a real DNS server and its answer back: a name server that answers
//! late, exactly when the test wants. The test also learns when the first question arrived,
//! i.e. when the request that asks is in the middle of its DNS checks.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::UdpSocket;
use tokio::sync::watch;

/// How long the relay waits for the real server's answer.
const UPSTREAM_TIMEOUT: Duration = Duration::from_secs(5);

/// The relay; it stops when dropped.
pub struct HeldDns {
    /// Where the relay listens (UDP).
    pub address: SocketAddr,
    arrived: watch::Receiver<usize>,
    release: watch::Sender<bool>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for HeldDns {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl HeldDns {
    /// A relay in front of the DNS server at `upstream`.
    pub async fn in_front_of(upstream: SocketAddr) -> HeldDns {
        let socket = Arc::new(
            UdpSocket::bind("127.0.0.1:0")
                .await
                .expect("a UDP socket on loopback"),
        );
        let address = socket.local_addr().expect("a bound socket");
        let (arrived_sender, arrived) = watch::channel(0usize);
        let (release, released) = watch::channel(false);
        let task = tokio::spawn(async move {
            let mut buffer = [0u8; 4096];
            loop {
                let Ok((length, asker)) = socket.recv_from(&mut buffer).await else {
                    return;
                };
                arrived_sender.send_modify(|count| *count += 1);
                let question = buffer[..length].to_vec();
                let (socket, mut released) = (Arc::clone(&socket), released.clone());
                tokio::spawn(async move {
                    if released.wait_for(|go| *go).await.is_err() {
                        return;
                    }
                    if let Some(answer) = ask(upstream, &question).await {
                        let _ = socket.send_to(&answer, asker).await;
                    }
                });
            }
        });
        HeldDns {
            address,
            arrived,
            release,
            task,
        }
    }

    /// Waits until a question has arrived (and is being held); panics after `within`.
    pub async fn first_question(&self, within: Duration) {
        let mut arrived = self.arrived.clone();
        let waited = tokio::time::timeout(within, arrived.wait_for(|count| *count > 0)).await;
        assert!(
            matches!(waited, Ok(Ok(_))),
            "no DNS question arrived within {within:?}"
        );
    }

    /// Lets every held question through, and every later one at once.
    pub fn let_through(&self) {
        self.release.send_replace(true);
    }
}

/// One question to `upstream`, its answer.
async fn ask(upstream: SocketAddr, question: &[u8]) -> Option<Vec<u8>> {
    let socket = UdpSocket::bind("127.0.0.1:0").await.ok()?;
    socket.connect(upstream).await.ok()?;
    socket.send(question).await.ok()?;
    let mut buffer = [0u8; 4096];
    let length = tokio::time::timeout(UPSTREAM_TIMEOUT, socket.recv(&mut buffer))
        .await
        .ok()?
        .ok()?;
    Some(buffer[..length].to_vec())
}
