//! Byte offsets to 1-based line/column positions.

use std::sync::OnceLock;

/// A 1-based position; `column` counts Unicode scalar values, as SPEC §6 asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

/// Bytes between two character-count checkpoints.
const CHECKPOINT: usize = 4096;

/// Start offsets of every line of a text, so that a byte offset maps to a
/// line by binary search. Mixed `\r\n` and `\n` endings both end a line at
/// `\n`; a lone `\r` does not, matching how editors number lines.
///
/// Columns count characters. For non-ASCII text, character counts at every
/// 4 KiB are kept (built on first use, so files without findings never pay)
/// and a column costs at most 4 KiB of counting, even on a 10 MB line.
#[derive(Debug, Default)]
pub struct LineIndex {
    starts: Vec<usize>,
    ascii: bool,
    checkpoints: OnceLock<Vec<usize>>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(memchr_newlines(text));
        LineIndex { starts, ascii: text.is_ascii(), checkpoints: OnceLock::new() }
    }

    /// Position of `offset` in `text`; offsets past the end or inside a
    /// multi-byte character are clamped to the nearest character boundary.
    pub fn position(&self, text: &str, offset: usize) -> Position {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let line = self.starts.partition_point(|&start| start <= offset);
        let line_start = self.starts[line - 1];
        let column = if self.ascii {
            offset - line_start
        } else if offset - line_start <= CHECKPOINT {
            // A line of ordinary length: its own characters, not up to two
            // checkpoints' worth (a finding asks for several positions).
            count_chars(&text.as_bytes()[line_start..offset])
        } else {
            self.chars_before(text, offset) - self.chars_before(text, line_start)
        };
        Position { line, column: column + 1 }
    }

    /// Byte offset where 1-based `line` starts, if the text has that line.
    pub fn line_start(&self, line: usize) -> Option<usize> {
        self.starts.get(line.checked_sub(1)?).copied()
    }

    /// Number of characters in `text[..offset]`.
    fn chars_before(&self, text: &str, offset: usize) -> usize {
        let checkpoints = self.checkpoints.get_or_init(|| {
            let bytes = text.as_bytes();
            let mut counts = Vec::with_capacity(bytes.len() / CHECKPOINT + 1);
            let mut total = 0;
            for chunk in bytes.chunks(CHECKPOINT) {
                counts.push(total);
                total += count_chars(chunk);
            }
            // The end of a text of exactly k·CHECKPOINT bytes is checkpoint k.
            counts.push(total);
            counts
        });
        let block = offset / CHECKPOINT;
        // `offset <= text.len()`, so `block` is at most the last checkpoint.
        let base = checkpoints.get(block).copied().unwrap_or_default();
        base + count_chars(&text.as_bytes()[(block * CHECKPOINT).min(offset)..offset])
    }
}

/// Characters in a UTF-8 byte slice: every byte that does not continue a
/// multi-byte sequence starts one. Counted in byte-wide sums of at most 255
/// bytes, which the compiler turns into 16 or 32 bytes a step: a count
/// in a `usize` per byte took 2.3 instructions a byte, and every column of
/// a finding on a CJK line counts its line up to there.
fn count_chars(bytes: &[u8]) -> usize {
    bytes
        .chunks(255)
        .map(|chunk| {
            let starts = chunk.iter().fold(0u8, |sum, &byte| sum + u8::from((byte & 0xC0) != 0x80));
            usize::from(starts)
        })
        .sum()
}

fn memchr_newlines(text: &str) -> impl Iterator<Item = usize> + '_ {
    text.match_indices('\n').map(|(index, _)| index + 1)
}

pub fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_characters_not_bytes() {
        let text = "ab\n顧客x\r\nz";
        let index = LineIndex::new(text);
        assert_eq!(index.position(text, 0), Position { line: 1, column: 1 });
        let x = text.find('x').unwrap();
        assert_eq!(index.position(text, x), Position { line: 2, column: 3 });
        let z = text.find('z').unwrap();
        assert_eq!(index.position(text, z), Position { line: 3, column: 1 });
        assert_eq!(index.position(text, 999), Position { line: 3, column: 2 });
    }

    #[test]
    fn characters_are_counted_as_byte_by_byte() {
        let text = "a顧é\u{1F600}z".repeat(200);
        let bytes = text.as_bytes();
        for start in 0..8 {
            for end in (start..bytes.len()).step_by(37).chain([bytes.len()]) {
                let slice = &bytes[start..end];
                let expected = slice.iter().filter(|&&byte| (byte & 0xC0) != 0x80).count();
                assert_eq!(count_chars(slice), expected, "{start}..{end}");
            }
        }
        assert_eq!(count_chars(&[b'a'; 255 * 3 + 1]), 255 * 3 + 1);
    }

    #[test]
    fn offset_inside_a_character_is_clamped() {
        let text = "顧";
        let index = LineIndex::new(text);
        assert_eq!(index.position(text, 1), Position { line: 1, column: 1 });
    }

    #[test]
    fn end_of_a_text_of_whole_checkpoints() {
        let mut text = String::from("é\n");
        text.push_str(&"a".repeat(CHECKPOINT - text.len()));
        let index = LineIndex::new(&text);
        assert_eq!(index.position(&text, text.len()), Position { line: 2, column: CHECKPOINT - 3 + 1 });
    }

    #[test]
    fn long_lines_across_checkpoints() {
        let text = format!("x\n{}é{}", "顧".repeat(3000), "a".repeat(5000));
        let index = LineIndex::new(&text);
        let offset = text.len() - 1;
        assert_eq!(index.position(&text, offset), Position { line: 2, column: 3000 + 1 + 5000 });
        let e = text.find('é').unwrap();
        assert_eq!(index.position(&text, e), Position { line: 2, column: 3001 });
    }
}
