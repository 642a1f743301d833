/* Progressive enhancement only: the site works without this file. */
(function () {
  "use strict";
  var root = document.documentElement;
  var btn = document.querySelector(".theme-toggle");
  if (btn) {
    btn.hidden = false;
    var dark = function () {
      var t = root.getAttribute("data-theme");
      if (t) return t === "dark";
      return window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches;
    };
    var sync = function () { btn.setAttribute("aria-pressed", dark() ? "true" : "false"); };
    sync();
    btn.addEventListener("click", function () {
      var next = dark() ? "light" : "dark";
      root.setAttribute("data-theme", next);
      try { localStorage.setItem("theme", next); } catch (e) { /* private mode */ }
      sync();
    });
  }
  // Third-party embeds: a plain link until clicked, then the iframe (no request before).
  document.querySelectorAll(".embed[data-embed]").forEach(function (fig) {
    var open = fig.querySelector(".embed-open");
    if (!open) return;
    open.addEventListener("click", function (ev) {
      ev.preventDefault();
      var frame = document.createElement("iframe");
      frame.src = fig.getAttribute("data-embed");
      frame.title = fig.getAttribute("data-embed-title") || open.textContent;
      frame.setAttribute("allow", "autoplay; encrypted-media; picture-in-picture; fullscreen");
      frame.setAttribute("allowfullscreen", "");
      frame.setAttribute("referrerpolicy", "strict-origin-when-cross-origin");
      fig.replaceChild(frame, open);
      frame.focus();
    });
  });
  var rev = function (s) { return s.split("").reverse().join(""); };
  document.querySelectorAll(".email[data-u]").forEach(function (el) {
    var addr = rev(el.getAttribute("data-u")) + "@" + rev(el.getAttribute("data-d"));
    var a = document.createElement("a");
    a.href = "mailto:" + addr;
    a.textContent = addr;
    el.textContent = "";
    el.appendChild(a);
  });
  // Copy a citation: the button is hidden until this script runs.
  document.querySelectorAll("button.copy-cite[data-copy]").forEach(function (btn) {
    var source = document.getElementById(btn.getAttribute("data-copy"));
    if (!source) return;
    var label = btn.textContent;
    var done = function () {
      btn.textContent = btn.getAttribute("data-copied") || label;
      setTimeout(function () { btn.textContent = label; }, 2000);
    };
    var fallback = function () {
      var range = document.createRange();
      range.selectNodeContents(source);
      var sel = window.getSelection();
      sel.removeAllRanges();
      sel.addRange(range);
      try { if (document.execCommand("copy")) done(); } catch (e) { /* text stays selected */ }
    };
    btn.hidden = false;
    btn.addEventListener("click", function () {
      var text = source.textContent;
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text).then(done, fallback);
      } else {
        fallback();
      }
    });
  });
  // Publications filter by year, type, venue, tag: works offline. It is a <template>, so
  // without JavaScript it does not show; items are hidden with an inline style, which no
  // theme rule (.pub { display: grid }) overrides.
  var filterTemplate = document.getElementById("pub-filter-template");
  // (the page's inline script usually inserted it already, before the first paint)
  var filter = document.querySelector("form.pub-filter");
  if (!filter && filterTemplate && filterTemplate.content) {
    filterTemplate.parentNode.insertBefore(filterTemplate.content.cloneNode(true), filterTemplate);
    filter = document.querySelector("form.pub-filter");
  }
  var show = function (el, on) {
    el.hidden = !on;
    el.style.display = on ? "" : "none";
  };
  if (filter) {
    var items = Array.prototype.slice.call(document.querySelectorAll(".pub-list li.pub"));
    var count = filter.querySelector(".pub-count");
    var matches = function (li, name, want) {
      if (!want) return true;
      if (name === "year") return (li.getAttribute("data-year") || "preprint") === want;
      if (name === "tag") return (li.getAttribute("data-tags") || "").split("|").indexOf(want) >= 0;
      return li.getAttribute("data-" + name) === want;
    };
    var apply = function () {
      var shown = 0;
      var selects = Array.prototype.slice.call(filter.querySelectorAll("select"));
      items.forEach(function (li) {
        var ok = selects.every(function (s) { return matches(li, s.name, s.value); });
        show(li, ok);
        if (ok) shown += 1;
      });
      document.querySelectorAll(".pub-list .year-group").forEach(function (group) {
        show(group, !!group.querySelector("li.pub:not([hidden])"));
      });
      if (count) count.textContent = shown + " / " + items.length;
    };
    filter.addEventListener("change", apply);
    filter.addEventListener("submit", function (ev) { ev.preventDefault(); });
  }
  // Site search (pagefind): its UI and index are files of this site, loaded on demand.
  var search = document.querySelector("[data-search-bundle]");
  if (search) {
    var bundle = search.getAttribute("data-search-bundle");
    var script = document.createElement("script");
    script.src = bundle + "pagefind-ui.js";
    script.onload = function () {
      if (typeof PagefindUI !== "function") return;
      var css = document.createElement("link");
      css.rel = "stylesheet";
      css.href = bundle + "pagefind-ui.css";
      document.head.appendChild(css);
      search.hidden = false;
      new PagefindUI({ // eslint-disable-line no-undef
        element: "#" + search.id,
        bundlePath: bundle,
        baseUrl: search.getAttribute("data-search-base") || "/",
        showImages: false,
        showSubResults: false,
        resetStyles: false
      });
    };
    document.head.appendChild(script);  // no index (build --no-search): the box stays hidden
  }
})();
