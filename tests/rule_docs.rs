//! Keeps `rules/<name>.md` honest: one doc per registered rule, in the fixed
//! shape, identical to what the binary ships, and with an example that yields
//! exactly the findings the doc shows.
//!
//! An example is the fenced blocks of `## Example` whose info string carries
//! `title="PATH"` (each is one file of a tiny tree, written as is) and one
//! `diagnostics` block: the findings of the rule on that tree exactly as
//! `loclint lint --format concise` prints them (the concise reporter writes
//! them here), so that `loclint explain` shows the real format.
//! `LOCLINT_BLESS=1 cargo test --test rule_docs` rewrites the `diagnostics`
//! blocks from the actual findings; review the diff before committing.

mod common;

use std::collections::BTreeSet;
use std::ops::Range;
use std::path::{Component, Path, PathBuf};

use loclint::rules::Rule;
use loclint::{Request, RULES};
use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, Parser, Tag, TagEnd};

/// The level-2 sections every doc has, in this order.
const SECTIONS: [&str; 5] = ["What it does", "Why it matters", "Example", "How to fix", "Options"];
/// Right under `## Example`: the example cannot be written as text files.
const NOT_RUNNABLE: &str = "<!-- example: not-runnable -->";
const DIAGNOSTICS: &str = "diagnostics";

#[test]
fn every_rule_has_a_doc_and_every_doc_names_a_rule() {
    let registered: BTreeSet<&str> = RULES.iter().map(|rule| rule.name).collect();
    let documented: BTreeSet<String> = std::fs::read_dir(common::repo_path("rules"))
        .expect("rules/ exists")
        .map(|entry| entry.expect("rules/ is readable").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "md"))
        .filter_map(|path| path.file_stem().and_then(|stem| stem.to_str()).map(str::to_string))
        .collect();
    let mut problems = Vec::new();
    for name in &registered {
        if !documented.contains(*name) {
            problems.push(format!("rule `{name}` is in RULES but has no rules/{name}.md"));
        }
    }
    for name in &documented {
        if !registered.contains(name.as_str()) {
            problems.push(format!("rules/{name}.md names no rule in RULES (registered: {registered:?})"));
        }
    }
    assert!(problems.is_empty(), "rule docs and registry disagree:\n{}", problems.join("\n"));
}

#[test]
fn docs_have_the_registry_metadata_and_the_fixed_sections() {
    let mut problems = Vec::new();
    for rule in RULES {
        let Some(text) = read_doc(rule, &mut problems) else {
            continue;
        };
        let doc = match Doc::parse(&text) {
            Ok(doc) => doc,
            Err(problem) => {
                problems.push(format!("rules/{}.md: {problem}", rule.name));
                continue;
            }
        };
        for problem in doc.shape_problems(rule) {
            problems.push(format!("rules/{}.md: {problem}", rule.name));
        }
    }
    assert!(problems.is_empty(), "rule docs out of shape:\n{}", problems.join("\n"));
}

