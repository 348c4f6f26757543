//! The `gloss` binary: parse the command line, call the library, print diagnostics, and choose
//! the exit code (0 success, 1 problems in the site's content, 2 usage or I/O errors).

use std::io::IsTerminal;
use std::process::ExitCode;

use clap::Parser;
use gloss::build::{BuildOptions, Error};
use gloss::diagnostics::{self, Diagnostic};

mod allocator;
#[global_allocator]
static ALLOC: allocator::MiMalloc = allocator::MiMalloc;

mod cli;
use cli::{Cli, Color, Command, Format};

/// How the user asked for diagnostics.
#[derive(Clone, Copy)]
struct Output {
    color: bool,
    json: bool,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let color = match cli.color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    };
    let out = Output {
        color,
        json: cli.format == Format::Json,
    };
    match run(cli.command, out) {
        Ok(()) => ExitCode::SUCCESS,
        Err(code) => ExitCode::from(code),
    }
}

fn run(command: Command, out: Output) -> Result<(), u8> {
    match command {
        Command::Build(args) => {
            allocator::keep_freed_memory();
            let options = BuildOptions {
                root: args.site.root,
                output_dir: args.output_dir,
                base_url: args.site.base_url,
                drafts: args.site.drafts,
                deny_warnings: args.site.deny_warnings,
                check_only: false,
            };
            match gloss::build(&options) {
                Ok(report) => {
                    print_diagnostics(&report.diagnostics, out);
                    if args.timings {
                        eprintln!("{}", report.timings);
                    }
                    eprintln!(
                        "built {} pages ({} files) into {} in {} ms",
                        report.pages,
                        report.files,
                        report.output_dir.display(),
                        report.elapsed.as_millis()
                    );
                    Ok(())
                }
                Err(e) => Err(report_error(e, out)),
            }
        }
        Command::Check(args) => {
            let options = BuildOptions {
                root: args.root,
                output_dir: None,
                base_url: args.base_url,
                drafts: args.drafts,
                deny_warnings: args.deny_warnings,
                check_only: true,
            };
            match gloss::generate(&options, &gloss::render::Discard) {
                Ok(rendered) => {
                    print_diagnostics(&rendered.diagnostics, out);
                    let sites = &rendered.sites;
                    let languages = match sites.len() {
                        1 => String::new(),
                        n => format!(" in {n} languages"),
                    };
                    eprintln!(
                        "ok: {} articles, {} entities, {} terms{languages}; nothing written",
                        sites.iter().map(|s| s.articles.len()).sum::<usize>(),
                        sites.first().map_or(0, |s| s.entities.len()),
                        sites.first().map_or(0, |s| s.terms.len())
                    );
                    Ok(())
                }
                Err(e) => Err(report_error(e, out)),
            }
        }
        Command::Serve(args) => serve(args, out),
        Command::Import(args) => import(args, out),
        Command::Init { dir } => match gloss::scaffold::init(&dir) {
            Ok(files) => {
                println!(
                    "created a new site in {} ({} files)",
                    dir.display(),
                    files.len()
                );
                println!("next: cd {} && gloss build", dir.display());
                Ok(())
            }
            Err(e) => {
                eprintln!("error: {e}");
                Err(2)
            }
        },
        Command::New { title, slug, root } => {
            match gloss::scaffold::new_article(
                &root,
                &title,
                slug.as_deref(),
                gloss::content::Date::today(),
            ) {
                Ok(path) => {
                    println!(
                        "created {} (a draft: set `draft: false` to publish)",
                        path.display()
                    );
                    Ok(())
                }
                Err(e) => {
                    eprintln!("error: {e}");
                    Err(2)
                }
            }
        }
    }
}

fn report_error(error: Error, out: Output) -> u8 {
    match error {
        Error::Content(list) => {
            print_diagnostics(&list, out);
            let errors = list
                .iter()
                .filter(|d| d.severity == diagnostics::Severity::Error)
                .count();
            if errors > 0 {
                eprintln!("error: the site has {errors} error(s); nothing was written");
            } else {
                let warnings = list.len();
                eprintln!("error: {warnings} warning(s) and --deny-warnings; nothing was written");
            }
            1
        }
        other => {
            eprintln!("error: {other}");
            2
        }
    }
}

