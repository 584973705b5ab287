// Dateline dev server: live reload and build-error overlay.
// Injected into HTML responses by `dateline serve`; never written to output/.
// No inline styles or handlers: the overlay is styled by overlay.css, so pages keep a strict CSP.
(function () {
  "use strict";
  var root = document.currentScript.getAttribute("data-root") || "/__dateline__/";
  var known = sessionStorage.getItem("dateline-server");
  var pageBuild = document.currentScript.getAttribute("data-build");

  function sameUrl(url) {
    var a = new URL(url, location.href), b = new URL(location.href);
    var strip = function (p) { return p.replace(/index\.html$/, ""); };
    return a.origin === b.origin && strip(a.pathname) === strip(b.pathname);
  }

  function swapStylesheets(urls) {
    var swapped = 0;
    // A link being replaced is skipped; a replacement still loading gets the newer URL
    // (one copy of each stylesheet, however quickly the saves come).
    document.querySelectorAll('link[rel="stylesheet"]:not([data-dateline-old])').forEach(function (link) {
      var href = new URL(link.href, location.href);
      urls.forEach(function (url) {
        if (href.pathname === new URL(url, location.href).pathname) {
          href.searchParams.set("dateline", Date.now().toString());
          if (link.hasAttribute("data-dateline-new")) {
            link.href = href.toString();
          } else {
            var fresh = link.cloneNode();
            fresh.href = href.toString();
            fresh.setAttribute("data-dateline-new", "");
            fresh.onload = function () { link.remove(); fresh.removeAttribute("data-dateline-new"); };
            link.setAttribute("data-dateline-old", "");
            link.after(fresh);
          }
          swapped++;
        }
      });
    });
    return swapped;
  }

  function pageUses(url) {
    var target = new URL(url, location.href).pathname;
    return Array.prototype.some.call(document.querySelectorAll("[src],[href]"), function (el) {
      var value = el.getAttribute("src") || el.getAttribute("href");
      try { return new URL(value, location.href).pathname === target; } catch (e) { return false; }
    });
  }

  function showErrors(errors) {
    hideErrors();
    if (!document.querySelector("link[data-dateline-overlay]")) {
      var style = document.createElement("link");
      style.rel = "stylesheet";
      style.href = root + "overlay.css";
      style.setAttribute("data-dateline-overlay", "");
      document.head.append(style);
    }
    var box = document.createElement("div");
    box.id = "dateline-overlay";
    box.setAttribute("role", "alertdialog");
    box.setAttribute("aria-label", "Build failed");
    var title = document.createElement("h2");
    title.textContent = "Build failed — the last good version of the site is still being served";
    var list = document.createElement("pre");
    list.textContent = errors.join("\n");
    var close = document.createElement("button");
    close.type = "button";
    close.textContent = "Dismiss";
    close.onclick = hideErrors;
    box.append(title, list, close);
    document.body.append(box);
  }

  function hideErrors() {
    var old = document.getElementById("dateline-overlay");
    if (old) old.remove();
  }

  var server = document.getElementById("dateline-overlay");
  if (server) server.querySelector("button").onclick = hideErrors;

  function connect() {
    var source = new EventSource(root + "events");
    source.addEventListener("hello", function (event) {
      var data = JSON.parse(event.data);
      // A restarted server, or builds we missed while disconnected: start afresh.
      if ((known && known !== data.server) || (pageBuild && String(data.build) !== pageBuild && !data.errors.length)) {
        sessionStorage.setItem("dateline-server", data.server);
        location.reload();
        return;
      }
      known = data.server;
      sessionStorage.setItem("dateline-server", data.server);
      if (data.errors.length) showErrors(data.errors.concat(data.warnings || [])); else hideErrors();
    });
    source.addEventListener("built", function (event) {
      var data = JSON.parse(event.data);
      pageBuild = String(data.build);
      hideErrors();
      var css = data.changed.filter(function (u) { return /\.css$/.test(u); });
      var others = data.changed.filter(function (u) { return !/\.css$/.test(u); });
      if (others.some(function (u) { return sameUrl(u) || pageUses(u); })) { location.reload(); return; }
      if (css.length) swapStylesheets(css);
    });
    source.addEventListener("failed", function (event) {
      var failed = JSON.parse(event.data);
      showErrors(failed.errors.concat(failed.warnings || []));
    });
  }
  connect();
})();
