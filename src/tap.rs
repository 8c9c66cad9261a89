//! A sink between the engine and the report: it keeps only the findings of
//! some files (`lint -` shows those of the editor's buffer), counts the
//! fixable findings for the summary, and tallies findings by rule and by
//! locale for `--statistics`.

use std::collections::BTreeMap;
use std::io;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use loclint::{GroupReport, Render, Rendered, Severity, Sink, Summary};

/// Counts of findings, by severity.
#[derive(Debug, Default, Clone, serde::Serialize)]
pub struct Counts {
    pub count: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    pub fixable: usize,
}

impl Counts {
    fn add(&mut self, severity: Severity, fixable: bool) {
        self.count += 1;
        match severity {
            Severity::Error => self.errors += 1,
            Severity::Warning => self.warnings += 1,
            Severity::Info | Severity::Off => self.infos += 1,
        }
        self.fixable += usize::from(fixable);
    }
}

/// Findings by rule and by locale (`None`: findings about the tree).
#[derive(Debug, Default)]
pub struct Statistics {
    pub by_rule: BTreeMap<&'static str, Counts>,
    pub by_locale: BTreeMap<Option<String>, Counts>,
}

pub struct Tap<'a> {
    inner: &'a mut dyn Sink,
    /// Root-relative paths whose findings are kept; all when `None`.
    only: Option<Vec<String>>,
    /// Counts of the findings left out.
    hidden: Summary,
    pub fixable: usize,
    pub statistics: Option<Statistics>,
    kept: Vec<loclint::Diagnostic>,
    /// The fixable findings of the groups printed ahead (see
    /// [`Sink::renderer`]), counted on the worker threads.
    fixable_rendered: Arc<AtomicUsize>,
}

impl<'a> Tap<'a> {
    pub fn new(inner: &'a mut dyn Sink, only: Option<Vec<String>>, statistics: bool) -> Tap<'a> {
        Tap {
            inner,
            only,
            hidden: Summary::default(),
            fixable: 0,
            statistics: statistics.then(Statistics::default),
            kept: Vec::new(),
            fixable_rendered: Arc::default(),
        }
    }

    /// `summary` without the findings left out.
    pub fn adjusted(&self, summary: &Summary) -> Summary {
        let mut adjusted = summary.clone();
        adjusted.errors -= self.hidden.errors.min(adjusted.errors);
        adjusted.warnings -= self.hidden.warnings.min(adjusted.warnings);
        adjusted.infos -= self.hidden.infos.min(adjusted.infos);
        adjusted
    }
}

impl Sink for Tap<'_> {
    fn group(&mut self, group: &GroupReport<'_>) -> io::Result<()> {
        let mut kept = std::mem::take(&mut self.kept);
        kept.clear();
        let findings = match &self.only {
            Some(only) => {
                for diagnostic in group.findings {
                    if only.contains(&diagnostic.path) {
                        kept.push(diagnostic.clone());
                    } else {
                        self.hidden.tally(std::slice::from_ref(diagnostic), 1);
                    }
                }
                &kept[..]
            }
            None => group.findings,
        };
        for diagnostic in findings {
            let fixable = diagnostic.fix.is_some();
            self.fixable += usize::from(fixable);
            if let Some(statistics) = &mut self.statistics {
                statistics.by_rule.entry(diagnostic.rule).or_default().add(diagnostic.severity, fixable);
                statistics.by_locale.entry(diagnostic.locale.clone()).or_default().add(diagnostic.severity, fixable);
            }
        }
        let written = self.inner.group(&GroupReport { findings, ..*group });
        kept.clear();
        self.kept = kept;
        written
    }

    /// The inner sink's, counting the fixable findings, when every finding
    /// is kept and none is counted by rule or locale.
    fn renderer(&self) -> Option<Box<dyn Render>> {
        if self.only.is_some() || self.statistics.is_some() {
            return None;
        }
        let inner = self.inner.renderer()?;
        Some(Box::new(CountFixable { inner, fixable: self.fixable_rendered.clone() }))
    }

    fn rendered(&mut self, group: &Rendered) -> io::Result<()> {
        self.inner.rendered(group)
    }

    fn finish(&mut self, summary: &Summary) -> io::Result<()> {
        self.fixable += self.fixable_rendered.swap(0, Ordering::Relaxed);
        let adjusted = self.adjusted(summary);
        self.inner.finish(&adjusted)
    }
}

/// [`Tap`]'s count of fixable findings around the inner sink's renderer.
struct CountFixable {
    inner: Box<dyn Render>,
    fixable: Arc<AtomicUsize>,
}

impl Render for CountFixable {
    fn render(&self, group: &GroupReport<'_>, out: &mut Rendered) -> io::Result<()> {
        let fixable = group.findings.iter().filter(|diagnostic| diagnostic.fix.is_some()).count();
        self.fixable.fetch_add(fixable, Ordering::Relaxed);
        self.inner.render(group, out)
    }
}

/// A sink that writes nothing (`--statistics` prints only the counts).
pub struct Nothing;

impl Sink for Nothing {
    fn group(&mut self, _: &GroupReport<'_>) -> io::Result<()> {
        Ok(())
    }

    fn finish(&mut self, _: &Summary) -> io::Result<()> {
        Ok(())
    }
}
