// gloss: the search page, on Pagefind's JavaScript API and the index gloss builds into
// pagefind/. Results are a list of links, announced in a live region; filters are radios.
(function () {
  "use strict";
  var page = document.querySelector(".search-page");
  if (!page) return;
  var root = new URL(page.getAttribute("data-root") || "./", location.href);
  var form = page.querySelector(".search-form");
  var input = document.getElementById("search-input");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var pagefind = null, timer = 0, latest = 0, S = page.dataset;

  function load() {
    if (!pagefind) {
      pagefind = import(new URL("pagefind/pagefind.js", root).href).then(function (pf) {
        // Results link under the site's own path, wherever it is served.
        return pf.options({ baseUrl: root.pathname }).then(function () { return pf; });
      });
    }
    return pagefind;
  }
  function type() {
    var checked = form.querySelector('input[name="type"]:checked');
    return checked ? checked.value : "";
  }
  function remember(q) {
    var url = new URL(location.href);
    if (q) url.searchParams.set("q", q); else url.searchParams.delete("q");
    if (type()) url.searchParams.set("type", type()); else url.searchParams.delete("type");
    history.replaceState(null, "", url.href);
  }
  function run() {
    var q = input.value.trim();
    var ticket = ++latest;
    remember(q);
    if (!q) { list.textContent = ""; status.textContent = ""; return; }
    status.textContent = S.searching;
    var filters = type() ? { filters: { type: type() } } : {};
    load().then(function (pf) { return pf.search(q, filters); }).then(function (search) {
      return Promise.all(search.results.slice(0, 20).map(function (r) { return r.data(); }))
        .then(function (data) { return { total: search.results.length, data: data }; });
    }).then(function (found) {
      if (ticket !== latest) return;
      list.textContent = "";
      found.data.forEach(function (d) {
        var li = document.createElement("li");
        li.className = "search-result";
        var a = document.createElement("a");
        a.href = d.url;
        a.textContent = (d.meta && d.meta.title) || d.url;
        var kind = document.createElement("span");
        kind.className = "search-kind";
        kind.textContent = (d.meta && d.meta.kind) || "";
        var excerpt = document.createElement("p");
        excerpt.className = "search-excerpt";
        excerpt.innerHTML = d.excerpt; // Pagefind escapes the text and marks the matches
        li.appendChild(kind);
        li.appendChild(document.createTextNode(" "));
        li.appendChild(a);
        if (d.meta && d.meta.date) {
          var date = document.createElement("span");
          date.className = "search-date";
          date.textContent = " " + d.meta.date;
          li.appendChild(date);
        }
        li.appendChild(excerpt);
        list.appendChild(li);
      });
      var n = found.total;
      var said = S[n ? (n === 1 ? "one" : "many") : "none"].replace("{n}", n).replace("{q}", q);
      status.textContent = n > 20 ? said.replace(/\.$/, ", " + S.first) : said;
    }).catch(function () {
      if (ticket !== latest) return;
      status.textContent = S.unavailable;
    });
  }
  form.addEventListener("submit", function (e) { e.preventDefault(); run(); });
  input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(run, 200); });
  form.querySelectorAll('input[name="type"]').forEach(function (radio) { radio.addEventListener("change", run); });
  var params = new URLSearchParams(location.search);
  input.value = params.get("q") || "";
  var t = form.querySelector('input[name="type"][value="' + (params.get("type") || "") + '"]');
  if (t) t.checked = true;
  if (input.value) run();
})();
