//! YAML front matter: values through serde_yaml, spans through a line scan.
//!
//! serde_yaml exposes no source positions, so each top-level `key: value`
//! line is located by scanning the block's lines; serde_yaml decides whether
//! the block is valid YAML and what the values are.

use std::ops::Range;

#[derive(Debug, Clone, Default)]
pub struct FrontMatter {
    /// The front matter block exists (an opening `---` on the first line).
    pub present: bool,
    /// Span of the YAML between the delimiters.
    pub yaml_span: Range<usize>,
    pub entries: Vec<Entry>,
    pub problem: Option<FrontMatterProblem>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub key: String,
    /// The scalar value as text (quotes removed); empty for nested values.
    pub value: String,
    pub key_span: Range<usize>,
    /// Span of the value as written on the key's line (quotes included).
    pub value_span: Range<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FrontMatterProblem {
    /// The opening `---` has no closing `---`.
    Unclosed { opening: Range<usize> },
    /// The block is not valid YAML.
    InvalidYaml { message: String, span: Range<usize> },
    /// Valid YAML, but a list or a scalar instead of keys and values.
    NotMapping { span: Range<usize> },
}

impl FrontMatter {
    pub fn get(&self, key: &str) -> Option<&Entry> {
        self.entries.iter().find(|entry| entry.key == key)
    }
}

/// Parses the front matter at the start of `text` (after any BOM) and returns
/// it with the offset where the Markdown body starts.
pub fn parse(text: &str) -> (FrontMatter, usize) {
    let Some(first_line_end) = line_end(text, 0) else {
        return (FrontMatter::default(), 0);
    };
    if trim_line_ending(&text[..first_line_end]).trim_end() != "---" {
        return (FrontMatter::default(), 0);
    }
    let yaml_start = first_line_end;
    let mut line_start = yaml_start;
    let closing = loop {
        let Some(end) = line_end(text, line_start) else {
            break None;
        };
        let line = trim_line_ending(&text[line_start..end]).trim_end();
        if line == "---" || line == "..." {
            break Some((line_start, end));
        }
        line_start = end;
    };
    let Some((yaml_end, body_start)) = closing else {
        let front = FrontMatter {
            present: true,
            yaml_span: yaml_start..text.len(),
            entries: Vec::new(),
            problem: Some(FrontMatterProblem::Unclosed { opening: 0..3 }),
        };
        return (front, 0);
    };
    let yaml = &text[yaml_start..yaml_end];
    let mut front = FrontMatter { present: true, yaml_span: yaml_start..yaml_end, entries: Vec::new(), problem: None };
    if let Some(entries) = simple_entries(yaml, yaml_start) {
        front.entries = entries;
        return (front, body_start);
    }
    // serde_yaml bounds alias recursion, not fan-out: one anchor aliased n
    // times expands to n² values. Front matter has no use for many aliases.
    let aliases = count_aliases(yaml);
    if aliases > MAX_ALIASES {
        front.problem = Some(FrontMatterProblem::InvalidYaml {
            message: format!("{aliases} aliases (`*name`); loclint expands at most {MAX_ALIASES}"),
            span: yaml_start..trim_span_end(text, yaml_start, yaml_end),
        });
        return (front, body_start);
    }
    match serde_yaml::from_str::<serde_yaml::Value>(yaml) {
        Ok(serde_yaml::Value::Mapping(mapping)) => {
            front.entries = scan_entries(yaml, yaml_start, &mapping);
        }
        Ok(serde_yaml::Value::Null) => {}
        Ok(_) => {
            front.problem =
                Some(FrontMatterProblem::NotMapping { span: yaml_start..trim_span_end(text, yaml_start, yaml_end) });
        }
        Err(error) => {
            let span = error
                .location()
                .map(|location| {
                    let start = (yaml_start + location.index()).min(yaml_end);
                    let end = line_end(text, start).map_or(yaml_end, |end| end.min(yaml_end));
                    start..trim_span_end(text, start, end)
                })
                .unwrap_or(yaml_start..yaml_start);
            front.problem = Some(FrontMatterProblem::InvalidYaml { message: yaml_message(&error), span });
        }
    }
    (front, body_start)
}

const MAX_ALIASES: usize = 100;

/// `*name` tokens: a `*` after a space, `[`, `{`, `,` or `:` (or at a line
/// start) followed by a name character. Over-counts a `*` in a plain scalar
/// such as `a *b`, which only matters past `MAX_ALIASES`.
fn count_aliases(yaml: &str) -> usize {
    let bytes = yaml.as_bytes();
    bytes
        .iter()
        .enumerate()
        .filter(|&(index, &byte)| {
            byte == b'*'
                && index
                    .checked_sub(1)
                    .is_none_or(|before| matches!(bytes[before], b' ' | b'[' | b'{' | b',' | b':' | b'\n'))
                && bytes.get(index + 1).is_some_and(|next| next.is_ascii_alphanumeric() || matches!(next, b'_' | b'-'))
        })
        .count()
}

/// Front matter is almost always flat `key: value` lines. Those are read
/// here directly; serde_yaml (a quarter of the run time otherwise) decides
/// everything else. `None` as soon as a line is not certainly a flat scalar
/// entry: nesting, lists, escapes, anchors, block scalars, comments after a
/// value, duplicate keys, nulls.
fn simple_entries(yaml: &str, base: usize) -> Option<Vec<Entry>> {
    let mut entries: Vec<Entry> = Vec::new();
    let mut offset = 0;
    for raw_line in yaml.split_inclusive('\n') {
        let line_offset = offset;
        offset += raw_line.len();
        let line = trim_line_ending(raw_line).trim_end();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let key_end = line.find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-')))?;
        let key = &line[..key_end];
        if key.is_empty() || !key.as_bytes()[0].is_ascii_alphanumeric() || entries.iter().any(|entry| entry.key == key)
        {
            return None;
        }
        let rest = line[key_end..].strip_prefix(':')?;
        let value = rest.trim_start();
        if value.is_empty() || !rest.starts_with([' ', '\t']) {
            return None;
        }
        let text = match value.as_bytes()[0] {
            b'"' => unescape_double_quoted(value.strip_prefix('"')?.strip_suffix('"')?)?,
            b'\'' => {
                let inner = value.strip_prefix('\'')?.strip_suffix('\'')?;
                if inner.contains('\'') {
                    return None;
                }
                inner.to_string()
            }
            b'-' | b'?' | b':' | b',' | b'[' | b']' | b'{' | b'}' | b'#' | b'&' | b'*' | b'!' | b'|' | b'>' | b'%'
            | b'@' | b'`' => return None,
            _ => {
                let special = matches!(value, "null" | "Null" | "NULL" | "~");
                if special
                    || value.contains(": ")
                    || value.contains(" #")
                    || value.ends_with(':')
                    || value.contains('\t')
                {
                    return None;
                }
                value.to_string()
            }
        };
        let value_start = base + line_offset + (line.len() - value.len());
        entries.push(Entry {
            key: key.to_string(),
            value: text,
            key_span: base + line_offset..base + line_offset + key_end,
            value_span: value_start..value_start + value.len(),
        });
    }
    Some(entries)
}

/// The inside of a double-quoted YAML scalar with only `\"` and `\\`
/// escapes, as side-by-side titles have them (`<span data-ttu-id=\"…\">`);
/// `None` for any other escape or a bare quote, which serde_yaml decides.
fn unescape_double_quoted(inner: &str) -> Option<String> {
    if !inner.contains(['"', '\\']) {
        return Some(inner.to_string());
    }
    let mut text = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next()? {
                escaped @ ('"' | '\\') => text.push(escaped),
                _ => return None,
            },
            '"' => return None,
            _ => text.push(c),
        }
    }
    Some(text)
}

