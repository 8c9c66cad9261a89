//! Generates a deterministic, realistic localized documentation tree for the
//! benchmarks (BENCHMARKS.md, issue 5).
//!
//! ```text
//! cargo run --release --example gen_corpus -- --docs 10000 --locales 9 [--seed 42] [--defects 0.02] [--drift] OUT
//! ```
//!
//! Layout: `OUT/en-us/<area>/<article>.md` sources (plus a few include files
//! under `OUT/en-us/includes/`) and `OUT/<locale>/…` copies, the default
//! locale-folder layout. About a third of the copies are side-by-side
//! ("sxs") copies, the rest plain pseudo-translations. A `--defects` share of
//! the copies carry one planted defect each; `OUT/DEFECTS.tsv` lists them
//! (path, kind, detail) so a run can tell findings on clean copies apart.
//!
//! With `--drift`, copies were handed off at an older revision of their
//! source: each article's source made a few edits since (blocks with links
//! and code added and removed, code changed, headings renamed, re-levelled
//! or reordered, anchors added), so every copy carries findings, as in a tree
//! adopted after years of source edits. The copies of one article share the
//! revision, as the copies of one handoff do; the copy's hash is the older
//! source's.
//!
//! Why a hand-written SplitMix64 and not `rand`: the tree must be the same
//! bytes for a seed forever, so benchmark numbers stay comparable across
//! commits; `rand`'s `StdRng` explicitly does not promise a stable stream
//! across versions, and eight lines of SplitMix64 need no dependency.
//!
//! Each source and each copy gets its own random stream derived from the seed
//! and its index, so the output does not depend on the number of threads.

use std::collections::HashSet;
use std::fmt::Write as _;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};

use clap::Parser;
use rayon::prelude::*;

#[derive(Debug, Parser)]
#[command(about = "Generate a deterministic localized docs tree for loclint benchmarks")]
struct Args {
    /// Source files (articles plus ~2% include files); each has one copy per locale
    #[arg(long, default_value_t = 10_000)]
    docs: usize,
    /// Number of locales besides en-us (1-9): ja-jp, ko-kr, zh-cn, zh-tw, de-de, fr-fr, es-es, pt-br, ru-ru
    #[arg(long, default_value_t = 9, value_parser = clap::value_parser!(u8).range(1..=9))]
    locales: u8,
    /// Seed of the whole tree
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// Share of copies that get one planted defect (0 to 1)
    #[arg(long, default_value_t = 0.02)]
    defects: f64,
    /// Copies translated from an older revision of their source (see the module docs)
    #[arg(long)]
    drift: bool,
    /// Output folder (must not exist or be empty)
    out: PathBuf,
}

fn main() {
    let args = Args::parse();
    if let Err(message) = run(&args) {
        eprintln!("gen_corpus: {message}");
        std::process::exit(2);
    }
}

fn run(args: &Args) -> Result<(), String> {
    if !(0.0..=1.0).contains(&args.defects) {
        return Err(format!("--defects must be between 0 and 1, not {}", args.defects));
    }
    if args.docs == 0 {
        return Err("--docs must be at least 1".into());
    }
    if std::fs::read_dir(&args.out).is_ok_and(|mut entries| entries.next().is_some()) {
        return Err(format!("{} exists and is not empty; remove it first", args.out.display()));
    }
    let locales = &LOCALES[..usize::from(args.locales)];
    let plan = make_plan(args.docs, args.seed);
    let defective = pick_defective(args.docs * locales.len(), args.defects, args.seed);

    let mut folders: Vec<String> = plan.areas.clone();
    folders.push("includes".into());
    for locale in std::iter::once(SOURCE_LOCALE).chain(locales.iter().map(|l| l.tag)) {
        for folder in &folders {
            let dir = args.out.join(locale).join(folder);
            std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        }
    }

    let stats = Stats::default();
    let mut defects: Vec<DefectRecord> = (0..plan.docs.len())
        .into_par_iter()
        .map(|index| write_group(args, &plan, locales, index, &defective, &stats))
        .collect::<Result<Vec<_>, String>>()?
        .into_iter()
        .flatten()
        .collect();

    defects.sort_by(|a, b| a.path.cmp(&b.path));
    let mut manifest = String::from("path\tkind\tdetail\n");
    for record in &defects {
        let _ = writeln!(manifest, "{}\t{}\t{}", record.path, record.kind, record.detail);
    }
    let manifest_path = args.out.join("DEFECTS.tsv");
    std::fs::write(&manifest_path, manifest).map_err(|e| format!("cannot write {}: {e}", manifest_path.display()))?;

    let files = stats.files.load(Ordering::Relaxed);
    let bytes = stats.bytes.load(Ordering::Relaxed);
    eprintln!(
        "gen_corpus: {files} files ({} sources, {} copies: {} sxs, {} plain), {:.1} MiB, {} defects (DEFECTS.tsv) in {}",
        plan.docs.len(),
        files - plan.docs.len() as u64,
        stats.sxs.load(Ordering::Relaxed),
        files - plan.docs.len() as u64 - stats.sxs.load(Ordering::Relaxed),
        bytes as f64 / (1024.0 * 1024.0),
        defects.len(),
        args.out.display()
    );
    Ok(())
}

#[derive(Default)]
struct Stats {
    files: AtomicU64,
    bytes: AtomicU64,
    sxs: AtomicU64,
}

struct DefectRecord {
    path: String,
    kind: &'static str,
    detail: String,
}

/// Exactly `round(rate × copies)` distinct copies, chosen by the seed.
fn pick_defective(copies: usize, rate: f64, seed: u64) -> Vec<bool> {
    let wanted = ((copies as f64) * rate).round() as usize;
    let mut chosen = vec![false; copies];
    let mut rng = Rng::new(mix(seed, 0xDEFEC7));
    if wanted * 2 > copies {
        // Dense: shuffle and take a prefix.
        let mut order: Vec<usize> = (0..copies).collect();
        for i in (1..order.len()).rev() {
            order.swap(i, rng.below(i + 1));
        }
        for &i in &order[..wanted] {
            chosen[i] = true;
        }
    } else {
        let mut count = 0;
        while count < wanted {
            let i = rng.below(copies);
            if !chosen[i] {
                chosen[i] = true;
                count += 1;
            }
        }
    }
    chosen
}

// ---------------------------------------------------------------------------
// Random numbers

