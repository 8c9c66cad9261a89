//! YAML front matter: values through serde_yaml, spans through a line scan.
//!
//! serde_yaml exposes no source positions, so each top-level `key: value`
//! line is located by scanning the block's lines; serde_yaml decides whether
//! the block is valid YAML and what the values are.

use std::collections::HashMap;
use std::ops::Range;

#[derive(Debug, Clone, Default)]
pub struct FrontMatter {
    /// The front matter block exists (an opening `---` on the first line).
    pub present: bool,
    /// Span of the YAML between the delimiters.
    pub yaml_span: Range<usize>,
    /// Kept as spans of the text: every file has a dozen entries, and two
    /// strings each were a measurable share of loading (and of freeing).
    entries: Vec<EntryAt>,
    pub problem: Option<FrontMatterProblem>,
}

/// A top-level `key: value` entry, read from the document's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry<'t> {
    pub key: &'t str,
    /// The scalar value as text (quotes removed); empty for nested values.
    pub value: &'t str,
    pub key_span: Range<usize>,
    /// Span of the value as written on the key's line (quotes included).
    pub value_span: Range<usize>,
}

/// An entry as stored: the key is `text[key_span]`; the value is
/// `text[value]`, or `decoded` when YAML escapes made it differ from
/// every span of the text.
#[derive(Debug, Clone, PartialEq, Eq)]
struct EntryAt {
    key_span: Range<usize>,
    value_span: Range<usize>,
    value: Range<usize>,
    decoded: Option<Box<str>>,
}

impl EntryAt {
    fn read<'t>(&'t self, text: &'t str) -> Entry<'t> {
        Entry {
            key: text.get(self.key_span.clone()).unwrap_or(""),
            value: self.decoded.as_deref().unwrap_or_else(|| text.get(self.value.clone()).unwrap_or("")),
            key_span: self.key_span.clone(),
            value_span: self.value_span.clone(),
        }
    }
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
    /// The entry of `key`; `text` is the document's text the front matter
    /// was parsed from.
    pub fn get<'t>(&'t self, text: &'t str, key: &str) -> Option<Entry<'t>> {
        self.entries.iter().find(|entry| text.get(entry.key_span.clone()) == Some(key)).map(|entry| entry.read(text))
    }

