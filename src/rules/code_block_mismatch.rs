//! `code-block-mismatch`: the copy's code blocks differ from the source's.

use std::borrow::Cow;
use std::cmp::Ordering;
use std::hash::{Hash, Hasher};

use rustc_hash::FxHashSet as HashSet;

use super::align::{align_alike, block_line, block_of, Place};
use super::{count, quoted, Emitter, Group, Rule, RuleGroup};
use crate::diagnostic::Severity;
use crate::document::markdown::CodeBlock;
use crate::document::Document;

pub static RULE: Rule = Rule {
    name: "code-block-mismatch",
    group: RuleGroup::Structure,
    severity: Severity::Warning,
    enabled_by_default: true,
    summary: "code blocks differ from the source's in number, language or content",
    options: &["translated-comments", "translated-code"],
    doc: include_str!("../../rules/code-block-mismatch.md"),
    check,
};

/// The label of a block whose code is the source's and whose comments alone
/// differ: `loclint init` counts them to tell a project that translates
/// comments (see [`crate::init::conventions`]).
pub const ONLY_COMMENTS_DIFFER: &str = "only comments differ";

/// The message of a block whose code differs from the source's, after the
/// counts: `loclint init` counts them to tell a project that translates the
/// text in its samples (see [`crate::init::conventions`]).
pub const CODE_DIFFERS: &str = "code block differs from the source's";

