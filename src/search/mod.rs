//! The help-desk's host-name index: which entries' PTRs contain a fragment, answered from
//! memory on each node, so that a search costs one indexed read of the rows it shows instead
//! of a trigram look-up per trigram of the fragment (19 of them for `quarz-logistik-049997`,
//! each a long posting list over 1.1 M names). Since migration 0076 it is the only index of
//! host names: the database's trigram index over them cost every write of an entry more than
//! the rest of the write (most of a 10,000-change bulk).
//!
//! What it holds: the distinct labels of every customer PTR (`www`, `quarz-logistik-049997`,
//! `de`: tens of thousands at provider scale, not millions — the names of a customer share
//! its domain), a trigram index over those labels, for each label the entries whose PTR has
//! it (in address order), and for each entry its address and its PTR as a list of labels
//! (about 65 MB at 1.1 M entries). A fragment without a dot is inside one label: the labels
//! containing it are found through their trigrams (the rarest list first), or for a part
//! shorter than a trigram by reading every label's text. A fragment with dots,
//! `w.quarz-logistik-049997.d`, spans labels: its first part ends a label, its inner parts
//! are whole labels, its last part starts one; the part whose labels list the fewest entries
//! gives the candidates. The candidates are walked in address order (merging the labels'
//! lists), each kept when its PTR as the index knows it contains the whole fragment, until
//! the search has as many as it shows ([`crate::db::lookup::MAX_MATCHES`] at most): a common
//! fragment (`www`, half the data) costs as much as a rare one, and shows its first matches
//! in address order. The database then reads those entries by id and keeps the ones whose
//! PTR contains the fragment now (`instr`/`strpos`), with their holders, in one query
//! ([`crate::db::lookup::hostnames_among`]); when it drops some (changed since), the walk
//! goes on. The index never decides a hit on its own.
//!
//! Kept current like the DNS zone store ([`crate::dns::store`]), from the same log of changed
//! address ranges (migration 0020, [`crate::db::dns_changes`]): every [`FOLLOW_EVERY`], and
//! after a commit of this node before its request is answered, it reads the generation and,
//! when it moved, the entries of the changed ranges, and notes their PTRs. An entry whose
//! name changed stays listed under its old labels (its PTR as noted now no longer matches);
//! once such left-overs are a quarter of the index, it is built again from scratch. At start
//! a node loads it in the background (a few seconds at provider scale); a search arriving
//! before the first load finished waits for it ([`HostnameIndex::ready`]) rather than scan a
//! million names in the database, which would take as long and load the database while every
//! other search does the same.

use crate::db::dns_changes::{self, ChangeKind};
use crate::db::{self, Db};
use crate::shutdown::Shutdown;
use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};
use std::sync::{Arc, RwLock};
use std::time::Duration;

/// How often a node reads the DNS generation to follow the other nodes' changes (as the DNS
/// zone store does).
pub const FOLLOW_EVERY: Duration = Duration::from_millis(250);

