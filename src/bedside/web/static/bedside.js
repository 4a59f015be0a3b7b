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


  // Installable app: the service worker caches the shell and shows the offline page.
  function registerWorker() {
    if (!("serviceWorker" in navigator) || !window.isSecureContext) return;
    navigator.serviceWorker.register("/sw.js").catch(function () { /* pages work without */ });
  }

  // On a phone the sections are one scrolling row: keep the current one in view.
  function showCurrentSection() {
    var current = document.querySelector(".top nav a[aria-current='page']");
    var row = current && current.closest("nav");
    if (row && row.scrollWidth > row.clientWidth) {
      var offset = current.getBoundingClientRect().left - row.getBoundingClientRect().left;
      row.scrollLeft += offset - (row.clientWidth - current.offsetWidth) / 2;
    }
  }

  // Tonight: ask once whether to show a notification at intake time while Bedside is open.
  var NOTIFY_KEY = "bedside:notify";
  function notify(clock) {
    var title = "Bedside";
    var options = { body: "Your planned intake time: " + clock, tag: "bedside-intake",
      icon: "/static/icons/icon-192.png" };
    var fallback = function () { try { new Notification(title, options); } catch (e) { /* none */ } };
    if (navigator.serviceWorker && navigator.serviceWorker.getRegistration) {
      navigator.serviceWorker.getRegistration().then(function (reg) {
        if (reg) reg.showNotification(title, options); else fallback();
      }, fallback);
    } else {
      fallback();
    }
  }
  function schedule(card, status) {
    var at = Date.parse(card.getAttribute("data-intake-at"));
    var wait = at - Date.now();
    var clock = card.getAttribute("data-intake-clock");
    if (isNaN(at) || wait <= 0 || wait > 86400000) return;
    window.setTimeout(function () { notify(clock); }, wait);
    if (status) {
      status.textContent = "A notification will show at " + clock + " while Bedside is open.";
      status.hidden = false;
    }
  }
  function reminder() {
    var card = document.querySelector("[data-intake-at]");
    var prompt = document.querySelector("[data-remind]");
    var status = document.querySelector("[data-remind-status]");
    var store = storage();
    if (!card || !prompt || !store || !("Notification" in window)) return;
    if (Notification.permission === "denied") return;
    var choice = store.getItem(NOTIFY_KEY);
    if (choice === "yes" && Notification.permission === "granted") {
      schedule(card, status);
      return;
    }
    if (choice !== null) return;
    prompt.hidden = false;
    var decide = function (answer) {
      store.setItem(NOTIFY_KEY, answer);
      prompt.hidden = true;
    };
    prompt.querySelector("[data-remind-no]").addEventListener("click", function () {
      decide("no");
    });
    prompt.querySelector("[data-remind-yes]").addEventListener("click", function () {
      decide("yes");
      var done = false;
      var answered = function (permission) {
        if (done) return;
        done = true;
        if (permission === "granted") schedule(card, status);
      };
      var asked = Notification.requestPermission(answered);
      if (asked && asked.then) asked.then(answered);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    detectZone();
    checklist();
    focusErrors();
    showCurrentSection();
    reminder();
    registerWorker();
    if (document.querySelector("time[data-countdown]")) {
      tick();
      window.setInterval(tick, 30000);
    }
  });
})();
