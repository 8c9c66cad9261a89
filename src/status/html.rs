//! The dashboard: one self-contained HTML page (inline CSS, JS and SVG; no
//! network) with a bar per locale, the trend, and a sortable, filterable
//! table of articles × locales whose cells link to the copies and show
//! their pending source diff on demand.
//!
//! Everything from the tree (paths, front matter values, diffs) is
//! untrusted: static text is HTML-escaped, and the table's data goes in a
//! JSON block whose `<`, `>` and `&` are escaped, read by script that only
//! ever sets `textContent` and attributes, never markup.

use std::fmt::Write as _;

use serde::Serialize;

use super::table::class_name;
use super::{CopyState, Status};

const STYLE: &str = include_str!("dashboard.css");
const SCRIPT: &str = include_str!("dashboard.js");

/// One article as the page's script reads it.
#[derive(Serialize)]
struct Row<'a> {
    path: &'a str,
    priority: Option<&'a str>,
    words: u64,
    lagging: usize,
    score: u64,
    copies: Vec<Option<Cell>>,
}

#[derive(Serialize)]
struct Cell {
    state: CopyState,
    href: Option<String>,
    change: Option<&'static str>,
    commits: Option<usize>,
    days: Option<i64>,
    words: Option<usize>,
    errors: usize,
    /// Index into the page's diffs: copies of one handoff share theirs.
    diff: Option<usize>,
}

#[derive(Serialize)]
struct Data<'a> {
    locales: Vec<&'a str>,
    rows: Vec<Row<'a>>,
    diffs: Vec<&'a str>,
}

/// The page. `link_base` is prepended to each copy's root-relative path
/// (percent-encoded) to link to it: the way from the page's folder to the
/// lint root, `/`-terminated or empty.
pub fn render(status: &Status, title: &str, link_base: &str) -> String {
    let locales: Vec<&str> = status.locales.keys().map(String::as_str).collect();
    let mut diffs: Vec<&str> = Vec::new();
    let mut diff_index: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    let rows = status
        .queue
        .iter()
        .map(|article| Row {
            path: &article.path,
            priority: article.priority.as_deref(),
            words: article.source_words,
            lagging: article.lagging,
            score: article.score,
            copies: locales
                .iter()
                .map(|locale| {
                    article.copies.get(*locale).map(|copy| Cell {
                        state: copy.state,
                        href: copy.path.as_deref().map(|path| format!("{link_base}{}", encode_path(path))),
                        change: copy.change.map(class_name),
                        commits: copy.commits_behind,
                        days: copy.days_behind,
                        words: copy.changed_words,
                        errors: copy.errors,
                        diff: copy.diff.as_deref().map(|diff| {
                            *diff_index.entry(diff).or_insert_with(|| {
                                diffs.push(diff);
                                diffs.len() - 1
                            })
                        }),
                    })
                })
                .collect(),
        })
        .collect();
    let data = Data { locales: locales.clone(), rows, diffs };
    let json = serde_json::to_string(&data).unwrap_or_else(|_| "{}".to_string());

    let mut page = String::new();
    let title = escape(title);
    let _ = write!(
        page,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; \
         script-src 'unsafe-inline'; img-src data:\">\n\
         <title>Localization status: {title}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n\
         <h1>Localization status: {title}</h1>\n<p class=\"summary\">{}, {}, source locale \
         <code>{}</code></p>\n",
        crate::rules::count(status.articles, "article"),
        crate::rules::count(usize::try_from(status.source_words).unwrap_or(usize::MAX), "source word"),
        escape(&status.source_locale)
    );
    page.push_str(&locale_section(status));
    if let Some(trend) = &status.trend {
        page.push_str(&trend_section(trend, &locales));
    }
    page.push_str(
        "<h2>Articles</h2>\n<div class=\"controls\">\
         <label>Path <input id=\"filter\" type=\"search\" placeholder=\"filter by path\"></label> \
         <label>Show <select id=\"state-filter\">\
         <option value=\"all\">all articles</option>\
         <option value=\"lagging\">lagging anywhere</option>\
         <option value=\"stale\">with a stale copy</option>\
         <option value=\"missing\">with a missing copy</option>\
         <option value=\"errors\">with errors</option>\
         </select></label> \
         <label>Locale <select id=\"locale-filter\"><option value=\"\">any</option>",
    );
    for locale in &locales {
        let _ = write!(page, "<option value=\"{0}\">{0}</option>", escape(locale));
    }
    page.push_str(
        "</select></label> <span id=\"shown\"></span></div>\n\
         <table id=\"articles\"><thead><tr>\
         <th data-sort=\"path\">article</th><th data-sort=\"priority\">priority</th>\
         <th data-sort=\"words\" class=\"num\">words</th><th data-sort=\"lagging\" class=\"num\">lagging</th>\
         <th data-sort=\"score\" class=\"num\">score</th>",
    );
    for (index, locale) in locales.iter().enumerate() {
        let _ = write!(page, "<th data-sort=\"locale:{index}\">{}</th>", escape(locale));
    }
    page.push_str(
        "</tr></thead><tbody></tbody></table>\n<p id=\"more\"></p>\n\
         <section id=\"diff-panel\" hidden><h2 id=\"diff-title\"></h2>\
         <button id=\"diff-close\" type=\"button\">close</button><pre id=\"diff\"></pre></section>\n",
    );
    let _ = writeln!(page, "<script id=\"data\" type=\"application/json\">{}</script>", escape_json(&json));
    let _ = write!(page, "<script>{SCRIPT}</script>\n</body>\n</html>\n");
    page
}