fn yaml_message(error: &serde_yaml::Error) -> String {
    let message = error.to_string();
    // serde_yaml appends " at line L column C"; the diagnostic shows the line itself.
    match message.find(" at line ") {
        Some(cut) => message[..cut].to_string(),
        None => message,
    }
}

fn scan_entries(yaml: &str, base: usize, mapping: &serde_yaml::Mapping) -> Vec<Entry> {
    let mut entries = Vec::new();
    let mut line_start = 0;
    while line_start < yaml.len() {
        let end = line_end(yaml, line_start).unwrap_or(yaml.len());
        let line = trim_line_ending(&yaml[line_start..end]);
        if let Some(entry) = line_start_entry(line, line_start, base, mapping) {
            entries.push(entry);
        }
        line_start = end;
    }
    entries
}

fn line_start_entry(line: &str, offset: usize, base: usize, mapping: &serde_yaml::Mapping) -> Option<Entry> {
    let first = line.chars().next()?;
    if first.is_whitespace() || matches!(first, '#' | '-') {
        return None;
    }
    // `key: value`, `key:\tvalue`, `key:` or a quoted `"key": value`.
    let (key, key_start, key_end) = match first {
        quote @ ('"' | '\'') => {
            let close = line[1..].find(quote)? + 1;
            (&line[1..close], 1, close)
        }
        _ => {
            let colon = line
                .char_indices()
                .find(|&(i, c)| c == ':' && line[i + 1..].chars().next().is_none_or(char::is_whitespace))?
                .0;
            (line[..colon].trim_end(), 0, line[..colon].trim_end().len())
        }
    };
    let after_key = key_end + usize::from(first == '"' || first == '\'');
    let rest = line[after_key..].trim_start();
    let value_part = rest.strip_prefix(':')?;
    let value = mapping.get(key)?;
    let raw_value = value_part.trim();
    let value_offset = line.len() - value_part.trim_start().len();
    let text = match value {
        serde_yaml::Value::String(text) => text.clone(),
        serde_yaml::Value::Number(_) | serde_yaml::Value::Bool(_) => raw_value.to_string(),
        _ => String::new(),
    };
    Some(Entry {
        key: key.to_string(),
        value: text,
        key_span: base + offset + key_start..base + offset + key_end,
        value_span: base + offset + value_offset..base + offset + value_offset + raw_value.len(),
    })
}

