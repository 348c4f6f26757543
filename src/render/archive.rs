//! The archive by date: `/archive/` lists the years and months, `/archive/2025/` and
//! `/archive/2025/11/` list their articles newest first, `paginate_by_kind.archive` a page. How
//! readers and crawlers reach every article without a page that grows with the archive.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{Job, Renderer, context, paginate, root_for};
use crate::diagnostics::Diagnostic;
use crate::site::Site;

/// A year, or a month of a year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Period {
    pub year: i16,
    pub month: Option<u8>,
}

impl Period {
    /// `archive/2025/` or `archive/2025/11/`.
    pub fn path(self) -> String {
        let mut out = String::from("archive/");
        out.push_str(itoa::Buffer::new().format(self.year));
        out.push('/');
        if let Some(m) = self.month {
            if m < 10 {
                out.push('0');
            }
            out.push_str(itoa::Buffer::new().format(m));
            out.push('/');
        }
        out
    }

    fn name(self, strings: &crate::i18n::Strings) -> String {
        match self.month {
            Some(m) => strings.month_year(self.year, m),
            None => self.year.to_string(),
        }
    }
}

/// Every year and month that has articles, with their articles (indexes into
/// `site.articles`, newest first, as the site holds them).
pub fn periods(site: &Site) -> BTreeMap<Period, Vec<usize>> {
    let mut out: BTreeMap<Period, Vec<usize>> = BTreeMap::new();
    for (i, a) in site.articles.iter().enumerate() {
        let year = a.date.year();
        for month in [None, Some(a.date.month())] {
            out.entry(Period { year, month }).or_default().push(i);
        }
    }
    out
}

/// The archive's pages: its index, then each period's pages.
pub(super) fn jobs<'a>(site: &Site, periods: &BTreeMap<Period, Vec<usize>>) -> Vec<Job<'a>> {
    let per = site.config.paginate.archive;
    let mut jobs = vec![Job::ArchiveIndex];
    for (period, articles) in periods {
        for n in 1..=paginate::count(articles.len(), per) {
            jobs.push(Job::Archive(*period, n));
        }
    }
    jobs
}

/// Every page path the archive has, for removing those an edit made go away.
pub fn paths(site: &Site) -> Vec<String> {
    let per = site.config.paginate.archive;
    let mut out = vec!["archive/index.html".to_string()];
    for (period, articles) in periods(site) {
        let base = period.path();
        for n in 1..=paginate::count(articles.len(), per) {
            out.push([paginate::path(&base, n), "index.html".into()].concat());
        }
    }
    out
}

#[derive(Serialize)]
struct PeriodLink {
    name: String,
    url: String,
    count: usize,
    months: Vec<PeriodLink>,
}

impl Renderer<'_> {
    fn period_link(&self, period: Period, count: usize, root: &str) -> PeriodLink {
        PeriodLink {
            name: period.name(self.strings),
            url: [root, &period.path()].concat(),
            count,
            months: Vec::new(),
        }
    }

    /// The months of `year` that have articles, newest first.
    fn months(
        &self,
        periods: &BTreeMap<Period, Vec<usize>>,
        year: i16,
        root: &str,
    ) -> Vec<PeriodLink> {
        let month = |m| Period {
            year,
            month: Some(m),
        };
        periods
            .range(month(1)..=month(12))
            .rev()
            .map(|(p, list)| self.period_link(*p, list.len(), root))
            .collect()
    }

    /// `/archive/`: the years, newest first, each with its months.
    pub(super) fn archive_index(
        &self,
        periods: &BTreeMap<Period, Vec<usize>>,
    ) -> Result<crate::render::OutputFile, Diagnostic> {
        let path = "archive/";
        let root = root_for(path);
        let mut ctx = self.context(
            path,
            "archive",
            self.strings.get("archive"),
            Some(self.strings.get("archive_description")),
        );
        let years: Vec<PeriodLink> = periods
            .iter()
            .rev()
            .filter(|(p, _)| p.month.is_none())
            .map(|(year, articles)| PeriodLink {
                months: self.months(periods, year.year, &root),
                ..self.period_link(*year, articles.len(), &root)
            })
            .collect();
        ctx.insert("heading", self.strings.get("archive"));
        ctx.insert("periods", &years);
        ctx.insert("articles", &Vec::<context::Summary>::new());
        ctx.insert("count", &self.site.articles.len());
        self.page(path, "archive.html", &ctx)
    }

    /// Page `number` of a year's or a month's articles.
    pub(super) fn archive_page(
        &self,
        periods: &BTreeMap<Period, Vec<usize>>,
        period: Period,
        number: usize,
    ) -> Result<crate::render::OutputFile, Diagnostic> {
        let site = self.site;
        let articles = periods.get(&period).map_or(&[][..], Vec::as_slice);
        let base = period.path();
        let path = paginate::path(&base, number);
        let root = root_for(&path);
        let per = site.config.paginate.archive;
        let total = paginate::count(articles.len(), per);
        let pager = paginate::Pager::new(&base, number, total, &root);
        let name = period.name(self.strings);
        let mut ctx = self.context(&path, "archive", &pager.title(&name, self.strings), None);
        if total > 1 {
            ctx.insert("pager", &pager);
        }
        // A year's page leads to its months.
        let months = match period.month {
            None => self.months(periods, period.year, &root),
            Some(_) => Vec::new(),
        };
        let list: Vec<context::Summary> = articles[paginate::range(number, per, articles.len())]
            .iter()
            .map(|&i| self.article_summary(&site.articles[i], &root))
            .collect();
        ctx.insert("heading", &name);
        ctx.insert("periods", &months);
        ctx.insert("articles", &list);
        ctx.insert("count", &articles.len());
        self.page(&path, "archive.html", &ctx)
    }
}
