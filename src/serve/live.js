// gloss serve: live reload. Added to pages only by the preview server, never to built files.
(function () {
  "use strict";
  var script = document.currentScript;
  var generation = script && script.getAttribute("data-generation");
  var key = "gloss-scroll:" + location.pathname;

  // Back where the reader was before the reload.
  var saved = sessionStorage.getItem(key);
  if (saved !== null) {
    sessionStorage.removeItem(key);
    var restore = function () { window.scrollTo(0, +saved); };
    if (document.readyState === "complete") restore();
    else window.addEventListener("load", restore);
  }
  function reload() {
    sessionStorage.setItem(key, String(window.scrollY));
    location.reload();
  }
  // This page's file in the build: `articles/x/` is `articles/x/index.html`.
  var file = decodeURIComponent(location.pathname.replace(/^\//, ""));
  if (file === "" || /\/$/.test(file)) file += "index.html";

  var source = new EventSource("/__gloss/events");
  // Connected: tests (and the curious) can tell from the root element.
  source.addEventListener("open", function () {
    document.documentElement.setAttribute("data-gloss-live", "connected");
  });
  source.addEventListener("hello", function (e) {
    if (generation !== null && e.data !== generation) reload();
  });
  source.addEventListener("reload", function (e) {
    var changed = JSON.parse(e.data).changed || [];
    // This page, or a script or image it may use; feeds and other pages do not matter here.
    var mine = changed.some(function (path) { return path === file || /^static\//.test(path); });
    if (mine || document.getElementById("gloss-errors")) reload();
  });
  source.addEventListener("css", function () {
    document.querySelectorAll('link[rel="stylesheet"]').forEach(function (link) {
      var url = new URL(link.href);
      url.searchParams.set("gloss-reload", String(Date.now()));
      link.href = url.href;
    });
  });
  source.addEventListener("errors", function (e) { show(JSON.parse(e.data)); });

  // The same markup the server puts in pages while a build is failing.
  function show(report) {
    var old = document.getElementById("gloss-errors");
    if (old) old.remove();
    var box = el("div", "position:fixed;inset:0;z-index:2147483647;overflow:auto;background:rgb(20 20 24/.94);color:#f4f4f0;font:14px/1.5 ui-monospace,'DejaVu Sans Mono',monospace;padding:2rem");
    box.id = "gloss-errors";
    box.setAttribute("role", "alert");
    var h = el("h2", "margin:0 0 .5rem;color:#ff8a80;font-size:1.2rem");
    h.textContent = "The last build failed";
    var p = el("p", "margin:0 0 1rem");
    p.textContent = "The page below is the last good build. Fix these and save; this page updates by itself.";
    var list = el("ol", "padding-left:1.5rem");
    (report.errors || []).forEach(function (d) {
      var li = el("li", "margin-bottom:1rem");
      var line = el("p", "margin:0");
      var where = el("strong");
      where.className = "gloss-error-location";
      where.textContent = d.location || "";
      line.appendChild(where);
      line.appendChild(document.createTextNode(" " + d.message));
      var pre = el("pre", "white-space:pre-wrap;margin:.25rem 0 0");
      pre.textContent = d.text;
      li.appendChild(line);
      li.appendChild(pre);
      list.appendChild(li);
    });
    box.appendChild(h);
    box.appendChild(p);
    box.appendChild(list);
    document.body.appendChild(box);
  }
  function el(name, style) {
    var e = document.createElement(name);
    if (style) e.setAttribute("style", style);
    return e;
  }
})();