/// Offset just past the `\n` ending the line that starts at `start`, or the
/// text's end for a last line without one; `None` at the end of the text.
fn line_end(text: &str, start: usize) -> Option<usize> {
    if start >= text.len() {
        return None;
    }
    Some(text[start..].find('\n').map_or(text.len(), |i| start + i + 1))
}

fn trim_line_ending(line: &str) -> &str {
    line.strip_suffix('\n').map_or(line, |l| l.strip_suffix('\r').unwrap_or(l))
}

fn trim_span_end(text: &str, start: usize, end: usize) -> usize {
    start + text[start..end].trim_end().len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_spans_of_keys_and_values_with_crlf() {
        let text = "---\r\nms.assetid: ABC\r\ntitle: \"Hi | There\"\nms.locfileid: 74253566\n---\nbody";
        let (front, body) = parse(text);
        assert!(front.problem.is_none());
        assert_eq!(&text[body..], "body");
        let id = front.get("ms.assetid").unwrap();
        assert_eq!(id.value, "ABC");
        assert_eq!(&text[id.value_span.clone()], "ABC");
        assert_eq!(&text[id.key_span.clone()], "ms.assetid");
        let title = front.get("title").unwrap();
        assert_eq!(title.value, "Hi | There");
        assert_eq!(&text[title.value_span.clone()], "\"Hi | There\"");
        assert_eq!(front.get("ms.locfileid").unwrap().value, "74253566");
    }

    #[test]
    fn the_fast_path_agrees_with_serde_yaml() {
        let cases = [
            "title: \"A | B\"\nms.assetid: 934FF7D8-FAE4\nms.lasthandoff: 06/14/2017\nms.locfileid: \"74253566\"\n",
            "title: 'single'\nurl: http://x.test/a#b\ncount: 12\nflag: true\n# comment\n\nkey-2: v\n",
            "title: \"<span data-ttu-id=\\\"abcde-101\\\">A</span> \\\\ B\"\n",
        ];
        for yaml in cases {
            let fast = simple_entries(yaml, 0).expect("simple");
            let mapping = match serde_yaml::from_str::<serde_yaml::Value>(yaml).unwrap() {
                serde_yaml::Value::Mapping(mapping) => mapping,
                other => panic!("{other:?}"),
            };
            assert_eq!(fast, scan_entries(yaml, 0, &mapping), "{yaml}");
        }
        for complex in [
            "a: b: c\n",
            "a:\n  b: c\n",
            "a: [1, 2]\n",
            "a: \"x\\ny\"\n",
            "a: \"x\"y\"\n",
            "a: \"x\\\"\n",
            "a: 1\na: 2\n",
            "a: x # note\n",
            "a: &x 1\n",
            "- a\n",
            "a: ~\n",
        ] {
            assert_eq!(simple_entries(complex, 0), None, "{complex}");
        }
    }

    #[test]
    fn keys_with_tabs_or_quotes() {
        let text = "---\nms.assetid:\tABC\n\"ms.contentlocale\": ja-JP\nurl: http://x.test/a\n---\n";
        let (front, _) = parse(text);
        assert!(front.problem.is_none(), "{:?}", front.problem);
        let id = front.get("ms.assetid").unwrap();
        assert_eq!((id.value.as_str(), &text[id.value_span.clone()]), ("ABC", "ABC"));
        let locale = front.get("ms.contentlocale").unwrap();
        assert_eq!(&text[locale.key_span.clone()], "ms.contentlocale");
        assert_eq!(&text[locale.value_span.clone()], "ja-JP");
        assert_eq!(front.get("url").unwrap().value, "http://x.test/a");
    }

    #[test]
    fn unclosed_front_matter_is_reported_and_body_kept() {
        let (front, body) = parse("---\ntitle: x\n# Heading\n");
        assert_eq!(body, 0);
        assert!(matches!(front.problem, Some(FrontMatterProblem::Unclosed { .. })));
    }

    #[test]
    fn invalid_yaml_points_at_the_line() {
        let text = "---\ntitle: ok\nbad: [unclosed\n---\n";
        let (front, _) = parse(text);
        let Some(FrontMatterProblem::InvalidYaml { span, .. }) = front.problem else {
            panic!("expected invalid yaml, got {:?}", front.problem);
        };
        assert!(span.start >= text.find("bad").unwrap());
    }

    #[test]
    fn no_front_matter() {
        let (front, body) = parse("# Title\n");
        assert!(!front.present);
        assert_eq!(body, 0);
    }
}
