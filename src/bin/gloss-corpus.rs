//! `gloss-corpus`: writes a deterministic synthetic newsroom archive for benchmarks.
//!
//! ```text
//! cargo run --release --features corpus --bin gloss-corpus -- N OUT_DIR
//! ```
//! OUT_DIR/gloss is a gloss site: N explainers of 600-1,200 words (headings, lists, a code
//! block in 1 of 20, links between articles), each with 5 key points and their evidence, a
//! background box, a timeline and 20-60 mentions of a registry of N/2 entities with aliases,
//! plus a glossary of 500 terms. OUT_DIR/hugo and OUT_DIR/zola hold the same Markdown bodies as
//! Hugo and Zola sites (front matter translated, annotations dropped, minimal templates), so the
//! peers render the same text. The same N always gives the same bytes.
//!
//! The peers' configurations make what gloss makes from the front matter they share: a page per
//! tag, an Atom or RSS feed for the site and for each tag (50 entries, as gloss's), a sitemap,
//! robots.txt and a 404 page. `config.bare.toml` / `hugo.bare.toml` beside them render the
//! articles and the section list only (`PEERS=bare bench/compare.sh`).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

#[path = "common/rng.rs"]
mod rng;
use rng::Rng;

const WORDS: &[&str] = &[
    "government",
    "talks",
    "officials",
    "said",
    "plan",
    "week",
    "agreement",
    "minister",
    "during",
    "after",
    "region",
    "forces",
    "support",
    "proposal",
    "meeting",
    "border",
    "economy",
    "election",
    "leaders",
    "allies",
    "security",
    "budget",
    "reform",
    "court",
    "ruling",
    "parliament",
    "vote",
    "opposition",
    "spokesman",
    "report",
    "negotiators",
    "capital",
    "summit",
    "sanctions",
    "energy",
    "prices",
    "trade",
    "tariffs",
    "the",
    "a",
    "of",
    "and",
    "to",
    "in",
    "on",
    "with",
    "for",
    "that",
    "was",
    "were",
    "would",
    "could",
    "has",
    "have",
    "new",
    "first",
    "last",
    "several",
    "many",
    "few",
    "long",
    "short",
    "public",
    "private",
    "national",
    "local",
    "international",
    "military",
    "civilian",
    "aid",
    "deal",
    "crisis",
    "response",
    "policy",
    "statement",
];
const SYLLABLES: &[&str] = &[
    "al", "ber", "cor", "dan", "el", "fin", "gar", "hol", "is", "jor", "kel", "lun", "mar", "nor",
    "os", "pel", "quin", "ros", "sar", "tor", "ul", "ver", "wen", "yas", "zel", "bra", "cla",
    "dre", "fro", "gri",
];
const KINDS: &[&str] = &["person", "person", "person", "organisation", "place"];

