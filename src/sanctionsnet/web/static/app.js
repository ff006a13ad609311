// sanctionsnet web interface: keyboard shortcuts, job progress, lazy list history.
// Plain script, no framework; every page works without it.
(function () {
  "use strict";

  function typing(target) {
    return target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
  }

  // "/" jumps to the name field; j / k move between results.
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
    if (event.key === "/") {
      var name = document.getElementById("name");
      if (name) { event.preventDefault(); name.focus(); name.select(); }
    } else if (event.key === "j" || event.key === "k") {
      var links = Array.prototype.slice.call(document.querySelectorAll(".result-link, .alert-group h4 a"));
      if (!links.length) return;
      var at = links.indexOf(document.activeElement);
      var next = event.key === "j" ? Math.min(at + 1, links.length - 1) : Math.max(at - 1, 0);
      if (at === -1) next = 0;
      event.preventDefault();
      links[next].focus();
      links[next].scrollIntoView({ block: "nearest" });
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    var errors = document.getElementById("errors");
    if (errors) errors.focus();
    followJob();
    loadHistory();
  });

  // A running batch job: poll its status, move the bar, reload when it ends.
  function followJob() {
    var section = document.getElementById("progress");
    if (!section) return;
    var state = section.getAttribute("data-state");
    if (state !== "queued" && state !== "running") return;
    var url = section.getAttribute("data-status");
    var bar = document.getElementById("job-progress");
    var count = document.getElementById("job-count");
    var label = document.getElementById("job-state");
    function poll() {
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
        .then(function (s) {
          label.textContent = s.state;
          label.className = "state state-" + s.state;
          if (s.percent !== null) { bar.value = s.percent; }
          var text = s.done.toLocaleString("en") + (s.total ? " of " + s.total.toLocaleString("en") : "") + " rows";
          if (s.rows_per_second) text += ", " + s.rows_per_second + " rows/s";
          count.textContent = text;
          if (s.state === "queued" || s.state === "running") { setTimeout(poll, 800); }
          else { window.location.reload(); }
        })
        .catch(function () { setTimeout(poll, 3000); });
    }
    setTimeout(poll, 400);
  }

  // The entity page's list history, when the server had not compared the versions yet.
  function loadHistory() {
    var box = document.getElementById("history-body");
    if (!box || !box.getAttribute("data-src")) return;
    fetch(box.getAttribute("data-src"), { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
      .then(function (html) {
        // Server-rendered, autoescaped HTML from this origin.
        var doc = new DOMParser().parseFromString(html, "text/html");
        var body = doc.querySelector("main") || doc.body;
        box.replaceChildren.apply(box, Array.prototype.slice.call(body.childNodes));
        box.removeAttribute("data-src");
      })
      .catch(function () { /* the link in the box still works */ });
  }
})();
