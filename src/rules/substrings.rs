//! Whether each of many needles occurs in one text, without scanning the
//! text once per needle: `segment-stale` asks this for every segment of a
//! copy, and 20,000 segments against a 2 MB source took 35 s that way.

/// A text and, when many lookups would cost more than building it, its
/// suffix array: the start of every suffix, in the suffixes' order. A
/// needle then occurs if the first suffix not below it starts with it
/// (O(m log n) per needle of m bytes, after O(n log² n) once).
pub struct SubstringIndex<'a> {
    text: &'a [u8],
    suffixes: Option<Vec<u32>>,
}

/// Below this many (needles × text bytes), plain searches are cheaper.
const NAIVE_WORK: usize = 1 << 26;

impl<'a> SubstringIndex<'a> {
    /// An index of `text` for `needles` lookups, none longer than
    /// `longest_needle` bytes.
    pub fn new(text: &'a str, needles: usize, longest_needle: usize) -> SubstringIndex<'a> {
        let bytes = text.as_bytes();
        let worth_it = needles.saturating_mul(bytes.len()) > NAIVE_WORK && u32::try_from(bytes.len()).is_ok();
        SubstringIndex { text: bytes, suffixes: worth_it.then(|| suffix_array(bytes, longest_needle)) }
    }

    pub fn contains(&self, needle: &str) -> bool {
        let needle = needle.as_bytes();
        let Some(suffixes) = &self.suffixes else {
            return memchr::memmem::find(self.text, needle).is_some();
        };
        if needle.is_empty() {
            return true;
        }
        let prefix = |start: u32| {
            let suffix = &self.text[start as usize..];
            &suffix[..suffix.len().min(needle.len())]
        };
        let first = suffixes.partition_point(|&start| prefix(start) < needle);
        suffixes.get(first).is_some_and(|&start| self.text[start as usize..].starts_with(needle))
    }
}

/// Prefix doubling: suffixes sorted by their first k bytes, then 2k, until
/// every rank differs or k covers the longest needle (suffixes equal that
/// far compare alike with every needle). Each round sorts (rank, rank k
/// bytes on) pairs, so a text of one repeated byte takes log n rounds, not
/// n comparisons per pair of suffixes.
fn suffix_array(text: &[u8], longest_needle: usize) -> Vec<u32> {
    let n = text.len();
    if n == 0 {
        return Vec::new();
    }
    let mut rank: Vec<u32> = text.iter().map(|&byte| u32::from(byte)).collect();
    let mut keyed: Vec<(u64, u32)> = Vec::with_capacity(n);
    let mut k = 1;
    loop {
        keyed.clear();
        keyed.extend((0..n).map(|start| {
            let later = rank.get(start + k).map_or(0, |&later| u64::from(later) + 1);
            ((u64::from(rank[start]) << 32) | later, start as u32)
        }));
        keyed.sort_unstable();
        let mut distinct = 0u32;
        for (position, &(key, start)) in keyed.iter().enumerate() {
            if position > 0 && keyed[position - 1].0 != key {
                distinct += 1;
            }
            rank[start as usize] = distinct;
        }
        k *= 2;
        if distinct as usize == n - 1 || k >= longest_needle.max(1) || k >= n {
            return keyed.into_iter().map(|(_, start)| start).collect();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_index_answers_as_a_plain_search_does() {
        let texts = ["", "a", "banana", "aaaaaaaaab", "abcabcabcab", "日本語のテキストと English text."];
        let needles = ["", "a", "an", "nana", "banana!", "aab", "aaaaaaaaaa", "cab", "bca", "テキスト", "English", "x"];
        for text in texts {
            let longest = needles.iter().map(|needle| needle.len()).max().unwrap_or(0);
            let index =
                SubstringIndex { text: text.as_bytes(), suffixes: Some(suffix_array(text.as_bytes(), longest)) };
            for needle in needles {
                assert_eq!(index.contains(needle), text.contains(needle), "{needle:?} in {text:?}");
            }
        }
    }

    #[test]
    fn suffixes_are_sorted() {
        for text in ["mississippi", "aaaaaaaa", "abababab", "zyxwvu"] {
            let suffixes = suffix_array(text.as_bytes(), text.len());
            let shown: Vec<&str> = suffixes.iter().map(|&start| &text[start as usize..]).collect();
            let mut sorted = shown.clone();
            sorted.sort();
            assert_eq!(shown, sorted);
        }
    }
}