/// SplitMix64 (Steele, Lea, Flood 2014): tiny, fast, statistically fine for
/// generating text, and stable forever.
#[derive(Clone)]
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Rng(seed)
    }

    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (`n` > 0).
    fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
    }

    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// One of `words`.
    fn choose(&mut self, words: &[&'static str]) -> &'static str {
        words[self.below(words.len())]
    }

    /// Standard normal (Box–Muller).
    fn normal(&mut self) -> f64 {
        let u1 = self.unit().max(f64::MIN_POSITIVE);
        let u2 = self.unit();
        (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
    }

    fn hex(&mut self, digits: usize) -> String {
        (0..digits).map(|_| char::from(b"0123456789abcdef"[self.below(16)])).collect()
    }

    fn guid(&mut self) -> String {
        let h = self.hex(32).to_ascii_uppercase();
        format!("{}-{}-{}-{}-{}", &h[..8], &h[8..12], &h[12..16], &h[16..20], &h[20..])
    }

    fn date(&mut self) -> String {
        format!("{:02}/{:02}/{}", self.range(1, 12), self.range(1, 28), self.range(2017, 2024))
    }
}

/// Derives an independent seed from `seed` and `salt`.
fn mix(seed: u64, salt: u64) -> u64 {
    Rng::new(seed ^ salt.wrapping_mul(0xD6E8_FEB8_6659_FD93)).next_u64()
}

// ---------------------------------------------------------------------------
// Vocabulary

const SOURCE_LOCALE: &str = "en-us";

struct Locale {
    tag: &'static str,
    /// As `ms.contentlocale` writes it.
    display: &'static str,
    /// The "Applies to" label (one of loclint's known translations).
    label: &'static str,
    /// Words are separated by spaces (not CJK).
    spaced: bool,
    period: &'static str,
    words: &'static [&'static str],
}

const LOCALES: [Locale; 9] = [
    Locale {
        tag: "ja-jp",
        display: "ja-JP",
        label: "適用対象",
        spaced: false,
        period: "。",
        words: &[
            "顧客",
            "アカウント",
            "を",
            "作成",
            "します",
            "管理",
            "設定",
            "サブスクリプション",
            "請求",
            "の",
            "に",
            "は",
            "パートナー",
            "センター",
            "ため",
            "確認",
            "追加",
            "削除",
            "表示",
            "情報",
            "リソース",
            "ユーザー",
            "ポータル",
            "選択",
            "できます",
            "必要",
            "使用",
            "新しい",
            "場合",
            "組織",
        ],
    },
    Locale {
        tag: "ko-kr",
        display: "ko-KR",
        label: "적용 대상",
        spaced: true,
        period: ".",
        words: &[
            "고객",
            "계정을",
            "만들기",
            "관리",
            "설정",
            "구독",
            "청구",
            "의",
            "에서",
            "파트너",
            "센터",
            "확인",
            "추가",
            "제거",
            "표시",
            "정보",
            "리소스",
            "사용자",
            "포털",
            "선택",
            "할",
            "수",
            "있습니다",
            "필요한",
            "사용하여",
            "새",
            "경우",
            "조직",
        ],
    },
    Locale {
        tag: "zh-cn",
        display: "zh-CN",
        label: "适用于",
        spaced: false,
        period: "。",
        words: &[
            "客户",
            "账户",
            "创建",
            "管理",
            "设置",
            "订阅",
            "计费",
            "的",
            "在",
            "是",
            "合作伙伴",
            "中心",
            "确认",
            "添加",
            "删除",
            "显示",
            "信息",
            "资源",
            "用户",
            "门户",
            "选择",
            "可以",
            "需要",
            "使用",
            "新",
            "如果",
            "组织",
        ],
    },
    Locale {
        tag: "zh-tw",
        display: "zh-TW",
        label: "適用於",
        spaced: false,
        period: "。",
        words: &[
            "客戶",
            "帳戶",
            "建立",
            "管理",
            "設定",
            "訂閱",
            "帳單",
            "的",
            "在",
            "是",
            "合作夥伴",
            "中心",
            "確認",
            "新增",
            "移除",
            "顯示",
            "資訊",
            "資源",
            "使用者",
            "入口網站",
            "選取",
            "可以",
            "需要",
            "使用",
            "新",
            "如果",
            "組織",
        ],
    },
    Locale {
        tag: "de-de",
        display: "de-DE",
        label: "Gilt für",
        spaced: true,
        period: ".",
        words: &[
            "Kunden",
            "Konto",
            "erstellen",
            "verwalten",
            "Einstellungen",
            "Abonnement",
            "Abrechnung",
            "der",
            "die",
            "das",
            "für",
            "mit",
            "im",
            "Partner",
            "Center",
            "bestätigen",
            "hinzufügen",
            "entfernen",
            "anzeigen",
            "Informationen",
            "Ressourcen",
            "Benutzer",
            "Portal",
            "auswählen",
            "können",
            "müssen",
            "verwenden",
            "neue",
            "wenn",
            "Organisation",
        ],
    },
    Locale {
        tag: "fr-fr",
        display: "fr-FR",
        label: "S'applique à",
        spaced: true,
        period: ".",
        words: &[
            "client",
            "compte",
            "créer",
            "gérer",
            "paramètres",
            "abonnement",
            "facturation",
            "le",
            "la",
            "les",
            "pour",
            "avec",
            "dans",
            "partenaires",
            "centre",
            "confirmer",
            "ajouter",
            "supprimer",
            "afficher",
            "informations",
            "ressources",
            "utilisateur",
            "portail",
            "sélectionner",
            "pouvez",
            "devez",
            "utiliser",
            "nouveau",
            "si",
            "organisation",
        ],
    },
    Locale {
        tag: "es-es",
        display: "es-ES",
        label: "Se aplica a",
        spaced: true,
        period: ".",
        words: &[
            "cliente",
            "cuenta",
            "crear",
            "administrar",
            "configuración",
            "suscripción",
            "facturación",
            "el",
            "la",
            "los",
            "para",
            "con",
            "en",
            "asociados",
            "centro",
            "confirmar",
            "agregar",
            "quitar",
            "mostrar",
            "información",
            "recursos",
            "usuario",
            "portal",
            "seleccionar",
            "puede",
            "debe",
            "usar",
            "nuevo",
            "si",
            "organización",
        ],
    },
    Locale {
        tag: "pt-br",
        display: "pt-BR",
        label: "Aplica-se a",
        spaced: true,
        period: ".",
        words: &[
            "cliente",
            "conta",
            "criar",
            "gerenciar",
            "configurações",
            "assinatura",
            "cobrança",
            "o",
            "a",
            "os",
            "para",
            "com",
            "no",
            "parceiros",
            "central",
            "confirmar",
            "adicionar",
            "remover",
            "exibir",
            "informações",
            "recursos",
            "usuário",
            "portal",
            "selecionar",
            "pode",
            "deve",
            "usar",
            "novo",
            "se",
            "organização",
        ],
    },
    Locale {
        tag: "ru-ru",
        display: "ru-RU",
        label: "Относится к",
        spaced: true,
        period: ".",
        words: &[
            "клиента",
            "учетную",
            "запись",
            "создать",
            "управлять",
            "параметры",
            "подписки",
            "счетов",
            "для",
            "с",
            "в",
            "партнеров",
            "центр",
            "подтвердить",
            "добавить",
            "удалить",
            "показать",
            "сведения",
            "ресурсы",
            "пользователя",
            "портал",
            "выбрать",
            "можно",
            "нужно",
            "использовать",
            "новый",
            "если",
            "организации",
        ],
    },
];

const NOUNS: &[&str] = &[
    "account",
    "subscription",
    "tenant",
    "customer",
    "invoice",
    "license",
    "role",
    "resource",
    "group",
    "policy",
    "report",
    "order",
    "partner",
    "user",
    "device",
    "workspace",
    "service",
    "setting",
    "profile",
    "dashboard",
    "key",
    "certificate",
    "region",
    "domain",
    "quota",
    "alert",
    "backup",
    "cluster",
    "connection",
    "endpoint",
    "export",
    "feature",
    "gateway",
    "identity",
    "instance",
    "limit",
    "log",
    "message",
    "network",
    "offer",
    "payment",
    "permission",
    "plan",
    "portal",
    "query",
    "record",
    "request",
    "schedule",
    "secret",
    "server",
    "storage",
    "support",
    "team",
    "template",
    "token",
    "update",
    "usage",
    "vault",
    "version",
    "webhook",
    "workflow",
    "billing",
    "catalog",
    "contract",
    "credit",
    "discount",
    "entitlement",
    "reseller",
    "referral",
    "agreement",
];
const VERBS: &[&str] = &[
    "add",
    "assign",
    "configure",
    "create",
    "delete",
    "deploy",
    "enable",
    "disable",
    "export",
    "find",
    "manage",
    "monitor",
    "move",
    "open",
    "remove",
    "renew",
    "review",
    "select",
    "set",
    "update",
    "upgrade",
    "view",
    "verify",
    "connect",
    "migrate",
    "request",
    "restore",
    "transfer",
    "track",
    "cancel",
    "approve",
    "invite",
];
const ADJECTIVES: &[&str] = &[
    "new",
    "existing",
    "default",
    "custom",
    "active",
    "pending",
    "shared",
    "private",
    "public",
    "monthly",
    "annual",
    "primary",
    "secondary",
    "global",
    "regional",
    "direct",
    "indirect",
    "managed",
    "secure",
    "available",
];
const FILLERS: &[&str] = &[
    "the", "a", "your", "each", "all", "this", "that", "to", "for", "with", "in", "on", "from", "before", "after",
    "when", "if", "and", "or", "you", "can", "must", "should", "will", "is", "are", "by", "of", "only", "then",
];
const PRODUCTS: &[&str] = &[
    "Contoso Cloud",
    "Contoso Cloud for US Government",
    "Contoso Cloud Germany",
    "Contoso Cloud China",
    "Partner Hub",
    "Fabrikam Portal",
    "Northwind Analytics",
    "Tailspin Gateway",
    "Woodgrove Identity",
    "Adventure Works Sync",
];
const AREAS: &[&str] = &[
    "partner-center",
    "billing",
    "security",
    "identity",
    "networking",
    "storage",
    "compute",
    "analytics",
    "devops",
    "monitoring",
    "licensing",
    "marketplace",
    "support",
    "compliance",
    "migration",
    "backup",
    "containers",
    "databases",
    "messaging",
    "web-apps",
    "functions",
    "governance",
    "cost-management",
    "iot",
    "media",
    "search",
    "ai-services",
    "automation",
    "developer-tools",
    "mobile",
    "integration",
    "reporting",
    "customers",
    "referrals",
    "incentives",
    "onboarding",
    "accounts",
    "orders",
    "invoices",
    "subscriptions",
    "api-reference",
    "sdk",
    "cli",
    "powershell",
    "tutorials",
    "quickstarts",
    "troubleshooting",
    "release-notes",
    "architecture",
    "best-practices",
    "data-protection",
    "privacy",
    "administration",
    "users",
    "roles",
    "policies",
    "certificates",
    "domains",
    "gateways",
    "edge",
];
const AUTHORS: &[(&str, &str)] = &[
    ("KatrinaMoss", "kmoss"),
    ("DevonPatel", "dpatel"),
    ("LindaZhou", "lzhou"),
    ("OmarHaddad", "ohaddad"),
    ("SofiaRossi", "srossi"),
    ("MarcusWebb", "mwebb"),
    ("AikoTanaka", "atanaka"),
    ("JonasBerg", "jberg"),
];
const TOPICS: &[&str] = &["article", "conceptual", "how-to", "reference", "quickstart", "tutorial", "overview"];
const CODE_LANGS: &[&str] = &["powershell", "azurecli", "bash", "json", "csharp", "console", "yaml"];

fn word(rng: &mut Rng) -> &'static str {
    match rng.below(100) {
        0..=39 => rng.choose(FILLERS),
        40..=69 => rng.choose(NOUNS),
        70..=84 => rng.choose(VERBS),
        _ => rng.choose(ADJECTIVES),
    }
}

