//! The help-desk's host-name index: which entries' PTRs may contain a fragment, answered from
//! memory on each node, so that a search for a rare fragment costs one indexed read of a few
//! rows instead of a trigram look-up per trigram of the fragment (19 of them for
//! `quarz-logistik-049997`, each a long posting list over 1.1 M names).
//!
//! What it holds: the distinct labels of every customer PTR (`www`, `quarz-logistik-049997`,
//! `de`: tens of thousands at provider scale, not millions — the names of a customer share
//! its domain), a trigram index over those labels, and for each label the ids of the entries
//! whose PTR has it. A fragment without a dot is inside one label: the labels containing it
//! are found through their trigrams (the rarest list first), and their entries are the
//! candidates. A fragment with dots, `w.quarz-logistik-049997.d`, spans labels: its first
//! part ends a label, its inner parts are whole labels, its last part starts one; the part
//! with the fewest entries gives the candidates. The database then reads the candidates by id
//! and keeps those whose PTR contains the whole fragment (`instr`/`strpos`), with their
//! holders, in one query ([`crate::db::lookup::hostnames_among`]). The index never decides a
//! hit: it only narrows where to look, so an entry it lists that no longer matches costs a
//! row read and nothing else.
//!
//! Kept current like the DNS zone store ([`crate::dns::store`]), from the same log of changed
//! address ranges (migration 0020, [`crate::db::dns_changes`]): every [`FOLLOW_EVERY`], and
//! after a commit of this node before its request is answered, it reads the generation and, when it moved, the entries
//! of the changed ranges, and adds their labels. Entries whose name changed leave their old
//! labels behind (the check in the database drops them); once those are a quarter of the
//! index, it is built again from scratch. While it is loading (at start, a few seconds at
//! provider scale), and for fragments it cannot narrow (shorter than a trigram on every side
//! of a dot, or common enough to list more than [`MAX_CANDIDATES`] entries), the search goes
//! to the database's trigram indexes as before ([`crate::db::lookup::hostnames_containing`]).

use crate::db::dns_changes::{self, ChangeKind};
use crate::db::{self, Db};
use crate::shutdown::Shutdown;
use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::Duration;

/// How often a node reads the DNS generation to follow the other nodes' changes (as the DNS
/// zone store does).
pub const FOLLOW_EVERY: Duration = Duration::from_millis(250);

/// The most candidate entries a search reads from the database by id; a fragment listing
/// more (`www`, `.de`) is common, and the trigram index finds its first matches sooner.
pub const MAX_CANDIDATES: usize = 5_000;

/// The labels of customer PTRs, their trigrams and their entries; see the module
/// documentation.
#[derive(Debug, Default)]
struct Labels {
    /// The DNS generation it is current with.
    generation: i64,
    /// Label text to id.
    ids: HashMap<Box<str>, u32>,
    /// Id to label text.
    texts: Vec<Box<str>>,
    /// Trigram to the ids of the labels containing it, ascending (ids only grow).
    trigrams: HashMap<[u8; 3], Vec<u32>>,
    /// Label id to the ids of the entries whose PTR has it (sorted after each change).
    entries: Vec<Vec<u32>>,
    /// Postings when last built, and postings added since.
    built_with: usize,
    added: usize,
}

impl Labels {
    fn label_id(&mut self, label: &str) -> u32 {
        if let Some(id) = self.ids.get(label) {
            return *id;
        }
        let id = self.texts.len() as u32;
        let boxed: Box<str> = label.into();
        for gram in boxed.as_bytes().windows(3) {
            let list = self
                .trigrams
                .entry([gram[0], gram[1], gram[2]])
                .or_default();
            if list.last() != Some(&id) {
                list.push(id);
            }
        }
        self.ids.insert(boxed.clone(), id);
        self.texts.push(boxed);
        self.entries.push(Vec::new());
        id
    }

    /// Notes that entry `id`'s PTR is `hostname`; returns the labels touched.
    fn add(&mut self, entry: u32, hostname: &str, touched: &mut Vec<u32>) {
        for label in hostname.split('.').filter(|label| !label.is_empty()) {
            let id = self.label_id(label);
            self.entries[id as usize].push(entry);
            touched.push(id);
        }
    }

    /// Sorts and de-duplicates the entry lists of `touched` labels.
    fn tidy(&mut self, touched: &mut Vec<u32>) {
        touched.sort_unstable();
        touched.dedup();
        for id in touched.iter() {
            let list = &mut self.entries[*id as usize];
            list.sort_unstable();
            list.dedup();
        }
    }

