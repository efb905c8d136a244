//! Command-line interface: argument parsing and the exit code contract
//! (0 success, 1 content or config error, 2 usage error).

use std::path::PathBuf;
use std::process::ExitCode;

use chrono::{DateTime, FixedOffset};
use clap::{Parser, Subcommand};

use crate::diagnostic::{Diagnostic, Error};
use crate::parse::{Kind, When};
use crate::pipeline::{self, BuildOptions};

/// `println!` that ignores a closed stdout (`almanac build | head -1`):
/// the exit code stays the command's own, not a panic's.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($arg)*);
    }};
}

/// almanac — turns a folder of Markdown playbooks, rules, FAQs and events into a static site.
#[derive(Debug, Parser)]
#[command(name = "almanac", version, about)]
pub struct Cli {
    /// Site folder (holding almanac.toml).
    #[arg(long, global = true, default_value = ".", value_name = "DIR")]
    pub root: PathBuf,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a new site, ready to build.
    Init {
        /// Folder to create the site in (default: the --root folder).
        dir: Option<PathBuf>,
    },
    /// Build the site into its output folder.
    Build {
        /// Output folder (default: public/ in the site folder).
        #[arg(short, long, value_name = "DIR")]
        output: Option<PathBuf>,
        /// Override base_url from almanac.toml.
        #[arg(long, value_name = "URL")]
        base_url: Option<String>,
        /// Include pages with `draft = true`.
        #[arg(long)]
        drafts: bool,
        /// "Now" for upcoming/past events, for reproducible builds (RFC 3339 or YYYY-MM-DD).
        #[arg(long, value_name = "TIME", value_parser = parse_now)]
        now: Option<DateTime<FixedOffset>>,
        /// Print the time each stage took.
        #[arg(short, long)]
        verbose: bool,
        /// Replace the output folder even if no almanac build made it.
        #[arg(long)]
        force: bool,
        /// Print nothing on success but warnings.
        #[arg(short, long, conflicts_with = "verbose")]
        quiet: bool,
    },
    /// Serve the site on a local address, rebuilding and reloading pages on every change.
    Serve {
        /// Port to listen on [default: 1111, or the next free one when
        /// another server has it].
        #[arg(short, long)]
        port: Option<u16>,
        /// Address to listen on; use 0.0.0.0 to let other devices on your network connect.
        #[arg(long, default_value = "127.0.0.1")]
        bind: String,
        /// Open the site in a browser.
        #[arg(long)]
        open: bool,
        /// Include pages with `draft = true`.
        #[arg(long)]
        drafts: bool,
    },
    /// Check links, anchors, front matter and templates without writing
    /// anything; also orphan pages, pages without tags, questions asked
    /// twice, events without an end, rules without `effective`, and stale
    /// or missing translations.
    Check {
        /// Include pages with `draft = true`.
        #[arg(long)]
        drafts: bool,
        /// `text` for people, `json` for tools: an array of findings, each
        /// with file, line, column, severity, code, message and help.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Also check links to other sites (16 at a time, 10 s each; good
        /// answers kept a day in .almanac-cache/links.json).
        #[arg(long)]
        external: bool,
    },
    /// Create a page from a kind's template, or start a translation of one.
    New {
        /// page, playbook, rules, faq or event.
        #[arg(value_parser = parse_kind, required_unless_present = "translate")]
        kind: Option<Kind>,
        /// Page title.
        #[arg(required_unless_present = "translate")]
        title: Option<String>,
        /// Start a translation of this page (a copy to translate, which
        /// records the version it was made from).
        #[arg(long, value_name = "FILE", requires = "lang", conflicts_with_all = ["kind", "title"])]
        translate: Option<PathBuf>,
        /// The language to translate into (with --translate).
        #[arg(long, value_name = "CODE")]
        lang: Option<String>,
    },
    /// Print a shell completion script: `almanac completions bash > ~/.local/share/bash-completion/completions/almanac`.
    Completions {
        /// bash, zsh, fish, elvish or powershell.
        shell: clap_complete::Shell,
    },
    /// Mark translations current: record the version of the original each now matches.
    Translated {
        /// Translation files, e.g. content/rules/code.en.md.
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
}

/// How `check` prints what it found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Messages as the build prints them.
    Text,
    /// A JSON array of findings.
    Json,
}

fn parse_now(s: &str) -> Result<DateTime<FixedOffset>, String> {
    When::parse(s)
        .map(|w| w.instant())
        .ok_or_else(|| format!("`{s}` is not a date or RFC 3339 time"))
}

fn parse_kind(s: &str) -> Result<Kind, String> {
    match s {
        "page" => Ok(Kind::Page),
        "playbook" => Ok(Kind::Playbook),
        "rules" => Ok(Kind::Rules),
        "faq" => Ok(Kind::Faq),
        "event" => Ok(Kind::Event),
        _ => Err(format!(
            "unknown kind `{s}`: use page, playbook, rules, faq or event"
        )),
    }
}

/// Parses arguments, runs the command, prints errors, returns the exit code.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            if !matches!(e, Error::Reported) {
                eprintln!("{e}");
            }
            ExitCode::from(e.exit_code())
        }
    }
}

fn print_warnings(warnings: &[Diagnostic]) {
    for w in warnings {
        eprintln!("{w}\n");
    }
}

