package server

// serviceWorkerJS is the template of /app-worker.js (go-app fills
// {{.Version}} and {{.ResourcesToCache}}). It replaces go-app's default
// worker, which caches without waitUntil (a failed precache goes
// unnoticed) and serves only exact precached URLs, so a reload of a deep
// link offline fails. This worker:
//
//   - precaches the app shell inside install's waitUntil, bypassing the
//     HTTP cache, and activates at once (go-app then offers the update);
//   - deletes the caches of other versions on activate;
//   - answers navigations from the network, falling back to the cached
//     shell ("/") when offline, so any page reloads offline and the app
//     shows its offline state;
//   - answers shell resources from the cache first;
//   - never touches /api/ and /ws/ (the data plane handles failures).
const serviceWorkerJS = `// AI Infra Studio service worker, version {{.Version}}.
const cacheName = "studio-{{.Version}}";
const resourcesToCache = {{.ResourcesToCache}};
const shellURL = "/";

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(cacheName);
    await cache.addAll(resourcesToCache.map((url) => new Request(url, { cache: "reload" })));
    await self.skipWaiting();
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    const keys = await caches.keys();
    await Promise.all(keys.filter((key) => key !== cacheName).map((key) => caches.delete(key)));
    await self.clients.claim();
  })());
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") {
    return;
  }
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname.startsWith("/api/") || url.pathname.startsWith("/ws/")) {
    return;
  }
  if (request.mode === "navigate") {
    event.respondWith(navigate(request));
    return;
  }
  event.respondWith(cacheFirst(request));
});

async function navigate(request) {
  try {
    return await fetch(request);
  } catch (err) {
    const cache = await caches.open(cacheName);
    const shell = await cache.match(shellURL);
    if (shell) {
      return shell;
    }
    throw err;
  }
}

async function cacheFirst(request) {
  const cache = await caches.open(cacheName);
  const cached = await cache.match(request, { ignoreVary: true, ignoreSearch: false });
  if (cached) {
    return cached;
  }
  return fetch(request);
}
`
