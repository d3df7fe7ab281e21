//! Renders an assessment for people and programs: a terminal table, JSON, YAML, Markdown, HTML,
//! and Microsoft's HardwareReadiness.ps1 JSON shape.
//!
//! Markdown and HTML come from minijinja templates in `templates/`, embedded in the binary; a
//! `--templates DIR` holding a file of the same name overrides it. Renderers only show what the
//! assessment holds: they judge nothing. Every product key is masked here unless the caller asks
//! to reveal it, so no format can leak one by accident: the `product_key` field, and anything
//! else shaped like a key in the whole text ([`crate::facts::productkey::shaped`]). Values are escaped
//! for where they are shown ([`escape`]): HTML and Markdown by the template engine, the terminal
//! table's strings before it is laid out.

pub mod escape;
pub mod hwreadiness;
pub mod table;
pub mod timeline;
pub mod wording;

use crate::error::{Error, Result};
use crate::facts::inventory::Inventory;
use crate::judge::assess::Assessment;
use crate::judge::verdict::TargetResult;
use crate::vocab::{Reference, Status};
use include_dir::{include_dir, Dir};
use minijinja::{Environment, UndefinedBehavior};
use serde::Serialize;
use std::path::PathBuf;

static TEMPLATES: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/templates");

/// An output format of `assess`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Table,
    Json,
    Yaml,
    Markdown,
    Html,
    HwReadiness,
}

impl Format {
    pub const NAMES: [&'static str; 6] = ["table", "json", "yaml", "md", "html", "hwreadiness"];

    pub fn parse(name: &str) -> Option<Format> {
        Some(match name {
            "table" => Format::Table,
            "json" => Format::Json,
            "yaml" | "yml" => Format::Yaml,
            "md" | "markdown" => Format::Markdown,
            "html" | "htm" => Format::Html,
            "hwreadiness" => Format::HwReadiness,
            _ => return None,
        })
    }

    /// The format a file name's extension implies, for `-o report.html`.
    pub fn from_extension(path: &std::path::Path) -> Option<Format> {
        match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
            "json" => Some(Format::Json),
            "yaml" | "yml" => Some(Format::Yaml),
            "md" | "markdown" => Some(Format::Markdown),
            "html" | "htm" => Some(Format::Html),
            "txt" => Some(Format::Table),
            _ => None,
        }
    }
}

/// What a renderer may show besides the assessment.
#[derive(Debug, Clone, Copy, Default)]
pub struct RenderOptions {
    /// Show product keys in full.
    pub reveal_keys: bool,
    /// Colour the terminal table.
    pub color: bool,
}

/// Holds the loaded templates, so a batch renders many machines without reloading them.
pub struct Renderer {
    env: Environment<'static>,
    /// How a verdict is worded, in every format.
    wording: wording::Wording,
}