    /// Every entry in order; `text` as for [`FrontMatter::get`].
    pub fn entries<'t>(&'t self, text: &'t str) -> impl Iterator<Item = Entry<'t>> {
        self.entries.iter().map(move |entry| entry.read(text))
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
    if let Some(offset) = too_deep(yaml) {
        let start = yaml_start + offset;
        let end = line_end(text, start).map_or(yaml_end, |end| end.min(yaml_end));
        front.problem = Some(FrontMatterProblem::InvalidYaml {
            message: format!("brackets nest deeper than {MAX_FLOW_DEPTH} levels"),
            span: start..trim_span_end(text, start, end),
        });
        return (front, body_start);
    }
    match top_level(yaml) {
        Ok(TopLevel::Mapping(mapping)) => {
            front.entries = scan_entries(yaml, yaml_start, &mapping);
        }
        Ok(TopLevel::Null) => {}
        Ok(TopLevel::Other) => {
            front.problem =
                Some(FrontMatterProblem::NotMapping { span: yaml_start..trim_span_end(text, yaml_start, yaml_end) });
        }
        Err(error) => {
            // Where the broken construct starts (an unclosed quote's
            // opening line) when the parser says, else where it gave up.
            let construct = context_offset(yaml, &error.to_string()).filter(|_| ran_off_the_end(&error));
            let span = construct
                .or_else(|| error.location().map(|location| location.index()))
                .map(|index| {
                    let start = (yaml_start + index).min(yaml_end);
                    let end = line_end(text, start).map_or(yaml_end, |end| end.min(yaml_end));
                    start..trim_span_end(text, start, end)
                })
                .unwrap_or(yaml_start..trim_span_end(text, yaml_start, yaml_end));
            front.problem = Some(FrontMatterProblem::InvalidYaml { message: yaml_message(&error), span });
        }
    }
    (front, body_start)
}

/// serde_yaml refuses nesting deeper than 128 levels, but only after the
/// YAML parser under it has read the whole block, which takes time
/// quadratic in the depth of unclosed `[` and `{` (each token rechecks every
/// open level). So brackets are counted first, quotes ignored: only a value
/// with more than 128 unbalanced brackets is refused early. The offset of
/// the bracket that goes too deep, if one does.
fn too_deep(yaml: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (offset, byte) in yaml.bytes().enumerate() {
        match byte {
            b'[' | b'{' => {
                depth += 1;
                if depth > MAX_FLOW_DEPTH {
                    return Some(offset);
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

const MAX_FLOW_DEPTH: usize = 128;

/// What the front matter's YAML is, with only what loclint uses kept: the
/// top-level keys and their scalar values.
enum TopLevel {
    Null,
    Mapping(HashMap<String, TopValue>),
    /// A list or a scalar.
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum TopValue {
    String(String),
    /// A number or a boolean, shown as written.
    Scalar,
    Nested,
}

/// Parses `yaml` within an expansion budget. serde_yaml replays an alias's
/// events each time it is used, so one anchor aliased n times is n copies,
/// and aliases of aliases multiply. Its own limit counts alias uses, not
/// the size of what they expand to. Here every node visited (a scalar, a
/// list or mapping entry) and every byte of a kept string is charged to one
/// budget proportional to the text, so the work and the memory of a parse
/// stay proportional to the front matter's size whatever its aliases do.
/// Nested values are walked to be charged, never built.
fn top_level(yaml: &str) -> Result<TopLevel, serde_yaml::Error> {
    let budget = Budget::new(EXPANSION_PER_BYTE.saturating_mul(yaml.len()).saturating_add(EXPANSION_FLOOR));
    let deserializer = serde_yaml::Deserializer::from_str(yaml);
    serde::de::DeserializeSeed::deserialize(TopSeed(&budget), deserializer)
}

/// A front matter may expand to this many units per byte of its text (plus
/// the floor): aliases that repeat small values now and then pass, fan-out
/// that multiplies does not.
const EXPANSION_PER_BYTE: usize = 4;
const EXPANSION_FLOOR: usize = 10_000;
const BUDGET_MESSAGE: &str = "it expands to more than";

struct Budget {
    left: std::cell::Cell<usize>,
    limit: usize,
}

impl Budget {
    fn new(limit: usize) -> Budget {
        Budget { left: std::cell::Cell::new(limit), limit }
    }

    fn charge<E: serde::de::Error>(&self, units: usize) -> Result<(), E> {
        match self.left.get().checked_sub(units) {
            Some(left) => {
                self.left.set(left);
                Ok(())
            }
            None => Err(E::custom(format_args!(
                "{BUDGET_MESSAGE} {} values and characters (YAML aliases `*name` repeat what they name); loclint stops there",
                self.limit
            ))),
        }
    }
}

struct TopSeed<'a>(&'a Budget);

impl<'de> serde::de::DeserializeSeed<'de> for TopSeed<'_> {
    type Value = TopLevel;

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<TopLevel, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for TopSeed<'_> {
    type Value = TopLevel;

    fn expecting(&self, formatter: &mut std::fmt::Formatter) -> std::fmt::Result {
        formatter.write_str("front matter")
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<TopLevel, E> {
        Ok(TopLevel::Null)
    }

    fn visit_none<E: serde::de::Error>(self) -> Result<TopLevel, E> {
        Ok(TopLevel::Null)
    }

    fn visit_bool<E: serde::de::Error>(self, _: bool) -> Result<TopLevel, E> {
        Ok(TopLevel::Other)
    }

    fn visit_i64<E: serde::de::Error>(self, _: i64) -> Result<TopLevel, E> {
        Ok(TopLevel::Other)
    }

    fn visit_u64<E: serde::de::Error>(self, _: u64) -> Result<TopLevel, E> {
        Ok(TopLevel::Other)
    }

    fn visit_f64<E: serde::de::Error>(self, _: f64) -> Result<TopLevel, E> {
        Ok(TopLevel::Other)
    }

    fn visit_str<E: serde::de::Error>(self, _: &str) -> Result<TopLevel, E> {
        Ok(TopLevel::Other)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, seq: A) -> Result<TopLevel, A::Error> {
        Walk(self.0).visit_seq(seq)?;
        Ok(TopLevel::Other)
    }

    fn visit_enum<A: serde::de::EnumAccess<'de>>(self, data: A) -> Result<TopLevel, A::Error> {
        Walk(self.0).visit_enum(data)?;
        Ok(TopLevel::Other)
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<TopLevel, A::Error> {
        let budget = self.0;
        let mut entries: HashMap<String, TopValue> = HashMap::new();
        while let Some(key) = map.next_key_seed(KeySeed(budget))? {
            let value = map.next_value_seed(ValueSeed(budget))?;
            // serde_yaml's own mapping refuses a repeated key; so does this.
            if let Some(key) = key {
                if entries.contains_key(&key) {
                    return Err(serde::de::Error::custom(format_args!("duplicate entry with key \"{key}\"")));
                }
                entries.insert(key, value);
            }
        }
        Ok(TopLevel::Mapping(entries))
    }
}

/// A top-level key: its text when it is a string (other keys are walked).
struct KeySeed<'a>(&'a Budget);

impl<'de> serde::de::DeserializeSeed<'de> for KeySeed<'_> {
    type Value = Option<String>;

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<Option<String>, D::Error> {
        Ok(match deserializer.deserialize_any(ValueSeed(self.0))? {
            TopValue::String(text) => Some(text),
            TopValue::Scalar | TopValue::Nested => None,
        })
    }
}

/// A top-level value: a string is kept (and charged by its length), other
/// scalars are noted, nested values are walked.
struct ValueSeed<'a>(&'a Budget);

impl<'de> serde::de::DeserializeSeed<'de> for ValueSeed<'_> {
    type Value = TopValue;

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<TopValue, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for ValueSeed<'_> {
    type Value = TopValue;

    fn expecting(&self, formatter: &mut std::fmt::Formatter) -> std::fmt::Result {
        formatter.write_str("a value")
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<TopValue, E> {
        self.0.charge(1)?;
        Ok(TopValue::Nested)
    }

    fn visit_none<E: serde::de::Error>(self) -> Result<TopValue, E> {
        self.visit_unit()
    }

    fn visit_bool<E: serde::de::Error>(self, _: bool) -> Result<TopValue, E> {
        self.0.charge(1)?;
        Ok(TopValue::Scalar)
    }

    fn visit_i64<E: serde::de::Error>(self, _: i64) -> Result<TopValue, E> {
        self.0.charge(1)?;
        Ok(TopValue::Scalar)
    }

    fn visit_u64<E: serde::de::Error>(self, _: u64) -> Result<TopValue, E> {
        self.0.charge(1)?;
        Ok(TopValue::Scalar)
    }

    fn visit_f64<E: serde::de::Error>(self, _: f64) -> Result<TopValue, E> {
        self.0.charge(1)?;
        Ok(TopValue::Scalar)
    }

    fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<TopValue, E> {
        self.0.charge(1 + text.len())?;
        Ok(TopValue::String(text.to_string()))
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, seq: A) -> Result<TopValue, A::Error> {
        Walk(self.0).visit_seq(seq)?;
        Ok(TopValue::Nested)
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<TopValue, A::Error> {
        Walk(self.0).visit_map(map)?;
        Ok(TopValue::Nested)
    }

    fn visit_enum<A: serde::de::EnumAccess<'de>>(self, data: A) -> Result<TopValue, A::Error> {
        Walk(self.0).visit_enum(data)?;
        Ok(TopValue::Nested)
    }
}

/// Visits a nested value node by node, charging each, building nothing.
/// (`IgnoredAny` would skip aliases without charging the walk serde_yaml
/// still does for an alias that names a list.)
#[derive(Clone, Copy)]
struct Walk<'a>(&'a Budget);

impl<'de> serde::de::DeserializeSeed<'de> for Walk<'_> {
    type Value = ();

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for Walk<'_> {
    type Value = ();

    fn expecting(&self, formatter: &mut std::fmt::Formatter) -> std::fmt::Result {
        formatter.write_str("a value")
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<(), E> {
        self.0.charge(1)
    }

    fn visit_none<E: serde::de::Error>(self) -> Result<(), E> {
        self.0.charge(1)
    }

    fn visit_bool<E: serde::de::Error>(self, _: bool) -> Result<(), E> {
        self.0.charge(1)
    }

    fn visit_i64<E: serde::de::Error>(self, _: i64) -> Result<(), E> {
        self.0.charge(1)
    }

    fn visit_u64<E: serde::de::Error>(self, _: u64) -> Result<(), E> {
        self.0.charge(1)
    }

    fn visit_f64<E: serde::de::Error>(self, _: f64) -> Result<(), E> {
        self.0.charge(1)
    }

    fn visit_str<E: serde::de::Error>(self, _: &str) -> Result<(), E> {
        self.0.charge(1)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        self.0.charge(1)?;
        while seq.next_element_seed(self)?.is_some() {}
        Ok(())
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        self.0.charge(1)?;
        while map.next_entry_seed(self, self)?.is_some() {}
        Ok(())
    }

    fn visit_enum<A: serde::de::EnumAccess<'de>>(self, data: A) -> Result<(), A::Error> {
        use serde::de::VariantAccess;
        self.0.charge(1)?;
        let ((), variant) = data.variant_seed(self)?;
        variant.newtype_variant_seed(self)
    }
}

/// Front matter is almost always flat `key: value` lines. Those are read
/// here directly; serde_yaml (a quarter of the run time otherwise) decides
/// everything else. `None` as soon as a line is not certainly a flat scalar
/// entry: nesting, lists, escapes, anchors, block scalars, comments after a
/// value, duplicate keys, nulls.
fn simple_entries(yaml: &str, base: usize) -> Option<Vec<EntryAt>> {
    // About one entry a line: room for them at once.
    let mut entries: Vec<EntryAt> = Vec::with_capacity(memchr::memchr_iter(b'\n', yaml.as_bytes()).count() + 1);
    let mut offset = 0;
    for raw_line in lines_inclusive(yaml) {
        let line_offset = offset;
        offset += raw_line.len();
        let line = trim_line_ending(raw_line).trim_end();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let key_end =
            line.bytes().position(|byte| !(byte.is_ascii_alphanumeric() || matches!(byte, b'_' | b'.' | b'-')))?;
        let key = &line[..key_end];
        let key_span = base + line_offset..base + line_offset + key_end;
        let repeated =
            entries.iter().any(|entry| yaml.get(entry.key_span.start - base..entry.key_span.end - base) == Some(key));
        if key.is_empty() || !key.as_bytes()[0].is_ascii_alphanumeric() || repeated {
            return None;
        }
        let rest = line[key_end..].strip_prefix(':')?;
        let value = rest.trim_start();
        if value.is_empty() || !rest.starts_with([' ', '\t']) {
            return None;
        }
        let value_start = base + line_offset + (line.len() - value.len());
        let value_span = value_start..value_start + value.len();
        let inside_quotes = value_start + 1..value_span.end - 1;
        let (text, decoded) = match value.as_bytes()[0] {
            b'"' => match unescape_double_quoted(value.strip_prefix('"')?.strip_suffix('"')?)? {
                std::borrow::Cow::Borrowed(_) => (inside_quotes, None),
                std::borrow::Cow::Owned(decoded) => (0..0, Some(decoded.into_boxed_str())),
            },
            b'\'' => {
                let inner = value.strip_prefix('\'')?.strip_suffix('\'')?;
                if inner.contains('\'') {
                    return None;
                }
                (inside_quotes, None)
            }
            b'-' | b'?' | b':' | b',' | b'[' | b']' | b'{' | b'}' | b'#' | b'&' | b'*' | b'!' | b'|' | b'>' | b'%'
            | b'@' | b'`' => return None,
            _ => {
                let special = matches!(value, "null" | "Null" | "NULL" | "~");
                let comment_or_mapping = has_comment_or_mapping(value);
                if special || comment_or_mapping || value.ends_with(':') {
                    return None;
                }
                (value_span.clone(), None)
            }
        };
        entries.push(EntryAt { key_span, value_span, value: text, decoded });
    }
    Some(entries)
}

/// Whether a plain value holds `: ` (a mapping), ` #` (a comment) or a tab,
/// which serde_yaml decides. Found by memchr for the three bytes that can
/// start or end them, not a byte pair at a time: every entry of every file
/// comes here.
fn has_comment_or_mapping(value: &str) -> bool {
    let bytes = value.as_bytes();
    memchr::memchr3_iter(b':', b'#', b'\t', bytes).any(|at| match bytes[at] {
        b':' => bytes.get(at + 1) == Some(&b' '),
        b'#' => at > 0 && bytes[at - 1] == b' ',
        _ => true,
    })
}

/// The inside of a double-quoted YAML scalar with only `\"` and `\\`
/// escapes, as side-by-side titles have them (`<span data-ttu-id=\"…\">`);
/// `None` for any other escape or a bare quote, which serde_yaml decides.
fn unescape_double_quoted(inner: &str) -> Option<std::borrow::Cow<'_, str>> {
    if memchr::memchr2(b'"', b'\\', inner.as_bytes()).is_none() {
        return Some(std::borrow::Cow::Borrowed(inner));
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
    Some(std::borrow::Cow::Owned(text))
}

fn yaml_message(error: &serde_yaml::Error) -> String {
    let message = error.to_string();
    // An exhausted budget is reported at the alias that overflowed it; the
    // path serde_yaml puts first (`e[0][5]: `) adds nothing for the reader.
    let message = match message.find(BUDGET_MESSAGE) {
        Some(start) => message[start..].to_string(),
        None => message,
    };
    // serde_yaml appends " at line L column C" to the problem and to its
    // context; the diagnostic shows the line itself.
    let Some(cut) = message.find(" at line ") else {
        return message;
    };
    let problem = &message[..cut];
    match message[cut..].split_once(", while ").filter(|_| ran_off_the_end(error)) {
        Some((_, context)) => {
            let context = context.find(" at line ").map_or(context, |end| &context[..end]);
            format!("{problem} while {context}")
        }
        None => problem.to_string(),
    }
}

/// Whether the parser read to the end of the block looking for the end of
/// a construct (an unclosed quote or bracket): the place it gave up is then
/// no help, the construct's start is.
fn ran_off_the_end(error: &serde_yaml::Error) -> bool {
    error.to_string().contains("unexpected end of stream")
}

/// The offset in `yaml` of the construct a serde_yaml error message names
/// as its context (`…, while scanning a quoted scalar at line 2 column 8`):
/// the parser reports the place it gave up, often the end of the block.
fn context_offset(yaml: &str, message: &str) -> Option<usize> {
    let (_, context) = message.split_once(", while ")?;
    let (_, mark) = context.rsplit_once(" at line ")?;
    let (line, column) = mark.split_once(" column ")?;
    let (line, column): (usize, usize) = (line.trim().parse().ok()?, column.trim().parse().ok()?);
    let line_start = match line {
        0 => return None,
        1 => 0,
        _ => yaml.match_indices('\n').nth(line - 2)?.0 + 1,
    };
    let text = &yaml[line_start..];
    let within = text.char_indices().nth(column.saturating_sub(1)).map_or(text.len(), |(at, _)| at);
    Some(line_start + within)
}

fn scan_entries(yaml: &str, base: usize, mapping: &HashMap<String, TopValue>) -> Vec<EntryAt> {
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

fn line_start_entry(line: &str, offset: usize, base: usize, mapping: &HashMap<String, TopValue>) -> Option<EntryAt> {
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
    let raw_value = without_comment(value_part.trim());
    let value_offset = line.len() - value_part.trim_start().len();
    let value_span = base + offset + value_offset..base + offset + value_offset + raw_value.len();
    // serde_yaml's string is kept as the span it was read from when they
    // agree (a plain or quoted scalar without escapes), else decoded.
    let (text, decoded) = match value {
        TopValue::String(text) if text == raw_value => (value_span.clone(), None),
        TopValue::String(text)
            if raw_value.starts_with(['"', '\'']) && raw_value.get(1..raw_value.len() - 1) == Some(text.as_str()) =>
        {
            (value_span.start + 1..value_span.end - 1, None)
        }
        TopValue::String(text) => (0..0, Some(text.as_str().into())),
        TopValue::Scalar => (value_span.clone(), None),
        TopValue::Nested => (0..0, None),
    };
    Some(EntryAt { key_span: base + offset + key_start..base + offset + key_end, value_span, value: text, decoded })
}

/// A scalar as written on its line, without a trailing `# comment`, so that
/// a fix of the value keeps the comment. A comment starts at `#` after a
/// space or tab, outside quotes.
fn without_comment(raw: &str) -> &str {
    let bytes = raw.as_bytes();
    let scalar_end = match bytes.first() {
        Some(b'"') => {
            let mut index = 1;
            loop {
                match bytes.get(index) {
                    None => break raw.len(),
                    Some(b'\\') => index += 2,
                    Some(b'"') => break index + 1,
                    Some(_) => index += 1,
                }
            }
        }
        Some(b'\'') => {
            let mut index = 1;
            loop {
                match (bytes.get(index), bytes.get(index + 1)) {
                    (None, _) => break raw.len(),
                    (Some(b'\''), Some(b'\'')) => index += 2,
                    (Some(b'\''), _) => break index + 1,
                    _ => index += 1,
                }
            }
        }
        _ => 0,
    };
    let comment = bytes
        .iter()
        .enumerate()
        .skip(scalar_end.min(raw.len()))
        .find(|&(index, &byte)| byte == b'#' && index > 0 && matches!(bytes[index - 1], b' ' | b'\t'))
        .map(|(index, _)| index);
    match comment {
        Some(index) => raw[..index].trim_end(),
        None => raw,
    }
}

/// Offset just past the `\n` ending the line that starts at `start`, or the
/// text's end for a last line without one; `None` at the end of the text.
fn line_end(text: &str, start: usize) -> Option<usize> {
    if start >= text.len() {
        return None;
    }
    // `\n`, `\r\n`, or a lone `\r` (old Mac files): YAML and CommonMark
    // both end lines at each.
    let bytes = text.as_bytes();
    Some(match memchr::memchr2(b'\n', b'\r', &bytes[start..]) {
        None => text.len(),
        Some(i) if bytes[start + i] == b'\r' && bytes.get(start + i + 1) == Some(&b'\n') => start + i + 2,
        Some(i) => start + i + 1,
    })
}

/// The lines of `text`, each with its line ending (see `line_end`).
fn lines_inclusive(text: &str) -> impl Iterator<Item = &str> {
    let mut start = 0;
    std::iter::from_fn(move || {
        let end = line_end(text, start)?;
        let line = &text[start..end];
        start = end;
        Some(line)
    })
}

fn trim_line_ending(line: &str) -> &str {
    let line = line.strip_suffix('\n').unwrap_or(line);
    line.strip_suffix('\r').unwrap_or(line)
}

fn trim_span_end(text: &str, start: usize, end: usize) -> usize {
    start + text[start..end].trim_end().len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_and_mappings_are_found_as_byte_pairs_find_them() {
        let by_pairs = |value: &str| {
            let bytes = value.as_bytes();
            bytes.windows(2).any(|pair| matches!(pair, [b':', b' '] | [b' ', b'#'])) || bytes.contains(&b'\t')
        };
        let values = [
            "plain words",
            "a: b",
            "a:b",
            "a :b",
            "a #b",
            "a#b",
            "#a",
            " #",
            ":",
            ": ",
            "a:",
            "a\tb",
            "\t",
            "",
            "é: ü",
            "x ##",
            "::  ",
            "https://contoso.com/a#b",
            "Erstellen wenn entfernen: hinzufügen",
            "a #",
        ];
        for value in values {
            assert_eq!(has_comment_or_mapping(value), by_pairs(value), "{value:?}");
        }
    }

    #[test]
    fn keeps_spans_of_keys_and_values_with_crlf() {
        let text = "---\r\nms.assetid: ABC\r\ntitle: \"Hi | There\"\nms.locfileid: 74253566\n---\nbody";
        let (front, body) = parse(text);
        assert!(front.problem.is_none());
        assert_eq!(&text[body..], "body");
        let id = front.get(text, "ms.assetid").unwrap();
        assert_eq!(id.value, "ABC");
        assert_eq!(&text[id.value_span.clone()], "ABC");
        assert_eq!(&text[id.key_span.clone()], "ms.assetid");
        let title = front.get(text, "title").unwrap();
        assert_eq!(title.value, "Hi | There");
        assert_eq!(&text[title.value_span.clone()], "\"Hi | There\"");
        assert_eq!(front.get(text, "ms.locfileid").unwrap().value, "74253566");
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
            let Ok(TopLevel::Mapping(mapping)) = top_level(yaml) else {
                panic!("not a mapping: {yaml}");
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
        let id = front.get(text, "ms.assetid").unwrap();
        assert_eq!((id.value, &text[id.value_span.clone()]), ("ABC", "ABC"));
        let locale = front.get(text, "ms.contentlocale").unwrap();
        assert_eq!(&text[locale.key_span.clone()], "ms.contentlocale");
        assert_eq!(&text[locale.value_span.clone()], "ja-JP");
        assert_eq!(front.get(text, "url").unwrap().value, "http://x.test/a");
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

    /// Each alias level multiplies what the front matter expands to.
    fn nested_aliases(levels: usize, width: usize) -> String {
        let mut yaml = format!("a0: &a0 [{}]\n", vec!["lol"; width].join(", "));
        for level in 1..levels {
            yaml.push_str(&format!("a{level}: &a{level} [{}]\n", vec![format!("*a{}", level - 1); width].join(", ")));
        }
        yaml
    }

    #[test]
    fn alias_expansion_is_charged_to_a_budget_proportional_to_the_text() {
        // Same shape, growing sizes: small ones pass, the multiplying ones
        // stop at the budget whatever their size (with a tab before the
        // aliases too, which the old alias counter missed).
        for (levels, width, passes) in [(2, 3, true), (3, 4, true), (6, 9, false), (9, 9, false), (4, 60, false)] {
            for separator in [", ", ",\t"] {
                let yaml = nested_aliases(levels, width).replace(", ", separator);
                let text = format!("---\ntitle: t\n{yaml}---\nbody\n");
                let (front, _) = parse(&text);
                match (&front.problem, passes) {
                    (None, true) => assert_eq!(front.get(&text, "title").unwrap().value, "t"),
                    (Some(FrontMatterProblem::InvalidYaml { message, .. }), false) => {
                        assert!(message.contains("expands to more than"), "{message}")
                    }
                    (problem, _) => panic!("{levels}x{width}: {problem:?}"),
                }
            }
        }
    }

    #[test]
    fn a_long_string_aliased_by_many_keys_is_charged_by_its_length() {
        let long = "x".repeat(50_000);
        let keys: String = (0..2_000).map(|i| format!("k{i}: *s\n")).collect();
        let (front, _) = parse(&format!("---\ns: &s {long}\n{keys}---\n"));
        assert!(matches!(front.problem, Some(FrontMatterProblem::InvalidYaml { .. })), "{:?}", front.problem);
    }

    #[test]
    fn duplicate_keys_and_null_values_are_read_as_serde_yaml_reads_them() {
        let (front, _) = parse("---\na: 1\na: 2\n---\n");
        let Some(FrontMatterProblem::InvalidYaml { message, .. }) = front.problem else {
            panic!("{:?}", front.problem)
        };
        assert!(message.starts_with("duplicate entry with key \"a\""), "{message}");
        let text = "---\na: ~\nb: [1, {c: d}]\nc: !tag x\nd: &x 12\ne: *x\n---\n";
        let (front, _) = parse(text);
        assert!(front.problem.is_none(), "{:?}", front.problem);
        let values: Vec<&str> =
            ["a", "b", "c", "d", "e"].iter().map(|key| front.get(text, key).unwrap().value).collect();
        assert_eq!(values, ["", "", "", "&x 12", "*x"]);
    }

    #[test]
    fn brackets_too_deep_are_refused_before_parsing() {
        for depth in [129, 1_000, 100_000] {
            let text = format!("---\ntitle: t\nkey: {}\n---\n", "[".repeat(depth));
            let (front, _) = parse(&text);
            let Some(FrontMatterProblem::InvalidYaml { message, span }) = front.problem else { panic!("{depth}") };
            assert_eq!(message, "brackets nest deeper than 128 levels");
            assert_eq!(span.start, text.find('[').unwrap() + 128);
        }
        let (front, _) = parse(&format!("---\nkey: {}{}\n---\n", "[".repeat(100), "]".repeat(100)));
        assert!(front.problem.is_none(), "{:?}", front.problem);
    }

    #[test]
    fn cr_only_line_endings_end_lines() {
        let text = "---\rtitle: T\rms.assetid: ABC\rtags: [a, b]\r---\r# Body\r";
        let (front, body) = parse(text);
        assert!(front.problem.is_none(), "{:?}", front.problem);
        assert_eq!(&text[body..], "# Body\r");
        let id = front.get(text, "ms.assetid").unwrap();
        assert_eq!((id.value, &text[id.value_span.clone()]), ("ABC", "ABC"));
        assert_eq!(front.get(text, "title").unwrap().value, "T");
    }

    #[test]
    fn an_unclosed_quote_is_reported_where_it_opens() {
        let text = "---\ntitle: \"Close a period\ndescription: one\nauthor: two\nms.date: 03/14/2022\n---\n";
        let (front, _) = parse(text);
        let Some(FrontMatterProblem::InvalidYaml { span, message }) = front.problem else {
            panic!("expected invalid yaml, got {:?}", front.problem);
        };
        assert_eq!(span.start, text.find('"').unwrap());
        assert_eq!(&text[span], "\"Close a period");
        assert_eq!(message, "found unexpected end of stream while scanning a quoted scalar");
    }

    #[test]
    fn a_trailing_comment_is_not_part_of_the_value_span() {
        let text = "---\nms.assetid: ABC # keep me\ntitle: \"a # b\" # note\nq: 'it''s # x'\t# c\nurl: a#b\n---\n";
        let (front, _) = parse(text);
        assert!(front.problem.is_none(), "{:?}", front.problem);
        let shown = |key: &str| &text[front.get(text, key).unwrap().value_span.clone()];
        assert_eq!(
            [shown("ms.assetid"), shown("title"), shown("q"), shown("url")],
            ["ABC", "\"a # b\"", "'it''s # x'", "a#b"]
        );
        assert_eq!(front.get(text, "ms.assetid").unwrap().value, "ABC");
    }

    #[test]
    fn no_front_matter() {
        let (front, body) = parse("# Title\n");
        assert!(!front.present);
        assert_eq!(body, 0);
    }
}
