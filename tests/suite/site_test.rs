//! `SiteTest`: a throwaway site folder, the real binary, and parsed output.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use scraper::{Html, Selector};

pub const SITE_TOML: &str =
    "title = \"Test Site\"\nbase_url = \"https://example.org/explainers/\"\n";

pub const ENTITIES: &str = r#"
steve-witkoff:
  name: Steve Witkoff
  kind: person
  aliases: [Witkoff]
  role: US special envoy
vladimir-putin:
  name: Vladimir Putin
  kind: person
  aliases: [Putin]
  role: President of Russia
  wikidata: Q7747
nato:
  name: NATO
  kind: organisation
  wikidata: Q7184
moscow:
  name: Moscow
  kind: place
"#;

pub const GLOSSARY: &str = r#"
ceasefire:
  term: ceasefire
  aliases: [truce]
  definition: "An agreed halt to fighting."
envoy:
  term: envoy
  definition: "A diplomat sent on a *special* mission."
"#;

pub struct SiteTest {
    dir: tempfile::TempDir,
}

impl SiteTest {
    /// An empty folder with only site.toml.
    pub fn new() -> SiteTest {
        let t = SiteTest {
            dir: tempfile::tempdir().expect("temp dir"),
        };
        t.file("site.toml", SITE_TOML);
        t
    }

    /// site.toml plus the standard registries.
    pub fn with_registries() -> SiteTest {
        let t = SiteTest::new();
        t.file("content/entities.yaml", ENTITIES);
        t.file("content/glossary.yaml", GLOSSARY);
        t
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn file(&self, path: &str, contents: impl AsRef<[u8]>) -> &SiteTest {
        let p = self.root().join(path);
        std::fs::create_dir_all(p.parent().expect("has parent")).expect("mkdir");
        std::fs::write(p, contents).expect("write");
        self
    }

    /// An article with the given front matter lines (without fences) and body.
    pub fn article(&self, slug: &str, front: &str, body: &str) -> &SiteTest {
        self.file(
            &format!("content/articles/{slug}.md"),
            format!("---\n{front}\n---\n{body}"),
        )
    }

    pub fn gloss(&self, args: &[&str]) -> Run {
        let output = Command::new(env!("CARGO_BIN_EXE_gloss"))
            .args(args)
            .arg("--color")
            .arg("never")
            .current_dir(self.root())
            .output()
            .expect("run gloss");
        Run {
            output,
            root: self.root().to_path_buf(),
        }
    }

    /// `gloss build`, which must succeed.
    pub fn build(&self) -> Run {
        self.build_with(&[])
    }

    pub fn build_with(&self, extra: &[&str]) -> Run {
        let mut args = vec!["build"];
        args.extend_from_slice(extra);
        let run = self.gloss(&args);
        assert!(run.ok(), "build failed:\n{}", run.stderr());
        run
    }

    pub fn out(&self, path: &str) -> PathBuf {
        self.root().join("public").join(path)
    }

    pub fn read(&self, path: &str) -> String {
        std::fs::read_to_string(self.out(path))
            .unwrap_or_else(|e| panic!("read public/{path}: {e}"))
    }

    pub fn html(&self, path: &str) -> Page {
        Page {
            doc: Html::parse_document(&self.read(path)),
            path: path.to_string(),
        }
    }

    pub fn exists(&self, path: &str) -> bool {
        self.out(path).exists()
    }
}

pub struct Run {
    pub output: Output,
    #[allow(dead_code)]
    pub root: PathBuf,
}

impl Run {
    pub fn ok(&self) -> bool {
        self.output.status.success()
    }
    pub fn code(&self) -> Option<i32> {
        self.output.status.code()
    }
    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.output.stderr).into_owned()
    }
    pub fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.output.stdout).into_owned()
    }
}

/// A parsed page with small query helpers.
pub struct Page {
    pub doc: Html,
    pub path: String,
}

impl Page {
    pub fn select(&self, css: &str) -> Vec<scraper::ElementRef<'_>> {
        let sel = Selector::parse(css).unwrap_or_else(|e| panic!("bad selector {css}: {e:?}"));
        self.doc.select(&sel).collect()
    }

    /// The page's preview data island, as written and parsed.
    pub fn preview_data(&self) -> (String, serde_json::Value) {
        let data = self.one("script#gloss-data").inner_html();
        let value = serde_json::from_str(&data).expect("data island is JSON");
        (data, value)
    }

    pub fn one(&self, css: &str) -> scraper::ElementRef<'_> {
        let found = self.select(css);
        assert_eq!(
            found.len(),
            1,
            "expected one `{css}` in {}, found {}",
            self.path,
            found.len()
        );
        found[0]
    }

    pub fn texts(&self, css: &str) -> Vec<String> {
        self.select(css).iter().map(|e| text(e)).collect()
    }

    pub fn attrs(&self, css: &str, attr: &str) -> Vec<String> {
        self.select(css)
            .iter()
            .filter_map(|e| e.value().attr(attr).map(str::to_string))
            .collect()
    }

    pub fn has_id(&self, id: &str) -> bool {
        !self.select(&format!("[id=\"{id}\"]")).is_empty()
    }
}

/// An element's text with whitespace collapsed.
/// Builds the repository's own sample site (what the README's first command builds) into
/// `public`, and panics with gloss's errors if the build fails.
pub fn build_sample_site(public: &Path) {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let output = Command::new(env!("CARGO_BIN_EXE_gloss"))
        .args(["build", "--root"])
        .arg(repo)
        .arg("-o")
        .arg(public)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

pub fn text(e: &scraper::ElementRef) -> String {
    e.text()
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Resolves a relative `href` found on the page at `from` (`articles/x/index.html`) to a path
/// inside public/, dropping any fragment.
pub fn resolve_href(from: &str, href: &str) -> (String, Option<String>) {
    let (path, fragment) = match href.split_once('#') {
        Some((p, f)) => (p, Some(f.to_string())),
        None => (href, None),
    };
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop(); // the file name
    if path.is_empty() {
        return (from.to_string(), fragment);
    }
    for seg in path.split('/') {
        match seg {
            ".." => {
                parts.pop();
            }
            "." | "" => {}
            s => parts.push(s),
        }
    }
    let mut joined = parts.join("/");
    if path.ends_with('/') || joined.is_empty() {
        if !joined.is_empty() {
            joined.push('/');
        }
        joined.push_str("index.html");
    }
    (joined, fragment)
}
