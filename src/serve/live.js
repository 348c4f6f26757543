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
  // The server draws the diagnostics over every page while a build is failing.
  source.addEventListener("errors", function (e) {
    if (String(JSON.parse(e.data).generation) !== generation) reload();
  });
})();