fn check(group: &Group<'_>, out: &mut Emitter<'_>) {
    let translated_comments = out
        .options()
        .and_then(|options| options.get("translated-comments"))
        .and_then(toml::Value::as_bool)
        .unwrap_or(false);
    // Samples whose text is translated as the prose is (Starlight's docs:
    // the Markdown of an example, a plugin's name, a tab's `syncKey`): only
    // the blocks and their languages are compared.
    let translated_code = out
        .options()
        .and_then(|options| options.get("translated-code"))
        .and_then(toml::Value::as_bool)
        .unwrap_or(false);
    // The source's keys, built at its first copy for all of them (a
    // baseline, a copy's own source, gets its own).
    let mut source_keys: Option<(&Document, Vec<BlockKey>)> = None;
    for (source, copy) in group.pairs() {
        let (ours, theirs) = (&copy.facts.code_blocks, &source.facts.code_blocks);
        if !source_keys.as_ref().is_some_and(|(keyed, _)| std::ptr::eq(*keyed, source)) {
            source_keys = Some((source, keys(theirs)));
        }
        let their_keys = source_keys.as_ref().map_or(&[][..], |(_, keys)| keys.as_slice());
        let alignment = align_alike(their_keys, &keys(ours), |index, copy_index| match translated_code {
            true => language(&theirs[index].info) == language(&ours[copy_index].info),
            false => alike(&theirs[index], &ours[copy_index]),
        });
        // Compared with the version it was translated from, a block of the
        // copy that today's source has as is followed the source's change
        // since (its handoff pin was not moved): not the copy's defect.
        let today: Option<HashSet<BlockKey>> = group
            .today_beside(source)
            .filter(|_| !alignment.replaced().is_empty() || alignment.extra().next().is_some())
            .map(|current| keys(&current.facts.code_blocks).into_iter().collect());
        let followed = |block: &CodeBlock| today.as_ref().is_some_and(|today| today.contains(&BlockKey::new(block)));
        let counts = if ours.len() == theirs.len() {
            String::new()
        } else {
            format!("copy has {} but the source has {}: ", count(ours.len(), "code block"), theirs.len())
        };
        for &(index, copy_index) in alignment.replaced() {
            let (block, source_block) = (&ours[copy_index], &theirs[index]);
            let translated_prose = block.under_empty_item && source_block.under_empty_item
                || block.indented && source_block.indented_prose;
            if block.segmented || translated_prose || followed(block) {
                // Prose the pipeline translated, not code: in side-by-side
                // copies the segment rules check it.
                continue;
            }
            // The source's fence, indented 4 spaces deeper in the copy:
            // Markdown reads it as indented code and shows the fence.
            let shown_fence = block.indented && !source_block.indented && {
                let first = block.content.lines().next().unwrap_or_default().trim_start();
                first.starts_with("```") || first.starts_with("~~~")
            };
            if shown_fence {
                out.report(
                    copy,
                    first_line(copy.text(), block),
                    format!(
                        "{counts}code block is read as indented code, so its fence shows as text: the copy indents it \
                         more than the source"
                    ),
                )
                .label("indented code, not a fenced block")
                .help("indent the fence as the source does, less than 4 spaces deeper than the text it belongs to")
                .related(source, first_line(source.text(), source_block), "the source's block");
            } else if match translated_code {
                true => language(&block.info) != language(&source_block.info),
                false => info_key(&block.info) != info_key(&source_block.info),
            } {
                out.report(
                    copy,
                    first_line(copy.text(), block),
                    format!(
                        "{counts}code block language is {} but the source's is {}",
                        quoted(&block.info),
                        quoted(&source_block.info)
                    ),
                )
                .label("differs from the source")
                .help("use the source's info string")
                .related(source, first_line(source.text(), source_block), "the source's block");
            } else if translated_code {
                continue;
            } else if let Some(line) = first_difference(&block.content, &source_block.content)
                .filter(|_| !reindented_from_no_break(&source_block.content, &block.content))
                .filter(|_| !shifted_as_a_whole(&source_block.content, &block.content))
                .filter(|_| !is_diagram(&source_block.info))
            {
                // The first line whose code differs, comments aside: `None`
                // when only comments differ. A language without known
                // comments differs where it first differs.
                let code_line = match CommentSyntax::of(&source_block.info, &source_block.content) {
                    Some(syntax) => first_code_difference(&syntax, &block.content, &source_block.content),
                    None => Some(line),
                };
                let (message, label, help, shown) = match code_line {
                    None if translated_comments => continue,
                    None => (
                        format!("{counts}code block's comments differ from the source's, first at its line {line}"),
                        ONLY_COMMENTS_DIFFER,
                        "keep the source's comments; where your style guide has them translated, set \
                         `translated-comments = true` for this rule",
                        line,
                    ),
                    // The first line whose code differs is the one to fix;
                    // comments that differ before it are said after it.
                    Some(code_line) => (
                        match line < code_line && !translated_comments {
                            true => format!(
                                "{counts}{CODE_DIFFERS}, first at its line {code_line} (its comments from its line {line})"
                            ),
                            false => {
                                format!("{counts}{CODE_DIFFERS}, first at its line {code_line}")
                            }
                        },
                        "differs from the source",
                        "copy the code from the source; translate only comments your style guide allows",
                        code_line,
                    ),
                };
                let opening = first_line(copy.text(), block);
                let diagnostic = out.report(copy, opening.clone(), message).label(label).help(help);
                // Shown where it is not the block's first line, which the
                // finding already points at.
                let diagnostic = match line_of_block(copy.text(), block, shown).filter(|span| span.start > opening.end)
                {
                    Some(span) => diagnostic.also(span, "first differs here"),
                    None => diagnostic,
                };
                diagnostic.related(source, first_line(source.text(), source_block), "the source's block");
            }
        }
        let blocks = |document: &Document, code_blocks: &[CodeBlock]| -> Vec<usize> {
            code_blocks.iter().map(|block| block_of(document, block.span.start)).collect()
        };
        let (source_blocks, copy_blocks) = (blocks(source, theirs), blocks(copy, ours));
        for index in alignment.missing().filter(|&index| alignment.replacement_of(index).is_none()) {
            let source_block = &theirs[index];
            let place = alignment.place(index, &source_blocks, &copy_blocks, copy.facts.block_starts.len());
            let (span, label) = match place {
                Place::After(previous) => (first_line(copy.text(), &ours[previous]), "expected after this code block"),
                Place::Before(next) => (first_line(copy.text(), &ours[next]), "expected before this code block"),
                Place::InBlock(block) => (block_line(copy, block), "expected here, as in the source"),
                Place::ReplacedBy(_) | Place::Start => (copy.body_start..copy.body_start, "expected in this copy"),
            };
            out.report(copy, span, format!("{counts}the source's code block {} has no counterpart", index + 1))
                .label(label)
                .help("copy the code blocks from the source unchanged")
                .related(source, first_line(source.text(), source_block), "the source's block");
        }
        for index in
            alignment.extra().filter(|&index| alignment.replaced_by(index).is_none() && !followed(&ours[index]))
        {
            out.report(
                copy,
                first_line(copy.text(), &ours[index]),
                format!("{counts}code block {} is not in the source", index + 1),
            )
            .label("not in the source")
            .help("remove code blocks the source does not have");
        }
    }
}

/// Whether a block of the copy is a changed form of the source's: the same
/// language, and at least half of the longer one's lines in both (as
/// compared, trimmed). A sample whose comments or a value the copy changed
/// is that; another sample is not.
fn alike(source: &CodeBlock, copy: &CodeBlock) -> bool {
    if info_key(&source.info) != info_key(&copy.info) {
        return false;
    }
    let mut counts: rustc_hash::FxHashMap<String, isize> = rustc_hash::FxHashMap::default();
    let (mut source_lines, mut copy_lines) = (0, 0);
    for line in compared_lines(&source.content) {
        *counts.entry(line.trim().to_string()).or_default() += 1;
        source_lines += 1;
    }
    let mut shared = 0;
    for line in compared_lines(&copy.content) {
        copy_lines += 1;
        if let Some(count) = counts.get_mut(line.trim()).filter(|count| **count > 0) {
            *count -= 1;
            shared += 1;
        }
    }
    shared > 0 && shared * 2 >= source_lines.max(copy_lines)
}