    /// The labels containing `part` (at least three characters), narrowed by `keep`.
    fn containing(&self, part: &str, keep: impl Fn(&str) -> bool) -> Vec<u32> {
        let mut lists: Vec<&Vec<u32>> = Vec::new();
        for gram in part.as_bytes().windows(3) {
            match self.trigrams.get(&[gram[0], gram[1], gram[2]]) {
                Some(list) => lists.push(list),
                None => return Vec::new(),
            }
        }
        // The rarest list first: each step can only shrink the set.
        lists.sort_by_key(|list| list.len());
        let Some((first, rest)) = lists.split_first() else {
            return Vec::new();
        };
        let mut found: Vec<u32> = first.to_vec();
        for list in rest {
            if found.is_empty() {
                break;
            }
            found.retain(|id| list.binary_search(id).is_ok());
        }
        found.retain(|id| {
            let text = &self.texts[*id as usize];
            text.contains(part) && keep(text)
        });
        found
    }

    /// The entries listed under `labels`, and how many.
    fn weight(&self, labels: &[u32]) -> usize {
        labels
            .iter()
            .map(|id| self.entries[*id as usize].len())
            .sum()
    }

    /// The candidate entries of `fragment` (lower-case ASCII), ascending; `None` when the
    /// index cannot narrow it down (see the module documentation).
    fn candidates(&self, fragment: &str) -> Option<Vec<u32>> {
        let parts: Vec<&str> = fragment.split('.').collect();
        let last = parts.len() - 1;
        let mut best: Option<(usize, Vec<u32>)> = None;
        for (position, part) in parts.iter().enumerate() {
            let labels = if last == 0 {
                if part.len() < 3 {
                    continue;
                }
                self.containing(part, |_| true)
            } else if position == 0 || position == last {
                // The first part ends a label, the last starts one; either may be empty.
                if part.len() < 3 {
                    continue;
                }
                if position == 0 {
                    self.containing(part, |label| label.ends_with(part))
                } else {
                    self.containing(part, |label| label.starts_with(part))
                }
            } else {
                // An inner part is a whole label (none is empty: `a..b` matches nothing).
                self.ids.get(*part).map(|id| vec![*id]).unwrap_or_default()
            };
            let weight = self.weight(&labels);
            if best.as_ref().is_none_or(|(least, _)| weight < *least) {
                best = Some((weight, labels));
            }
        }
        let (weight, labels) = best?;
        if weight > MAX_CANDIDATES {
            return None;
        }
        let mut found = Vec::with_capacity(weight);
        for id in labels {
            found.extend_from_slice(&self.entries[id as usize]);
        }
        found.sort_unstable();
        found.dedup();
        Some(found)
    }

    fn postings(&self) -> usize {
        self.entries.iter().map(Vec::len).sum()
    }
}

/// A node's host-name index; see the module documentation.
#[derive(Debug)]
pub struct HostnameIndex {
    /// `None` until the first load finished.
    labels: RwLock<Option<Labels>>,
    /// Held while catching up, so two catch-ups never apply out of order.
    following: tokio::sync::Mutex<()>,
    db: Db,
}

impl HostnameIndex {
    /// An empty index over `db`, following this node's commits; [`Self::follow`] loads it and
    /// keeps it current.
    pub fn new(db: &Db) -> Arc<HostnameIndex> {
        let index = Arc::new(HostnameIndex {
            labels: RwLock::new(None),
            following: tokio::sync::Mutex::new(()),
            db: db.clone(),
        });
        db.follow_publishing(Arc::clone(&index) as Arc<dyn db::PublishFollower>);
        index
    }

    /// The ids of the entries whose PTR may contain `fragment` (lower-case ASCII, as stored),
    /// ascending; `None` when the index is not loaded yet or cannot narrow the fragment down
    /// (the caller searches the database's trigram index instead).
    pub fn candidates(&self, fragment: &str) -> Option<Vec<i64>> {
        let labels = match self.labels.read() {
            Ok(labels) => labels,
            Err(poisoned) => poisoned.into_inner(),
        };
        let found = labels.as_ref()?.candidates(fragment)?;
        Some(found.into_iter().map(i64::from).collect())
    }

    /// The DNS generation the index is current with (`None`: not loaded yet).
    pub fn generation(&self) -> Option<i64> {
        let labels = match self.labels.read() {
            Ok(labels) => labels,
            Err(poisoned) => poisoned.into_inner(),
        };
        labels.as_ref().map(|labels| labels.generation)
    }