fn cap(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

fn word_name(rng: &mut Rng, syllables: usize) -> String {
    (0..syllables).map(|_| *rng.pick(SYLLABLES)).collect()
}

struct Entity {
    id: String,
    name: String,
    alias: String,
    kind: &'static str,
}

struct Term {
    id: String,
    term: String,
}

fn entities(rng: &mut Rng, n: usize) -> Vec<Entity> {
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::with_capacity(n);
    while out.len() < n {
        let first = cap(&word_name(rng, 2));
        let last = cap(&word_name(rng, 3));
        let name = format!("{first} {last}");
        if !seen.insert(name.clone()) || !seen.insert(last.clone()) {
            continue;
        }
        let id = name.to_lowercase().replace(' ', "-");
        out.push(Entity {
            id,
            name,
            alias: last,
            kind: rng.pick::<&str>(KINDS),
        });
    }
    out
}

fn terms(rng: &mut Rng, n: usize) -> Vec<Term> {
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::with_capacity(n);
    while out.len() < n {
        let term = format!("{} {}", word_name(rng, 2), word_name(rng, 2));
        if seen.insert(term.clone()) {
            out.push(Term {
                id: term.replace(' ', "-"),
                term,
            });
        }
    }
    out
}

struct Article {
    slug: String,
    title: String,
    date: String,
    body: String,
    evidence: Vec<String>,
    mentioned: Vec<usize>,
}

fn sentence(rng: &mut Rng, out: &mut String, names: &[String]) {
    let len = rng.range(10, 22);
    for i in 0..len {
        if i > 0 {
            out.push(' ');
        }
        if !names.is_empty() && i == len / 2 {
            out.push_str(rng.pick::<String>(names));
        } else if i == 0 {
            out.push_str(&cap(rng.pick::<&str>(WORDS)));
        } else {
            out.push_str(rng.pick::<&str>(WORDS));
        }
    }
    out.push('.');
}

fn article(rng: &mut Rng, i: usize, n: usize, ents: &[Entity], terms: &[Term]) -> Article {
    let slug = format!("explainer-{i:06}");
    let title = format!(
        "{} {} {} {}",
        cap(rng.pick::<&str>(WORDS)),
        rng.pick::<&str>(WORDS),
        rng.pick::<&str>(WORDS),
        word_name(rng, 3)
    );
    let date = format!(
        "{}-{:02}-{:02}",
        2015 + i * 10 / n.max(1),
        1 + rng.below(12),
        1 + rng.below(28)
    );
    // 20-60 mentions drawn from the registry, by full name or alias; a few glossary terms.
    let mentions = rng.range(20, 60);
    let mut mentioned = Vec::with_capacity(mentions);
    let mut names = Vec::with_capacity(mentions + 4);
    for _ in 0..mentions {
        let e = rng.below(ents.len());
        mentioned.push(e);
        names.push(if rng.below(3) == 0 {
            ents[e].alias.clone()
        } else {
            ents[e].name.clone()
        });
    }
    for _ in 0..4 {
        names.push(rng.pick(terms).term.clone());
    }
    let words_target = rng.range(600, 1200);
    let mut body = String::with_capacity(words_target * 8);
    let mut evidence = Vec::new();
    let mut words = 0;
    let mut para = 0;
    let mut name_iter = names.into_iter();
    while words < words_target {
        if para > 0 && para % 4 == 0 {
            let _ = writeln!(
                body,
                "## {} {} {}\n",
                cap(rng.pick::<&str>(WORDS)),
                rng.pick::<&str>(WORDS),
                word_name(rng, 2)
            );
        }
        if para % 7 == 3 {
            for _ in 0..rng.range(3, 5) {
                body.push_str("- ");
                sentence(rng, &mut body, &[]);
                body.push('\n');
                words += 12;
            }
            body.push('\n');
        }
        let start = body.len();
        let sentences = rng.range(3, 6);
        for s in 0..sentences {
            if s > 0 {
                body.push(' ');
            }
            let names: Vec<String> = name_iter.next().into_iter().collect();
            sentence(rng, &mut body, &names);
            words += 16;
        }
        if para % 9 == 5 && i + 1 < n {
            let _ = write!(
                body,
                " See also [the earlier explainer](/articles/explainer-{:06}/).",
                (i + 1 + rng.below(n - i - 1)).min(n - 1)
            );
        }
        if evidence.len() < 5 {
            // A distinctive phrase of this paragraph: its first sentence's first words.
            let phrase: String = body[start..]
                .split(' ')
                .take(6)
                .collect::<Vec<_>>()
                .join(" ");
            evidence.push(phrase.trim_end_matches('.').to_string());
        }
        body.push_str("\n\n");
        para += 1;
    }
    if i.is_multiple_of(20) {
        body.push_str("```rust\nfn main() {\n    let total: u32 = (1..=10).sum();\n    println!(\"{total}\");\n}\n```\n");
    }
    for rest in name_iter {
        let _ = writeln!(body, "\n{rest} was also mentioned.");
    }
    Article {
        slug,
        title,
        date,
        body,
        evidence,
        mentioned,
    }
}

/// The Zola and Hugo sites' own files: configurations, templates, the section's index.
fn peer_files() -> Vec<(&'static str, String)> {
    let zola_config = |extra: &str| {
        format!(
            "base_url = \"https://example.org\"\ntitle = \"Archive\"\ncompile_sass = false\nbuild_search_index = false\n{extra}\n[markdown]\nsmart_punctuation = true\n"
        )
    };
    let hugo_config = |extra: &str| {
        format!(
            "baseURL = \"https://example.org/\"\ntitle = \"Archive\"\n{extra}[markup.goldmark.renderer]\nunsafe = true\n[markup.highlight]\nnoClasses = false\n"
        )
    };
    vec![
        ("zola/config.toml", zola_config("generate_feeds = true\nfeed_limit = 50\ntaxonomies = [{ name = \"tags\", feed = true }]\n")),
        // Tags in the front matter need the taxonomy declared; it is not rendered.
        ("zola/config.bare.toml", zola_config("taxonomies = [{ name = \"tags\", render = false }]\n")),
        ("zola/content/articles/_index.md", "+++\ntitle = \"Articles\"\nsort_by = \"date\"\n+++\n".to_string()),
        ("zola/templates/index.html", "<!DOCTYPE html><html><body><h1>{{ config.title }}</h1></body></html>\n".to_string()),
        ("zola/templates/section.html", "<!DOCTYPE html><html><body><h1>{{ section.title }}</h1><ul>{% for p in section.pages %}<li><a href=\"{{ p.permalink }}\">{{ p.title }}</a></li>{% endfor %}</ul></body></html>\n".to_string()),
        ("zola/templates/taxonomy_list.html", "<!DOCTYPE html><html><body><h1>{{ taxonomy.name }}</h1><ul>{% for t in terms %}<li><a href=\"{{ t.permalink }}\">{{ t.name }}</a></li>{% endfor %}</ul></body></html>\n".to_string()),
        ("zola/templates/taxonomy_single.html", "<!DOCTYPE html><html><body><h1>{{ term.name }}</h1><ul>{% for p in term.pages %}<li><a href=\"{{ p.permalink }}\">{{ p.title }}</a></li>{% endfor %}</ul></body></html>\n".to_string()),
        ("zola/templates/page.html", "<!DOCTYPE html><html><head><title>{{ page.title }}</title></head><body><h1>{{ page.title }}</h1>{{ page.content | safe }}</body></html>\n".to_string()),
        ("hugo/hugo.toml", hugo_config("rssLimit = 50\nenableRobotsTXT = true\n[taxonomies]\ntag = \"tags\"\n")),
        ("hugo/hugo.bare.toml", hugo_config("disableKinds = [\"taxonomy\", \"term\", \"RSS\", \"sitemap\", \"robotsTXT\", \"404\"]\n")),
        ("hugo/layouts/404.html", "{{ define \"main\" }}<h1>Not found</h1>{{ end }}\n".to_string()),
        ("hugo/layouts/_default/baseof.html", "<!DOCTYPE html><html><head><title>{{ .Title }}</title></head><body>{{ block \"main\" . }}{{ end }}</body></html>\n".to_string()),
        ("hugo/layouts/_default/single.html", "{{ define \"main\" }}<h1>{{ .Title }}</h1>{{ .Content }}{{ end }}\n".to_string()),
        ("hugo/layouts/_default/list.html", "{{ define \"main\" }}<h1>{{ .Title }}</h1><ul>{{ range .Pages }}<li><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}\n".to_string()),
        ("hugo/layouts/index.html", "{{ define \"main\" }}<h1>{{ .Site.Title }}</h1>{{ end }}\n".to_string()),
    ]
}

/// Every article's dek (gloss) and description (the peers).
const DEK: &str = "A synthetic explainer for benchmarks.";

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().expect("a file path")).expect("create folder");
    std::fs::write(path, text).expect("write file");
}

