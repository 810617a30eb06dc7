// The poll's service worker, the template of go-app's app-worker.js: it keeps
// the page in a cache named after the build, and answers nothing but GETs of
// that page's files. The event stream, the votes and the tally always go to
// the network, untouched.

const cacheName = "app-" + "{{.Version}}";
const resourcesToCache = {{.ResourcesToCache}};

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(cacheName).then((c) => c.addAll(resourcesToCache)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(caches.keys().then((keys) =>
    Promise.all(keys.filter((k) => k.startsWith("app-") && k !== cacheName).map((k) => caches.delete(k)))));
});

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (event.request.method === "GET" && url.origin === self.location.origin && resourcesToCache.includes(url.pathname)) {
    event.respondWith(caches.match(event.request).then((cached) => cached || fetch(event.request)));
  }
});