fn words(rng: &mut Rng, count: usize) -> String {
    let mut text = String::new();
    for i in 0..count {
        if i > 0 {
            text.push(' ');
        }
        text.push_str(word(rng));
    }
    text
}

fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The anchor a docs site derives from a heading: loclint's `text::slug`.
fn slug(heading: &str) -> String {
    heading
        .trim()
        .chars()
        .filter_map(|c| {
            if c.is_whitespace() {
                Some('-')
            } else if c.is_alphanumeric() || c == '-' || c == '_' {
                Some(c)
            } else {
                None
            }
        })
        .flat_map(char::to_lowercase)
        .collect()
}

fn fnv1a(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| (hash ^ u64::from(byte)).wrapping_mul(0x100_0000_01b3))
}

/// Deterministic pseudo-translation: each English word maps to a word of the
/// locale's list (by hash), so byte counts and scripts are realistic.
fn translate(text: &str, locale: &Locale, sentence_start: bool) -> String {
    let separator = if locale.spaced { " " } else { "" };
    let mut out = String::with_capacity(text.len() * 2);
    for (i, english) in text.split_whitespace().enumerate() {
        if i > 0 {
            out.push_str(separator);
        }
        let salt = fnv1a(locale.tag);
        let translated = locale.words[(fnv1a(english) ^ salt) as usize % locale.words.len()];
        if i == 0 && sentence_start && locale.spaced {
            out.push_str(&capitalize(translated));
        } else {
            out.push_str(translated);
        }
    }
    out
}

// ---------------------------------------------------------------------------
// The plan: names, titles and outlines of every source, known before any
// body is written so that links can point at real files and headings.

struct Plan {
    areas: Vec<String>,
    docs: Vec<DocPlan>,
    /// Article indices per area.
    by_area: Vec<Vec<usize>>,
    articles: Vec<usize>,
    includes: Vec<usize>,
}

struct DocPlan {
    /// `None` for include files.
    area: Option<usize>,
    slug: String,
    title: String,
    guid: Option<String>,
    headings: Vec<HeadingPlan>,
    applies: Vec<&'static str>,
    /// Wanted size of the source in bytes.
    target: usize,
}

#[derive(Clone)]
struct HeadingPlan {
    level: u8,
    text: String,
    anchor: Option<String>,
}

impl HeadingPlan {
    /// What a `#fragment` link to this heading uses: its explicit anchor, or
    /// the slug the pipeline turns into an anchor in every copy.
    fn fragment(&self) -> String {
        self.anchor.clone().unwrap_or_else(|| slug(&self.text))
    }
}

impl DocPlan {
    fn folder<'a>(&self, plan: &'a Plan) -> &'a str {
        self.area.map_or("includes", |area| &plan.areas[area])
    }
}

fn make_plan(docs: usize, seed: u64) -> Plan {
    let mut rng = Rng::new(mix(seed, 1));
    let include_count = if docs >= 10 { (docs / 50).max(1) } else { 0 };
    let article_count = docs - include_count;
    let area_count = (article_count / 250).max(1);
    let areas: Vec<String> = (0..area_count)
        .map(|i| match i / AREAS.len() {
            0 => AREAS[i].to_string(),
            round => format!("{}-{}", AREAS[i % AREAS.len()], round + 1),
        })
        .collect();
    let mut by_area = vec![Vec::new(); area_count];
    let mut taken: Vec<HashSet<String>> = vec![HashSet::new(); area_count + 1];
    let mut plans = Vec::with_capacity(docs);
    for index in 0..docs {
        let include = index >= article_count;
        let area = if include { None } else { Some(rng.below(area_count)) };
        let names = &mut taken[area.unwrap_or(area_count)];
        let base = if include {
            format!("{}-{}-note", rng.pick(NOUNS), rng.pick(NOUNS))
        } else {
            match rng.below(4) {
                0 => format!("{}-{}-overview", rng.pick(NOUNS), rng.pick(NOUNS)),
                1 => format!("{}-{}-{}", rng.pick(VERBS), rng.pick(ADJECTIVES), rng.pick(NOUNS)),
                _ => format!("{}-{}-{}", rng.pick(VERBS), rng.pick(NOUNS), rng.pick(NOUNS)),
            }
        };
        let mut name = base.clone();
        let mut n = 2;
        while !names.insert(name.clone()) {
            name = format!("{base}-{n}");
            n += 1;
        }
        let title = capitalize(&name.replace('-', " "));
        if let Some(area) = area {
            by_area[area].push(index);
        }
        let plan = if include {
            DocPlan {
                area,
                slug: name,
                title,
                guid: None,
                headings: Vec::new(),
                applies: Vec::new(),
                target: rng.range(300, 1500),
            }
        } else {
            let target = (5500.0 * (0.65 * rng.normal()).exp()).clamp(2048.0, 30_720.0) as usize;
            let (headings, applies) = outline(&mut rng, &title, target);
            DocPlan { area, slug: name, title, guid: Some(rng.guid()), headings, applies, target }
        };
        plans.push(plan);
    }
    Plan {
        areas,
        docs: plans,
        by_area,
        articles: (0..article_count).collect(),
        includes: (article_count..docs).collect(),
    }
}

fn outline(rng: &mut Rng, title: &str, target: usize) -> (Vec<HeadingPlan>, Vec<&'static str>) {
    let mut headings = vec![HeadingPlan { level: 1, text: title.to_string(), anchor: None }];
    let mut fragments: HashSet<String> = HashSet::from([slug(title)]);
    let sections = (target / 1500).clamp(1, 18);
    let next_steps = rng.chance(0.7);
    for section in 0..sections {
        let level = if section > 0 && rng.chance(0.25) { 3 } else { 2 };
        loop {
            let count = rng.range(1, 4);
            let text = capitalize(&format!("{} {}", rng.pick(VERBS), words(rng, count)));
            let anchor = rng.chance(0.3).then(|| format!("{}-{}", rng.pick(NOUNS), rng.pick(NOUNS)));
            let heading = HeadingPlan { level, text, anchor };
            // Unique fragments, and no explicit anchor equal to a slug.
            let slug_free = !fragments.contains(&slug(&heading.text));
            if slug_free && fragments.insert(heading.fragment()) {
                fragments.insert(slug(&heading.text));
                headings.push(heading);
                break;
            }
        }
    }
    if next_steps && fragments.insert("next-steps".into()) {
        headings.push(HeadingPlan { level: 2, text: "Next steps".into(), anchor: None });
    }
    let applies = if rng.chance(0.55) {
        let mut items: Vec<&'static str> = Vec::new();
        for _ in 0..rng.range(1, 4) {
            let product = rng.choose(PRODUCTS);
            if !items.contains(&product) {
                items.push(product);
            }
        }
        items
    } else {
        Vec::new()
    };
    (headings, applies)
}

