//! The timeline's pages. A short timeline is one page, `/timeline/`, in date order. Past
//! `paginate_by_kind.timeline` events it is cut by year: `/timeline/` lists the years with their
//! counts, and each year's events are on `/timeline/2025/` (then `/timeline/2025/page/2/`, and
//! on, when a year alone outgrows a page).

use std::collections::BTreeMap;

use serde::Serialize;

use super::{Job, OutputFile, Renderer, paginate, root_for};
use crate::diagnostics::Diagnostic;
use crate::site::Site;

/// Whether the timeline is cut into year pages.
pub fn split(site: &Site) -> bool {
    site.timeline.len() > site.config.paginate.timeline
}

/// Each year's events (indexes into `site.timeline`, which is in date order).
fn years(site: &Site) -> BTreeMap<i16, Vec<usize>> {
    let mut out: BTreeMap<i16, Vec<usize>> = BTreeMap::new();
    for (i, e) in site.timeline.iter().enumerate() {
        out.entry(e.date.year()).or_default().push(i);
    }
    out
}

fn year_path(year: i16) -> String {
    ["timeline/", itoa::Buffer::new().format(year), "/"].concat()
}

/// The timeline's pages: `/timeline/`, then each year's when cut.
pub(super) fn jobs<'a>(site: &Site) -> Vec<Job<'a>> {
    let mut jobs = vec![Job::Timeline(None, 1)];
    if split(site) {
        let per = site.config.paginate.timeline;
        for (year, events) in years(site) {
            for n in 1..=paginate::count(events.len(), per) {
                jobs.push(Job::Timeline(Some(year), n));
            }
        }
    }
    jobs
}

/// The first page of each year, when the timeline is cut, for the sitemap.
pub fn year_pages(site: &Site) -> Vec<String> {
    if !split(site) {
        return Vec::new();
    }
    years(site).into_keys().map(year_path).collect()
}

/// Every file the timeline makes, for removing those an edit made go away.
pub fn paths(site: &Site) -> Vec<String> {
    jobs(site)
        .iter()
        .filter_map(|job| match *job {
            Job::Timeline(None, _) => Some("timeline/index.html".to_string()),
            Job::Timeline(Some(year), n) => {
                Some(paginate::path(&year_path(year), n) + "index.html")
            }
            _ => None,
        })
        .collect()
}

#[derive(Serialize)]
struct Event<'a> {
    date_iso: String,
    date_long: String,
    text: &'a str,
    title: &'a str,
    url: String,
}

#[derive(Serialize)]
struct Year<'a> {
    year: i16,
    /// The year's page, when the timeline is cut.
    url: Option<String>,
    count: usize,
    events: Vec<Event<'a>>,
}

impl Renderer<'_> {
    /// `/timeline/` (every event, or when cut the years), or page `number` of a year.
    pub(super) fn timeline_page(
        &self,
        year: Option<i16>,
        number: usize,
    ) -> Result<OutputFile, Diagnostic> {
        let site = self.site;
        let per = site.config.paginate.timeline;
        let split = split(site);
        let years = self.timeline_years.get_or_init(|| years(site));
        let (path, base, total) = match year {
            Some(y) => {
                let base = year_path(y);
                let total = paginate::count(years.get(&y).map_or(0, Vec::len), per);
                (paginate::path(&base, number), base, total)
            }
            None => ("timeline/".to_string(), "timeline/".to_string(), 1),
        };
        let root = root_for(&path);
        let pager = paginate::Pager::new(&base, number, total, &root).in_order();
        let heading = match year {
            Some(y) => format!("{}: {y}", self.strings.get("timeline")),
            None => self.strings.get("timeline").to_string(),
        };
        let mut ctx = self.context(
            &path,
            "timeline",
            &pager.title(&heading, self.strings),
            Some(self.strings.get("timeline_description")),
        );
        ctx.insert("heading", &heading);
        if total > 1 {
            ctx.insert("pager", &pager);
        }
        let event = |i: usize| {
            let e = &site.timeline[i];
            let a = &site.articles[e.article];
            Event {
                date_iso: e.date.iso(),
                date_long: self.strings.date(e.date),
                text: &e.text,
                title: &a.title,
                url: format!("{root}articles/{}/", a.slug),
            }
        };
        let shown: Vec<Year> = years
            .iter()
            .filter(|(y, _)| year.is_none_or(|only| only == **y))
            .map(|(&y, events)| {
                let count = events.len();
                let events = match (split, year) {
                    (true, None) => Vec::new(),
                    (true, Some(_)) => events[paginate::range(number, per, events.len())]
                        .iter()
                        .map(|&i| event(i))
                        .collect(),
                    (false, _) => events.iter().map(|&i| event(i)).collect(),
                };
                Year {
                    year: y,
                    url: (split && year.is_none()).then(|| [root.as_str(), &year_path(y)].concat()),
                    count,
                    events,
                }
            })
            .collect();
        ctx.insert("years", &shown);
        self.page(&path, "timeline.html", &ctx)
    }
}