fn keys(blocks: &[CodeBlock]) -> Vec<BlockKey<'_>> {
    blocks.iter().map(BlockKey::new).collect()
}

/// What makes two code blocks the same: the info string and the lines,
/// trailing whitespace, line endings and no-break spaces aside (as
/// `first_difference`). Keys compare by a hash of that first, and by the
/// text only when the hashes agree: a vector of lines per block, compared
/// line by line, was most of the rule's cost.
struct BlockKey<'a> {
    hash: u64,
    block: &'a CodeBlock,
}

impl<'a> BlockKey<'a> {
    fn new(block: &'a CodeBlock) -> Self {
        let mut hasher = rustc_hash::FxHasher::default();
        info_key(&block.info).hash(&mut hasher);
        for line in compared_lines(&block.content) {
            line.hash(&mut hasher);
        }
        BlockKey { hash: hasher.finish(), block }
    }
}

impl Hash for BlockKey<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write_u64(self.hash);
    }
}

impl PartialEq for BlockKey<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for BlockKey<'_> {}

impl PartialOrd for BlockKey<'_> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for BlockKey<'_> {
    fn cmp(&self, other: &Self) -> Ordering {
        let (ours, theirs) = (self.block, other.block);
        self.hash.cmp(&other.hash).then_with(|| {
            // Most blocks of a copy are the source's, byte for byte.
            if ours.info == theirs.info && ours.content == theirs.content {
                return Ordering::Equal;
            }
            info_key(&ours.info)
                .cmp(&info_key(&theirs.info))
                .then_with(|| compared_lines(&ours.content).cmp(compared_lines(&theirs.content)))
        })
    }
}

/// A block's lines as compared: trailing whitespace, line endings,
/// no-break spaces and blank lines at the start and the end aside (Adobe's
/// pipeline drops a sample's first and last blank lines).
fn compared_lines(content: &str) -> impl Iterator<Item = Cow<'_, str>> {
    content.trim_end().lines().skip(leading_blank_lines(content)).map(|line| spaced(line.trim_end()))
}

fn leading_blank_lines(content: &str) -> usize {
    content.lines().take_while(|line| line.trim().is_empty()).count()
}

/// The info string as compared: without the block's title, which readers
/// see and translators translate (VitePress's `[vite.config.js (single
/// entry)]`, Docusaurus's and MkDocs's `title="…"`), and with no-break
/// spaces as spaces (`spaced`).
fn info_key(info: &str) -> Cow<'_, str> {
    if !info.contains('[') && !info.contains("title=") {
        return spaced(info);
    }
    let mut kept = String::with_capacity(info.len());
    let mut rest = info;
    loop {
        let bracket = rest.find('[');
        let title = rest.find("title=");
        let Some(at) = [bracket, title].into_iter().flatten().min() else { break };
        kept.push_str(&rest[..at]);
        let after = &rest[at..];
        let end = if after.starts_with('[') {
            after.find(']').map(|end| end + 1)
        } else {
            let value = &after["title=".len()..];
            match value.chars().next() {
                Some(quote @ ('"' | '\'')) => value[1..].find(quote).map(|end| "title=".len() + end + 2),
                _ => Some("title=".len() + value.find(char::is_whitespace).unwrap_or(value.len())),
            }
        };
        // An unclosed title is compared as written.
        let Some(end) = end else {
            kept.push_str(after);
            rest = "";
            break;
        };
        rest = &after[end..];
    }
    kept.push_str(rest);
    let kept = kept.split_whitespace().collect::<Vec<_>>().join(" ");
    Cow::Owned(spaced(&kept).into_owned())
}

/// A block's language: the first word of its info string (`mdx` of
/// `mdx {3,6} 'syncKey="constellations"'`), whose options a translated
/// sample changes with its text.
fn language(info: &str) -> &str {
    info.split_whitespace().next().map_or("", |word| word.split('{').next().unwrap_or_default())
}

/// The no-break spaces a pipeline writes as plain spaces.
const NO_BREAK: [char; 2] = ['\u{a0}', '\u{202f}'];