/// The names a report template sees. The assessment is turned into template values once; the
/// grouped views below share its values instead of serializing the same checks again, since
/// building and dropping the context was as costly as rendering both templates.
///
/// - `assessment`, `inventory` (no program list; keys masked unless revealed), `generator`;
/// - `assessment_json`: the assessment as JSON for the HTML report's embedded copy, made by
///   serde_json (the template engine's `tojson` costs twenty times more);
/// - `targets`: each target's checks grouped by status (`failed`, `unknown`, `passed`,
///   `not_applicable`), most urgent first within a group;
/// - `sources`: every source cited by a check, a date or a price, once, in first-cited order;
/// - `licence_checks`: the licensing pack's checks that apply, most urgent first;
/// - `wording`: how a verdict is worded (`templates/wording.yaml`), `wording.verdicts[id]` with
///   its `label`, `todo` and `note`;
/// - `os_support_words`, `timeline` (the options' support, each with its status in `words`),
///   `chart` (the geometry of the HTML timeline).
fn template_context(
    assessment: &Assessment,
    inventory: &Inventory,
    wording: &wording::Wording,
    with_json: bool,
) -> minijinja::Value {
    use minijinja::Value;
    let value = Value::from_serialize(assessment);
    let field = |parent: &Value, name: &str| parent.get_attr(name).unwrap_or_default();
    let item = |list: &Value, index: usize| list.get_item_by_index(index).unwrap_or_default();
    let targets_value = field(&value, "targets");
    let targets: Vec<Value> = assessment
        .targets
        .iter()
        .enumerate()
        .map(|(index, result)| target_view(result, &item(&targets_value, index)))
        .collect();
    let licence_value = field(&field(&field(&value, "plan"), "licence"), "checks");
    let licence_checks: Vec<Value> = licence_order(assessment)
        .into_iter()
        .map(|index| item(&licence_value, index))
        .collect();
    let timeline_value = field(&value, "timeline");
    let timeline: Vec<Value> = assessment
        .timeline
        .iter()
        .enumerate()
        .map(|(index, support)| {
            let row = item(&timeline_value, index);
            let words = Value::from(timeline::status_words(support));
            let fields = row.try_iter().into_iter().flatten().map(|key| {
                let value = row.get_item(&key).unwrap_or_default();
                (key, value)
            });
            fields
                .chain(std::iter::once((Value::from("words"), words)))
                .collect()
        })
        .collect();
    let assessment_json = if with_json {
        script_json(assessment)
    } else {
        Value::UNDEFINED
    };
    Value::from_iter([
        ("assessment", value),
        ("assessment_json", assessment_json),
        ("inventory", Value::from_serialize(inventory)),
        (
            "generator",
            Value::from_iter([
                ("name", Value::from("w7plan")),
                ("version", Value::from(env!("CARGO_PKG_VERSION"))),
            ]),
        ),
        ("targets", Value::from(targets)),
        ("wording", Value::from_serialize(wording)),
        ("sources", Value::from_serialize(sources(assessment))),
        ("licence_checks", Value::from(licence_checks)),
        (
            "os_support_words",
            Value::from_serialize(assessment.os.support.known().map(timeline::status_words)),
        ),
        ("timeline", Value::from(timeline)),
        (
            "chart",
            Value::from_serialize(timeline::Chart::new(assessment)),
        ),
    ])
}

/// One target's checks grouped by status, sharing the values of `result_value` (the target as
/// the template sees it).
fn target_view(result: &TargetResult, result_value: &minijinja::Value) -> minijinja::Value {
    use minijinja::Value;
    let field = |name: &str| result_value.get_attr(name).unwrap_or_default();
    let checks = field("checks");
    let mut groups: [Vec<Value>; 4] = Default::default();
    for index in result.urgency_order() {
        let group = match result.checks[index].status {
            Status::Fail => 0,
            Status::Unknown => 1,
            Status::Pass => 2,
            Status::NotApplicable => 3,
        };
        groups[group].push(checks.get_item_by_index(index).unwrap_or_default());
    }
    let [failed, unknown, passed, not_applicable] = groups.map(Value::from);
    let to_confirm: Vec<Value> = result
        .to_confirm()
        .into_iter()
        .map(|c| {
            let source = (c.evidence == Some(crate::vocab::Evidence::Inferred))
                .then(|| c.refs.first())
                .flatten();
            Value::from_iter([
                ("id", Value::from(c.id.as_str())),
                ("title", Value::from(c.title.as_str())),
                ("label", Value::from(confirm_label(c))),
                ("status", Value::from(c.status.as_str())),
                ("basis", Value::from_serialize(&c.basis)),
                ("source", Value::from_serialize(source)),
                ("todo", Value::from(one_thing(c))),
            ])
        })
        .collect();
    let blocked_by: Vec<Value> = result
        .checks
        .iter()
        .filter(|c| c.severity == crate::vocab::Severity::Blocker && c.status == Status::Fail)
        .map(|c| match c.evidence {
            Some(crate::vocab::Evidence::Inferred) => {
                Value::from(format!("{} (inferred)", c.title))
            }
            _ => Value::from(c.title.as_str()),
        })
        .collect();
    Value::from_iter([
        ("target", field("target")),
        ("title", field("title")),
        ("verdict", field("verdict")),
        ("tally", field("tally")),
        ("to_confirm", Value::from(to_confirm)),
        ("blocked_by", Value::from(blocked_by)),
        ("failed", failed),
        ("unknown", unknown),
        ("passed", passed),
        ("not_applicable", not_applicable),
    ])
}