fn locale_section(status: &Status) -> String {
    let mut out = String::from(
        "<h2>Locales</h2>\n<table id=\"locales\"><thead><tr><th>locale</th><th>current</th>\
         <th class=\"num\">fresh</th><th class=\"num\">stale</th><th class=\"num\">missing</th>\
         <th class=\"num\">orphaned</th><th class=\"num\">with errors</th><th class=\"num\">unknown</th>\
         <th>stale by class</th><th>median behind</th><th>oldest behind</th></tr></thead><tbody>\n",
    );
    for (name, locale) in &status.locales {
        let name = escape(name);
        let total = (locale.fresh + locale.stale + locale.missing + locale.unknown).max(1) as f64;
        let part = |count: usize, class: &str, label: &str| {
            if count == 0 {
                return String::new();
            }
            format!(
                "<span class=\"seg {class}\" style=\"width:{:.2}%\" title=\"{label}: {count}\"></span>",
                count as f64 * 100.0 / total
            )
        };
        let class = locale.stale_by_class;
        let bar = [
            part(locale.fresh, "fresh", "fresh"),
            part(class.whitespace + class.front_matter, "minor", "stale, whitespace or front matter only"),
            part(class.small, "small", "stale, small change"),
            part(class.large + class.unclassified, "large", "stale, large or unclassified change"),
            part(locale.unknown, "unknown", "unknown"),
            part(locale.missing, "missing", "missing"),
        ]
        .concat();
        let behind = |days: Option<i64>, commits: Option<usize>| match (days, commits) {
            (None, None) => "–".to_string(),
            (days, commits) => format!(
                "{} day{}, {} commit{}",
                days.map_or("?".into(), |days| days.to_string()),
                if days == Some(1) { "" } else { "s" },
                commits.map_or("?".into(), |commits| commits.to_string()),
                if commits == Some(1) { "" } else { "s" }
            ),
        };
        let _ = writeln!(
            out,
            "<tr data-locale=\"{name}\"><th>{name}</th><td class=\"bar-cell\"><div class=\"bar\">{bar}</div>\
             <span class=\"share\" data-count=\"current_share\">{:.1}%</span></td>\
             <td class=\"num\" data-count=\"fresh\">{}</td><td class=\"num\" data-count=\"stale\">{}</td>\
             <td class=\"num\" data-count=\"missing\">{}</td><td class=\"num\" data-count=\"orphaned\">{}</td>\
             <td class=\"num\" data-count=\"with_errors\">{}</td><td class=\"num\" data-count=\"unknown\">{}</td>\
             <td>{} whitespace, {} front matter, {} small, {} large, {} other</td><td>{}</td><td>{}</td></tr>",
            locale.current_share,
            locale.fresh,
            locale.stale,
            locale.missing,
            locale.orphaned,
            locale.with_errors,
            locale.unknown,
            class.whitespace,
            class.front_matter,
            class.small,
            class.large,
            class.unclassified,
            behind(locale.staleness.median_days, locale.staleness.median_commits),
            behind(locale.staleness.oldest_days, locale.staleness.oldest_commits),
        );
    }
    out.push_str(
        "</tbody></table>\n<p class=\"legend\"><span class=\"seg fresh\"></span>fresh \
         <span class=\"seg minor\"></span>whitespace or front matter only <span class=\"seg small\"></span>small \
         <span class=\"seg large\"></span>large <span class=\"seg unknown\"></span>unknown \
         <span class=\"seg missing\"></span>missing</p>\n",
    );
    out
}