/// `text` with its no-break spaces (U+00A0, U+202F, or `&nbsp;` in an info
/// string) as plain spaces: the localization pipeline writes them so in the
/// copy's code (Office Add-ins docs: 240 of them in one source's code). A
/// tab counts as the spaces to its 4-column stop, in the indentation and
/// between columns alike: the pipeline expands them (Bot Framework docs'
/// C# samples, Azure Data Explorer's tab-aligned query results).
fn spaced(text: &str) -> Cow<'_, str> {
    let has_tab = memchr::memchr(b'\t', text.as_bytes()).is_some();
    // Both no-break spaces end in a byte no ASCII text has (UTF-8 `C2 A0`,
    // `E2 80 AF`): most lines are ruled out without decoding them.
    let no_break = memchr::memchr2(0xa0, 0xaf, text.as_bytes()).is_some() && text.contains(NO_BREAK);
    if !has_tab && !no_break {
        return Cow::Borrowed(text);
    }
    let mut spaced = String::with_capacity(text.len() + 8);
    let mut column = 0;
    for c in text.chars() {
        let width = match c {
            '\t' => 4 - column % 4,
            c if NO_BREAK.contains(&c) => 1,
            c => {
                spaced.push(c);
                column += 1;
                continue;
            }
        };
        spaced.extend(std::iter::repeat_n(' ', width));
        column += width;
    }
    Cow::Owned(spaced)
}

/// Whether `copy` is the code `source` with its indentation written again:
/// the source indents with no-break spaces (Markdown does not strip them as
/// indentation, JSON rejects them), and the pipeline writes plain spaces in
/// their place, not always as many. Lines are then compared without their
/// indentation.
fn reindented_from_no_break(source: &str, copy: &str) -> bool {
    let indentation = |line: &str| line.len() - line.trim_start().len();
    let indents_with_no_break = source.lines().any(|line| line[..indentation(line)].contains(NO_BREAK));
    let unindented = |content| compared_lines(content).map(|line| line.trim_start().to_string());
    indents_with_no_break && unindented(source).eq(unindented(copy))
}

/// Whether `copy` is the code `source` with every line indented by the
/// same few spaces more or less: a pipeline that indents a list's items
/// anew moves an indented block with them (Markdown keeps what is past the
/// 4 spaces of indented code), and readers see the same code.
fn shifted_as_a_whole(source: &str, copy: &str) -> bool {
    let dedented = |content| -> Vec<String> {
        let lines: Vec<Cow<'_, str>> = compared_lines(content).collect();
        let indentation = |line: &str| line.len() - line.trim_start_matches(' ').len();
        let common =
            lines.iter().filter(|line| !line.trim().is_empty()).map(|line| indentation(line)).min().unwrap_or(0);
        // `common` spaces lead every non-blank line; blank lines have none to strip.
        lines.iter().map(|line| line.get(common..).unwrap_or_default().to_string()).collect()
    };
    dedented(source) == dedented(copy)
}

/// 1-based line of the first difference (a line of `ours`), ignoring
/// trailing whitespace, line endings, no-break spaces and blank lines at
/// the start and the end.
fn first_difference(ours: &str, theirs: &str) -> Option<usize> {
    first_difference_by(ours, theirs, |a, b| a == b)
}

/// As `first_difference`, lines being the same when `same` says so.
fn first_difference_by(ours: &str, theirs: &str, same: impl Fn(&str, &str) -> bool) -> Option<usize> {
    let mut line = 1 + leading_blank_lines(ours);
    let (mut ours, mut theirs) = (compared_lines(ours), compared_lines(theirs));
    loop {
        match (ours.next(), theirs.next()) {
            (None, None) => return None,
            (Some(a), Some(b)) if same(&a, &b) => line += 1,
            _ => return Some(line),
        }
    }
}

/// Whether the block is a diagram drawn from text (Mermaid): its labels
/// are the reader's text, translated like the prose around it.
fn is_diagram(info: &str) -> bool {
    info.split_whitespace().next().is_some_and(|language| language.eq_ignore_ascii_case("mermaid"))
}

/// As `first_difference`, with comments aside: translating comments is
/// the practice of many projects (FastAPI's docs, Microsoft Learn's
/// samples), and leaves the code working. Only the comments of the block's
/// language count, each on its line (a `/* */` or `<!-- -->` closed on the
/// line it opens).
///
/// Lines that hold only a comment are left out on both sides: a translated
/// comment may take more lines or fewer than the source's (`// Calling …`
/// over five lines, its translation over six).
fn first_code_difference(syntax: &CommentSyntax, ours: &str, theirs: &str) -> Option<usize> {
    // Most blocks match line by line, comments aside: no need to list their code.
    first_difference_by(ours, theirs, |a, b| a == b || syntax.code(a) == syntax.code(b))?;
    // Each line's code with its 1-based line in the block, comment-only lines left out.
    let code_lines = |content: &str| -> Vec<(usize, String)> {
        let first = 1 + leading_blank_lines(content);
        // In a `/* … */` over several lines (JSDoc): from a line that
        // starts one without closing it to the line that closes it.
        let mut in_block = false;
        compared_lines(content)
            .enumerate()
            .filter_map(|(index, line)| {
                let code = match syntax.enclosed {
                    Some(("/*", close)) if in_block => match line.find(close) {
                        Some(end) => {
                            in_block = false;
                            Cow::Owned(syntax.code(&line[end + close.len()..]).into_owned())
                        }
                        None => Cow::Borrowed(""),
                    },
                    Some(("/*", close)) if line.trim_start().starts_with("/*") && !line.contains(close) => {
                        in_block = true;
                        Cow::Borrowed("")
                    }
                    _ => syntax.code(&line),
                };
                let comment_only = !line.trim().is_empty() && code.trim().is_empty();
                (!comment_only).then(|| (first + index, code.trim_end().to_string()))
            })
            .collect()
    };
    let (ours, theirs) = (code_lines(ours), code_lines(theirs));
    for index in 0..ours.len().max(theirs.len()) {
        match (ours.get(index), theirs.get(index)) {
            (Some((_, a)), Some((_, b))) if a == b => {}
            (Some((line, _)), _) => return Some(*line),
            // The copy's code ended early: the difference is after its last line.
            (None, _) => return Some(ours.last().map_or(1, |(line, _)| line + 1)),
        }
    }
    None
}