// ---------------------------------------------------------------------------
// The document model

#[derive(Clone)]
enum Inline {
    /// English words, translated in copies.
    Text(String),
    /// A product name, kept in copies.
    Name(&'static str),
    Code(String),
    Bold(String),
    Link {
        text: String,
        dest: String,
    },
    RefLink {
        text: String,
        label: String,
    },
    Autolink(String),
    HtmlLink {
        text: String,
        href: String,
    },
    HtmlImg {
        src: String,
        alt: String,
    },
}

#[derive(Clone)]
struct Sentence {
    parts: Vec<Inline>,
    period: bool,
}

#[derive(Clone)]
enum Block {
    Heading(HeadingPlan),
    AppliesTo(Vec<&'static str>),
    Paragraph(Vec<Sentence>),
    List { ordered: bool, items: Vec<Vec<Sentence>> },
    Table { header: Vec<Sentence>, rows: Vec<Vec<Sentence>> },
    Code { lang: &'static str, body: String },
    Image { alt: String, src: String },
    HtmlImage { alt: String, src: String },
    Note(Vec<Sentence>),
    Include { title: String, path: String },
    NextSteps(Vec<(String, String)>),
    RefDefs(Vec<(String, String)>),
}

#[derive(Clone)]
struct Doc {
    description: String,
    author: (&'static str, &'static str),
    date: String,
    topic: &'static str,
    service: String,
    priority: &'static str,
    blocks: Vec<Block>,
}

/// Writes the body of a source from its plan.
struct Builder<'a> {
    plan: &'a Plan,
    me: usize,
    rng: Rng,
    refs: Vec<(String, String)>,
}

impl Builder<'_> {
    fn doc(&self) -> &DocPlan {
        &self.plan.docs[self.me]
    }

    fn build(mut self) -> Doc {
        let plan = self.doc();
        let (target, include) = (plan.target, plan.area.is_none());
        let headings = plan.headings.clone();
        let applies = plan.applies.clone();
        let area = plan.folder(self.plan).to_string();
        let mut blocks = Vec::new();
        let mut size = 0;
        let push = |blocks: &mut Vec<Block>, block: Block, size: &mut usize| {
            *size += render_source_block(&block).len() + 2;
            blocks.push(block);
        };
        if include {
            if self.rng.chance(0.5) {
                let note = self.note();
                push(&mut blocks, note, &mut size);
            }
            while size < target {
                let paragraph = self.paragraph();
                push(&mut blocks, paragraph, &mut size);
            }
        } else {
            let mut headings = headings.into_iter();
            if let Some(h1) = headings.next() {
                push(&mut blocks, Block::Heading(h1), &mut size);
            }
            if !applies.is_empty() {
                push(&mut blocks, Block::AppliesTo(applies), &mut size);
            }
            let sections: Vec<HeadingPlan> = headings.collect();
            let count = sections.iter().filter(|h| h.text != "Next steps").count();
            // The introduction gets a share of the size like a section.
            let intro_end = size + target / (count + 1);
            let mut first = true;
            while first || size < intro_end {
                let block = if first { self.paragraph() } else { self.intro_block() };
                first = false;
                push(&mut blocks, block, &mut size);
            }
            for (i, heading) in sections.into_iter().enumerate() {
                let next_steps = heading.text == "Next steps";
                push(&mut blocks, Block::Heading(heading), &mut size);
                if next_steps {
                    let links = self.next_steps();
                    push(&mut blocks, links, &mut size);
                    continue;
                }
                let budget = target.saturating_sub(size) / (count - i).max(1);
                let section_end = size + budget.max(200);
                let mut first = true;
                while size < section_end {
                    let block = if first { self.paragraph() } else { self.block() };
                    first = false;
                    push(&mut blocks, block, &mut size);
                }
            }
        }
        if !self.refs.is_empty() {
            let refs = std::mem::take(&mut self.refs);
            blocks.push(Block::RefDefs(refs));
        }
        let rng = &mut self.rng;
        Doc {
            description: {
                let count = rng.range(12, 28);
                capitalize(&words(rng, count)) + "."
            },
            author: *rng.pick(AUTHORS),
            date: rng.date(),
            topic: rng.choose(TOPICS),
            service: format!("contoso-{area}"),
            priority: if rng.chance(0.7) { "medium" } else { "high" },
            blocks,
        }
    }

    fn block(&mut self) -> Block {
        match self.rng.below(100) {
            0..=44 => self.paragraph(),
            45..=59 => self.list(),
            60..=69 => self.code(),
            70..=76 => self.table(),
            77..=84 => self.image(),
            85..=91 => self.note(),
            92..=94 if !self.plan.includes.is_empty() => self.include(),
            95..=96 => {
                let name = format!("{}-{}", self.rng.pick(NOUNS), self.rng.below(9) + 1);
                let src = format!("./media/{}/{name}.png", self.doc().slug);
                Block::HtmlImage { alt: capitalize(&words(&mut self.rng, 4)), src }
            }
            _ => self.paragraph(),
        }
    }

    /// Paragraphs, with now and then an include or a note.
    fn intro_block(&mut self) -> Block {
        match self.rng.below(10) {
            0 if !self.plan.includes.is_empty() => self.include(),
            1 => self.note(),
            _ => self.paragraph(),
        }
    }

    fn paragraph(&mut self) -> Block {
        let count = self.rng.range(1, 4);
        Block::Paragraph((0..count).map(|_| self.sentence(6, 22, true)).collect())
    }

    fn note(&mut self) -> Block {
        let count = self.rng.range(1, 2);
        Block::Note((0..count).map(|_| self.sentence(6, 18, true)).collect())
    }

    fn list(&mut self) -> Block {
        let ordered = self.rng.chance(0.5);
        let count = self.rng.range(2, 6);
        let items = (0..count)
            .map(|_| {
                let sentences = if self.rng.chance(0.3) { 2 } else { 1 };
                (0..sentences).map(|_| self.sentence(4, 16, true)).collect()
            })
            .collect();
        Block::List { ordered, items }
    }

    fn table(&mut self) -> Block {
        let columns = self.rng.range(2, 4);
        let header = (0..columns)
            .map(|_| Sentence { parts: vec![Inline::Text(capitalize(&words(&mut self.rng, 2)))], period: false })
            .collect();
        let rows = (0..self.rng.range(2, 6))
            .map(|_| {
                (0..columns)
                    .map(|_| {
                        let mut cell = self.sentence(2, 10, true);
                        cell.period = false;
                        cell
                    })
                    .collect()
            })
            .collect();
        Block::Table { header, rows }
    }

    fn image(&mut self) -> Block {
        let name = format!("{}-{}", self.rng.pick(NOUNS), self.rng.below(9) + 1);
        Block::Image {
            alt: format!("Screenshot of the {} {} page", self.rng.pick(NOUNS), self.rng.pick(NOUNS)),
            src: format!("./media/{}/{name}.png", self.doc().slug),
        }
    }

    fn include(&mut self) -> Block {
        let target = *self.rng.pick(&self.plan.includes);
        let include = &self.plan.docs[target];
        let path = if self.doc().area.is_some() {
            format!("../includes/{}.md", include.slug)
        } else {
            format!("{}.md", include.slug)
        };
        Block::Include { title: include.slug.clone(), path }
    }

    fn next_steps(&mut self) -> Block {
        let count = self.rng.range(2, 4);
        Block::NextSteps(
            (0..count)
                .map(|_| {
                    let (target, dest) = self.article_link(false);
                    (self.plan.docs[target].title.clone(), dest)
                })
                .collect(),
        )
    }

    /// A relative link to another article: same area or another one.
    fn article_link(&mut self, allow_other_area: bool) -> (usize, String) {
        let me = self.doc();
        let area = me.area;
        let same: &[usize] = area.map_or(&[][..], |area| &self.plan.by_area[area]);
        let other_area = allow_other_area && self.rng.chance(0.3);
        if !other_area && same.len() > 1 {
            let target = *self.rng.pick(same);
            if target != self.me {
                return (target, format!("{}.md", self.plan.docs[target].slug));
            }
        }
        let target = *self.rng.pick(&self.plan.articles);
        let plan = &self.plan.docs[target];
        (target, format!("../{}/{}.md", plan.folder(self.plan), plan.slug))
    }

