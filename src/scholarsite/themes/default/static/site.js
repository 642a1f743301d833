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
  var rev = function (s) { return s.split("").reverse().join(""); };
  document.querySelectorAll(".email[data-u]").forEach(function (el) {
    var addr = rev(el.getAttribute("data-u")) + "@" + rev(el.getAttribute("data-d"));
    var a = document.createElement("a");
    a.href = "mailto:" + addr;
    a.textContent = addr;
    el.textContent = "";
    el.appendChild(a);
  });
})();