/// Why a check is listed beside the verdict: "unknown" for an enforced check with no answer,
/// "to confirm by hand" for a documented-only one not seen, "to confirm (inferred)" for an
/// answer inferred from other facts.
pub fn confirm_label(check: &crate::vocab::CheckResult) -> &'static str {
    match check.status {
        Status::Unknown if check.enforced => "unknown",
        Status::Unknown => "to confirm by hand",
        _ => "to confirm (inferred)",
    }
}

/// The one thing to do about a check left to confirm: the first sentence of its `manual`.
pub fn one_thing(check: &crate::vocab::CheckResult) -> String {
    match check.manual.as_deref() {
        Some(manual) => first_sentence(manual).to_string(),
        None => "Check it by hand.".to_string(),
    }
}

/// Up to the first full stop that ends a sentence (not the one of `e.g.`, `i.e.` or inside a
/// file name), or the whole text.
pub fn first_sentence(text: &str) -> &str {
    // `.` is ASCII, so every index it is found at is a character boundary.
    for (i, _) in text.match_indices('.') {
        let ends = text[i + 1..].chars().next().is_none_or(char::is_whitespace);
        let abbreviation = text[..i].ends_with("e.g") || text[..i].ends_with("i.e");
        if ends && !abbreviation {
            return &text[..=i];
        }
    }
    text
}

fn sources(assessment: &Assessment) -> Vec<&Reference> {
    let mut seen = std::collections::HashSet::new();
    let licence = &assessment.plan.licence;
    let checks = assessment.targets.iter().flat_map(|t| &t.checks).chain(
        licence
            .checks
            .iter()
            .filter(|c| c.status != Status::NotApplicable),
    );
    let check_refs = checks.flat_map(|c| c.refs.iter().chain(c.prices.iter().map(|p| &p.source)));
    let channel_refs = licence.channel.iter().flat_map(|c| &c.sources);
    let current = assessment.os.support.known();
    let support_refs = current
        .into_iter()
        .chain(current.and_then(|c| c.esu.as_deref()))
        .chain(&assessment.timeline)
        .flat_map(|s| {
            std::iter::once(&s.source)
                .chain(s.extension.iter().map(|e| &e.source))
                .chain(s.price.iter().map(|p| &p.source))
        });
    // The routes the report lays out, with what their prices were read from.
    let route_refs = assessment
        .plan
        .route
        .options
        .iter()
        .flat_map(|o| o.refs.iter().chain(o.prices.iter().map(|p| &p.source)));
    check_refs
        .chain(channel_refs)
        .chain(support_refs)
        .chain(route_refs)
        .filter(|r| seen.insert(r.url.as_str()))
        .collect()
}

/// The indices of the licensing checks that apply, failed first, then unknown, then passed.
fn licence_order(assessment: &Assessment) -> Vec<usize> {
    let checks = &assessment.plan.licence.checks;
    let rank = |index: &usize| match checks[*index].status {
        Status::Fail => 0,
        Status::Unknown => 1,
        _ => 2,
    };
    let mut order: Vec<usize> = (0..checks.len())
        .filter(|&index| checks[index].status != Status::NotApplicable)
        .collect();
    order.sort_by_key(rank);
    order
}

/// The work one render of `--templates` may do, in minijinja's instructions.
pub const TEMPLATE_FUEL: u64 = 50_000_000;