    fn sentence(&mut self, min: usize, max: usize, inline_elements: bool) -> Sentence {
        let mut remaining = self.rng.range(min, max);
        let mut parts = Vec::new();
        let mut first = true;
        while remaining > 0 {
            let take = remaining.min(self.rng.range(2, 7));
            remaining -= take;
            let text = words(&mut self.rng, take);
            parts.push(Inline::Text(if first { capitalize(&text) } else { text }));
            first = false;
            if remaining > 0 && inline_elements && self.rng.chance(0.35) {
                let element = self.inline();
                parts.push(element);
            }
        }
        Sentence { parts, period: true }
    }

    fn link_text(&mut self) -> String {
        let count = self.rng.range(1, 4);
        words(&mut self.rng, count)
    }

    fn inline(&mut self) -> Inline {
        match self.rng.below(100) {
            0..=44 => {
                let text = self.link_text();
                Inline::Link { text, dest: self.destination() }
            }
            45..=59 => Inline::Code(self.code_span()),
            60..=69 => Inline::Bold(words(&mut self.rng, 2)),
            70..=76 => {
                let label = format!("{}-{}", self.rng.pick(NOUNS), self.refs.len() + 1);
                let dest = self.external_url();
                self.refs.push((label.clone(), dest));
                Inline::RefLink { text: self.link_text(), label }
            }
            77..=80 => {
                Inline::Autolink(format!("https://aka.contoso.com/{}-{}", self.rng.pick(NOUNS), self.rng.hex(4)))
            }
            81..=85 => {
                let text = self.link_text();
                let href = if self.rng.chance(0.5) { self.external_url() } else { self.article_link(true).1 };
                Inline::HtmlLink { text, href }
            }
            86..=87 => Inline::HtmlImg {
                src: {
                    let noun = self.rng.choose(NOUNS);
                    format!("./media/{}/icon-{noun}.png", self.doc().slug)
                },
                alt: format!("{} icon", self.rng.pick(NOUNS)),
            },
            _ => Inline::Name(self.rng.choose(PRODUCTS)),
        }
    }

    fn destination(&mut self) -> String {
        let me = self.doc();
        let area = me.folder(self.plan).to_string();
        match self.rng.below(100) {
            0..=39 => self.article_link(true).1,
            40..=47 => {
                // Another article's heading; only headings without an
                // explicit anchor, whose anchor every copy gets from the
                // pipeline (a planted dropped-anchor defect cannot break it).
                let (target, dest) = self.article_link(true);
                let fragments: Vec<String> = self.plan.docs[target]
                    .headings
                    .iter()
                    .filter(|h| h.anchor.is_none())
                    .map(HeadingPlan::fragment)
                    .collect();
                if fragments.is_empty() {
                    dest
                } else {
                    format!("{dest}#{}", self.rng.pick(&fragments))
                }
            }
            48..=59 if self.doc().headings.len() > 1 => {
                let index = self.rng.range(1, self.doc().headings.len() - 1);
                format!("#{}", self.doc().headings[index].fragment())
            }
            60..=69 => format!("/contoso/{area}/{}", self.rng.pick(NOUNS)),
            70..=84 => {
                format!("https://learn.contoso.com/en-us/{area}/{}-{}", self.rng.pick(VERBS), self.rng.pick(NOUNS))
            }
            _ => self.external_url(),
        }
    }

    fn external_url(&mut self) -> String {
        match self.rng.below(3) {
            0 => format!("https://github.com/contoso/{}-{}", self.rng.pick(NOUNS), self.rng.pick(NOUNS)),
            1 => format!("https://www.fabrikam.com/{}/{}", self.rng.pick(NOUNS), self.rng.pick(VERBS)),
            _ => format!("https://learn.contoso.com/en-us/rest/api/{}", self.rng.pick(NOUNS)),
        }
    }

    fn code_span(&mut self) -> String {
        match self.rng.below(4) {
            0 => format!("{}-Contoso{}", capitalize(self.rng.choose(VERBS)), capitalize(self.rng.choose(NOUNS))),
            1 => format!("--{}", self.rng.pick(NOUNS)),
            2 => format!("{}Id", self.rng.pick(NOUNS)),
            _ => (*self.rng.pick(&["true", "false", "null", "200", "404"])).to_string(),
        }
    }

    fn code(&mut self) -> Block {
        let lang = self.rng.choose(CODE_LANGS);
        let lines = self.rng.range(3, 15);
        let mut body = String::new();
        let rng = &mut self.rng;
        match lang {
            "json" => {
                body.push_str("{\n");
                for i in 0..lines {
                    let comma = if i + 1 < lines { "," } else { "" };
                    let _ = writeln!(body, "  \"{}{}\": \"{}\"{comma}", rng.pick(NOUNS), i, rng.hex(12));
                }
                body.push_str("}\n");
            }
            "csharp" => {
                for _ in 0..lines {
                    let noun = capitalize(rng.choose(NOUNS));
                    let _ = writeln!(
                        body,
                        "var {}{} = await client.{}{}Async(\"{}\");",
                        rng.pick(NOUNS),
                        rng.below(10),
                        capitalize(rng.choose(VERBS)),
                        noun,
                        rng.hex(8)
                    );
                }
            }
            "yaml" => {
                for _ in 0..lines {
                    let _ = writeln!(body, "{}: {}-{}", rng.pick(NOUNS), rng.pick(ADJECTIVES), rng.hex(6));
                }
            }
            "powershell" => {
                for _ in 0..lines {
                    if rng.chance(0.2) {
                        let _ = writeln!(body, "# {}", capitalize(&words(rng, 6)));
                    } else {
                        let _ = writeln!(
                            body,
                            "{}-Contoso{} -Name \"{}-{}\" -ResourceGroup \"rg-{}\"",
                            capitalize(rng.choose(VERBS)),
                            capitalize(rng.choose(NOUNS)),
                            rng.pick(NOUNS),
                            rng.below(100),
                            rng.pick(NOUNS)
                        );
                    }
                }
            }
            _ => {
                for _ in 0..lines {
                    if rng.chance(0.15) {
                        let _ = writeln!(body, "# {}", capitalize(&words(rng, 5)));
                    } else {
                        let _ = writeln!(
                            body,
                            "contoso {} {} --name {}{} --region westus{}",
                            rng.pick(NOUNS),
                            rng.pick(VERBS),
                            rng.pick(NOUNS),
                            rng.below(100),
                            rng.range(1, 3)
                        );
                    }
                }
            }
        }
        Block::Code { lang, body }
    }
}

// ---------------------------------------------------------------------------
// Rendering

fn render_source_inline(inline: &Inline, out: &mut String) {
    let _ = match inline {
        Inline::Text(text) => write!(out, "{text}"),
        Inline::Name(name) => write!(out, "{name}"),
        Inline::Code(code) => write!(out, "`{code}`"),
        Inline::Bold(text) => write!(out, "**{text}**"),
        Inline::Link { text, dest } => write!(out, "[{text}]({dest})"),
        Inline::RefLink { text, label } => write!(out, "[{text}][{label}]"),
        Inline::Autolink(url) => write!(out, "<{url}>"),
        Inline::HtmlLink { text, href } => write!(out, "<a href=\"{href}\">{text}</a>"),
        Inline::HtmlImg { src, alt } => write!(out, "<img src=\"{src}\" alt=\"{alt}\"/>"),
    };
}

fn render_source_sentence(sentence: &Sentence) -> String {
    let mut out = String::new();
    for (i, part) in sentence.parts.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        render_source_inline(part, &mut out);
    }
    if sentence.period {
        out.push('.');
    }
    out
}

fn render_source_block(block: &Block) -> String {
    let mut renderer = Renderer::source();
    renderer.block(block)
}

/// A planted defect, with the index of the item it hits where it needs one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Defect {
    WrongAssetId,
    WrongLocale,
    StaleHash,
    DroppedLink(usize),
    ExtraLink,
    DroppedAnchor(usize),
    BrokenFragment(usize),
    ChangedCode(usize),
    HeadingLevel(usize),
    DeletedSegment(usize),
    DroppedAppliesTo,
    Orphan,
}

