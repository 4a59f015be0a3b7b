// Bedside's service worker: an installable app and a clear page when the computer that runs
// Bedside cannot be reached. It caches only the static shell (styles, script, icons, the
// offline page). Pages and API responses carry health data: they always come from the
// network and are never stored here.
"use strict";

var CACHE = "bedside-shell-__VERSION__";
var OFFLINE = "/offline";
var SHELL = [
  OFFLINE,
  "/static/bedside.css",
  "/static/bedside.js",
  "/static/icons/icon.svg",
  "/static/icons/icon-192.png",
  "/static/icons/icon-512.png",
  "/static/icons/icon-maskable-512.png",
  "/static/icons/apple-touch-icon.png",
  "/manifest.webmanifest"
];

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(CACHE).then(function (cache) { return cache.addAll(SHELL); })
      .then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) {
        return name.indexOf("bedside-") === 0 && name !== CACHE;
      }).map(function (name) { return caches.delete(name); }));
    }).then(function () { return self.clients.claim(); })
  );
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    // Network first, always: a page is never served from a cache.
    event.respondWith(fetch(request).catch(function () { return caches.match(OFFLINE); }));
    return;
  }
  if (url.search === "" && SHELL.indexOf(url.pathname) !== -1) {
    event.respondWith(fetch(request).catch(function () { return caches.match(url.pathname); }));
  }
  // Anything else (the API, exports) goes to the network untouched.
});