/// Stale (solid) and missing (dashed) copies per locale, one line each, as
/// inline SVG.
fn trend_section(trend: &super::trend::Trend, locales: &[&str]) -> String {
    const PALETTE: [&str; 8] = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf"];
    let (width, height, left, bottom, top, right) = (720.0, 240.0, 40.0, 30.0, 10.0, 30.0);
    let points = &trend.points;
    let mut out = String::from("<h2>Trend</h2>\n");
    if points.is_empty() {
        out.push_str("<p>No commits to show.</p>\n");
        return out;
    }
    let max = points
        .iter()
        .flat_map(|point| point.locales.values())
        .map(|counts| counts.stale.max(counts.missing))
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    let x = |index: usize| {
        if points.len() == 1 {
            left + (width - left - right) / 2.0
        } else {
            left + index as f64 * (width - left - right) / (points.len() - 1) as f64
        }
    };
    let y = |value: usize| top + (height - top - bottom) * (1.0 - value as f64 / max);
    let _ = write!(
        out,
        "<svg id=\"trend\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" role=\"img\" \
         aria-label=\"stale and missing copies per locale\">\
         <line x1=\"{left}\" y1=\"{0}\" x2=\"{1}\" y2=\"{0}\" class=\"axis\"/>\
         <line x1=\"{left}\" y1=\"{top}\" x2=\"{left}\" y2=\"{0}\" class=\"axis\"/>\
         <text x=\"{2}\" y=\"{3}\" class=\"tick\" text-anchor=\"end\">{max}</text>\
         <text x=\"{2}\" y=\"{0}\" class=\"tick\" text-anchor=\"end\">0</text>",
        height - bottom,
        width - right,
        left - 4.0,
        top + 8.0,
    );
    for (index, point) in points.iter().enumerate() {
        let _ = write!(
            out,
            "<text x=\"{:.1}\" y=\"{}\" class=\"tick\" text-anchor=\"middle\">{}</text>",
            x(index),
            height - bottom + 16.0,
            escape(point.date.get(..7).unwrap_or(&point.date))
        );
    }
    for (number, locale) in locales.iter().enumerate() {
        let color = PALETTE[number % PALETTE.len()];
        for (kind, dash) in [("stale", ""), ("missing", " stroke-dasharray=\"5 4\"")] {
            let coordinates: Vec<String> = points
                .iter()
                .enumerate()
                .map(|(index, point)| {
                    let counts = point.locales.get(*locale).copied().unwrap_or_default();
                    let value = if kind == "stale" { counts.stale } else { counts.missing };
                    format!("{:.1},{:.1}", x(index), y(value))
                })
                .collect();
            let _ = write!(
                out,
                "<polyline points=\"{}\" fill=\"none\" stroke=\"{color}\" stroke-width=\"2\"{dash}>\
                 <title>{} {kind}</title></polyline>",
                coordinates.join(" "),
                escape(locale)
            );
        }
    }
    out.push_str("</svg>\n<p class=\"legend\">");
    for (number, locale) in locales.iter().enumerate() {
        let _ = write!(
            out,
            "<span class=\"swatch\" style=\"background:{}\"></span>{} ",
            PALETTE[number % PALETTE.len()],
            escape(locale)
        );
    }
    out.push_str("— solid: stale, dashed: missing</p>\n");
    out.push_str("<table id=\"trend-table\"><thead><tr><th>date</th><th>commit</th>");
    for locale in locales {
        let locale = escape(locale);
        let _ = write!(out, "<th>{locale} stale</th><th>{locale} missing</th>");
    }
    out.push_str("</tr></thead><tbody>");
    for point in points {
        let _ = write!(
            out,
            "<tr><td>{}</td><td><code>{}</code></td>",
            escape(&point.date),
            escape(crate::history::short(&point.commit))
        );
        for locale in locales {
            let counts = point.locales.get(*locale).copied().unwrap_or_default();
            let _ = write!(out, "<td class=\"num\">{}</td><td class=\"num\">{}</td>", counts.stale, counts.missing);
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table>\n");
    out
}

/// The way from the page's folder to the lint root as a relative URL,
/// `/`-terminated (empty when they are the same); both canonical. On
/// different drives, the root's `file://` URL.
pub fn link_base(page_folder: &std::path::Path, root: &std::path::Path) -> String {
    let from: Vec<_> = page_folder.components().collect();
    let to: Vec<_> = root.components().collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    if common == 0 {
        let absolute = root.to_string_lossy().replace('\\', "/");
        return format!("file:///{}/", encode_path(absolute.trim_start_matches('/')));
    }
    let mut base = "../".repeat(from.len() - common);
    for part in &to[common..] {
        base.push_str(&encode_segment(&part.as_os_str().to_string_lossy()));
        base.push('/');
    }
    base
}

/// Text for HTML content and quoted attribute values.
pub fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            c => escaped.push(c),
        }
    }
    escaped
}

