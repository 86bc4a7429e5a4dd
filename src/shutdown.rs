//! The signal every background loop of a node watches to know that the process is stopping,
//! and what gives it. A loop stops only at a safe point of its own (see [`crate::jobs`]).

use tokio::sync::watch;
use tokio::time::Interval;

/// What a background loop watches to know that the process is stopping.
#[derive(Debug, Clone)]
pub struct Shutdown(watch::Receiver<bool>);

/// Gives the [`Shutdown`] signal to every loop watching it.
#[derive(Debug)]
pub struct ShutdownSender(watch::Sender<bool>);

impl ShutdownSender {
    /// Asks every loop watching to stop at its next safe point.
    pub fn send(&self) {
        self.0.send_replace(true);
    }
}

impl Shutdown {
    /// A signal and what gives it.
    pub fn channel() -> (ShutdownSender, Shutdown) {
        let (sender, receiver) = watch::channel(false);
        (ShutdownSender(sender), Shutdown(receiver))
    }

    /// A signal that is never given (for work run by hand, e.g. one round of re-checks).
    pub fn never() -> Shutdown {
        let (_, receiver) = watch::channel(false);
        Shutdown(receiver)
    }

    /// Whether stopping was asked for.
    pub fn is_requested(&self) -> bool {
        *self.0.borrow()
    }

    /// Completes once stopping is asked for.
    pub async fn requested(&self) {
        let mut watching = self.0.clone();
        if watching.wait_for(|stop| *stop).await.is_err() {
            // The sender is gone without asking: nobody can ask any more.
            std::future::pending::<()>().await;
        }
    }

    /// Waits for the next tick of `ticker`: true when the next round may run, false once
    /// stopping is asked for (which wins over a tick that is due at the same time).
    pub async fn next_round(&self, ticker: &mut Interval) -> bool {
        tokio::select! {
            biased;
            () = self.requested() => false,
            _ = ticker.tick() => true,
        }
    }
}
