//! Which item of a copy stands for which item of its source: links,
//! headings, code blocks and anchors are aligned with a sequence diff, so a
//! rule reports a missing item where its counterpart belongs in the copy and
//! an extra one on the occurrence that has no counterpart.
//!
//! The diff is similar's Myers diff: O((n + m) · d) for d differences. A
//! hostile file can have 100,000 items that all differ, so above a bound on
//! n · m the diff is not run and what differs counts as removed and added in
//! one piece (coarser placement, never a wrong count). A bound on sizes, not
//! a deadline: where a finding lands must not depend on the machine's speed.

use std::collections::VecDeque;
use std::hash::Hash;
use std::ops::Range;

use rustc_hash::FxHashMap;
use similar::{Algorithm, DiffOp};

use crate::document::Document;

/// Item pairs up to which the diff runs: 5,000 links against 5,000, all
/// different, cost about 10^8 steps; real documents have hundreds of items.
const MAX_DIFF_PAIRS: usize = 25_000_000;

/// The pairing of a source's items with a copy's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alignment {
    source_to_copy: Vec<Option<usize>>,
    copy_to_source: Vec<Option<usize>>,
    /// Items whose keys differ but that stand in the same place: the source
    /// item at `.0` was replaced by the copy item at `.1`.
    replaced: Vec<(usize, usize)>,
    /// Source items that have a counterpart, ascending: placing a missing
    /// item looks up its neighbours here instead of scanning.
    matched: Vec<usize>,
}

/// Where an item of the source that the copy lacks belongs in the copy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// The copy's item at this index stands where the source's item was.
    ReplacedBy(usize),
    /// Right after the copy's item at this index (its source neighbour
    /// before it is in the same block).
    After(usize),
    /// Right before the copy's item at this index.
    Before(usize),
    /// In the copy's block at this index: the source's block that held the
    /// item has no other item with a counterpart.
    InBlock(usize),
    /// Nowhere better than the start of the body.
    Start,
}

/// Aligns `source` and `copy` as multisets placed in order: equal keys in
/// the same order pair up, then equal keys left over pair up in order too
/// (a translation may reorder the links of a sentence), so exactly the
/// occurrences one side has more of stay without a counterpart.
pub fn align<K: Hash + Eq + Ord>(source: &[K], copy: &[K]) -> Alignment {
    let (mut alignment, replaced) = diff(source, copy);
    alignment.pair_moved(source, copy);
    alignment.finish(replaced)
}

/// Like [`align`], and in a stretch where the copy has more or fewer items
/// than the source, an item pairs with the next one of the other side that
/// is `alike` (in order): a code block the copy changed among blocks it
/// added or lacks is then one changed block, not a missing block and an
/// extra one on the same lines.
pub fn align_alike<K: Hash + Eq + Ord>(source: &[K], copy: &[K], alike: impl Fn(usize, usize) -> bool) -> Alignment {
    let (mut alignment, replaced) = diff(source, copy);
    alignment.pair_moved(source, copy);
    alignment.finish_alike(replaced, alike)
}

/// Like [`align`], but items first pair up only within the same block
/// (`*_blocks[i]` is item i's block, see [`block_of`]): when the copy has
/// the source's blocks, a target linked in two paragraphs pairs with the
/// occurrence of its own paragraph. Without `same_blocks` (the copy has
/// other blocks than the source) this is [`align`].
pub fn align_in_blocks<K: Hash + Eq + Ord>(
    source: &[K],
    copy: &[K],
    source_blocks: &[usize],
    copy_blocks: &[usize],
    same_blocks: bool,
) -> Alignment {
    if !same_blocks {
        return align(source, copy);
    }
    let source_keys: Vec<(usize, &K)> = source_blocks.iter().copied().zip(source).collect();
    let copy_keys: Vec<(usize, &K)> = copy_blocks.iter().copied().zip(copy).collect();
    let (mut alignment, replaced) = diff(&source_keys, &copy_keys);
    alignment.pair_moved(source, copy);
    alignment.finish(replaced)
}

/// Aligns `source` and `copy` as sequences: an item that moved has no
/// counterpart (for rules about the order itself, e.g. heading levels).
pub fn align_in_order<K: Hash + Eq + Ord>(source: &[K], copy: &[K]) -> Alignment {
    let (alignment, replaced) = diff(source, copy);
    alignment.finish(replaced)
}

type ReplacedRanges = Vec<(Range<usize>, Range<usize>)>;