/// How a language writes comments that run to the end of the line, and
/// the quotes its strings use (a marker inside a string is text).
struct CommentSyntax {
    line: &'static [&'static str],
    /// Markers that start a comment only after code on the line: in a
    /// console session, `#` first on a line is root's prompt.
    after_code: &'static [&'static str],
    /// A comment closed on the line it opens, such as `/* … */`.
    enclosed: Option<(&'static str, &'static str)>,
    quotes: &'static [u8],
}

impl CommentSyntax {
    /// The syntax of a block whose info string is `info`; `content` (the
    /// source's) tells a console session's prompts apart.
    fn of(info: &str, content: &str) -> Option<CommentSyntax> {
        const HASH: &[&str] = &["#"];
        const SLASHES: &[&str] = &["//"];
        const NONE: &[&str] = &[];
        const BOTH_QUOTES: &[u8] = b"\"'";
        let c_like = |line| CommentSyntax { line, after_code: NONE, enclosed: Some(("/*", "*/")), quotes: BOTH_QUOTES };
        let language = info.split_whitespace().next().unwrap_or_default().to_ascii_lowercase();
        let language = language.trim_start_matches('{').trim_start_matches('.');
        Some(match language {
            "bash"
            | "sh"
            | "shell"
            | "zsh"
            | "python"
            | "py"
            | "python3"
            | "ruby"
            | "rb"
            | "perl"
            | "r"
            | "yaml"
            | "yml"
            | "toml"
            | "powershell"
            | "ps"
            | "ps1"
            | "pwsh"
            | "dockerfile"
            | "makefile"
            | "cmake"
            | "conf"
            | "properties"
            | "azurecli"
            | "azurecli-interactive"
            | "azurepowershell"
            | "azurepowershell-interactive"
            | "terraform"
            | "hcl"
            | "graphql"
            | "nginx"
            | "julia"
            | "elixir"
            | "coffeescript" => CommentSyntax { line: HASH, after_code: NONE, enclosed: None, quotes: BOTH_QUOTES },
            // A session whose commands follow `$` has no root prompt: its
            // lines that start with `#` are comments (`# Output`).
            "console" | "terminal" | "shell-session" | "shellsession" | "bash-session"
                if content.lines().any(|line| line.trim_start().starts_with("$ ")) =>
            {
                CommentSyntax { line: &["//", "#"], after_code: NONE, enclosed: None, quotes: BOTH_QUOTES }
            }
            "console" | "terminal" | "shell-session" | "shellsession" | "bash-session" => {
                CommentSyntax { line: SLASHES, after_code: HASH, enclosed: None, quotes: BOTH_QUOTES }
            }
            "c" | "cpp" | "c++" | "cs" | "csharp" | "c#" | "java" | "javascript" | "js" | "jsx" | "typescript"
            | "ts" | "tsx" | "go" | "golang" | "rust" | "rs" | "kotlin" | "kt" | "swift" | "scala" | "dart"
            | "groovy" | "json" | "jsonc" | "json5" | "kusto" | "kql" | "bicep" | "fsharp" | "f#" | "objectivec"
            | "objc" | "proto" | "protobuf" | "scss" | "less" => c_like(SLASHES),
            "php" => c_like(&["//", "#"]),
            "css" => c_like(NONE),
            "sql" | "tsql" | "t-sql" | "mysql" | "plsql" | "postgresql" | "psql" | "lua" | "haskell" | "hs" => {
                CommentSyntax { line: &["--"], after_code: NONE, enclosed: None, quotes: b"'\"" }
            }
            "vb" | "vbnet" | "vb.net" | "vba" | "vbscript" => {
                CommentSyntax { line: &["'"], after_code: NONE, enclosed: None, quotes: b"\"" }
            }
            "ini" => CommentSyntax { line: &[";", "#"], after_code: NONE, enclosed: None, quotes: b"\"" },
            "erlang" | "erl" | "tex" | "latex" | "matlab" => {
                CommentSyntax { line: &["%"], after_code: NONE, enclosed: None, quotes: b"\"" }
            }
            "bat" | "batch" | "cmd" | "dos" => CommentSyntax {
                line: &["rem ", "REM ", "Rem ", "@rem ", "@REM ", "::"],
                after_code: NONE,
                enclosed: None,
                quotes: b"\"",
            },
            "xml" | "html" | "xaml" | "xhtml" | "svg" | "aspx" | "cshtml" | "razor" | "md" | "markdown" | "mdx" => {
                CommentSyntax { line: NONE, after_code: NONE, enclosed: Some(("<!--", "-->")), quotes: b"\"" }
            }
            // A component: a template with `<!-- -->`, and scripts (its
            // front matter, `<script>`) with `//`.
            "astro" | "vue" | "svelte" => {
                CommentSyntax { line: SLASHES, after_code: NONE, enclosed: Some(("<!--", "-->")), quotes: BOTH_QUOTES }
            }
            _ => return None,
        })
    }

