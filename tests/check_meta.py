"""Checks what feed readers and search engines read from the built sample site.

Usage: check_meta.py SITE_DIR BASE_URL
  SITE_DIR  the built site (public/), for the feeds
  BASE_URL  where nginx serves it, e.g. http://127.0.0.1:8080/explainers/
Exits 1 with a list of problems, 0 when everything holds.
"""
import pathlib
import sys
import urllib.request

import extruct
import feedparser

problems = []


def check(cond, message):
    if not cond:
        problems.append(message)


def fetch(url):
    with urllib.request.urlopen(url) as resp:
        return resp.read().decode("utf-8")


site = pathlib.Path(sys.argv[1])
base = sys.argv[2].rstrip("/") + "/"
articles = sorted(p.name for p in (site / "articles").iterdir() if p.is_dir())

# --- Atom: the site feed and every tag feed. ---
feed = feedparser.parse(str(site / "atom.xml"))
check(not feed.bozo, f"atom.xml is not well-formed: {feed.get('bozo_exception')}")
check(feed.version == "atom10", f"atom.xml is {feed.version!r}, not Atom 1.0")
check(len(feed.entries) == len(articles), f"atom.xml has {len(feed.entries)} entries for {len(articles)} articles")
ids = [e.get("id") for e in feed.entries]
check(len(set(ids)) == len(ids), "entry ids are not unique")
for e in feed.entries:
    for field in ("id", "title", "link", "updated", "published", "summary", "content"):
        check(e.get(field), f"entry {e.get('id')} has no {field}")
    check(e.get("id", "").startswith(base), f"entry id {e.get('id')} is not under {base}")
check(feed.feed.get("author"), "the feed has no author")
for tag_feed in sorted((site / "tags").glob("*/atom.xml")):
    parsed = feedparser.parse(str(tag_feed))
    check(not parsed.bozo and parsed.version == "atom10", f"{tag_feed} is not valid Atom")
    check(len(parsed.entries) > 0, f"{tag_feed} is empty")

# --- Every other language's feeds: valid Atom in that language, its own stories only. ---
languages = sorted(p.name for p in site.iterdir() if (p / "atom.xml").is_file() and (p / "articles").is_dir())
check(len(languages) >= 2, f"the sample has translations in {languages}, expected French and Arabic")
for lang in languages:
    own = sorted(p.name for p in (site / lang / "articles").iterdir() if p.is_dir())
    for path in [site / lang / "atom.xml", *sorted((site / lang / "tags").glob("*/atom.xml"))]:
        parsed = feedparser.parse(str(path))
        check(not parsed.bozo and parsed.version == "atom10", f"{path} is not valid Atom: {parsed.get('bozo_exception')}")
        check(parsed.feed.get("language") == lang, f"{path}: language {parsed.feed.get('language')!r}")
        check(all(e.get("link", "").startswith(f"{base}{lang}/articles/") for e in parsed.entries),
              f"{path}: an entry links outside {lang}/")
    parsed = feedparser.parse(str(site / lang / "atom.xml"))
    check(len(parsed.entries) == len(own), f"{lang}/atom.xml has {len(parsed.entries)} entries for {len(own)} articles")

# --- Structured data and Open Graph, as served. ---
def data(url):
    html = fetch(url)
    return extruct.extract(html, base_url=url, syntaxes=["json-ld", "opengraph"], uniform=True)