/// The pairs of equal items in order, and the ranges the diff saw replaced.
fn diff<K: Hash + Eq + Ord>(source: &[K], copy: &[K]) -> (Alignment, ReplacedRanges) {
    let mut alignment = Alignment {
        source_to_copy: vec![None; source.len()],
        copy_to_source: vec![None; copy.len()],
        replaced: Vec::new(),
        matched: Vec::new(),
    };
    let mut replaced = Vec::new();
    if source.len().saturating_mul(copy.len()) > MAX_DIFF_PAIRS {
        replaced.push((0..source.len(), 0..copy.len()));
        return (alignment, replaced);
    }
    for op in similar::capture_diff_slices(Algorithm::Myers, source, copy) {
        match op {
            DiffOp::Equal { old_index, new_index, len } => {
                for offset in 0..len {
                    alignment.pair(old_index + offset, new_index + offset);
                }
            }
            DiffOp::Replace { old_index, old_len, new_index, new_len } => {
                replaced.push((old_index..old_index + old_len, new_index..new_index + new_len));
            }
            DiffOp::Delete { .. } | DiffOp::Insert { .. } => {}
        }
    }
    (alignment, replaced)
}

impl Alignment {
    fn pair(&mut self, source: usize, copy: usize) {
        self.source_to_copy[source] = Some(copy);
        self.copy_to_source[copy] = Some(source);
    }

    /// Pairs the items left over with equal keys, in order.
    fn pair_moved<K: Hash + Eq>(&mut self, source: &[K], copy: &[K]) {
        let mut left: FxHashMap<&K, VecDeque<usize>> = FxHashMap::default();
        for index in self.extra() {
            left.entry(&copy[index]).or_default().push_back(index);
        }
        let missing: Vec<usize> = self.missing().collect();
        for index in missing {
            if let Some(copy_index) = left.get_mut(&source[index]).and_then(VecDeque::pop_front) {
                self.pair(index, copy_index);
            }
        }
    }

    /// Pairs what is still unpaired in the diff's replaced ranges when as
    /// many items went as came (a one-for-one substitution; otherwise which
    /// replaced which is a guess, left to placement), and indexes the paired
    /// source items.
    fn finish(self, replaced: ReplacedRanges) -> Alignment {
        self.finish_alike(replaced, |_, _| false)
    }

    /// [`Alignment::finish`], pairing in uneven ranges the items `alike`
    /// finds alike, in order.
    fn finish_alike(mut self, replaced: ReplacedRanges, alike: impl Fn(usize, usize) -> bool) -> Alignment {
        for (old, new) in replaced {
            let old: Vec<usize> = old.filter(|&index| self.source_to_copy[index].is_none()).collect();
            let new: Vec<usize> = new.filter(|&index| self.copy_to_source[index].is_none()).collect();
            if old.len() == new.len() {
                self.replaced.extend(old.into_iter().zip(new));
                continue;
            }
            // The pairs stay in order, and each source item is tried
            // against the next few copy items only: a range is the whole
            // file where the diff was not run (a hostile file's thousands of
            // items), and `alike` reads both items.
            const TRIED: usize = 8;
            let mut next = 0;
            for index in old {
                if let Some(found) = new[next..].iter().take(TRIED).position(|&copy| alike(index, copy)) {
                    self.replaced.push((index, new[next + found]));
                    next += found + 1;
                }
            }
        }
        self.matched = (0..self.source_to_copy.len()).filter(|&index| self.source_to_copy[index].is_some()).collect();
        self
    }

    /// The copy's counterpart of source item `index`.
    pub fn counterpart(&self, index: usize) -> Option<usize> {
        self.source_to_copy.get(index).copied().flatten()
    }

