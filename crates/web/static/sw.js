// pcmd's service worker: keeps the app shell (the offline entry page, its
// script, the stylesheet, the manifest and icon) so that /offline opens
// without a connection. Pages are fetched from the network as always (they
// are never cached: they hold one user's figures and records); without a
// connection a page asked for is answered with the offline entry page.
// Nothing is fetched from outside the server.
'use strict';
var SHELL = 'pcmd-shell-v1';
var FILES = ['/offline', '/static/offline.js', '/static/pcmd.css', '/manifest.webmanifest', '/static/icon.svg'];

self.addEventListener('install', function (event) {
  event.waitUntil(caches.open(SHELL).then(function (c) { return c.addAll(FILES); }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener('activate', function (event) {
  event.waitUntil(
    caches.keys()
      .then(function (keys) { return Promise.all(keys.filter(function (k) { return k !== SHELL; }).map(function (k) { return caches.delete(k); })); })
      .then(function () { return self.clients.claim(); })
  );
});

self.addEventListener('fetch', function (event) {
  var req = event.request;
  if (req.method !== 'GET') return;
  var url = new URL(req.url);
  if (url.origin !== self.location.origin || url.pathname.indexOf('/api/') === 0) return;
  var shell = FILES.indexOf(url.pathname) >= 0;
  if (shell) {
    // The network's copy when there is one (kept for later), else the kept one.
    event.respondWith(
      fetch(req)
        .then(function (resp) {
          if (resp.ok) {
            var copy = resp.clone();
            caches.open(SHELL).then(function (c) { c.put(url.pathname, copy); });
          }
          return resp;
        })
        .catch(function () { return caches.match(url.pathname); })
    );
  } else if (req.mode === 'navigate') {
    event.respondWith(fetch(req).catch(function () { return caches.match('/offline'); }));
  }
});