    /// Loads the index (in full, the first time) or catches up with the changes logged since.
    pub async fn catch_up(&self) -> Result<(), sqlx::Error> {
        self.catch_up_with(true).await
    }

    /// [`Self::catch_up`]; a rebuild (when stale labels have piled up) only if `rebuild`.
    async fn catch_up_with(&self, rebuild: bool) -> Result<(), sqlx::Error> {
        let _following = self.following.lock().await;
        let Some(mine) = self.generation() else {
            let loaded = load_everything(&self.db).await?;
            self.replace(loaded);
            return Ok(());
        };
        let current = dns_changes::generation(&self.db.pool).await?;
        if current <= mine {
            return Ok(());
        }
        let mut snapshot = self.db.pool.begin().await?;
        if self.db.engine == db::Engine::Postgres {
            sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                .execute(&mut *snapshot)
                .await?;
        }
        let current = dns_changes::generation(&mut *snapshot).await?;
        let Some(changes) = dns_changes::since(&mut snapshot, mine, current).await? else {
            snapshot.commit().await?;
            let loaded = load_everything(&self.db).await?;
            self.replace(loaded);
            return Ok(());
        };
        let mut ranges = Vec::new();
        for change in changes {
            let range = (change.first, change.last);
            if change.kind == ChangeKind::Content && !ranges.contains(&range) {
                ranges.push(range);
            }
        }
        let mut named = Vec::new();
        for (first, last) in ranges {
            db::lookup::each_named_entry_between(&mut snapshot, first, last, |id, hostname| {
                named.push((id, hostname))
            })
            .await?;
        }
        snapshot.commit().await?;
        let stale = {
            let mut guard = match self.labels.write() {
                Ok(guard) => guard,
                Err(poisoned) => poisoned.into_inner(),
            };
            let Some(labels) = guard.as_mut() else {
                return Ok(());
            };
            let mut touched = Vec::new();
            for (id, hostname) in &named {
                if let Ok(entry) = u32::try_from(*id) {
                    labels.add(entry, hostname, &mut touched);
                }
            }
            labels.tidy(&mut touched);
            labels.added += named.len();
            labels.generation = current;
            labels.added > labels.built_with / 4 + 10_000
        };
        if stale && rebuild {
            let loaded = load_everything(&self.db).await?;
            self.replace(loaded);
        }
        Ok(())
    }

    fn replace(&self, loaded: Labels) {
        tracing::info!(
            labels = loaded.texts.len(),
            postings = loaded.built_with,
            generation = loaded.generation,
            "host-name index loaded"
        );
        let old = match self.labels.write() {
            Ok(mut guard) => guard.replace(loaded),
            Err(poisoned) => poisoned.into_inner().replace(loaded),
        };
        // Freed after the lock is let go.
        drop(old);
    }

    /// Loads the index, then catches up every [`FOLLOW_EVERY`] until `shutdown` (and after
    /// each commit of this node: [`db::PublishFollower`]); a failure is logged once until the database is reached again
    /// (searches meanwhile use what it last knew, checked in the database).
    pub async fn follow(&self, shutdown: Shutdown) {
        let mut ticker = tokio::time::interval(FOLLOW_EVERY);
        ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut failing = false;
        loop {
            match self.catch_up().await {
                Ok(()) if failing => {
                    failing = false;
                    tracing::info!("the host-name index follows the database again");
                }
                Ok(()) => {}
                Err(err) if !failing => {
                    failing = true;
                    tracing::error!(
                        error = %err,
                        "the host-name index cannot reach the database; searches use the database's trigram index or what it last knew"
                    );
                }
                Err(_) => {}
            }
            if !shutdown.next_round(&mut ticker).await {
                return;
            }
        }
    }
}

#[async_trait::async_trait]
impl db::PublishFollower for HostnameIndex {
    /// Catches up before the request that committed is answered, so that a search right
    /// after a save finds it (a few small reads; a rebuild is left to the follower). While
    /// the first load runs, a commit does not wait for it: the load or the next round sees
    /// the commit.
    async fn committed(&self) {
        if self.generation().is_none() {
            return;
        }
        if let Err(err) = self.catch_up_with(false).await {
            tracing::error!(
                error = %err,
                "the host-name index could not catch up after a commit; the next round retries"
            );
        }
    }
}