    /// Source items without a counterpart, in order.
    pub fn missing(&self) -> impl Iterator<Item = usize> + '_ {
        self.source_to_copy.iter().enumerate().filter(|(_, copy)| copy.is_none()).map(|(index, _)| index)
    }

    /// Copy items without a counterpart, in order.
    pub fn extra(&self) -> impl Iterator<Item = usize> + '_ {
        self.copy_to_source.iter().enumerate().filter(|(_, source)| source.is_none()).map(|(index, _)| index)
    }

    /// Pairs of (source item, copy item) that differ but stand in the same
    /// place, in order.
    pub fn replaced(&self) -> &[(usize, usize)] {
        &self.replaced
    }

    /// The copy item that replaced source item `index`, if one did.
    pub fn replacement_of(&self, index: usize) -> Option<usize> {
        let at = self.replaced.partition_point(|&(source, _)| source < index);
        self.replaced.get(at).filter(|&&(source, _)| source == index).map(|&(_, copy)| copy)
    }

    /// The source item that copy item `index` replaced, if any.
    pub fn replaced_by(&self, index: usize) -> Option<usize> {
        let at = self.replaced.partition_point(|&(_, copy)| copy < index);
        self.replaced.get(at).filter(|&&(_, copy)| copy == index).map(|&(source, _)| source)
    }

    /// Where source item `index`, which has no counterpart, belongs in the
    /// copy. `source_blocks[i]` and `copy_blocks[j]` are the blocks (see
    /// [`block_of`]) of each item; a neighbour in the same block places the
    /// item exactly, else the block is counted from the nearest neighbours'.
    pub fn place(
        &self,
        index: usize,
        source_blocks: &[usize],
        copy_blocks: &[usize],
        copy_block_count: usize,
    ) -> Place {
        if let Some(copy) = self.replacement_of(index) {
            return Place::ReplacedBy(copy);
        }
        let block = source_blocks.get(index).copied().unwrap_or(0);
        let at = self.matched.partition_point(|&i| i < index);
        let with_counterpart = |i: usize| self.counterpart(i).map(|copy| (i, copy));
        let previous = at.checked_sub(1).and_then(|k| self.matched.get(k)).and_then(|&i| with_counterpart(i));
        let next = self.matched.get(at).and_then(|&i| with_counterpart(i));
        let block_of_source = |i: usize| source_blocks.get(i).copied().unwrap_or(0);
        let block_of_copy = |j: usize| copy_blocks.get(j).copied().unwrap_or(0);
        match (previous, next) {
            (Some((i, copy)), _) if block_of_source(i) == block => return Place::After(copy),
            (_, Some((i, copy))) if block_of_source(i) == block => return Place::Before(copy),
            _ => {}
        }
        if copy_block_count == 0 {
            return Place::Start;
        }
        let estimate = match (previous, next) {
            (Some((i, copy)), next) => {
                let guess = block_of_copy(copy) + block.saturating_sub(block_of_source(i));
                // Never past the block of the next matched item.
                next.map_or(guess, |(_, copy)| guess.min(block_of_copy(copy)))
            }
            (None, Some((i, copy))) => block_of_copy(copy).saturating_sub(block_of_source(i).saturating_sub(block)),
            (None, None) => block,
        };
        Place::InBlock(estimate.min(copy_block_count - 1))
    }
}

/// Aligns the headings of `source` and `copy` by level and, where the copy
/// keeps the pipeline's `<a name>` anchor of a source heading, by that
/// anchor too: a copy that lacks one of several same-level headings then
/// lacks the right one.
pub fn align_headings(source: &Document, copy: &Document) -> Alignment {
    let slugs: Vec<String> =
        source.facts.headings.iter().map(|heading| crate::document::text::slug(&heading.text)).collect();
    let copy_anchors: Vec<Option<String>> = copy
        .facts
        .headings
        .iter()
        .map(|heading| {
            let first = copy.facts.anchors.partition_point(|anchor| anchor.span.start < heading.span.start);
            copy.facts.anchors[first..]
                .iter()
                .take_while(|anchor| anchor.span.end <= heading.span.end)
                .map(|anchor| anchor.name.to_lowercase())
                .next()
        })
        .collect();
    let shared: rustc_hash::FxHashSet<&str> = copy_anchors.iter().flatten().map(String::as_str).collect();
    let shared: rustc_hash::FxHashSet<&str> =
        slugs.iter().map(String::as_str).filter(|slug| shared.contains(slug)).collect();
    let source_keys: Vec<(u8, Option<&str>)> = source
        .facts
        .headings
        .iter()
        .zip(&slugs)
        .map(|(heading, slug)| (heading.level, shared.contains(slug.as_str()).then_some(slug.as_str())))
        .collect();
    let copy_keys: Vec<(u8, Option<&str>)> = copy
        .facts
        .headings
        .iter()
        .zip(&copy_anchors)
        .map(|(heading, anchor)| (heading.level, anchor.as_deref().filter(|anchor| shared.contains(anchor))))
        .collect();
    align_in_order(&source_keys, &copy_keys)
}

/// The block of each heading of `document`.
pub fn heading_blocks(document: &Document) -> Vec<usize> {
    document.facts.headings.iter().map(|heading| block_of(document, heading.span.start)).collect()
}

/// The block of `document` that holds byte `offset`: the index of the last
/// block start at or before it (0 before the first).
pub fn block_of(document: &Document, offset: usize) -> usize {
    document.facts.block_starts.partition_point(|&start| start <= offset).saturating_sub(1)
}

