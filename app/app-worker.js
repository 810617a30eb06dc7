// Herald's service worker, the template of go-app's app-worker.js: go-app
// fills in the build's version and the resources to cache below.
//
// It keeps the app shell in a cache named after the build, so the app opens
// offline, and it never answers an event stream or an API request: those go
// to the network, untouched, and fail there when the network is down.

const cacheName = "app-" + "{{.Version}}";
const resourcesToCache = {{.ResourcesToCache}};

// Paths whose requests always go to the network.
const networkOnly = ["/events", "/publish", "/session", "/jobs", "/state", "/healthz", "/readyz"];

// The WebAssembly module is not fetched at install: on a first visit the
// worker installs while the page downloads and compiles it, and a second
// download would compete with the page's. The page asks for it once it has
// compiled it (a "herald:keep-wasm" message), when the browser's HTTP cache
// holds it; a request the worker answers caches it too if it is missing.
const lateResources = resourcesToCache.filter((url) => url.endsWith(".wasm"));

self.addEventListener("install", (event) => {
  event.waitUntil(install());
});

async function install() {
  const cache = await caches.open(cacheName);
  await cache.addAll(resourcesToCache.filter((url) => !lateResources.includes(url)));
  await self.skipWaiting();
}

// keepLateResources caches the late resources that are missing, from the
// HTTP cache when it holds them: the request is revalidated ("no-cache"),
// so the server answers 304 Not Modified, without the body, unless the file
// changed.
async function keepLateResources() {
  const cache = await caches.open(cacheName);
  for (const url of lateResources) {
    if (!(await cache.match(url))) {
      await cache.add(new Request(url, { cache: "no-cache" }));
    }
  }
}

self.addEventListener("activate", (event) => {
  event.waitUntil(activate());
});

// activate drops the caches of older builds. The pages an older worker
// controls pass to this one, and go-app tells them about the update
// (OnAppUpdate). A page that had no worker gets one at its next load: it is
// not claimed, which go-app would take for an update.
async function activate() {
  const keys = await caches.keys();
  const old = keys.filter((key) => key.startsWith("app-") && key !== cacheName);
  await Promise.all(old.map((key) => caches.delete(key)));
}

self.addEventListener("fetch", (event) => {
  if (!fromCache(event.request)) {
    return; // the browser fetches it itself, as if there were no worker
  }
  const answer = event.request.mode === "navigate" ? networkFirst : cacheFirst;
  event.respondWith(answer(event.request));
});

// fromCache reports whether the worker may answer request: a GET of this
// origin that is neither an event stream nor an API call.
function fromCache(request) {
  if (request.method !== "GET") {
    return false;
  }
  if ((request.headers.get("Accept") || "").includes("text/event-stream")) {
    return false;
  }
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) {
    return false;
  }
  return !networkOnly.some((p) => url.pathname === p || url.pathname.startsWith(p + "/"));
}

// cacheFirst answers a file from the cache, else from the network, and
// keeps a late resource it fetched.
async function cacheFirst(request) {
  const cached = await caches.match(request);
  if (cached) {
    return cached;
  }
  const response = await fetch(request);
  if (response.ok && lateResources.includes(new URL(request.url).pathname)) {
    const copy = response.clone();
    caches.open(cacheName).then((cache) => cache.put(request, copy));
  }
  return response;
}

// networkFirst answers a page from the network, which renders it with the
// current state of the stream, and only when the network cannot, from the
// cache, else with the cached app shell: the cached page's state is older,
// but the app resumes the stream from that state's own id, so nothing is
// lost or shown twice.
async function networkFirst(request) {
  try {
    return await fetch(request);
  } catch (err) {
    const cached = (await caches.match(request)) || (await caches.match("/"));
    if (cached) {
      return cached;
    }
    throw err;
  }
}

// Notifications, as go-app's Context.Notifications expects of its worker.

self.addEventListener("push", (event) => {
  let options = null;
  try {
    options = event.data ? event.data.json() : null;
  } catch {
    options = null;
  }
  if (options) {
    event.waitUntil(showNotification(options));
  }
});

self.addEventListener("message", (event) => {
  const msg = event.data;
  if (msg && msg.type === "goapp:notify") {
    event.waitUntil(showNotification(msg.options));
  }
  if (msg && msg.type === "herald:keep-wasm") {
    event.waitUntil(keepLateResources());
  }
});

async function showNotification(n) {
  const { title, path, actions = [], data = {}, ...options } = n;
  await self.registration.showNotification(title || "Notification", {
    ...options,
    actions: actions.map((a) => ({ action: a.action, title: a.title, icon: a.icon })),
    data: { ...data, goapp: { path: path, actions: actions.map((a) => ({ action: a.action, path: a.path })) } },
  });
}

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const goapp = event.notification.data.goapp;
  const action = goapp.actions.find((a) => a.action === event.action);
  const path = action ? action.path : goapp.path;
  event.waitUntil(openPath(path));
});

// openPath shows path in an open window of the app, or in a new one.
async function openPath(path) {
  const windows = await self.clients.matchAll({ type: "window" });
  const client = windows.find((c) => "focus" in c);
  if (client) {
    await client.focus();
    client.postMessage({ goapp: { type: "notification", path: path } });
    return;
  }
  if (self.clients.openWindow) {
    await self.clients.openWindow(path || "/");
  }
}
