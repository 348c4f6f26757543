// gloss: progressive enhancement for explainer pages. Every link and definition works
// without this script; it adds in-place previews and marks the key point in view.
(function () {
  "use strict";
  var doc = document;

  // --- Key points: mark the item whose paragraph is in view. ---
  var points = Array.prototype.slice.call(doc.querySelectorAll(".key-points a[data-target]"));
  if (points.length && "IntersectionObserver" in window) {
    var byTarget = {};
    points.forEach(function (a) {
      var el = doc.getElementById(a.getAttribute("data-target"));
      if (el) (byTarget[el.id] = byTarget[el.id] || []).push(a);
    });
    var observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (!entry.isIntersecting) return;
        points.forEach(function (a) { a.removeAttribute("aria-current"); });
        (byTarget[entry.target.id] || []).forEach(function (a) { a.setAttribute("aria-current", "true"); });
      });
    }, { rootMargin: "-30% 0px -60% 0px" });
    Object.keys(byTarget).forEach(function (id) { observer.observe(doc.getElementById(id)); });
  }

  // --- Annotations: the numbered notes at the end become sidenotes, beside the line of their
  // anchor on wide screens and after its paragraph on narrow ones, each toggled by its marker.
  var annotated = doc.querySelector(".has-notes");
  if (annotated) setUpNotes(annotated);

  function setUpNotes(article) {
    var body = article.querySelector(".article-body");
    var wide = window.matchMedia("(min-width: 76rem)");
    var notes = [];
    body.querySelectorAll(".note-ref a[data-note]").forEach(function (ref) {
      var n = ref.getAttribute("data-note");
      var item = doc.getElementById("note-" + n);
      var mark = doc.getElementById("anchor-" + n);
      var block = ref.closest(".article-body > *");
      if (!item || !mark || !block) return;
      var label = item.querySelector(".note-label");
      var name = (label ? label.textContent : "") + " note " + n;
      var side = doc.createElement("div");
      side.className = "sidenote " + (item.className.match(/kind-[a-z-]+/) || [""])[0];
      side.setAttribute("role", "note");
      side.setAttribute("aria-label", name);
      var back = item.querySelector(".note-back");
      if (back) back.remove();
      var number = doc.createElement("span");
      number.className = "sidenote-number";
      number.setAttribute("aria-hidden", "true");
      number.textContent = n;
      side.appendChild(number);
      while (item.firstChild) side.appendChild(item.firstChild);
      item.removeAttribute("id");
      side.id = "note-" + n; // links to #note-N (from entity pages) now land here
      var after = block;
      while (after.nextElementSibling && after.nextElementSibling.classList.contains("sidenote")) {
        after = after.nextElementSibling;
      }
      after.after(side);
      var button = doc.createElement("button");
      button.type = "button";
      button.className = "note-toggle";
      button.id = "note-ref-" + n;
      button.textContent = n;
      button.setAttribute("aria-label", name);
      button.setAttribute("aria-controls", side.id);
      ref.replaceWith(button);
      var note = { side: side, mark: mark, button: button };
      button.addEventListener("click", function () {
        show(note, side.hidden);
        place();
      });
      notes.push(note);
    });
    if (!notes.length) return;
    article.querySelector(".notes").hidden = true;
    article.classList.add("notes-ready");

    function show(note, open) {
      note.side.hidden = !open;
      note.button.setAttribute("aria-expanded", open ? "true" : "false");
    }
    // Wide: every note in the margin, pushed down so that none overlaps the one above.
    function place() {
      var top = body.getBoundingClientRect().top, free = 0;
      notes.forEach(function (note) {
        if (!wide.matches || note.side.hidden) { note.side.style.top = ""; return; }
        var y = Math.max(note.mark.getBoundingClientRect().top - top, free);
        note.side.style.top = y + "px";
        free = y + note.side.offsetHeight + 12;
      });
    }
    function reset() {
      notes.forEach(function (note) { show(note, wide.matches); });
      openTarget();
      place();
    }
    function openTarget() {
      var m = /^#note-(\d+)$/.exec(location.hash);
      var note = m && notes.filter(function (x) { return x.side.id === "note-" + m[1]; })[0];
      if (note) { show(note, true); place(); note.side.scrollIntoView(); }
    }
    wide.addEventListener("change", reset);
    window.addEventListener("resize", place);
    window.addEventListener("load", place);
    window.addEventListener("hashchange", openTarget);
    window.addEventListener("beforeprint", function () { notes.forEach(function (x) { show(x, true); }); });
    reset();
  }

  // --- Previews of entities and terms, from the data the page carries. ---
  var island = doc.getElementById("gloss-data");
  if (!island) return;
  var data;
  try { data = JSON.parse(island.textContent); } catch (e) { return; }
  var OPEN_DELAY = 300, CLOSE_DELAY = 250;
  var card = doc.createElement("div");
  card.id = "gloss-card";
  card.className = "gloss-card";
  card.setAttribute("role", "tooltip");
  card.hidden = true;
  doc.body.appendChild(card);
  var current = null, openTimer = 0, closeTimer = 0, lastPointer = "mouse", touchedAt = 0;

  // The entity kinds in the order of data.kinds (gloss's PREVIEW_KINDS); the glossary's
  // label follows them.
  var KINDS = ["person", "organisation", "place", "event", "other"], defs = {};
  function info(a) {
    var e = a.getAttribute("data-entity"), t = a.getAttribute("data-term");
    return (e ? data.entities || {} : data.terms || {})[e || t] || fromPage(a, t);
  }
  // An article page leaves out the cards its own lists show: an entity's name and role are
  // in "In this story", its kind in the link's class; a term's name is in "Terms in this
  // story", its definition in the link's title (kept in defs). Without those lists (another
  // template), the card takes the link's own words.
  function fromPage(a, t) {
    var href = a.getAttribute("href");
    var l = [].filter.call(doc.querySelectorAll(t ? ".terms-used dt a" : ".in-this-story li > a"),
      function (l) { return l.getAttribute("href") === href; })[0];
    var name = (l || a).textContent, role = l && l.nextElementSibling;
    if (t) return [KINDS.length, name, defs[t] || ""];
    var k = KINDS.indexOf((/(?:^|\s)entity-(\S+)/.exec(a.className) || [])[1]);
    return [k < 0 ? KINDS.length - 1 : k, name, role && role.className === "role" ? role.textContent : ""];
  }
  function linkOf(el) {
    return el && el.closest ? el.closest("a[data-entity], a[data-term]") : null;
  }
  function el(tag, cls, text) {
    var e = doc.createElement(tag);
    if (cls) e.className = cls;
    if (text) e.textContent = text;
    return e;
  }
  // d: [kind (in data.kinds), name, text, img]
  function fill(d, a) {
    card.textContent = "";
    if (d[3]) {
      var img = el("img", "gloss-card-img");
      img.src = d[3];
      img.alt = "";
      card.appendChild(img);
    }
    card.appendChild(el("p", "gloss-card-kind", data.kinds[d[0]]));
    card.appendChild(el("p", "gloss-card-name", d[1]));
    if (d[2]) card.appendChild(el("p", "gloss-card-text", d[2]));
    var T = document.body.dataset;
    var more = el("a", "gloss-card-more", a.hasAttribute("data-term") ? T.tGlossary : T.tMore.replace("{name}", d[1]));
    more.href = a.getAttribute("href");
    card.appendChild(more);
  }
  function place(a) {
    var r = a.getBoundingClientRect();
    var width = Math.min(320, doc.documentElement.clientWidth - 16);
    card.style.width = width + "px";
    // Under the link's start: its right edge in RTL.
    var start = doc.dir === "rtl" ? r.right - width : r.left;
    var left = Math.max(8, Math.min(start, doc.documentElement.clientWidth - width - 8));
    card.style.left = left + window.scrollX + "px";
    card.style.top = r.bottom + window.scrollY + 6 + "px";
  }
  function open(a) {
    clearTimeout(openTimer);
    clearTimeout(closeTimer);
    var d = info(a);
    if (!d) return;
    if (current && current !== a) current.removeAttribute("aria-describedby");
    current = a;
    fill(d, a);
    card.hidden = false;
    place(a);
    a.setAttribute("aria-describedby", card.id);
  }
  function close() {
    clearTimeout(openTimer);
    clearTimeout(closeTimer);
    card.hidden = true;
    if (current) current.removeAttribute("aria-describedby");
    current = null;
  }
  function closeSoon() {
    clearTimeout(closeTimer);
    closeTimer = setTimeout(close, CLOSE_DELAY);
  }

  // The card replaces the native tooltip, which would otherwise show the definition twice.
  Array.prototype.forEach.call(doc.querySelectorAll("a[data-term][title]"), function (a) {
    defs[a.getAttribute("data-term")] = a.getAttribute("title");
    a.removeAttribute("title");
  });

  doc.addEventListener("pointerdown", function (e) {
    lastPointer = e.pointerType || "mouse";
    if (lastPointer === "touch") touchedAt = Date.now();
  }, true);
  doc.addEventListener("mouseover", function (e) {
    var a = linkOf(e.target);
    if (a && lastPointer !== "touch") {
      clearTimeout(closeTimer);
      if (a !== current) {
        clearTimeout(openTimer);
        openTimer = setTimeout(function () { open(a); }, OPEN_DELAY);
      }
    } else if (card.contains(e.target)) {
      clearTimeout(closeTimer);
    }
  });
  doc.addEventListener("mouseout", function (e) {
    var from = linkOf(e.target) || (card.contains(e.target) ? card : null);
    if (!from) return;
    var to = e.relatedTarget;
    if (to && (card.contains(to) || (current && current.contains(to)))) return;
    clearTimeout(openTimer);
    if (current) closeSoon();
  });
  doc.addEventListener("focusin", function (e) {
    var a = linkOf(e.target);
    // A tap focuses the link before its click: leave the first tap to the click handler.
    if (a && Date.now() - touchedAt < 1000) return;
    if (a) open(a);
    else if (current && !card.contains(e.target)) close();
  });
  doc.addEventListener("focusout", function (e) {
    var to = e.relatedTarget;
    if (current && linkOf(e.target) === current && !(to && card.contains(to))) close();
  });
  doc.addEventListener("keydown", function (e) {
    if ((e.key === "Escape" || e.key === "Esc") && current) {
      var a = current;
      close();
      if (card.contains(doc.activeElement)) a.focus();
    }
  });
  // Touch: the first tap shows the card, the card's link (or a second tap) navigates.
  doc.addEventListener("click", function (e) {
    var a = linkOf(e.target);
    if (a && lastPointer === "touch" && current !== a) {
      e.preventDefault();
      open(a);
    } else if (!a && current && !card.contains(e.target)) {
      close();
    }
  });
  window.addEventListener("resize", function () { if (current) place(current); });
})();
