// gloss: progressive enhancement for explainer pages. Everything works without this script.
(function () {
  "use strict";
  // Mark the key point whose paragraph is in view as the reader scrolls.
  var links = Array.prototype.slice.call(document.querySelectorAll(".key-points a[data-target]"));
  if (!links.length || !("IntersectionObserver" in window)) return;
  var byTarget = {};
  links.forEach(function (a) {
    var el = document.getElementById(a.getAttribute("data-target"));
    if (el) (byTarget[el.id] = byTarget[el.id] || []).push(a);
  });
  var observer = new IntersectionObserver(function (entries) {
    entries.forEach(function (entry) {
      if (!entry.isIntersecting) return;
      links.forEach(function (a) { a.removeAttribute("aria-current"); });
      (byTarget[entry.target.id] || []).forEach(function (a) { a.setAttribute("aria-current", "true"); });
    });
  }, { rootMargin: "-30% 0px -60% 0px" });
  Object.keys(byTarget).forEach(function (id) { observer.observe(document.getElementById(id)); });
})();