/// An entry as the index knows it.
#[derive(Debug, Clone, Copy)]
struct Entry {
    /// The `entries` row id.
    id: u32,
    /// Its address as a number ([`crate::domain::address_number`]), for the address order.
    address: u128,
    /// Its PTR's labels: `Labels::names[start..start + len]`; none for the default.
    start: u32,
    len: u32,
}

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
    /// Label id to the slots (in `entries`) of the entries whose PTR has or had it, in address
    /// order ([`Labels::file`]).
    postings: Vec<Vec<u32>>,
    /// Entry row id to its slot.
    slots: HashMap<u32, u32>,
    /// The entries, by slot.
    entries: Vec<Entry>,
    /// The label ids of every entry's PTR, one PTR after the other (see [`Entry`]).
    names: Vec<u32>,
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
        self.postings.push(Vec::new());
        id
    }

    /// Notes that entry `id` at `address` has the PTR `hostname` (`None`: the default) now;
    /// collects in `pending` the (label, entry slot) pairs for [`Self::file`] to put into the
    /// labels' lists.
    fn add(
        &mut self,
        id: u32,
        address: u128,
        hostname: Option<&str>,
        pending: &mut Vec<(u32, u32)>,
    ) {
        let slot = match self.slots.get(&id) {
            Some(slot) => *slot,
            None => {
                let slot = self.entries.len() as u32;
                self.entries.push(Entry {
                    id,
                    address,
                    start: 0,
                    len: 0,
                });
                self.slots.insert(id, slot);
                slot
            }
        };
        let start = self.names.len();
        for label in hostname
            .unwrap_or_default()
            .split('.')
            .filter(|label| !label.is_empty())
        {
            let label = self.label_id(label);
            self.names.push(label);
            pending.push((label, slot));
        }
        let entry = &mut self.entries[slot as usize];
        entry.address = address;
        entry.start = start as u32;
        entry.len = (self.names.len() - start) as u32;
    }

    /// Puts the `pending` (label, entry slot) pairs into the labels' lists, each kept in
    /// address order without repeats. A label's new entries are sorted, their places found
    /// by binary search, and the list moved up from the back in place: a save costs one move
    /// of the tail of `net`'s list (most of the data has it), not a sort of the whole list
    /// with a look-up per element — sorting after every commit halved the mixed load's rate.
    fn file(&mut self, pending: &mut Vec<(u32, u32)>) {
        pending.sort_unstable();
        pending.dedup();
        let (entries, postings) = (&self.entries, &mut self.postings);
        let key = |slot: &u32| (entries[*slot as usize].address, *slot);
        for group in pending.chunk_by(|a, b| a.0 == b.0) {
            let mut new: Vec<u32> = group.iter().map(|(_, slot)| *slot).collect();
            new.sort_unstable_by_key(key);
            let list = &mut postings[group[0].0 as usize];
            // Where each goes in the list as it is; one already listed (a name saved again
            // with the same label) stays once.
            let places: Vec<(usize, u32)> = new
                .into_iter()
                .filter_map(|slot| {
                    let at = list.binary_search_by_key(&key(&slot), key).err()?;
                    Some((at, slot))
                })
                .collect();
            let old_len = list.len();
            list.resize(old_len + places.len(), 0);
            let mut end = old_len;
            for (before, (at, slot)) in places.iter().enumerate().rev() {
                list.copy_within(*at..end, at + before + 1);
                list[at + before] = *slot;
                end = *at;
            }
        }
        pending.clear();
    }

    /// The labels containing `part` that `keep` accepts: through the trigrams for a part of
    /// three characters or more, else by reading every label.
    fn containing(&self, part: &str, keep: impl Fn(&str) -> bool) -> Vec<u32> {
        if part.len() < 3 {
            return (0..self.texts.len() as u32)
                .filter(|id| {
                    let text = &self.texts[*id as usize];
                    text.contains(part) && keep(text)
                })
                .collect();
        }
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
            .map(|id| self.postings[*id as usize].len())
            .sum()
    }

    /// The labels whose entries are the candidates of `fragment` (lower-case ASCII; see the
    /// module documentation).
    fn labels_of(&self, fragment: &str) -> Vec<u32> {
        let parts: Vec<&str> = fragment.split('.').collect();
        let last = parts.len() - 1;
        let mut best: Option<(usize, Vec<u32>)> = None;
        for (position, part) in parts.iter().enumerate() {
            let labels = if last == 0 {
                self.containing(part, |_| true)
            } else if position == 0 || position == last {
                // The first part ends a label, the last starts one; either may be empty (any
                // label: no narrowing).
                if part.is_empty() {
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
        match best {
            Some((_, labels)) => labels,
            // Only empty outer parts (`.`): every label.
            None => (0..self.texts.len() as u32).collect(),
        }
    }

    /// Whether the entry's PTR as noted contains `fragment`; `name` is a buffer.
    fn matches(&self, entry: &Entry, fragment: &str, name: &mut String) -> bool {
        name.clear();
        let labels = &self.names[entry.start as usize..(entry.start + entry.len) as usize];
        for (index, label) in labels.iter().enumerate() {
            if index > 0 {
                name.push('.');
            }
            name.push_str(&self.texts[*label as usize]);
        }
        entry.len > 0 && name.contains(fragment)
    }

    /// The row ids of the entries whose PTR (as noted) contains `fragment`, in address order:
    /// the matches after the first `skip`, at most `count`; and whether there are more.
    fn matching(&self, fragment: &str, skip: usize, count: usize) -> (Vec<u32>, bool) {
        let labels = self.labels_of(fragment);
        // Each label's list in address order, merged.
        let lists: Vec<&[u32]> = labels
            .iter()
            .map(|label| self.postings[*label as usize].as_slice())
            .filter(|list| !list.is_empty())
            .collect();
        let key = |slot: u32| (self.entries[slot as usize].address, slot);
        // The next entry of each list: (its address and slot, the list, its position).
        type Head = ((u128, u32), usize, usize);
        let mut heads: BinaryHeap<Reverse<Head>> = lists
            .iter()
            .enumerate()
            .map(|(list, slots)| Reverse((key(slots[0]), list, 0)))
            .collect();
        let (mut found, mut skipped, mut previous) = (Vec::new(), 0, None);
        let mut name = String::new();
        while let Some(Reverse(((_, slot), list, position))) = heads.pop() {
            if let Some(next) = lists[list].get(position + 1) {
                heads.push(Reverse((key(*next), list, position + 1)));
            }
            if previous == Some(slot) {
                continue;
            }
            previous = Some(slot);
            let entry = &self.entries[slot as usize];
            if !self.matches(entry, fragment, &mut name) {
                continue;
            }
            if skipped < skip {
                skipped += 1;
                continue;
            }
            if found.len() == count {
                return (found, true);
            }
            found.push(entry.id);
        }
        (found, false)
    }

    fn postings(&self) -> usize {
        self.postings.iter().map(Vec::len).sum()
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

    /// The row ids of the entries whose PTR (as the index knows it) contains `fragment`
    /// (lower-case ASCII, as stored), in address order: the first `count` after `skip`, and
    /// whether there are more; `None` while the index is not loaded ([`Self::ready`]).
    pub fn matching(&self, fragment: &str, skip: usize, count: usize) -> Option<(Vec<i64>, bool)> {
        let labels = match self.labels.read() {
            Ok(labels) => labels,
            Err(poisoned) => poisoned.into_inner(),
        };
        let (found, more) = labels.as_ref()?.matching(fragment, skip, count);
        Some((found.into_iter().map(i64::from).collect(), more))
    }

    /// Waits until the index is loaded: loads it when nobody else is, or waits for the load
    /// under way (see the module documentation). Needs a connection of the pool of its own:
    /// call it before holding one.
    pub async fn ready(&self) -> Result<(), sqlx::Error> {
        if self.generation().is_some() {
            return Ok(());
        }
        self.catch_up().await
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
            db::lookup::each_entry_between(&mut snapshot, first, last, |id, address, hostname| {
                named.push((id, address, hostname))
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
            for (id, address, hostname) in &named {
                if let Ok(entry) = u32::try_from(*id) {
                    labels.add(entry, *address, hostname.as_deref(), &mut touched);
                }
            }
            labels.file(&mut touched);
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
                        "the host-name index cannot reach the database; searches use what it last knew"
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

/// What a search text matches: customers (number or name), servers (name) and host names,
/// each at most `limit`.
#[derive(Debug, Default)]
pub struct TextMatches {
    /// Assignments of the customers whose number is the text or whose name contains it.
    pub customers: Vec<db::lookup::Holding>,
    /// Assignments on the servers whose name contains it.
    pub servers: Vec<db::lookup::Holding>,
    /// Entries whose PTR contains it.
    pub hostnames: Vec<db::lookup::HostnameHit>,
}

/// Everything `text` matches, read in one read-only transaction
/// ([`db::lookup::begin_text_search`]: one snapshot, and on PostgreSQL statements planned
/// once).
pub async fn matching_text(
    index: &HostnameIndex,
    conn: &mut sqlx::AnyConnection,
    engine: db::Engine,
    text: &str,
    limit: i64,
) -> Result<TextMatches, sqlx::Error> {
    let mut search = db::lookup::begin_text_search(conn, engine).await?;
    let matches = TextMatches {
        customers: db::lookup::of_customers_matching(&mut search, engine, text, limit).await?,
        servers: db::lookup::on_servers_matching(&mut search, engine, text, limit).await?,
        hostnames: hostnames_containing(index, &mut search, engine, text, limit).await?,
    };
    search.commit().await?;
    Ok(matches)
}

/// Entries whose customer PTR contains `fragment` (as typed; searched as stored, see
/// [`db::lookup::ascii_fragment`]), in address order, at most `limit`: listed by `index`
/// (loaded first if it is not yet: [`HostnameIndex::ready`], which wants a connection of its
/// own), checked in the database.
pub async fn hostnames_containing(
    index: &HostnameIndex,
    conn: &mut sqlx::AnyConnection,
    engine: db::Engine,
    fragment: &str,
    limit: i64,
) -> Result<Vec<db::lookup::HostnameHit>, sqlx::Error> {
    let Some(ascii) =
        db::lookup::ascii_fragment(fragment).filter(|ascii| db::lookup::searchable(ascii))
    else {
        return Ok(Vec::new());
    };
    index.ready().await?;
    let limit = usize::try_from(limit).unwrap_or(0);
    let mut hits = Vec::new();
    let mut skip = 0;
    while hits.len() < limit {
        let want = limit - hits.len();
        let Some((ids, more)) = index.matching(&ascii, skip, want) else {
            break;
        };
        skip += ids.len();
        if !ids.is_empty() {
            // Each round's candidates follow the last round's in address order.
            hits.extend(
                db::lookup::hostnames_among(conn, engine, &ids, &ascii, want as i64).await?,
            );
        }
        if !more {
            break;
        }
    }
    Ok(hits)
}

/// Every entry, read in one snapshot with the generation it is current with.
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
    db::lookup::each_entry_between(&mut snapshot, first, last, |id, address, hostname| {
        // An entry of the default is left out until it has a PTR.
        if let (Ok(entry), Some(hostname)) = (u32::try_from(id), hostname) {
            labels.add(entry, address, Some(&hostname), &mut touched);
        }
    })
    .await?;
    snapshot.commit().await?;
    labels.file(&mut touched);
    labels.built_with = labels.postings();
    Ok(labels)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An index of `names`, entry `id` at address `id` unless given.
    fn index(names: &[(u32, &str)]) -> Labels {
        let mut labels = Labels::default();
        let mut touched = Vec::new();
        for (id, name) in names {
            labels.add(*id, u128::from(*id), Some(name), &mut touched);
        }
        labels.file(&mut touched);
        labels
    }

    fn all(labels: &Labels, fragment: &str) -> Vec<u32> {
        labels.matching(fragment, 0, usize::MAX).0
    }

    #[test]
    fn a_fragment_inside_a_label_lists_the_entries_with_a_label_containing_it() {
        let labels = index(&[
            (1, "www.quarz-logistik-049997.de"),
            (2, "mail.quarz-logistik-049997.de"),
            (3, "www.quarz-logistik-049998.de"),
        ]);
        assert_eq!(all(&labels, "logistik-049997"), [1, 2]);
        assert_eq!(all(&labels, "049998"), [3]);
        assert!(all(&labels, "nowhere").is_empty());
    }

    #[test]
    fn a_fragment_across_dots_lists_the_entries_whose_name_holds_it_whole() {
        let labels = index(&[
            (1, "www.quarz-logistik-049997.de"),
            (2, "mail.quarz-logistik-049997.de"),
            (3, "www.nord-data-000001.de"),
        ]);
        assert_eq!(all(&labels, "w.quarz-logistik-049997.d"), [1]);
        assert_eq!(all(&labels, "ail.quarz"), [2]);
        assert_eq!(all(&labels, "quarz-logistik-049997.de"), [1, 2]);
        // `ata-000001` does not start a label.
        assert!(all(&labels, "www.ata-000001").is_empty());
        // An inner part that is no label, or empty, matches nothing.
        assert!(all(&labels, "w.nolabel.d").is_empty());
        assert!(all(&labels, "www..de").is_empty());
    }

    #[test]
    fn a_fragment_shorter_than_a_trigram_on_every_side_of_its_dots_is_found_by_reading_the_labels()
    {
        let labels = index(&[
            (1, "www.quarz-logistik-049997.de"),
            (2, "mx.nord.de"),
            (3, "ns.de.example"),
        ]);
        assert_eq!(all(&labels, "w.q"), [1]);
        assert_eq!(all(&labels, "x.n"), [2]);
        // `de` is the last label of 1 and 2: only 3 has `de.`.
        assert_eq!(all(&labels, "de."), [3]);
        assert_eq!(all(&labels, ".de"), [1, 2, 3]);
    }

    #[test]
    fn the_matches_come_in_address_order_a_page_at_a_time() {
        let mut labels = Labels::default();
        let mut touched = Vec::new();
        // Row ids and addresses in opposite orders.
        for id in 1..=10u32 {
            let name = format!("www.host-{id}.example");
            labels.add(id, u128::from(100 - id), Some(&name), &mut touched);
        }
        labels.file(&mut touched);
        assert_eq!(labels.matching("www", 0, 3), (vec![10, 9, 8], true));
        assert_eq!(labels.matching("www", 3, 3), (vec![7, 6, 5], true));
        assert_eq!(labels.matching("www", 9, 3), (vec![1], false));
        assert_eq!(labels.matching("host-1", 0, 5), (vec![10, 1], false));
    }

    #[test]
    fn entries_saved_one_at_a_time_into_a_long_list_keep_it_in_address_order() {
        // A long list (the first load), then saves one commit at a time, each filed into it
        // where it belongs rather than by sorting the whole list again.
        let mut labels = Labels::default();
        let mut pending = Vec::new();
        for id in 1..=1_000u32 {
            let name = format!("www.host-{id}.example");
            labels.add(id, u128::from(id) * 10, Some(&name), &mut pending);
        }
        labels.file(&mut pending);
        for (id, address) in [
            (2_000u32, 15u128),
            (2_001, 5),
            (2_002, 99_999),
            (500, 5_000),
        ] {
            labels.add(id, address, Some("www.saved.example"), &mut pending);
            labels.file(&mut pending);
        }
        let (first, more) = labels.matching("www", 0, 4);
        assert_eq!(first, vec![2_001, 1, 2_000, 2]);
        assert!(more);
        let www = labels.ids["www"];
        let list = &labels.postings[www as usize];
        assert_eq!(list.len(), 1_003, "entry 500 saved again is listed once");
        assert!(
            list.windows(2)
                .all(|pair| labels.entries[pair[0] as usize].address
                    < labels.entries[pair[1] as usize].address),
            "in address order"
        );
        assert_eq!(
            labels.matching("saved", 0, 10).0,
            vec![2_001, 2_000, 500, 2_002]
        );
    }

    #[test]
    fn a_renamed_entry_is_found_by_its_new_name_only_and_listed_once() {
        let mut labels = index(&[(1, "www.quarz-logistik-049997.de"), (2, "www.other.de")]);
        let mut touched = Vec::new();
        labels.add(1, 1, Some("www.nord-data-000001.de"), &mut touched);
        labels.add(2, 2, None, &mut touched);
        labels.file(&mut touched);
        assert_eq!(all(&labels, "nord-data"), [1]);
        assert!(all(&labels, "quarz").is_empty());
        assert_eq!(
            all(&labels, "www"),
            [1],
            "listed once; the default matches nothing"
        );
    }
}
