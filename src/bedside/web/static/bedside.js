// Bedside: small progressive enhancements. Every page works without this file.
(function () {
  "use strict";

  // First run: replace the server's guess with the browser's own time zone.
  function detectZone() {
    var input = document.querySelector("input[data-detect-zone]");
    if (!input || !window.Intl || !Intl.DateTimeFormat) return;
    try {
      var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
      if (zone && /^[A-Za-z_]+(\/[A-Za-z0-9_+\-]+)+$/.test(zone)) input.value = zone;
    } catch (e) { /* keep the server's default */ }
  }

  // Countdowns: the server rendered the text; keep it ticking.
  function pad(n) { return n < 10 ? "0" + n : String(n); }
  function duration(minutes) {
    var h = Math.floor(minutes / 60), m = minutes % 60;
    return h === 0 ? m + " min" : h + " h " + pad(m) + " min";
  }
  function countdownText(target, now) {
    var seconds = (target - now) / 1000;
    var minutes = Math.floor(Math.abs(seconds) / 60);
    if (minutes === 0) return "now";
    return seconds > 0 ? "in " + duration(minutes) : duration(minutes) + " ago";
  }
  function tick() {
    var now = Date.now();
    document.querySelectorAll("time[data-countdown]").forEach(function (el) {
      var target = Date.parse(el.getAttribute("datetime"));
      if (!isNaN(target)) el.textContent = countdownText(target, now);
    });
  }

  // Wind-down checklist: ticks are kept in this browser for the night.
  var PREFIX = "bedside:winddown:";
  function storage() {
    try { return window.localStorage; } catch (e) { return null; }
  }
  function checklist() {
    var store = storage();
    var boxes = document.querySelectorAll("input[data-check-key]");
    if (!store || boxes.length === 0) return;
    var night = boxes[0].getAttribute("data-check-key").split(":")[0];
    for (var i = store.length - 1; i >= 0; i--) {
      var key = store.key(i);
      if (key && key.indexOf(PREFIX) === 0 && key.indexOf(PREFIX + night + ":") !== 0) {
        store.removeItem(key);
      }
    }
    boxes.forEach(function (box) {
      var key = PREFIX + box.getAttribute("data-check-key");
      box.checked = store.getItem(key) === "1";
      box.addEventListener("change", function () {
        if (box.checked) store.setItem(key, "1"); else store.removeItem(key);
      });
    });
  }

  // A form with errors: move focus to the summary so screen readers announce it.
  function focusErrors() {
    var summary = document.getElementById("error-summary");
    if (summary) summary.focus();
  }

  document.addEventListener("DOMContentLoaded", function () {
    detectZone();
    checklist();
    focusErrors();
    if (document.querySelector("time[data-countdown]")) {
      tick();
      window.setInterval(tick, 30000);
    }
  });
})();