impl Defect {
    fn name(self) -> &'static str {
        match self {
            Defect::WrongAssetId => "wrong-assetid",
            Defect::WrongLocale => "wrong-contentlocale",
            Defect::StaleHash => "stale-hash",
            Defect::DroppedLink(_) => "dropped-link",
            Defect::ExtraLink => "extra-link",
            Defect::DroppedAnchor(_) => "dropped-anchor",
            Defect::BrokenFragment(_) => "broken-fragment",
            Defect::ChangedCode(_) => "changed-code-block",
            Defect::HeadingLevel(_) => "heading-level",
            Defect::DeletedSegment(_) => "deleted-segment",
            Defect::DroppedAppliesTo => "dropped-applies-to-item",
            Defect::Orphan => "orphan-copy",
        }
    }
}

/// How many of each defect target a document has, in rendering order.
#[derive(Debug, Default, Clone, Copy)]
struct Counts {
    links: usize,
    fragments: usize,
    anchors: usize,
    subheadings: usize,
    code_blocks: usize,
    paragraph_units: usize,
    applies_items: usize,
}

/// How a copy is written.
struct CopyStyle<'a> {
    locale: &'a Locale,
    /// The 5-hex segment prefix of an sxs copy.
    sxs: Option<String>,
    /// "Applies to" label inside the bold markers (or the reverse).
    label_inside: bool,
    /// `/en-us/` in URLs rewritten to the copy's locale.
    localize_urls: bool,
    /// Machine translation nests brackets in some link texts.
    nested_brackets: bool,
    defect: Option<Defect>,
    extra_dest: String,
}

struct Renderer<'a> {
    style: Option<CopyStyle<'a>>,
    number: u32,
    counts: Counts,
    extra_done: bool,
}

impl<'a> Renderer<'a> {
    fn source() -> Self {
        Renderer { style: None, number: 0, counts: Counts::default(), extra_done: false }
    }

    fn copy(style: CopyStyle<'a>, first_number: u32) -> Self {
        Renderer { style: Some(style), number: first_number, counts: Counts::default(), extra_done: false }
    }

    fn defect(&self) -> Option<Defect> {
        self.style.as_ref().and_then(|s| s.defect)
    }

    fn text(&self, text: &str, sentence_start: bool) -> String {
        match &self.style {
            Some(style) => translate(text, style.locale, sentence_start),
            None => text.to_string(),
        }
    }

    fn separator(&self) -> &'static str {
        match &self.style {
            Some(style) if !style.locale.spaced => "",
            _ => " ",
        }
    }

    fn url(&self, url: &str) -> String {
        match &self.style {
            Some(style) if style.localize_urls && url.starts_with("https://learn.contoso.com/en-us/") => {
                url.replacen("/en-us/", &format!("/{}/", style.locale.tag), 1)
            }
            _ => url.to_string(),
        }
    }

    /// One numbered segment: source text in the source, the translation in a
    /// plain copy, both spans in an sxs copy. `None` when a planted defect
    /// deleted it.
    fn unit(&mut self, translated: String, source: impl FnOnce() -> String) -> Option<String> {
        let number = self.number;
        self.number += 1;
        match &self.style {
            None => Some(source()),
            Some(CopyStyle { sxs: Some(prefix), .. }) => Some(segment(prefix, number, &translated, &source())),
            Some(_) => Some(translated),
        }
    }

    fn sentence(&mut self, sentence: &Sentence) -> String {
        if self.style.is_none() {
            return render_source_sentence(sentence);
        }
        let mut out = String::new();
        for (i, part) in sentence.parts.iter().enumerate() {
            if i > 0 {
                out.push_str(self.separator());
            }
            self.inline(part, i == 0, &mut out);
        }
        if sentence.period {
            out.push_str(self.style.as_ref().map_or(".", |s| s.locale.period));
        }
        out
    }

    fn inline(&mut self, inline: &Inline, first: bool, out: &mut String) {
        match inline {
            Inline::Text(text) => out.push_str(&self.text(text, first)),
            Inline::Name(name) => out.push_str(name),
            Inline::Code(code) => {
                let _ = write!(out, "`{code}`");
            }
            Inline::Bold(text) => {
                let _ = write!(out, "**{}**", self.text(text, false));
            }
            Inline::Link { text, dest } => {
                let index = self.counts.links;
                self.counts.links += 1;
                let mut dest = self.url(dest);
                if dest.starts_with('#') {
                    let fragment = self.counts.fragments;
                    self.counts.fragments += 1;
                    if self.defect() == Some(Defect::BrokenFragment(fragment)) {
                        dest.push_str("-1");
                    }
                }
                let label = self.text(text, false);
                if self.defect() == Some(Defect::DroppedLink(index)) {
                    out.push_str(&label);
                } else if self.style.as_ref().is_some_and(|s| s.nested_brackets) && fnv1a(&dest).is_multiple_of(7) {
                    let _ = write!(out, "[[{label}] {}]({dest})", self.text("link", false));
                } else {
                    let _ = write!(out, "[{label}]({dest})");
                }
            }
            Inline::RefLink { text, label } => {
                let _ = write!(out, "[{}][{label}]", self.text(text, false));
            }
            Inline::Autolink(url) => {
                let _ = write!(out, "<{url}>");
            }
            Inline::HtmlLink { text, href } => {
                let _ = write!(out, "<a href=\"{}\">{}</a>", self.url(href), self.text(text, false));
            }
            Inline::HtmlImg { src, alt } => {
                let _ = write!(out, "<img src=\"{src}\" alt=\"{alt}\"/>");
            }
        }
    }

    fn heading(&mut self, heading: &HeadingPlan) -> String {
        let mut level = heading.level;
        let mut anchor = heading.anchor.clone();
        if heading.level > 1 {
            let index = self.counts.subheadings;
            self.counts.subheadings += 1;
            if self.defect() == Some(Defect::HeadingLevel(index)) {
                level = if level < 6 { level + 1 } else { level - 1 };
            }
        }
        if heading.anchor.is_some() {
            let index = self.counts.anchors;
            self.counts.anchors += 1;
            if self.defect() == Some(Defect::DroppedAnchor(index)) {
                anchor = None;
            }
        } else if self.style.is_some() {
            // The pipeline anchors every copy heading with the source's slug.
            anchor = Some(slug(&heading.text));
        }
        let anchor = anchor.map_or(String::new(), |name| format!("<a name=\"{name}\"></a>"));
        let translated = self.text(&heading.text, true);
        let text = self.unit(translated, || heading.text.clone()).unwrap_or_default();
        format!("{} {anchor}{text}", "#".repeat(usize::from(level)))
    }

    fn block(&mut self, block: &Block) -> String {
        match block {
            Block::Heading(heading) => self.heading(heading),
            Block::AppliesTo(items) => self.applies_to(items),
            Block::Paragraph(sentences) => {
                let mut parts = Vec::new();
                for sentence in sentences {
                    let index = self.counts.paragraph_units;
                    self.counts.paragraph_units += 1;
                    let mut translated = self.sentence(sentence);
                    if self.defect() == Some(Defect::ExtraLink) && !self.extra_done {
                        self.extra_done = true;
                        let extra = self.style.as_ref().map_or(String::new(), |s| s.extra_dest.clone());
                        let _ = write!(translated, "{}[{}]({extra})", self.separator(), self.text("see also", false));
                    }
                    let deleted = self.defect() == Some(Defect::DeletedSegment(index));
                    if let Some(text) = self.unit(translated, || render_source_sentence(sentence)) {
                        if !deleted {
                            parts.push(text);
                        }
                    }
                }
                parts.join(" ")
            }
            Block::Note(sentences) => {
                let parts: Vec<String> = sentences
                    .iter()
                    .filter_map(|sentence| {
                        let translated = self.sentence(sentence);
                        self.unit(translated, || render_source_sentence(sentence))
                    })
                    .collect();
                format!("> [!NOTE]\n> {}", parts.join(" "))
            }
            Block::List { ordered, items } => {
                let mut out = String::new();
                for (i, item) in items.iter().enumerate() {
                    let marker = if *ordered { format!("{}. ", i + 1) } else { "-  ".to_string() };
                    let parts: Vec<String> = item
                        .iter()
                        .filter_map(|sentence| {
                            let translated = self.sentence(sentence);
                            self.unit(translated, || render_source_sentence(sentence))
                        })
                        .collect();
                    if i > 0 {
                        out.push('\n');
                    }
                    let _ = write!(out, "{marker}{}", parts.join(" "));
                }
                out
            }
            Block::Table { header, rows } => {
                let mut out = String::new();
                let row = |renderer: &mut Self, cells: &[Sentence], out: &mut String| {
                    out.push('|');
                    for cell in cells {
                        let translated = renderer.sentence(cell);
                        let text = renderer.unit(translated, || render_source_sentence(cell)).unwrap_or_default();
                        let _ = write!(out, " {text} |");
                    }
                    out.push('\n');
                };
                row(self, header, &mut out);
                out.push('|');
                for _ in header {
                    out.push_str("---|");
                }
                out.push('\n');
                for cells in rows {
                    row(self, cells, &mut out);
                }
                out.pop();
                out
            }
            Block::Code { lang, body } => {
                let index = self.counts.code_blocks;
                self.counts.code_blocks += 1;
                let body = if self.defect() == Some(Defect::ChangedCode(index)) {
                    // A translator "fixed" a value on the first line.
                    let mut lines: Vec<String> = body.lines().map(str::to_string).collect();
                    if let Some(first) = lines.first_mut() {
                        first.push_str(" # translated");
                    }
                    lines.join("\n") + "\n"
                } else {
                    body.clone()
                };
                format!("```{lang}\n{body}```")
            }
            Block::Image { alt, src } => {
                // Alt text takes a segment number but has no span.
                self.number += 1;
                let alt = if self.style.as_ref().is_some_and(|s| s.sxs.is_none()) {
                    self.text(alt, true)
                } else {
                    alt.clone()
                };
                format!("![{alt}]({src})")
            }
            Block::HtmlImage { alt, src } => {
                self.number += 1;
                format!("<img src=\"{src}\" alt=\"{alt}\" width=\"600\"/>")
            }
            Block::Include { title, path } => format!("[!INCLUDE[{title}]({path})]"),
            Block::NextSteps(links) => {
                let mut out = String::new();
                for (i, (title, dest)) in links.iter().enumerate() {
                    let index = self.counts.links;
                    self.counts.links += 1;
                    let translated = self.text(title, true);
                    let text = self.unit(translated, || title.clone()).unwrap_or_default();
                    if i > 0 {
                        out.push('\n');
                    }
                    if self.defect() == Some(Defect::DroppedLink(index)) {
                        let _ = write!(out, "- {text}");
                    } else {
                        let _ = write!(out, "- [{text}]({dest})");
                    }
                }
                out
            }
            Block::RefDefs(refs) => {
                let mut out = String::new();
                for (i, (label, dest)) in refs.iter().enumerate() {
                    if i > 0 {
                        out.push('\n');
                    }
                    let _ = write!(out, "[{label}]: {}", self.url(dest));
                }
                out
            }
        }
    }

    fn applies_to(&mut self, items: &[&'static str]) -> String {
        let (label_inside, translated_label) = match &self.style {
            Some(style) => (style.label_inside, style.locale.label.to_string()),
            None => (false, "Applies to".to_string()),
        };
        let sxs = self.style.as_ref().is_some_and(|s| s.sxs.is_some());
        let label = if sxs && label_inside {
            self.unit(format!("**{translated_label}**"), || "**Applies to**".to_string()).unwrap_or_default()
        } else {
            let text = self.unit(translated_label, || "Applies to".to_string()).unwrap_or_default();
            format!("**{text}**")
        };
        let mut out = format!("{label}\n");
        let last = items.len() - 1;
        for (i, item) in items.iter().enumerate() {
            self.counts.applies_items += 1;
            let translated = self.text(item, true);
            let text = self.unit(translated, || item.to_string()).unwrap_or_default();
            if self.defect() == Some(Defect::DroppedAppliesTo) && i == last {
                continue;
            }
            let _ = write!(out, "\n-  {text}");
        }
        out
    }

    fn body(&mut self, doc: &Doc) -> String {
        let mut out = String::new();
        for block in &doc.blocks {
            let text = self.block(block);
            if text.is_empty() {
                continue;
            }
            out.push_str(&text);
            out.push_str("\n\n");
        }
        out.truncate(out.len().saturating_sub(2));
        out
    }
}