for slug in articles:
    url = f"{base}articles/{slug}/"
    d = data(url)
    news = [j for j in d["json-ld"] if j.get("@type") == "NewsArticle"]
    check(len(news) == 1, f"{url}: {len(news)} NewsArticle blocks")
    if news:
        n = news[0]
        for field in ("headline", "datePublished", "dateModified", "author", "publisher", "url"):
            check(n.get(field), f"{url}: NewsArticle has no {field}")
        check(n.get("url") == url, f"{url}: NewsArticle url is {n.get('url')}")
        # Entities are referred to by the @id of their page, which carries the whole object.
        people = n.get("mentions", []) + n.get("about", [])
        check(people and all(set(p) == {"@id"} and p["@id"].startswith(f"{base}entities/") for p in people),
              f"{url}: mentions are not @id references to entity pages")
        resolved = []
        for p in people[:5]:
            found = [j for j in data(p["@id"])["json-ld"] if j.get("@id") == p["@id"]]
            check(len(found) == 1, f"{p['@id']} does not carry its @id")
            resolved.extend(found)
        check(any(r.get("sameAs", "").startswith("https://www.wikidata.org/wiki/Q") for r in resolved),
              f"{url}: no mentioned entity carries a Wikidata sameAs")
    og = d["opengraph"][0] if d["opengraph"] else {}
    check(og.get("@type") == "article", f"{url}: og:type is {og.get('@type')!r}")
    check(og.get("og:title"), f"{url}: no og:title")
    check(og.get("og:url") == url, f"{url}: og:url is {og.get('og:url')!r}")
    check(og.get("article:published_time"), f"{url}: no article:published_time")

# Lead images as search engines and social networks read them: absolute, fetchable URLs under
# the sub-path, three ImageObject crops with Google's licence fields.
def fetchable(url):
    try:
        with urllib.request.urlopen(url) as r:
            return r.status == 200 and r.headers.get("Content-Type", "").startswith("image/")
    except Exception as e:  # noqa: BLE001 - any failure is the finding
        problems.append(f"{url}: {e}")
        return False

with_images = 0
for slug in articles:
    url = f"{base}articles/{slug}/"
    d = data(url)
    news = [j for j in d["json-ld"] if j.get("@type") == "NewsArticle"]
    og = d["opengraph"][0] if d["opengraph"] else {}
    if not news or not news[0].get("image"):
        check("og:image" not in og, f"{url}: og:image without a NewsArticle image")
        continue
    with_images += 1
    images = news[0]["image"]
    check(len(images) == 3, f"{url}: {len(images)} ImageObjects")
    for img in images:
        check(img.get("@type") == "ImageObject", f"{url}: image is a {img.get('@type')}")
        for field in ("url", "contentUrl", "width", "height", "creditText", "copyrightNotice"):
            check(img.get(field), f"{url}: ImageObject has no {field}")
        check(img.get("url", "").startswith(base), f"{url}: image URL {img.get('url')} is not under {base}")
        check(fetchable(img.get("url", "")), f"{url}: {img.get('url')} cannot be fetched")
    og_image = og.get("og:image", "")
    check(og_image.startswith(base), f"{url}: og:image {og_image!r} is not absolute under {base}")
    check(fetchable(og_image), f"{url}: og:image {og_image} cannot be fetched")
    check(og.get("og:image:width") == "1200", f"{url}: og:image:width is {og.get('og:image:width')!r}")
check(with_images >= 2, f"only {with_images} sample articles have a lead image")

# The lead explainer's fact-check note is a ClaimReview, as search engines read it.
plan_url = f"{base}articles/what-is-in-the-peace-plan/"
reviews = [j for j in data(plan_url)["json-ld"] if j.get("@type") == "ClaimReview"]
check(len(reviews) == 1, f"{plan_url}: {len(reviews)} ClaimReview blocks")
for r in reviews:
    for field in ("claimReviewed", "reviewRating", "author", "url", "itemReviewed"):
        check(r.get(field), f"{plan_url}: ClaimReview has no {field}")
    check(r.get("url", "").startswith(plan_url + "#note-"), f"ClaimReview url is {r.get('url')}")
    check(r.get("reviewRating", {}).get("alternateName"), "ClaimReview rating has no alternateName")

glossary = data(f"{base}glossary/")["json-ld"]
check(any(j.get("@type") == "DefinedTermSet" and j.get("hasDefinedTerm") for j in glossary),
      "the glossary page has no DefinedTermSet")
person = data(f"{base}entities/vladimir-putin/")["json-ld"]
check(any(j.get("@type") == "Person" and j.get("sameAs") for j in person), "the entity page has no Person with sameAs")

if problems:
    print("\n".join(problems))
    sys.exit(1)
print(f"feeds and structured data ok: {len(feed.entries)} entries, {len(articles)} article pages")
