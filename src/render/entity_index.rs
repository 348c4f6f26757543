//! The index of people, organisations and places, `/entities/`: grouped by kind, A to Z within
//! each, `paginate_by_kind.entity_index` entries a page (`/entities/page/2/` and on). Every page
//! names each kind and links to the page where it starts, so a reader looking for places need
//! not page through the people.

use serde::Serialize;

use super::{Job, OutputFile, Renderer, context, fragments, paginate, root_for};
use crate::content::EntityKind;
use crate::diagnostics::Diagnostic;
use crate::site::{Entity, Site};

const KINDS: [EntityKind; 5] = [
    EntityKind::Person,
    EntityKind::Organisation,
    EntityKind::Place,
    EntityKind::Event,
    EntityKind::Other,
];

/// Every entity in the index's order.
fn ordered(site: &Site) -> Vec<&Entity> {
    let mut list: Vec<&Entity> = site.entities.values().collect();
    list.sort_by_cached_key(|e| {
        let kind = KINDS.iter().position(|&k| k == e.kind);
        (kind, e.name.to_lowercase(), e.id.clone())
    });
    list
}

fn page_count(site: &Site) -> usize {
    paginate::count(site.entities.len(), site.config.paginate.entity_index)
}

pub(super) fn jobs<'a>(site: &Site) -> Vec<Job<'a>> {
    (1..=page_count(site)).map(Job::Entities).collect()
}

/// Every file the index makes, for removing those an edit made go away.
pub fn paths(site: &Site) -> Vec<String> {
    (1..=page_count(site))
        .map(|n| paginate::path("entities/", n) + "index.html")
        .collect()
}

#[derive(Serialize)]
struct KindLink<'a> {
    kind: &'static str,
    label: &'a str,
    url: String,
    count: usize,
}

#[derive(Serialize)]
struct Group<'a> {
    kind: &'static str,
    label: &'a str,
    entities: Vec<context::EntityLink<'a>>,
}

impl Renderer<'_> {
    /// Page `number` of the index.
    pub(super) fn entity_index(&self, number: usize) -> Result<OutputFile, Diagnostic> {
        let site = self.site;
        let per = site.config.paginate.entity_index;
        let base = "entities/";
        let path = paginate::path(base, number);
        let root = root_for(&path);
        let total = page_count(site);
        let pager = paginate::Pager::new(base, number, total, &root).in_order();
        let mut ctx = self.context(
            &path,
            "entities",
            &pager.title(self.strings.get("entities_title"), self.strings),
            None,
        );
        if total > 1 {
            ctx.insert("pager", &pager);
        }
        let all = self.entity_order.get_or_init(|| ordered(site));
        // Where each kind starts, for the navigation between kinds.
        let mut kinds: Vec<KindLink> = Vec::new();
        for (i, e) in all.iter().enumerate() {
            match kinds.last_mut() {
                Some(k) if k.kind == e.kind.as_str() => k.count += 1,
                _ => {
                    let page = i / per.max(1) + 1;
                    let anchor = ["#kind-", e.kind.as_str()].concat();
                    kinds.push(KindLink {
                        kind: e.kind.as_str(),
                        label: self.strings.kind(e.kind, true),
                        url: if page == number {
                            anchor
                        } else {
                            [root.as_str(), &paginate::path(base, page), &anchor].concat()
                        },
                        count: 1,
                    })
                }
            }
        }
        let mut groups: Vec<Group> = Vec::new();
        for e in &all[paginate::range(number, per, all.len())] {
            let link = fragments::entity_link(e, self.pieces.images(), &root);
            match groups.last_mut() {
                Some(g) if g.kind == e.kind.as_str() => g.entities.push(link),
                _ => groups.push(Group {
                    kind: e.kind.as_str(),
                    label: self.strings.kind(e.kind, true),
                    entities: vec![link],
                }),
            }
        }
        if total > 1 {
            ctx.insert("kinds", &kinds);
        }
        ctx.insert("groups", &groups);
        self.page(&path, "entities.html", &ctx)
    }
}