fn print_diagnostics(list: &[Diagnostic], out: Output) {
    for d in list {
        if out.json {
            println!("{}", diagnostics::to_json(d));
        } else {
            eprint!("{}", diagnostics::render_human(d, out.color));
        }
    }
}

fn serve(args: cli::ServeArgs, out: Output) -> Result<(), u8> {
    if !args.bind.is_loopback() {
        eprintln!(
            "warning: serving on {}: anyone who can reach this machine can read the site, drafts included",
            args.bind
        );
    }
    let options = gloss::serve::ServeOptions {
        root: args.root,
        bind: args.bind,
        port: args.port,
        drafts: args.drafts,
        open: args.open,
    };
    let terminal = Terminal {
        out,
        warnings: None,
    };
    match gloss::serve::serve(options, terminal) {
        Ok(()) => Ok(()),
        Err(e) => {
            eprintln!("error: {e}");
            Err(2)
        }
    }
}

/// Reports the preview server's builds on the terminal.
struct Terminal {
    out: Output,
    /// The warnings printed last: the same ones are not printed again after every save.
    warnings: Option<Vec<String>>,
}

impl gloss::serve::Reporter for Terminal {
    fn listening(&mut self, url: &str) {
        // The URL alone on stdout, for scripts; the sentence on stderr, for people.
        println!("{url}");
        eprintln!("serving the site at {url} (Ctrl-C stops)");
    }

    fn built(&mut self, outcome: &gloss::serve::Outcome, total: usize) {
        let warnings: Vec<String> = outcome.warnings.iter().map(|d| d.to_string()).collect();
        if self.warnings.as_ref() != Some(&warnings) {
            print_diagnostics(&outcome.warnings, self.out);
            self.warnings = Some(warnings);
        }
        let what = if outcome.selection.all {
            "the whole site".to_string()
        } else if outcome.css_only {
            "stylesheets".to_string()
        } else {
            format!("{} page(s)", outcome.pages)
        };
        let phases: Vec<String> = outcome
            .phases
            .iter()
            .map(|(name, took)| format!("{name} {}", took.as_millis()))
            .collect();
        eprintln!(
            "rebuilt {what} in {} ms: {} ({} files served)",
            outcome.elapsed.as_millis(),
            phases.join(", "),
            total
        );
    }

    fn failed(&mut self, diagnostics: &[Diagnostic]) {
        self.warnings = None;
        print_diagnostics(diagnostics, self.out);
        eprintln!("error: the build failed; the last good build stays served");
    }
}

fn import(args: cli::ImportArgs, out: Output) -> Result<(), u8> {
    let date = match args.date.as_deref().map(gloss::content::Date::parse) {
        Some(Ok(d)) => Some(d),
        Some(Err(e)) => {
            eprintln!("error: --date: {e}");
            return Err(2);
        }
        None => None,
    };
    let options = gloss::import::ImportOptions {
        root: args.root,
        file: args.file,
        slug: args.slug,
        title: args.title,
        date,
        sidecar: args.sidecar,
    };
    let mut suggestions = Vec::new();
    match gloss::import::import(&options, &mut suggestions) {
        Ok((story, imported)) => {
            print_diagnostics(&imported.warnings, out);
            println!(
                "created {} (a draft: review it, then set `draft: false`)",
                imported.article.display()
            );
            if let Some(sidecar) = &imported.sidecar {
                println!("annotations in {}", sidecar.display());
            }
            print!(
                "{}",
                gloss::import::evidence_report(&story, &imported.matches)
            );
            if !imported.suggestions.is_empty() {
                println!(
                    "names not in content/entities.yaml yet: {}",
                    imported.suggestions.join(", ")
                );
            }
            if args.suggest_entities {
                print!(
                    "{}",
                    gloss::import::entity_stubs(&story, &imported.suggestions)
                );
            }
            Ok(())
        }
        Err(gloss::import::ImportError::Input(list)) => {
            print_diagnostics(&list, out);
            eprintln!("error: the wire story could not be imported; nothing was written");
            Err(1)
        }
        Err(e) => {
            eprintln!("error: {e}");
            Err(2)
        }
    }
}