    /// The line without its comments, trailing space aside. A marker
    /// counts at the line's start or after a space, outside quotes.
    fn code<'a>(&self, line: &'a str) -> Cow<'a, str> {
        let bytes = line.as_bytes();
        let (mut kept, mut from, mut at) = (String::new(), 0, 0);
        let mut quote: Option<u8> = None;
        // Every index sliced at is a byte of an ASCII marker (or the line's
        // end), so on a character boundary.
        while at < bytes.len() {
            let byte = bytes[at];
            if let Some(open) = quote {
                // `at > 0`: the quote opened before it.
                if byte == open && bytes[at - 1] != b'\\' {
                    quote = None;
                }
                at += 1;
                continue;
            }
            if self.quotes.contains(&byte) {
                quote = Some(byte);
                at += 1;
                continue;
            }
            let starts = |markers: &[&str]| markers.iter().any(|marker| bytes[at..].starts_with(marker.as_bytes()));
            let after_space = at == 0 || bytes[at - 1].is_ascii_whitespace();
            if after_space
                && (starts(self.line)
                    || starts(self.after_code) && !(kept.trim().is_empty() && line[from..at].trim().is_empty()))
            {
                kept.push_str(&line[from..at]);
                return Cow::Owned(kept.trim_end().to_string());
            }
            if let Some((open, close)) = self.enclosed.filter(|(open, _)| starts(&[open])) {
                if let Some(end) = line[at + open.len()..].find(close) {
                    kept.push_str(&line[from..at]);
                    at += open.len() + end + close.len();
                    from = at;
                    continue;
                }
            }
            at += 1;
        }
        if from == 0 {
            return Cow::Borrowed(line.trim_end());
        }
        kept.push_str(&line[from..]);
        Cow::Owned(kept.trim_end().to_string())
    }
}

/// The span of the block's `line`th line (1-based, as [`first_difference`]
/// counts them) in the file: after the opening fence of a fenced block.
fn line_of_block(text: &str, block: &CodeBlock, line: usize) -> Option<std::ops::Range<usize>> {
    let raw = text.get(block.span.clone())?;
    let skipped = if block.indented { line.checked_sub(1)? } else { line };
    let mut start = 0;
    for _ in 0..skipped {
        start += raw.get(start..)?.find('\n')? + 1;
    }
    let rest = raw.get(start..).filter(|rest| !rest.is_empty())?;
    let end = start + rest.find(['\r', '\n']).unwrap_or(rest.len());
    // From the line's first character: a block in a list is indented.
    let indent = rest.len() - rest.trim_start_matches([' ', '\t']).len();
    Some(block.span.start + (start + indent).min(end)..block.span.start + end)
}

fn first_line(text: &str, block: &CodeBlock) -> std::ops::Range<usize> {
    let raw = &text[block.span.clone()];
    let end = raw.find(['\r', '\n']).unwrap_or(raw.len());
    block.span.start..block.span.start + end
}

#[cfg(test)]
mod tests {
    #[test]
    fn first_difference_ignores_line_endings() {
        assert_eq!(super::first_difference("a\r\nb\n", "a\nb"), None);
        assert_eq!(super::first_difference("a\nc\n", "a\nb\n"), Some(2));
        assert_eq!(super::first_difference("a\n", "a\nb\n"), Some(2));
        // A blank last line is no code; a blank line inside is.
        assert_eq!(super::first_difference("a\n   \n\n", "a\n"), None);
        assert_eq!(super::first_difference("a\n\nb\n", "a\nb\n"), Some(2));
        // Nor are blank first lines; lines count from the copy's first.
        assert_eq!(super::first_difference("\n\"ok\"\n", "\"ok\"\n"), None);
        assert_eq!(super::first_difference("\"ok\"\n", "\n \n\"ok\"\n\n"), None);
        assert_eq!(super::first_difference("\n\na\nc\n", "a\nb\n"), Some(4));
    }

