//! Lists that grow with the archive, cut into pages: `tags/war/` holds the newest
//! `paginate_by` articles, `tags/war/page/2/` the next, and so on. URLs are stable (page 1 is
//! the list's own URL), each page links its neighbours with `rel="prev"`/`"next"` and offers a
//! page navigation that works without JavaScript.

use serde::Serialize;

/// How many pages `len` items make at `per` a page: at least one, so that an empty list still
/// has its page.
pub fn count(len: usize, per: usize) -> usize {
    len.div_ceil(per.max(1)).max(1)
}

/// The path of page `number` of the list at `base` (`tags/war/`).
pub fn path(base: &str, number: usize) -> String {
    if number <= 1 {
        base.to_string()
    } else {
        [base, "page/", itoa::Buffer::new().format(number), "/"].concat()
    }
}

/// The items of page `number` (from 1).
pub fn range(number: usize, per: usize, len: usize) -> std::ops::Range<usize> {
    let per = per.max(1);
    let start = ((number.max(1) - 1) * per).min(len);
    start..(start + per).min(len)
}

/// What templates get for a paginated page: where it stands and the links around it, relative
/// to the page (`root` leads back to the site root).
#[derive(Debug, Serialize)]
pub struct Pager {
    pub number: usize,
    pub total: usize,
    pub prev: Option<String>,
    pub next: Option<String>,
    pub first: String,
    pub last: String,
    /// The pages the navigation names: the first, the last and a few around this one, with
    /// `None` for a gap.
    pub pages: Vec<Option<PageLink>>,
    /// Whether the list runs newest first, so that its neighbours are "Newer" and "Older"
    /// rather than "Previous" and "Next".
    pub newest_first: bool,
}

#[derive(Debug, Serialize)]
pub struct PageLink {
    pub number: usize,
    pub url: String,
    pub current: bool,
}

impl Pager {
    /// Page `number` of `total` of the list at `base`, for a page whose way to the root is
    /// `root`.
    pub fn new(base: &str, number: usize, total: usize, root: &str) -> Pager {
        let url = |n: usize| [root, &path(base, n)].concat();
        let mut pages = Vec::new();
        let mut last_shown = 0;
        for n in 1..=total {
            let near = n.abs_diff(number) <= 2;
            if n == 1 || n == total || near {
                if n > last_shown + 1 {
                    pages.push(None);
                }
                pages.push(Some(PageLink {
                    number: n,
                    url: url(n),
                    current: n == number,
                }));
                last_shown = n;
            }
        }
        Pager {
            number,
            total,
            prev: (number > 1).then(|| url(number - 1)),
            next: (number < total).then(|| url(number + 1)),
            first: url(1),
            last: url(total),
            pages,
            newest_first: true,
        }
    }

    /// The same, for a list in another order (A to Z, or by date oldest first).
    pub fn in_order(self) -> Pager {
        Pager {
            newest_first: false,
            ..self
        }
    }

    /// The page's title with its number: "War, page 2 of 3".
    /// A page's title with its number past the first: "War, page 6 of 10".
    pub fn title(&self, title: &str, strings: &crate::i18n::Strings) -> String {
        if self.number <= 1 {
            title.to_string()
        } else {
            let of = strings.fill(
                "page_n_of_total",
                &[
                    ("n", &self.number.to_string()),
                    ("total", &self.total.to_string()),
                ],
            );
            format!("{title}, {of}")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_cover_every_item_once() {
        for (len, per) in [(0, 50), (1, 50), (50, 50), (51, 50), (120, 50), (7, 3)] {
            let total = count(len, per);
            let mut seen = Vec::new();
            for n in 1..=total {
                seen.extend(range(n, per, len));
            }
            assert_eq!(seen, (0..len).collect::<Vec<_>>(), "{len} by {per}");
        }
        assert_eq!(count(120, 50), 3);
        assert_eq!(count(0, 50), 1);
    }

    #[test]
    fn page_one_is_the_list_itself() {
        assert_eq!(path("tags/war/", 1), "tags/war/");
        assert_eq!(path("tags/war/", 3), "tags/war/page/3/");
    }

    #[test]
    fn the_navigation_names_the_ends_and_the_neighbours() {
        let p = Pager::new("tags/war/", 6, 10, "../../../../");
        let shown: Vec<Option<usize>> = p
            .pages
            .iter()
            .map(|l| l.as_ref().map(|l| l.number))
            .collect();
        assert_eq!(
            shown,
            [
                Some(1),
                None,
                Some(4),
                Some(5),
                Some(6),
                Some(7),
                Some(8),
                None,
                Some(10)
            ]
        );
        assert_eq!(p.prev.as_deref(), Some("../../../../tags/war/page/5/"));
        assert_eq!(p.next.as_deref(), Some("../../../../tags/war/page/7/"));
        let first = Pager::new("tags/war/", 1, 3, "../../");
        assert_eq!(first.prev, None);
        assert_eq!(first.next.as_deref(), Some("../../tags/war/page/2/"));
        let en = crate::i18n::strings(&crate::theme::Theme::builtin(), "en");
        assert_eq!(first.title("War", &en), "War");
        assert_eq!(p.title("War", &en), "War, page 6 of 10");
    }
}