impl Renderer {
    /// Templates from `user_dir` first, then the embedded ones.
    pub fn new(user_dir: Option<PathBuf>) -> Result<Renderer> {
        if let Some(dir) = &user_dir {
            if !dir.is_dir() {
                return Err(Error::Read {
                    path: dir.clone(),
                    source: std::io::Error::new(std::io::ErrorKind::NotFound, "not a directory"),
                });
            }
        }
        let embedded_wording = TEMPLATES
            .get_file(wording::FILE_NAME)
            .and_then(|f| f.contents_utf8())
            .unwrap_or_default();
        let wording = wording::Wording::load(user_dir.as_deref(), embedded_wording)?;
        let mut env = crate::judge::rules::engine::new_environment(UndefinedBehavior::Lenient);
        if user_dir.is_some() {
            // Someone else's templates may loop without end (two nested loops of 100,000 hung);
            // fuel stops a render after about a few seconds of work. The shipped templates need a
            // small fraction of it even for a fleet of 10,000 machines.
            env.set_fuel(Some(TEMPLATE_FUEL));
        }
        env.set_loader(move |name| {
            if let Some(dir) = &user_dir {
                let path = dir.join(name);
                if path.is_file() {
                    return std::fs::read_to_string(&path).map(Some).map_err(|e| {
                        minijinja::Error::new(
                            minijinja::ErrorKind::TemplateNotFound,
                            format!("cannot read {}: {e}", path.display()),
                        )
                    });
                }
            }
            Ok(TEMPLATES
                .get_file(name)
                .and_then(|f| f.contents_utf8())
                .map(str::to_string))
        });
        // Markdown templates escape every value for Markdown, as HTML ones do for HTML.
        env.set_auto_escape_callback(|name| {
            if name.ends_with(".md") {
                minijinja::AutoEscape::Custom(MARKDOWN)
            } else {
                minijinja::default_auto_escape_callback(name)
            }
        });
        env.set_formatter(format_value);
        env.add_filter("md_cell", md_cell);
        env.add_filter("link", link);
        env.add_filter("usd", usd);
        env.add_filter("code_spans", code_spans);
        env.set_trim_blocks(true);
        env.set_lstrip_blocks(true);
        Ok(Renderer { env, wording })
    }

    /// Renders one machine's assessment. Unless keys are revealed, anything shaped like a
    /// product key is masked in the whole text, whichever field it came from.
    pub fn render(
        &self,
        format: Format,
        assessment: &Assessment,
        inventory: &Inventory,
        options: RenderOptions,
    ) -> Result<String> {
        let text = self.render_unmasked(format, assessment, inventory, options)?;
        Ok(crate::output::files::Keys::revealed(options.reveal_keys)
            .apply(&text)
            .into_owned())
    }

    fn render_unmasked(
        &self,
        format: Format,
        assessment: &Assessment,
        inventory: &Inventory,
        options: RenderOptions,
    ) -> Result<String> {
        let shown = assessment.shown(options.reveal_keys);
        match format {
            // Masks (or reveals) the keys of both itself.
            Format::Markdown | Format::Html => Ok(self
                .render_templates(&[format], assessment, inventory, options)?
                .remove(0)),
            Format::Json => {
                Ok(serde_json::to_string_pretty(&*shown).expect("an assessment serializes") + "\n")
            }
            Format::Yaml => Ok(crate::yaml::to_string(&*shown).expect("an assessment serializes")),
            Format::Table => {
                let keys = crate::output::files::Keys::revealed(options.reveal_keys);
                Ok(match escape::terminal_assessment(&shown, keys) {
                    Some(safe) => table::render(&safe, &self.wording, options.color),
                    // Never expected; without colours the finished text can be escaped whole.
                    None => escape::terminal(&table::render(&shown, &self.wording, false), true)
                        .into_owned(),
                })
            }
            Format::HwReadiness => {
                let inventory = crate::facts::productkey::redact(inventory, options.reveal_keys);
                Ok(hwreadiness::HwReadiness::new(&shown, &inventory).to_json() + "\n")
            }
        }
    }

    /// Renders a page template other than the machine report (the fleet dashboard) with its own
    /// context, streaming into `out`.
    pub fn render_page<S: Serialize>(
        &self,
        name: &str,
        context: S,
        out: &mut dyn std::io::Write,
    ) -> Result<()> {
        let template = self.env.get_template(name).map_err(template_error(name))?;
        template
            .render_captured_to(context, out)
            .map_err(template_error(name))?;
        Ok(())
    }