/// The first line of block `index` of `document`, to point at.
pub fn block_line(document: &Document, index: usize) -> Range<usize> {
    let Some(&start) = document.facts.block_starts.get(index) else {
        return document.body_start..document.body_start;
    };
    // At most this much of a long line: a block is looked up once per item
    // placed in it, and a hostile line holds many.
    const MAX_SHOWN: usize = 512;
    let text = document.text();
    let mut limit = (start + MAX_SHOWN).min(text.len());
    while !text.is_char_boundary(limit) {
        limit += 1;
    }
    let rest = text.get(start..limit).unwrap_or("");
    let end = start + rest.find(['\r', '\n']).unwrap_or(rest.len());
    start..end
}

/// `once`, `twice`, `3 times`.
pub fn times(count: usize) -> String {
    match count {
        1 => "once".to_string(),
        2 => "twice".to_string(),
        _ => format!("{count} times"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn in_an_uneven_stretch_alike_items_pair_in_order() {
        // `b2` is a changed `b`, `x` and `y` are new: "b" pairs with "b2",
        // "c" stays missing, and nothing pairs out of order.
        let (source, copy) = (["a", "b", "c", "d"], ["a", "x", "b2", "y", "d"]);
        let alike = |index: usize, copy_index: usize| copy[copy_index].starts_with(source[index]);
        let alignment = align_alike(&source, &copy, alike);
        assert_eq!(alignment.replaced(), [(1, 2)]);
        assert_eq!(alignment.missing().collect::<Vec<_>>(), [1, 2]);
        assert_eq!(alignment.replacement_of(2), None);
        assert_eq!(alignment.extra().collect::<Vec<_>>(), [1, 2, 3]);
        assert_eq!(alignment.replaced_by(2), Some(1));
        // Without a likeness, an uneven stretch pairs nothing.
        assert_eq!(align(&source, &copy).replaced(), []);
    }

    #[test]
    fn a_dropped_item_is_the_one_without_a_counterpart() {
        let alignment = align(&["a", "b", "a", "c"], &["a", "a", "c"]);
        assert_eq!(alignment.missing().collect::<Vec<_>>(), [1]);
        assert_eq!(alignment.counterpart(2), Some(1));
        assert_eq!(alignment.extra().count(), 0);
    }

    #[test]
    fn an_extra_occurrence_is_the_unmatched_one_not_the_last() {
        let alignment = align(&["a", "b", "c"], &["a", "x", "b", "c", "x"]);
        assert_eq!(alignment.extra().collect::<Vec<_>>(), [1, 4]);
        let alignment = align(&["a", "b", "c"], &["a", "a", "b", "c"]);
        assert_eq!(alignment.extra().count(), 1);
        assert!(alignment.extra().all(|index| index < 2));
    }

    #[test]
    fn reordered_items_pair_up_unless_order_matters() {
        let alignment = align(&["a", "b", "c"], &["b", "a", "c"]);
        assert_eq!((alignment.missing().count(), alignment.extra().count()), (0, 0));
        assert_eq!(alignment.counterpart(0), Some(1));
        let alignment = align_in_order(&["a", "b", "c"], &["b", "a", "c"]);
        assert_eq!((alignment.missing().count(), alignment.extra().count()), (1, 1));
    }

    #[test]
    fn a_changed_item_is_replaced_in_place() {
        let alignment = align(&["a", "b", "c"], &["a", "x", "c"]);
        assert_eq!(alignment.replacement_of(1), Some(1));
        assert_eq!(alignment.replaced_by(1), Some(1));
        assert_eq!(alignment.place(1, &[0, 0, 0], &[0, 0, 0], 1), Place::ReplacedBy(1));
    }

    #[test]
    fn a_missing_item_is_placed_by_its_neighbours_in_the_same_block() {
        // Source blocks: a in 0, b and c in 1, d in 2; the copy lacks b.
        let alignment = align(&["a", "b", "c", "d"], &["a", "c", "d"]);
        assert_eq!(alignment.place(1, &[0, 1, 1, 2], &[0, 1, 2], 3), Place::Before(1));
        // Alone in its block: counted from the previous neighbour's block.
        let alignment = align(&["a", "b", "d"], &["a", "d"]);
        assert_eq!(alignment.place(1, &[0, 3, 5], &[0, 5], 6), Place::InBlock(3));
        assert_eq!(align(&["a"], &[] as &[&str]).place(0, &[0], &[], 0), Place::Start);
    }

    #[test]
    fn counts_read_as_words() {
        assert_eq!([1, 2, 3].map(times), ["once", "twice", "3 times"]);
    }
}