fn build(opts: &BuildOptions, verbose: bool, quiet: bool) -> Result<(), Error> {
    if !quiet {
        eprintln!("Building site in {} ...", opts.root.display());
    }
    let s = pipeline::build(opts)?;
    print_warnings(&s.warnings);
    if quiet {
        return Ok(());
    }
    say!(
        "Built {} pages, {} sections, {} tags ({} files) into {} in {} ms",
        s.pages,
        s.sections,
        s.tags,
        s.files,
        s.output.display(),
        s.elapsed.as_millis()
    );
    if verbose {
        say!(
            "  {} files unchanged since the build before last",
            s.unchanged
        );
        if let Some((tokenized, pages)) = s.tokenized {
            match pages.saturating_sub(tokenized) {
                0 => say!("  {tokenized} of {pages} pages tokenized for search"),
                kept => say!(
                    "  {tokenized} of {pages} pages tokenized for search, {kept} pages' tokens kept from the build before"
                ),
            }
        }
        for note in &s.notes {
            say!("  note: {note}");
        }
        for (stage, time) in &s.timings.stages {
            say!("  {stage:<12} {:>8.1} ms", time.as_secs_f64() * 1000.0);
        }
    }
    Ok(())
}

/// `check --format json`: every finding, errors included, as one JSON
/// array on stdout; the exit code is still 1 on any error.
fn check_json(opts: &BuildOptions, external: bool) -> Result<(), Error> {
    let (findings, result) = match pipeline::check(opts, external) {
        Ok(report) => {
            let mut findings: Vec<serde_json::Value> =
                report.warnings.iter().map(Diagnostic::to_json).collect();
            for l in &report.translations {
                for s in &l.stale {
                    findings.push(serde_json::json!({
                        "file": s.split(' ').next(), "line": null, "column": null,
                        "severity": "warning", "code": "translation-stale",
                        "message": format!("{} translation is stale: {s}", l.language), "help": null,
                    }));
                }
            }
            (findings, Ok(()))
        }
        Err(e) => {
            let diags: Vec<Diagnostic> = match &e {
                Error::Build(d) => d.clone(),
                Error::Config(d) | Error::Refused(d) | Error::Unavailable(d) => vec![d.clone()],
                Error::Io { .. } | Error::Reported => vec![Diagnostic::error(e.to_string())],
            };
            (diags.iter().map(Diagnostic::to_json).collect(), Err(()))
        }
    };
    say!("{}", serde_json::Value::Array(findings));
    match result {
        Ok(()) => Ok(()),
        // Already printed: only the exit code is left to give.
        Err(_) => Err(Error::Reported),
    }
}

/// `check`'s list of stale and missing translations, per language.
fn print_translations(report: &[pipeline::TranslationReport]) {
    if report.is_empty() {
        return;
    }
    say!("Translations:");
    for l in report {
        say!(
            "  {}: {} of {} pages translated, {} stale, {} missing",
            l.language,
            l.translated,
            l.originals,
            l.stale.len(),
            l.missing.len()
        );
        for s in &l.stale {
            say!("    stale    {s}");
        }
        for m in &l.missing {
            say!("    missing  {m}");
        }
    }
}

/// Runs one parsed command.
pub fn run(cli: Cli) -> Result<(), Error> {
    match cli.command {
        Command::Init { dir } => {
            let dir = dir.unwrap_or(cli.root);
            crate::init::site(&dir)?;
            say!(
                "Created a new site in {}. Build it with:\n  almanac build --root {}",
                dir.display(),
                dir.display()
            );
            Ok(())
        }
        Command::Build {
            output,
            base_url,
            drafts,
            now,
            verbose,
            force,
            quiet,
        } => build(
            &BuildOptions {
                root: cli.root,
                output,
                base_url,
                drafts,
                now,
                force,
                progress: !quiet,
            },
            verbose,
            quiet,
        ),
        Command::Serve {
            port,
            bind,
            open,
            drafts,
        } => crate::serve::run(crate::serve::ServeOptions {
            build: BuildOptions {
                root: cli.root,
                drafts,
                ..Default::default()
            },
            bind,
            port,
            open,
        }),
        Command::Check {
            drafts,
            format,
            external,
        } => {
            let opts = BuildOptions {
                root: cli.root,
                drafts,
                ..Default::default()
            };
            if format == Format::Json {
                return check_json(&opts, external);
            }
            let report = pipeline::check(&opts, external)?;
            print_warnings(&report.warnings);
            print_translations(&report.translations);
            match report.external {
                Some((n, true)) => {
                    eprintln!("No network: the {n} links to other sites were not checked.")
                }
                Some((n, false)) => say!("Checked {n} links to other sites."),
                None => {}
            }
            match report.warnings.len() {
                0 => say!("No problems found."),
                n => say!("No errors; {n} warning{}.", if n == 1 { "" } else { "s" }),
            }
            Ok(())
        }
        Command::New {
            translate: Some(original),
            lang,
            ..
        } => {
            let lang = lang.unwrap_or_default();
            let path = crate::translate::start(&cli.root, &original, &lang)?;
            say!(
                "Created {}: translate it; when the original changes later and you bring it up to date, run `almanac translated` on it",
                path.display()
            );
            Ok(())
        }
        Command::New { kind, title, .. } => {
            let (Some(kind), Some(title)) = (kind, title) else {
                return Err(Error::Config(Diagnostic::error(
                    "almanac new needs a kind and a title, or --translate FILE --lang CODE",
                )));
            };
            let path = crate::init::new_page(&cli.root, kind, &title)?;
            say!("Created {}", path.display());
            Ok(())
        }
        Command::Completions { shell } => {
            use clap::CommandFactory;
            let mut cmd = Cli::command();
            clap_complete::generate(shell, &mut cmd, "almanac", &mut std::io::stdout());
            Ok(())
        }
        Command::Translated { files } => {
            for f in crate::translate::mark_current(&cli.root, &files)? {
                say!("Marked {f} current");
            }
            Ok(())
        }
    }
}