fn segment(prefix: &str, number: u32, translated: &str, source: &str) -> String {
    format!(
        "<span data-ttu-id=\"{prefix}-{number}\">{translated}</span><span class=\"sxs-lookup\"><span data-stu-id=\"{prefix}-{number}\">{source}</span></span>"
    )
}

// ---------------------------------------------------------------------------
// Writing one group: the source and its copies

/// What every copy of one handoff shares.
struct Handoff {
    commit: String,
    date: String,
    sxs: bool,
    title_spans: bool,
    label_inside: bool,
    first_number: u32,
}

fn write_group(
    args: &Args,
    plan: &Plan,
    locales: &[Locale],
    index: usize,
    defective: &[bool],
    stats: &Stats,
) -> Result<Vec<DefectRecord>, String> {
    let doc_plan = &plan.docs[index];
    let builder = Builder { plan, me: index, rng: Rng::new(mix(args.seed, 1000 + index as u64)), refs: Vec::new() };
    let doc = builder.build();
    let mut rng = Rng::new(mix(args.seed, 0x5EED_0000_0000 + index as u64));
    let folder = doc_plan.folder(plan);
    let relative = format!("{folder}/{}.md", doc_plan.slug);

    // The source.
    let mut source = Renderer::source();
    let body = source.body(&doc);
    let census = source.counts;
    let crlf = rng.chance(0.05);
    let mut source_text = String::new();
    if doc_plan.area.is_some() {
        source_text.push_str(&front_matter(&source_front(doc_plan, &doc), crlf));
    }
    source_text.push_str(&body);
    source_text.push('\n');
    let source_sha1 = sha1_smol::Sha1::from(source_text.as_bytes()).digest().to_string();
    write_file(args, &format!("{SOURCE_LOCALE}/{relative}"), source_text.as_bytes(), stats)?;
    // What the copies were translated from: the source, or with --drift an
    // older revision of it (and that revision's hash).
    let (doc, source_sha1) = if args.drift && doc_plan.area.is_some() {
        let old = older_revision(&doc, plan, index, args.seed);
        let mut old_text = front_matter(&source_front(doc_plan, &old), crlf);
        old_text.push_str(&Renderer::source().body(&old));
        old_text.push('\n');
        (old, sha1_smol::Sha1::from(old_text.as_bytes()).digest().to_string())
    } else {
        (doc, source_sha1)
    };

    let handoff = Handoff {
        commit: rng.hex(40),
        date: rng.date(),
        sxs: rng.chance(0.37),
        title_spans: rng.chance(0.25),
        label_inside: rng.chance(0.5),
        first_number: 100 + rng.range(1, 5) as u32,
    };

    let mut records = Vec::new();
    for (locale_index, locale) in locales.iter().enumerate() {
        let mut rng = Rng::new(mix(args.seed, ((index as u64) << 8) | locale_index as u64));
        let sxs = handoff.sxs && rng.chance(0.9);
        let prefix = rng.hex(5);
        let defect = defective[index * locales.len() + locale_index]
            .then(|| choose_defect(&mut rng, doc_plan, &census, sxs))
            .flatten();
        let mut path = format!("{}/{relative}", locale.tag);
        let mut detail = String::new();
        let mut front = source_front(doc_plan, &doc);
        let title = translate(&doc_plan.title, locale, true) + " | Contoso Docs";
        front[0].1 = if sxs && handoff.title_spans {
            let spans = segment(&prefix, handoff.first_number, &title, &format!("{} | Contoso Docs", doc_plan.title));
            format!("\"{}\"", spans.replace('"', "\\\""))
        } else {
            title
        };
        front[1].1 = format!("\"{}\"", translate(&doc.description, locale, true) + locale.period);
        if doc_plan.area.is_none() {
            front.clear();
        }
        let mut hash = source_sha1.clone();
        let mut content_locale = locale.display.to_string();
        match defect {
            Some(Defect::WrongAssetId) => {
                let other = &plan.docs[*rng.pick(&plan.articles)];
                let id = match &other.guid {
                    Some(guid) if guid != doc_plan.guid.as_deref().unwrap_or_default() && rng.chance(0.5) => {
                        guid.clone()
                    }
                    _ => rng.guid(),
                };
                detail = id.clone();
                if let Some(entry) = front.iter_mut().find(|(key, _)| key == "ms.assetid") {
                    entry.1 = id;
                }
            }
            Some(Defect::WrongLocale) => {
                let others: Vec<&Locale> = LOCALES.iter().filter(|l| l.tag != locale.tag).collect();
                content_locale = rng.pick(&others).display.to_string();
                detail = content_locale.clone();
            }
            Some(Defect::StaleHash) => {
                hash = rng.hex(40);
                detail = hash.clone();
            }
            Some(Defect::Orphan) => {
                path = format!("{}/{folder}/{}-legacy.md", locale.tag, doc_plan.slug);
            }
            _ => {}
        }
        front.push(("ms.openlocfilehash".into(), hash));
        front.push(("ms.sourcegitcommit".into(), handoff.commit.clone()));
        let translation_type = if sxs { rng.chance(0.7) } else { rng.chance(0.4) };
        front.push(("ms.translationtype".into(), if translation_type { "HT" } else { "MT" }.into()));
        front.push(("ms.contentlocale".into(), content_locale));
        front.push(("ms.lasthandoff".into(), handoff.date.clone()));
        front.push(("ms.locfileid".into(), format!("\"{}\"", rng.range(10_000_000, 99_999_999))));

        let extra_dest = Builder { plan, me: index, rng: rng.clone(), refs: Vec::new() }.article_link(true).1;
        let style = CopyStyle {
            locale,
            sxs: sxs.then_some(prefix),
            label_inside: handoff.label_inside,
            localize_urls: rng.chance(0.5),
            nested_brackets: !translation_type && !sxs,
            defect,
            extra_dest,
        };
        let mut renderer = Renderer::copy(style, handoff.first_number + 2);
        let body = renderer.body(&doc);
        let mut text = String::new();
        if rng.chance(0.02) {
            text.push('\u{FEFF}');
        }
        text.push_str(&front_matter(&front, rng.chance(0.15) || crlf));
        text.push_str(&body);
        text.push('\n');
        write_file(args, &path, text.as_bytes(), stats)?;
        if sxs {
            stats.sxs.fetch_add(1, Ordering::Relaxed);
        }
        if let Some(defect) = defect {
            records.push(DefectRecord { path, kind: defect.name(), detail });
        }
    }
    Ok(records)
}