/// Entries whose customer PTR contains `fragment` (as typed; searched as stored, see
/// [`db::lookup::ascii_fragment`]), in address order, at most `limit`: narrowed by `index`
/// where it can, else through the database's trigram index.
pub async fn hostnames_containing(
    index: &HostnameIndex,
    conn: &mut sqlx::AnyConnection,
    engine: db::Engine,
    fragment: &str,
    limit: i64,
) -> Result<Vec<db::lookup::HostnameHit>, sqlx::Error> {
    let ascii = db::lookup::ascii_fragment(fragment).filter(|ascii| db::lookup::searchable(ascii));
    if let Some(ids) = ascii.as_deref().and_then(|ascii| index.candidates(ascii)) {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let ascii = ascii.as_deref().unwrap_or_default();
        return db::lookup::hostnames_among(conn, engine, &ids, ascii, limit).await;
    }
    db::lookup::hostnames_containing(conn, engine, fragment, limit).await
}

/// Every customer PTR, read in one snapshot with the generation it is current with.
async fn load_everything(db: &Db) -> Result<Labels, sqlx::Error> {
    let mut snapshot = db.pool.begin().await?;
    if db.engine == db::Engine::Postgres {
        sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            .execute(&mut *snapshot)
            .await?;
    }
    let mut labels = Labels {
        generation: dns_changes::generation(&mut *snapshot).await?,
        ..Labels::default()
    };
    let (first, last) = dns_changes::EVERYTHING;
    let mut touched = Vec::new();
    db::lookup::each_named_entry_between(&mut snapshot, first, last, |id, hostname| {
        if let Ok(entry) = u32::try_from(id) {
            labels.add(entry, &hostname, &mut touched);
        }
    })
    .await?;
    snapshot.commit().await?;
    let mut all: Vec<u32> = (0..labels.texts.len() as u32).collect();
    labels.tidy(&mut all);
    labels.built_with = labels.postings();
    Ok(labels)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index(names: &[(u32, &str)]) -> Labels {
        let mut labels = Labels::default();
        let mut touched = Vec::new();
        for (id, name) in names {
            labels.add(*id, name, &mut touched);
        }
        labels.tidy(&mut touched);
        labels
    }

    #[test]
    fn a_fragment_inside_a_label_lists_the_entries_with_a_label_containing_it() {
        let labels = index(&[
            (1, "www.quarz-logistik-049997.de"),
            (2, "mail.quarz-logistik-049997.de"),
            (3, "www.quarz-logistik-049998.de"),
        ]);
        assert_eq!(labels.candidates("logistik-049997"), Some(vec![1, 2]));
        assert_eq!(labels.candidates("049998"), Some(vec![3]));
        assert_eq!(labels.candidates("nowhere"), Some(vec![]));
    }

    #[test]
    fn a_fragment_across_dots_needs_a_label_ending_and_one_starting_as_it_does() {
        let labels = index(&[
            (1, "www.quarz-logistik-049997.de"),
            (2, "mail.quarz-logistik-049997.de"),
            (3, "www.nord-data-000001.de"),
        ]);
        // The inner part is a whole label: only its entries are candidates.
        assert_eq!(
            labels.candidates("w.quarz-logistik-049997.d"),
            Some(vec![1, 2])
        );
        assert_eq!(labels.candidates("ail.quarz"), Some(vec![2]));
        assert_eq!(
            labels.candidates("quarz-logistik-049997.de"),
            Some(vec![1, 2])
        );
        // `ata-000001` does not start a label.
        assert_eq!(labels.candidates("www.ata-000001"), Some(vec![]));
        // An inner part that is no label, or empty, matches nothing.
        assert_eq!(labels.candidates("w.nolabel.d"), Some(vec![]));
        assert_eq!(labels.candidates("www..de"), Some(vec![]));
    }

    #[test]
    fn a_fragment_too_short_on_every_side_of_its_dots_is_left_to_the_database() {
        let labels = index(&[(1, "www.quarz-logistik-049997.de")]);
        assert_eq!(labels.candidates("w.d"), None);
        assert_eq!(labels.candidates("de."), None);
    }

    #[test]
    fn a_renamed_entry_stays_a_candidate_of_its_old_labels_until_the_database_drops_it() {
        let mut labels = index(&[(1, "www.quarz-logistik-049997.de")]);
        let mut touched = Vec::new();
        labels.add(1, "www.nord-data-000001.de", &mut touched);
        labels.tidy(&mut touched);
        assert_eq!(labels.candidates("nord-data"), Some(vec![1]));
        assert_eq!(labels.candidates("quarz"), Some(vec![1]));
        assert_eq!(labels.candidates("www"), Some(vec![1]), "listed once");
    }
}
