/* Service worker of the judges' pages (served at /judge/sw.js, scope /judge/).
 *
 * Why network-first with a cache fallback: online, a judge always gets the newest page and
 * assets; offline (or when the venue Wi-Fi hangs for seconds), the marking page and its assets
 * come from the cache, so a reload or a browser restart still opens the form. Marks themselves
 * never go through this cache: the page keeps them in its outbox (localStorage) until the
 * server's durable receipt arrives. The page (judge.js) fills this cache once the worker is ready:
 * itself and every /static/ file it loaded, the ES modules it imports (common.js, judge-sheet.js)
 * included, so an offline reload finds the whole module graph.
 */
'use strict';
var CACHE = 'jdg-v1';
var TIMEOUT_MS = 5000;

self.addEventListener('install', function () { self.skipWaiting(); });
self.addEventListener('activate', function (event) { event.waitUntil(self.clients.claim()); });

function cacheable(url) {
  if (url.origin !== self.location.origin) return false;
  if (url.pathname.indexOf('/static/') === 0) return true;
  return /^\/judge\/c\/[^/]+\/mark$/.test(url.pathname);
}

function withTimeout(promise) {
  return new Promise(function (resolve, reject) {
    var timer = setTimeout(function () { reject(new Error('timeout')); }, TIMEOUT_MS);
    promise.then(function (r) { clearTimeout(timer); resolve(r); }, function (e) { clearTimeout(timer); reject(e); });
  });
}

self.addEventListener('fetch', function (event) {
  var req = event.request;
  if (req.method !== 'GET') return;
  var url = new URL(req.url);
  if (!cacheable(url)) return;
  event.respondWith(caches.open(CACHE).then(function (cache) {
    return withTimeout(fetch(req)).then(function (resp) {
      if (resp.ok && !resp.redirected) cache.put(req, resp.clone());
      return resp;
    }).catch(function (err) {
      return cache.match(req).then(function (hit) {
        return hit || cache.match(req, { ignoreSearch: true });
      }).then(function (hit) {
        if (hit) return hit;
        throw err;
      });
    });
  }));
});