    #[test]
    fn first_difference_reads_tabs_as_spaces_to_their_stop() {
        assert_eq!(super::first_difference("{\n\tvar a;\n  \tb();\n}\n", "{\n    var a;\n    b();\n}\n"), None);
        assert_eq!(super::first_difference("\t\tx\n", "        x\n"), None);
        assert_eq!(super::first_difference("\tx\n", "  x\n"), Some(1));
        // Between columns too: `Name` + tab reaches column 8.
        assert_eq!(super::first_difference("Name\tSize\nab\t1\n", "Name    Size\nab  1\n"), None);
        assert_eq!(super::first_difference("a\tb\n", "a    b\n"), Some(1));
    }

    fn block(info: &str, content: &str) -> super::CodeBlock {
        super::CodeBlock {
            info: info.into(),
            content: content.into(),
            span: 0..0,
            segmented: false,
            under_empty_item: false,
            indented: false,
            indented_prose: false,
        }
    }

    #[test]
    fn blocks_are_the_same_as_first_difference_reads_them() {
        let same = |a: &super::CodeBlock, b: &super::CodeBlock| {
            let (a, b) = (super::BlockKey::new(a), super::BlockKey::new(b));
            assert_eq!(a == b, b == a);
            a == b
        };
        let source = block("csharp", "{\n    var a = 1;\n}\n");
        assert!(same(&source, &block("csharp", "{\r\n\tvar\u{a0}a = 1;  \r\n}")));
        assert!(!same(&source, &block("cs", "{\n    var a = 1;\n}\n")));
        assert!(!same(&source, &block("csharp", "{\n    var b = 1;\n}\n")));
        assert!(same(&source, &block("csharp", "{\n    var a = 1;\n}\n  \n")), "a blank last line does not count");
        assert!(same(&source, &block("csharp", "\n  \n{\n    var a = 1;\n}\n")), "nor do blank first lines");
        assert!(!same(&source, &block("csharp", "{\n\n    var a = 1;\n}\n")), "an extra empty line inside counts");
    }

    #[test]
    fn a_block_shifted_as_a_whole_is_the_same_code_but_not_one_reindented_inside() {
        let source = "  ```\n  call(1)\n    nested()\n  ```\n";
        assert!(super::shifted_as_a_whole(source, " ```\n call(1)\n   nested()\n ```\n"));
        assert!(!super::shifted_as_a_whole(source, "```\ncall(1)\n\n  nested()\n```\n"), "a line added");
        assert!(!super::shifted_as_a_whole(source, " ```\n call(1)\n nested()\n ```\n"), "nesting changed");
        assert!(!super::shifted_as_a_whole(source, " ```\n call(2)\n   nested()\n ```\n"), "the code changed");
    }

    #[test]
    fn indentation_in_no_break_spaces_may_be_written_again_but_not_the_code() {
        let source = "\u{a0}   {\n\u{a0} \u{a0}  \"a\": 1\n\u{a0}   }\n";
        assert!(super::reindented_from_no_break(source, "  {\n    \"a\": 1\n  }\n"));
        assert!(!super::reindented_from_no_break(source, "  {\n    \"a\": 2\n  }\n"), "the code changed");
        assert!(
            !super::reindented_from_no_break("    {\n      \"a\": 1\n", "  {\n    \"a\": 1\n"),
            "plain spaces count"
        );
    }

    #[test]
    fn a_block_title_is_text_but_the_language_and_options_are_not() {
        use super::info_key;
        assert_eq!(info_key("js twoslash [vite.config.js (single entry)]"), "js twoslash");
        assert_eq!(info_key("js twoslash [vite.config.js（単一エントリー）]"), "js twoslash");
        assert_eq!(info_key("python title=\"Run the app\" hl_lines=\"2\""), "python hl_lines=\"2\"");
        assert_eq!(info_key("python title='Exécuter' linenums=\"1\""), "python linenums=\"1\"");
        assert_eq!(info_key("bash title=run.sh"), "bash");
        assert_ne!(info_key("ts [a]"), info_key("js [a]"));
        assert_eq!(info_key("json [unclosed"), "json [unclosed");
        assert_eq!(info_key("csharp"), "csharp");
    }