    /// Renders the Markdown and/or HTML report of one machine from one shared context: a batch
    /// writes both for every machine, and building the context is a good part of the cost.
    pub fn render_templates(
        &self,
        formats: &[Format],
        assessment: &Assessment,
        inventory: &Inventory,
        options: RenderOptions,
    ) -> Result<Vec<String>> {
        // The reports show the programs at risk (plan.software), not the whole program list,
        // which would cost more to hand to the templates than all the rest.
        let inventory = without_software(inventory);
        let inventory = crate::facts::productkey::redact(&inventory, options.reveal_keys);
        let assessment = assessment.shown(options.reveal_keys);
        let context = template_context(
            &assessment,
            &inventory,
            &self.wording,
            formats.contains(&Format::Html),
        );
        formats
            .iter()
            .map(|format| {
                let name = match format {
                    Format::Markdown => "report.md",
                    Format::Html => "report.html",
                    other => unreachable!("{other:?} is not a template format"),
                };
                let template = self.env.get_template(name).map_err(template_error(name))?;
                template.render(&context).map_err(template_error(name))
            })
            .collect()
    }
}

/// The inventory without its program list. A struct literal, so a new inventory field stops
/// the build here until it is passed on.
fn without_software(inventory: &Inventory) -> Inventory {
    Inventory {
        schema: inventory.schema.clone(),
        collected_at: inventory.collected_at.clone(),
        source: inventory.source.clone(),
        host: inventory.host.clone(),
        os: inventory.os.clone(),
        cpu: inventory.cpu.clone(),
        memory: inventory.memory.clone(),
        storage: inventory.storage.clone(),
        firmware: inventory.firmware.clone(),
        tpm: inventory.tpm.clone(),
        graphics: inventory.graphics.clone(),
        display: inventory.display.clone(),
        license: inventory.license.clone(),
        software: None,
        notes: inventory.notes.clone(),
        sources: inventory.sources.clone(),
    }
}

fn template_error(name: &str) -> impl Fn(minijinja::Error) -> Error + '_ {
    move |e| Error::Template {
        name: name.to_string(),
        message: match e.line() {
            _ if e.kind() == minijinja::ErrorKind::OutOfFuel => format!(
                "stopped: the template did more than {TEMPLATE_FUEL} steps of work (a loop \
                 without end, or loops nested too deep)"
            ),
            Some(line) => format!("line {line}: {e}"),
            None => e.to_string(),
        },
    }
}

/// A value as JSON that is safe inside an HTML `<script>` element: `<`, `>` and `&` can only
/// occur inside JSON strings, where their `\u` escapes mean the same.
pub fn script_json<T: Serialize + ?Sized>(value: &T) -> minijinja::Value {
    // A machine's assessment is about 50 KB: room for it up front saves the copies of growing.
    let mut json = Vec::with_capacity(64 * 1024);
    serde_json::to_writer(&mut json, value).expect("report data serializes");
    let mut out = Vec::with_capacity(json.len() + json.len() / 64);
    escape_for_script(&json, &mut out);
    // serde_json writes UTF-8 and only ASCII bytes were replaced, by ASCII.
    let json = String::from_utf8(out).expect("JSON is UTF-8");
    minijinja::Value::from_safe_string(json)
}

/// Copies `json` with `<`, `>` and `&` escaped, a run between two of them at a time.
fn escape_for_script(json: &[u8], out: &mut Vec<u8>) {
    let mut start = 0;
    for at in memchr::memchr3_iter(b'<', b'>', b'&', json) {
        let escape: &[u8] = match json[at] {
            b'<' => b"\\u003c",
            b'>' => b"\\u003e",
            _ => b"\\u0026",
        };
        out.extend_from_slice(&json[start..at]);
        out.extend_from_slice(escape);
        start = at + 1;
    }
    out.extend_from_slice(&json[start..]);
}

/// Passes JSON on to the inner writer escaped as [`script_json`] does, in chunks, so a fleet's
/// table (tens of megabytes) is never held whole. serde_json writes many small pieces: they are
/// gathered and escaped a chunk at a time.
pub struct ScriptSafe<W: std::io::Write> {
    inner: W,
    pending: Vec<u8>,
    escaped: Vec<u8>,
}

impl<W: std::io::Write> ScriptSafe<W> {
    const CHUNK: usize = 64 * 1024;

    pub fn new(inner: W) -> ScriptSafe<W> {
        ScriptSafe {
            inner,
            pending: Vec::with_capacity(Self::CHUNK),
            escaped: Vec::with_capacity(Self::CHUNK + Self::CHUNK / 8),
        }
    }