/// JSON safe inside `<script>`: `<`, `>` and `&` occur only inside JSON
/// strings, where `\u003c` means the same; so do the two line separators
/// that older JavaScript did not allow in strings.
fn escape_json(json: &str) -> String {
    json.replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029")
}

/// A root-relative path as a relative URL: every byte outside the
/// unreserved set percent-encoded, segment by segment (a `:` in a file
/// name cannot make a scheme).
pub fn encode_path(path: &str) -> String {
    path.split('/').map(encode_segment).collect::<Vec<_>>().join("/")
}

fn encode_segment(segment: &str) -> String {
    let mut out = String::with_capacity(segment.len());
    for byte in segment.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_covers_markup_and_quotes() {
        assert_eq!(
            escape("<script>\"a\" & 'b'</script>"),
            "&lt;script&gt;&quot;a&quot; &amp; &#39;b&#39;&lt;/script&gt;"
        );
    }

    #[test]
    fn escaped_json_has_no_closing_tag_and_parses_back() {
        let json = serde_json::to_string(&"</script><!-- & \u{2028}").unwrap();
        let escaped = escape_json(&json);
        assert!(!escaped.contains('<') && !escaped.contains('>') && !escaped.contains('&'));
        assert_eq!(serde_json::from_str::<String>(&escaped).unwrap(), "</script><!-- & \u{2028}");
    }

    #[test]
    fn link_base_walks_from_the_page_to_the_root() {
        use std::path::Path;
        assert_eq!(link_base(Path::new("/w/site"), Path::new("/w/docs")), "../docs/");
        assert_eq!(link_base(Path::new("/w"), Path::new("/w/my docs")), "my%20docs/");
        assert_eq!(link_base(Path::new("/w/docs"), Path::new("/w/docs")), "");
    }

    #[test]
    fn paths_become_relative_urls() {
        assert_eq!(encode_path("ja-jp/a b/x.md"), "ja-jp/a%20b/x.md");
        assert_eq!(encode_path("javascript:alert(1).md"), "javascript%3Aalert%281%29.md");
        assert_eq!(encode_path("ja-jp/<script>.md"), "ja-jp/%3Cscript%3E.md");
    }
}