    #[test]
    fn only_comments_of_the_blocks_language_may_differ() {
        let comments = |info: &str, source: &str, copy: &str| {
            super::CommentSyntax::of(info, source)
                .is_some_and(|syntax| super::first_code_difference(&syntax, copy, source).is_none())
        };
        assert!(comments("bash", "# Print a greeting\necho hi\n", "# 挨拶を表示\necho hi\n"));
        assert!(comments("python", "x = f()  # This works\n", "x = f()  # これは動作します\n"));
        assert!(!comments("python", "x = f()  # This works\n", "x = g()  # これは動作します\n"), "the code changed");
        assert!(!comments("python", "print('# not a comment')\n", "print('# コメントではない')\n"), "inside a string");
        assert!(!comments("bash", "a\nb\n", "a\n"), "a line lost");
        // A comment translated over more lines or fewer is still a comment.
        let source = "go();\n// Calling it sets the context until\n// the scope closes.\nend();\n";
        assert!(comments("java", source, "go();\n// 呼び出すと\n// スコープが閉じるまで\n// 設定される。\nend();\n"));
        assert!(comments("java", source, "go();\n// 一行で。\nend();\n"));
        assert!(!comments("java", source, "go();\n// 一行で。\nstop();\n"), "the code after it changed");
        assert_eq!(
            super::CommentSyntax::of("java", source).and_then(|syntax| super::first_code_difference(
                &syntax,
                "go();\n// 一\n// 二\n// 三\nstop();\n",
                source
            )),
            Some(5),
            "the copy's line of the first differing code"
        );
        assert!(comments("csharp", "var a = 1; // one\n/* two */ b();\n", "var a = 1; // 一\n/* 二 */ b();\n"));
        assert!(!comments("csharp", "var url = \"http://a\";\n", "var url = \"http://b\";\n"));
        assert!(comments("sql", "SELECT 1 -- one\n", "SELECT 1 -- 一\n"));
        // JSON has no comments, but samples write `//` ones; `//` in a
        // string is text.
        assert!(comments("JSON", "{\n    // other fields\n}\n", "{\n    // 他の項目\n}\n"));
        assert!(!comments("json", "{ \"url\": \"http://a\" }\n", "{ \"url\": \"http://b\" }\n"));
        assert!(comments("vb", "Dim a = 1 ' one\n", "Dim a = 1 ' 一\n"));
        assert!(comments("xml", "<a/> <!-- one -->\n", "<a/> <!-- 一 -->\n"));
        assert!(!comments("xml", "<a/> <!-- one -->\n", "<b/> <!-- 一 -->\n"));
        // In a console session `#` first on a line is root's prompt, not a
        // comment; after a command it is one.
        assert!(!comments("console", "# rm -rf build\n", "# rm -rf ビルド\n"));
        assert!(comments("console", "$ ls  # list\n", "$ ls  # 一覧\n"));
        assert!(comments("console", "// Create a directory\n$ mkdir code\n", "// 作成\n$ mkdir code\n"));
        // Where commands follow `$`, a `#` line is no prompt: a comment.
        assert!(comments("console", "$ kubectl run x\n\n# Output\nhi\n", "$ kubectl run x\n\n# 出力\nhi\n"));
        assert!(!comments("console", "$ kubectl run x\n# Output\nhi\n", "$ kubectl run y\n# 出力\nhi\n"));
        assert!(comments("bat", "rem Add to run.bat\nset A=1\n", "rem Ajouter à run.bat\nset A=1\n"));
        assert!(!comments("bat", "set REMOTE=1\n", "set REMOTE=2\n"), "a word that starts with rem");
        assert!(comments("erlang", "X = 1. % one\n", "X = 1. % un\n"));
        // JSDoc and other `/* … */` over several lines.
        let documented = "/**\n * Returns the total.\n * @param items the lines\n */\nfunction total(items) {}\n";
        assert!(comments(
            "js",
            documented,
            "/**\n * 合計を返します。\n * @param items 明細行\n */\nfunction total(items) {}\n"
        ));
        assert!(!comments("js", documented, "/**\n * 合計を返します。\n */\nfunction sum(items) {}\n"));
        assert!(!comments("c", "x = a\n  * b;\n", "x = a\n  * c;\n"), "a product continued on a line");
        // Components: `//` in their scripts, `<!-- -->` in their templates.
        let component = "---\n// Fetch the posts\nconst posts = await load();\n---\n<!-- The list -->\n<ul></ul>\n";
        let translated =
            "---\n// Récupère les articles\nconst posts = await load();\n---\n<!-- La liste -->\n<ul></ul>\n";
        assert!(comments("astro", component, translated));
        assert!(!comments("astro", component, &translated.replace("<ul>", "<ol>")));
        assert!(comments("md", "<!-- A note -->\n# Title\n", "<!-- Une note -->\n# Title\n"));
        // Neither a language loclint does not know nor plain text has comments.
        assert!(!comments("", "# one\n", "# 一\n"));
        assert!(!comments("text", "# one\n", "# 一\n"));
    }

    #[test]
    fn first_difference_reads_no_break_spaces_as_spaces() {
        assert_eq!(super::first_difference("let x = 1;\nf(x)\n", "let\u{a0}x =\u{202f}1;\nf(x)\n"), None);
        assert_eq!(super::first_difference("a\nlet x\n", "a\nlet\u{a0}y\n"), Some(2));
    }
}