fn yaml_str(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (Some(n), Some(out)) = (
        args.get(1).and_then(|n| n.parse::<usize>().ok()),
        args.get(2),
    ) else {
        eprintln!("usage: gloss-corpus N OUT_DIR");
        std::process::exit(2);
    };
    let out = PathBuf::from(out);
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15 ^ n as u64);
    let ents = entities(&mut rng, (n / 2).max(10));
    let glossary = terms(&mut rng, 500);

    let g = out.join("gloss");
    write(
        &g.join("site.toml"),
        // Like the Zola site (`build_search_index = false`) and Hugo (no search): the same work
        // for all three. The search index's own cost is measured apart (README, Search).
        "title = \"Archive\"\nbase_url = \"https://example.org/\"\nsearch = false\n",
    );
    let mut reg = String::new();
    for e in &ents {
        let _ = writeln!(
            reg,
            "{}:\n  name: {}\n  kind: {}\n  aliases: [{}]\n  role: Role of {}",
            e.id, e.name, e.kind, e.alias, e.name
        );
    }
    write(&g.join("content/entities.yaml"), &reg);
    let mut gl = String::new();
    for t in &glossary {
        let _ = writeln!(
            gl,
            "{}:\n  term: {}\n  definition: \"The meaning of {}.\"",
            t.id, t.term, t.term
        );
    }
    write(&g.join("content/glossary.yaml"), &gl);

    for (path, text) in peer_files() {
        write(&out.join(path), &text);
    }

    let mut total_bytes = 0;
    for i in 0..n {
        let a = article(&mut rng, i, n, &ents, &glossary);
        total_bytes += a.body.len();
        let tag = ["politics", "economy", "war", "climate"][i % 4];
        let mut front = format!(
            "title: {}\ndate: {}\ndek: {}\nsection: World\ntags: [archive, {tag}]\nkey_points:\n",
            yaml_str(&a.title),
            a.date,
            yaml_str(DEK),
        );
        for (k, ev) in a.evidence.iter().enumerate() {
            let _ = writeln!(
                front,
                "  - text: {}\n    evidence: {}",
                yaml_str(&format!("Point {} of the explainer.", k + 1)),
                yaml_str(ev)
            );
        }
        let _ = writeln!(
            front,
            "background: |\n  What came before, in a few words.\ntimeline:\n  - {{ date: {}, text: \"Something happened.\" }}",
            a.date
        );
        let about: Vec<&str> = a
            .mentioned
            .iter()
            .take(2)
            .map(|&e| ents[e].id.as_str())
            .collect();
        let _ = writeln!(
            front,
            "entities: [{}]\nsources:\n  - {{ name: AFP }}",
            about.join(", ")
        );
        write(
            &g.join(format!("content/articles/{}.md", a.slug)),
            &format!("---\n{front}---\n{}", a.body),
        );
        // The peers: same body; their own links to other articles.
        let zola_body = a
            .body
            .replace("](/articles/", "](@/articles/")
            .replace("/)", ".md)");
        write(
            &out.join(format!("zola/content/articles/{}.md", a.slug)),
            &format!(
                "+++\ntitle = {}\ndate = {}\ndescription = {}\n[taxonomies]\ntags = [\"archive\", \"{tag}\"]\n+++\n{}",
                yaml_str(&a.title),
                a.date,
                yaml_str(DEK),
                zola_body
            ),
        );
        let hugo_body = a.body.replace("](/articles/", "](/posts/");
        write(
            &out.join(format!("hugo/content/posts/{}.md", a.slug)),
            &format!(
                "---\ntitle: {}\ndate: {}\ndescription: {}\ntags: [archive, {tag}]\n---\n{}",
                yaml_str(&a.title),
                a.date,
                yaml_str(DEK),
                hugo_body
            ),
        );
    }
    eprintln!(
        "wrote {n} articles ({:.1} MB of Markdown), {} entities, {} terms into {}",
        total_bytes as f64 / 1e6,
        ents.len(),
        glossary.len(),
        out.display()
    );
}