#[test]
fn docs_are_the_text_compiled_into_the_binary() {
    let mut problems = Vec::new();
    for rule in RULES {
        let Some(text) = read_doc(rule, &mut problems) else {
            continue;
        };
        if text != rule.doc {
            problems.push(format!(
                "rules/{0}.md is not the doc compiled into rule `{0}` (does its `doc: include_str!` name another file?)",
                rule.name
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn examples_produce_exactly_the_findings_they_show() {
    let bless = std::env::var_os("LOCLINT_BLESS").is_some_and(|value| !value.is_empty() && value != "0");
    let mut problems = Vec::new();
    let mut blessed = Vec::new();
    for rule in RULES {
        let Some(text) = read_doc(rule, &mut problems) else {
            continue;
        };
        // Shape problems are reported by the test above.
        let Ok(doc) = Doc::parse(&text) else {
            continue;
        };
        if doc.not_runnable {
            continue;
        }
        let Some(expected) = doc.blocks.iter().find(|block| block.info == DIAGNOSTICS) else {
            continue;
        };
        let files: Vec<&Block> = doc.blocks.iter().filter(|block| block.title.is_some()).collect();
        if files.is_empty() {
            continue;
        }
        let actual = run_example(rule, &files);
        if actual == expected.content {
            continue;
        }
        if bless {
            let updated =
                format!("{}{}{}", &text[..expected.content_range.start], actual, &text[expected.content_range.end..]);
            std::fs::write(doc_path(rule), updated).expect("rule doc is writable");
            blessed.push(rule.name);
        } else {
            problems.push(format!(
                "rules/{}.md: the example's findings differ from its `diagnostics` block\n--- doc\n{}--- actual\n{}",
                rule.name, expected.content, actual
            ));
        }
    }
    assert!(
        blessed.is_empty(),
        "rewrote the diagnostics of {blessed:?}; review the diff and run the tests again (the binary embeds the docs)"
    );
    assert!(
        problems.is_empty(),
        "{}\n(run `LOCLINT_BLESS=1 cargo test --test rule_docs` to rewrite the blocks if the new findings are right)",
        problems.join("\n\n")
    );
}

fn doc_path(rule: &Rule) -> PathBuf {
    common::repo_path(&format!("rules/{}.md", rule.name))
}

fn read_doc(rule: &Rule, problems: &mut Vec<String>) -> Option<String> {
    match std::fs::read_to_string(doc_path(rule)) {
        Ok(text) => Some(text),
        Err(error) => {
            problems.push(format!("rules/{}.md: cannot read: {error}", rule.name));
            None
        }
    }
}

/// Writes the example's files into a fresh tree, lints it with only `rule`
/// selected and returns its findings as the concise report writes them
/// (`path:line:col: severity[rule] message`).
fn run_example(rule: &Rule, files: &[&Block]) -> String {
    let dir = tempfile::tempdir().expect("temp dir");
    for file in files {
        let relative = file.title.as_deref().unwrap_or_default();
        let path = dir.path().join(relative);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("example folder");
        }
        std::fs::write(&path, &file.content).expect("example file");
    }
    let request = Request { select: vec![rule.name.into()], ..Request::default() };
    let report = common::lint(&[dir.path().to_path_buf()], request);
    let style = loclint::report::Style { color: false, width: 100, full_source_diffs: false };
    let mut out = Vec::new();
    loclint::report::write(loclint::report::Format::Concise, &report, style, &mut out).expect("concise report");
    String::from_utf8(out).expect("UTF-8 report")
}

/// A rule doc, parsed.
struct Doc {
    /// `key: value` lines of the front matter, in order.
    front_matter: Vec<(String, String)>,
    /// `(level, text)` of every heading.
    headings: Vec<(HeadingLevel, String)>,
    blocks: Vec<Block>,
    not_runnable: bool,
}

/// A fenced code block.
struct Block {
    /// The info string's first word.
    info: String,
    /// `title="…"` from the info string: the file's root-relative path.
    title: Option<String>,
    content: String,
    /// Where `content` sits in the whole doc (for blessing).
    content_range: Range<usize>,
    /// The level-2 section holding the block.
    section: Option<String>,
}

impl Doc {
    fn parse(text: &str) -> Result<Doc, String> {
        let rest = text.strip_prefix("---\n").ok_or("does not start with a `---` front matter line")?;
        let end = rest.find("\n---\n").ok_or("front matter has no closing `---` line")?;
        let front_matter = rest[..end]
            .lines()
            .map(|line| {
                line.split_once(": ")
                    .map(|(key, value)| (key.trim().to_string(), value.trim().to_string()))
                    .ok_or_else(|| format!("front matter line `{line}` is not `key: value`"))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let body_start = 4 + end + 5;
        let body = &text[body_start..];

        let mut doc = Doc { front_matter, headings: Vec::new(), blocks: Vec::new(), not_runnable: false };
        let mut heading: Option<(HeadingLevel, String)> = None;
        let mut block: Option<(String, Option<String>, Range<usize>, String)> = None;
        let mut section: Option<String> = None;
        let mut just_after_example = false;
        for (event, range) in Parser::new(body).into_offset_iter() {
            let range = range.start + body_start..range.end + body_start;
            let html = matches!(event, Event::Html(_) | Event::Start(Tag::HtmlBlock) | Event::End(TagEnd::HtmlBlock));
            match event {
                Event::Start(Tag::Heading { level, .. }) => heading = Some((level, String::new())),
                Event::End(TagEnd::Heading(_)) => {
                    let (level, title) = heading.take().ok_or("heading end without a start")?;
                    if level == HeadingLevel::H2 {
                        just_after_example = title == "Example";
                        section = Some(title.clone());
                    }
                    doc.headings.push((level, title));
                    continue;
                }
                Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => {
                    let (word, title) = parse_info(&info)?;
                    block = Some((word, title, range.clone(), String::new()));
                }
                Event::End(TagEnd::CodeBlock) => {
                    if let Some((info, title, whole, content)) = block.take() {
                        let content_range = fence_content(text, whole)?;
                        if text[content_range.clone()] != content {
                            return Err(format!("cannot locate the content of the `{info}` block in the text"));
                        }
                        doc.blocks.push(Block { info, title, content, content_range, section: section.clone() });
                    }
                }
                Event::Text(fragment) | Event::Code(fragment) => {
                    if let Some((_, title)) = &mut heading {
                        title.push_str(&fragment);
                    } else if let Some((_, _, _, content)) = &mut block {
                        content.push_str(&fragment);
                    }
                }
                Event::Html(html) if just_after_example && html.trim() == NOT_RUNNABLE => doc.not_runnable = true,
                _ => {}
            }
            if heading.is_none() && !html {
                just_after_example = false;
            }
        }
        Ok(doc)
    }

    /// Everything wrong with the doc's metadata, sections and example blocks.
    fn shape_problems(&self, rule: &Rule) -> Vec<String> {
        let mut problems = Vec::new();
        let expected =
            [("rule", rule.name), ("group", rule.group.as_str()), ("severity", rule.default_severity().as_str())];
        let keys: Vec<&str> = self.front_matter.iter().map(|(key, _)| key.as_str()).collect();
        if keys != expected.map(|(key, _)| key) {
            problems.push(format!("front matter keys are {keys:?}; expected exactly `rule`, `group`, `severity`"));
        }
        for (key, want) in expected {
            match self.front_matter.iter().find(|(k, _)| k == key) {
                Some((_, value)) if value == want => {}
                Some((_, value)) => {
                    problems.push(format!("front matter `{key}` is `{value}` but the registry says `{want}`"))
                }
                None => problems.push(format!("front matter has no `{key}` (the registry says `{want}`)")),
            }
        }

        let title = rule.name;
        let h1: Vec<&str> =
            self.headings.iter().filter(|(level, _)| *level == HeadingLevel::H1).map(|(_, t)| t.as_str()).collect();
        if h1 != [title] {
            problems.push(format!("level-1 headings are {h1:?}; expected one, `# {title}`"));
        }
        let sections: Vec<&str> =
            self.headings.iter().filter(|(level, _)| *level == HeadingLevel::H2).map(|(_, t)| t.as_str()).collect();
        if sections != SECTIONS {
            problems.push(format!("sections are {sections:?}; expected {SECTIONS:?} in that order"));
        }

        let in_example = |block: &&Block| block.section.as_deref() == Some("Example");
        let diagnostics = self.blocks.iter().filter(|block| block.info == DIAGNOSTICS).collect::<Vec<_>>();
        if diagnostics.len() != 1 || !diagnostics.iter().all(in_example) {
            problems.push(format!("has {} `diagnostics` blocks; expected one, in `## Example`", diagnostics.len()));
        } else if diagnostics[0].content.trim().is_empty() {
            problems.push("the `diagnostics` block is empty: an example must show the rule's findings".into());
        }
        let files: Vec<&Block> = self.blocks.iter().filter(|block| block.title.is_some()).collect();
        if let Some(stray) = files.iter().find(|block| !in_example(block)) {
            problems
                .push(format!("file block `{}` is outside `## Example`", stray.title.as_deref().unwrap_or_default()));
        }
        if self.not_runnable {
            if !files.is_empty() {
                problems
                    .push("a `not-runnable` example must not have file blocks (they would never be checked)".into());
            }
            return problems;
        }
        if files.is_empty() {
            problems.push(format!(
                "`## Example` has no file block (```markdown title=\"PATH\"); add one or put `{NOT_RUNNABLE}` under it"
            ));
        }
        for block in self.blocks.iter().filter(in_example) {
            if block.title.is_none() && block.info != DIAGNOSTICS {
                problems.push(format!(
                    "the `{}` block in `## Example` has no title=\"PATH\"; every example block is a file or the diagnostics",
                    block.info
                ));
            }
        }
        let mut seen = BTreeSet::new();
        for title in files.iter().filter_map(|block| block.title.as_deref()) {
            if !is_tree_relative(title) {
                problems.push(format!("file block title `{title}` is not a relative path inside the example tree"));
            }
            if !seen.insert(title.to_ascii_lowercase()) {
                problems.push(format!("two file blocks are titled `{title}`"));
            }
        }
        problems
    }
}

/// `markdown title="en-us/a.md"` → (`markdown`, `Some("en-us/a.md")`).
fn parse_info(info: &str) -> Result<(String, Option<String>), String> {
    let info = info.trim();
    let (word, attributes) = info.split_once(char::is_whitespace).unwrap_or((info, ""));
    let title = match attributes.find("title=\"") {
        Some(at) => {
            let value = &attributes[at + "title=\"".len()..];
            let end = value.find('"').ok_or_else(|| format!("unterminated title in info string `{info}`"))?;
            Some(value[..end].to_string())
        }
        None if attributes.contains("title=") => return Err(format!("quote the title in info string `{info}`")),
        None => None,
    };
    Ok((word.to_string(), title))
}

/// The content of the fenced block at `whole`: between the opening fence's
/// line and the closing fence's line.
fn fence_content(text: &str, whole: Range<usize>) -> Result<Range<usize>, String> {
    let raw = &text[whole.clone()];
    let open_end = raw.find('\n').map(|at| at + 1).ok_or("a fenced block has no line after its fence")?;
    let fence: String = raw.trim_start().chars().take_while(|c| *c == '`' || *c == '~').collect();
    let trimmed = raw.trim_end_matches('\n');
    let close_start = trimmed.rfind('\n').map_or(trimmed.len(), |at| at + 1);
    if close_start < open_end || !trimmed[close_start..].trim().starts_with(&fence) {
        return Err(format!("a `{fence}` block is not closed"));
    }
    Ok(whole.start + open_end..whole.start + close_start)
}

fn is_tree_relative(title: &str) -> bool {
    let path = Path::new(title);
    !title.is_empty() && path.components().all(|component| matches!(component, Component::Normal(_)))
}