    fn pass_on(&mut self) -> std::io::Result<()> {
        self.escaped.clear();
        escape_for_script(&self.pending, &mut self.escaped);
        self.pending.clear();
        self.inner.write_all(&self.escaped)
    }
}

impl<W: std::io::Write> std::io::Write for ScriptSafe<W> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.pending.extend_from_slice(bytes);
        if self.pending.len() >= Self::CHUNK {
            self.pass_on()?;
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.pass_on()?;
        self.inner.flush()
    }
}

/// A price for people: `$30`, `$199.99`.
pub fn usd(amount: f64) -> String {
    if amount.fract() == 0.0 {
        format!("${amount:.0}")
    } else {
        format!("${amount:.2}")
    }
}

/// The name of the Markdown auto-escape mode.
const MARKDOWN: &str = "markdown";

/// Writes a value into a template's output: in Markdown templates escaped for Markdown
/// ([`escape::markdown`]) unless marked safe, elsewhere as minijinja does (HTML-escaped in HTML).
fn format_value(
    out: &mut minijinja::Output<'_>,
    state: &minijinja::State<'_, '_>,
    value: &minijinja::Value,
) -> std::result::Result<(), minijinja::Error> {
    if state.auto_escape() != minijinja::AutoEscape::Custom(MARKDOWN) {
        return minijinja::escape_formatter(out, state, value);
    }
    let text = value.to_string();
    let text = if value.is_safe() {
        text
    } else {
        escape::markdown(&text, false)
    };
    out.write_str(&text).map_err(|e| {
        minijinja::Error::new(minijinja::ErrorKind::WriteFailure, "cannot write").with_source(e)
    })
}

/// Text made safe for one Markdown table cell: no line breaks, no column separators, no markup.
fn md_cell(text: &str) -> minijinja::Value {
    minijinja::Value::from_safe_string(escape::markdown(text, true))
}

/// A link target: only http(s) URLs are kept (see [`escape::link_url`]). In Markdown it is
/// written as is (its characters that could end the link are encoded); in HTML, escaped.
fn link(state: &minijinja::State<'_, '_>, url: &str) -> minijinja::Value {
    let url = escape::link_url(url);
    if state.auto_escape() == minijinja::AutoEscape::Custom(MARKDOWN) {
        minijinja::Value::from_safe_string(url)
    } else {
        minijinja::Value::from(url)
    }
}

/// Escapes text for HTML and shows its `backticked` spans as code, as the Markdown report does.
fn code_spans(text: &str) -> minijinja::Value {
    let mut html = String::with_capacity(text.len() + 16);
    for (index, part) in text.split('`').enumerate() {
        let escaped = minijinja::HtmlEscape(part).to_string();
        // Odd parts sit between backticks; an unpaired final backtick leaves its text plain.
        if index % 2 == 1 && text.split('`').count() > index + 1 {
            html.push_str("<code>");
            html.push_str(&escaped);
            html.push_str("</code>");
        } else {
            if index % 2 == 1 {
                html.push('`');
            }
            html.push_str(&escaped);
        }
    }
    minijinja::Value::from_safe_string(html)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_sentences_skip_abbreviations() {
        assert_eq!(
            first_sentence("Run tpm.msc as administrator: it shows the TPM. Then more."),
            "Run tpm.msc as administrator: it shows the TPM."
        );
        assert_eq!(
            first_sentence("Read it (e.g. \"Family 6\"). Next."),
            "Read it (e.g. \"Family 6\")."
        );
        assert_eq!(first_sentence("No full stop"), "No full stop");
        assert_eq!(
            first_sentence("Open Control Panel → System. Then."),
            "Open Control Panel → System."
        );
    }

    #[test]
    fn code_spans_escape_and_mark_code() {
        assert_eq!(
            code_spans("run `a <b>` & go").to_string(),
            "run <code>a &lt;b&gt;</code> &amp; go"
        );
        assert_eq!(code_spans("one ` left").to_string(), "one ` left");
        assert_eq!(md_cell("a|b\nc").to_string(), "a\\|b c");
    }
}