/// An older revision of the article `doc`: the edits its source made since
/// (7 to 14 of them) undone. Blocks added since are missing, blocks removed
/// since are there, changed code blocks, renamed or re-levelled headings and
/// reordered blocks are as they were, and explicit anchors added since are
/// absent.
fn older_revision(doc: &Doc, plan: &Plan, index: usize, seed: u64) -> Doc {
    let mut rng = Rng::new(mix(seed, 0xD81F_0000_0000 + index as u64));
    let mut builder =
        Builder { plan, me: index, rng: Rng::new(mix(seed, 0xD81F_1000_0000 + index as u64)), refs: Vec::new() };
    let mut old = doc.clone();
    let body = |blocks: &[Block]| -> Vec<usize> {
        blocks
            .iter()
            .enumerate()
            .filter(|(_, block)| {
                matches!(
                    block,
                    Block::Paragraph(_)
                        | Block::List { .. }
                        | Block::Table { .. }
                        | Block::Code { .. }
                        | Block::Image { .. }
                        | Block::HtmlImage { .. }
                        | Block::Note(_)
                )
            })
            .map(|(i, _)| i)
            .collect()
    };
    let subheadings = |blocks: &[Block]| -> Vec<usize> {
        blocks
            .iter()
            .enumerate()
            .filter(|(_, block)| matches!(block, Block::Heading(h) if h.level > 1 && h.text != "Next steps"))
            .map(|(i, _)| i)
            .collect()
    };
    for _ in 0..rng.range(7, 14) {
        let blocks = body(&old.blocks);
        let headings = subheadings(&old.blocks);
        // Where a block can go: after the H1, before the reference definitions.
        let end = old.blocks.len() - usize::from(matches!(old.blocks.last(), Some(Block::RefDefs(_))));
        let at = if end > 1 { rng.range(1, end) } else { end };
        match rng.below(8) {
            // Added since: the old revision lacks it.
            0 | 1 if blocks.len() > 1 => {
                old.blocks.remove(*rng.pick(&blocks));
            }
            // Removed since: the old revision has it.
            2 => old.blocks.insert(at, builder.paragraph()),
            3 => old.blocks.insert(at, builder.code()),
            4 => {
                let codes: Vec<usize> =
                    blocks.iter().copied().filter(|&i| matches!(old.blocks[i], Block::Code { .. })).collect();
                if let Some(&i) = codes.get(rng.below(codes.len().max(1))) {
                    if let Block::Code { body, .. } = &mut old.blocks[i] {
                        let _ = writeln!(body, "{} {}", rng.pick(VERBS), rng.pick(NOUNS));
                    }
                }
            }
            5 if !headings.is_empty() => {
                if let Block::Heading(heading) = &mut old.blocks[*rng.pick(&headings)] {
                    match rng.below(3) {
                        0 => heading.level = if heading.level == 2 { 3 } else { 2 },
                        1 if heading.anchor.is_some() => heading.anchor = None,
                        _ => heading.text = format!("{} {}", heading.text, rng.pick(NOUNS)),
                    }
                }
            }
            // Reordered since.
            _ if blocks.len() > 1 => {
                let i = rng.below(blocks.len() - 1);
                old.blocks.swap(blocks[i], blocks[i + 1]);
            }
            _ => {}
        }
    }
    if !builder.refs.is_empty() {
        match old.blocks.last_mut() {
            Some(Block::RefDefs(refs)) => refs.append(&mut builder.refs),
            _ => old.blocks.push(Block::RefDefs(builder.refs)),
        }
    }
    old
}

/// A defect the copy can carry, picked uniformly among those that apply.
fn choose_defect(rng: &mut Rng, plan: &DocPlan, census: &Counts, sxs: bool) -> Option<Defect> {
    let mut kinds = vec![Defect::WrongLocale, Defect::StaleHash, Defect::Orphan];
    if plan.guid.is_some() {
        kinds.push(Defect::WrongAssetId);
    }
    if census.paragraph_units > 0 {
        kinds.push(Defect::ExtraLink);
    }
    if census.links > 0 {
        kinds.push(Defect::DroppedLink(rng.below(census.links)));
    }
    if census.anchors > 0 {
        kinds.push(Defect::DroppedAnchor(rng.below(census.anchors)));
    }
    if census.fragments > 0 {
        kinds.push(Defect::BrokenFragment(rng.below(census.fragments)));
    }
    if census.code_blocks > 0 {
        kinds.push(Defect::ChangedCode(rng.below(census.code_blocks)));
    }
    if census.subheadings > 0 {
        kinds.push(Defect::HeadingLevel(rng.below(census.subheadings)));
    }
    if sxs && census.paragraph_units > 0 {
        kinds.push(Defect::DeletedSegment(rng.below(census.paragraph_units)));
    }
    if census.applies_items >= 2 {
        kinds.push(Defect::DroppedAppliesTo);
    }
    Some(*rng.pick(&kinds))
}

fn source_front(plan: &DocPlan, doc: &Doc) -> Vec<(String, String)> {
    let mut front = vec![
        ("title".to_string(), format!("{} | Contoso Docs", plan.title)),
        ("description".to_string(), doc.description.clone()),
        ("author".to_string(), doc.author.0.to_string()),
        ("ms.author".to_string(), doc.author.1.to_string()),
        ("ms.service".to_string(), doc.service.clone()),
        ("ms.topic".to_string(), doc.topic.to_string()),
        ("ms.date".to_string(), doc.date.clone()),
    ];
    if let Some(guid) = &plan.guid {
        front.push(("ms.assetid".to_string(), guid.clone()));
    }
    front.push(("ms.localizationpriority".to_string(), doc.priority.to_string()));
    front
}

/// `---` block; with `crlf`, key lines end in CRLF as the pipeline writes them.
fn front_matter(entries: &[(String, String)], crlf: bool) -> String {
    let newline = if crlf { "\r\n" } else { "\n" };
    let mut out = String::from("---\n");
    for (key, value) in entries {
        let _ = write!(out, "{key}: {value}{newline}");
    }
    out.push_str("---\n");
    out
}

fn write_file(args: &Args, relative: &str, bytes: &[u8], stats: &Stats) -> Result<(), String> {
    let path = args.out.join(relative);
    std::fs::write(&path, bytes).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    stats.files.fetch_add(1, Ordering::Relaxed);
    stats.bytes.fetch_add(bytes.len() as u64, Ordering::Relaxed);
    Ok(())
}
