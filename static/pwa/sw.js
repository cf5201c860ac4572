/* Service worker: keeps the app shell and the official's households readable with no network.
 *
 * Reads only. Support actions logged offline wait in offline.js's IndexedDB queue and are sent by
 * the page; POSTs and /api/ writes never pass through here, so nothing can be sent twice or lost
 * in a worker's cache.
 *
 * Caches (bump VERSION whenever this file or the app shell changes; activate deletes the rest):
 *   shell-VERSION  /static/ files and the manifest, cache first (hashed names never change);
 *   pages-VERSION  HTML pages and GET /api/my-households, network first (4 s), cache on failure.
 * Pages are personal data: only plain 200 answers are kept (never a redirect, never /accounts/
 * or /admin/), the page sends "clear" on sign-out, and the cache holds at most MAX_PAGES pages.
 */
"use strict";

const VERSION = "2026-12-05.4";
const SHELL = "shell-" + VERSION;
const PAGES = "pages-" + VERSION;
const NETWORK_TIMEOUT_MS = 4000;
const MAX_PAGES = 300;
const MAX_HOUSEHOLDS = 50; // an official follows a handful; a commune officer's list is not for offline
const REFRESH_AFTER_MS = 6 * 60 * 60 * 1000; // a precached page older than this is fetched again
const HOME = "/my-households/";
const SHELL_URLS = [
  "/static/css/app.css",
  "/static/js/offline.js",
  "/static/icons/icon-192.png",
  "/static/icons/icon-512.png",
  "/static/icons/icon-maskable-512.png",
  "/manifest.webmanifest",
];
const NEVER_CACHED = /^\/(accounts|admin|i18n|sw\.js|reports)(\/|$)/;  // reports: downloads hold personal data

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const shell = await caches.open(SHELL);
      await Promise.all(SHELL_URLS.map((url) => cacheUrl(shell, url).catch(() => null)));
      // The households list and its pages, if signed in. A network failure (not a redirect to
      // the sign-in page) fails the install: the old worker and its caches then stay in charge.
      const home = await fetch(HOME, { credentials: "same-origin" });
      if (storable(home)) {
        const html = await home.clone().text();
        await (await caches.open(PAGES)).put(HOME, home);
        await precache(householdLinks(html).slice(0, MAX_HOUSEHOLDS), false);
      }
      await self.skipWaiting();
    })()
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      const keep = new Set([SHELL, PAGES]);
      for (const name of await caches.keys()) if (!keep.has(name)) await caches.delete(name);
      await self.clients.claim();
    })()
  );
});

self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type === "precache" && Array.isArray(data.urls)) {
    event.waitUntil(precache(data.urls, Boolean(data.refresh)));
  } else if (data.type === "clear") {
    event.waitUntil(caches.delete(PAGES));
  }
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return; // writes go straight to the network
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  const path = url.pathname;
  if (path.startsWith("/static/")) {
    event.respondWith(cacheFirst(event));
  } else if (path === "/manifest.webmanifest" || path === "/api/my-households") {
    networkFirst(event, path === "/manifest.webmanifest" ? SHELL : PAGES);
  } else if (path.startsWith("/api/") || NEVER_CACHED.test(path)) {
    return;
  } else if (request.mode === "navigate" || (request.headers.get("Accept") || "").includes("text/html")) {
    networkFirst(event, PAGES);
  }
});

function storable(response) {
  // type "basic" and status 200 rule out redirects (opaque or followed), errors and other origins.
  return response && response.status === 200 && response.type === "basic" && !response.redirected;
}

function cacheName(path) {
  return path.startsWith("/static/") || path === "/manifest.webmanifest" ? SHELL : PAGES;
}

async function cacheUrl(cache, url) {
  const response = await fetch(url, { credentials: "same-origin" });
  if (storable(response)) {
    await cache.put(url, response);
    return true;
  }
  return false;
}

async function cacheFirst(event) {
  const request = event.request;
  const cached = await caches.match(request, { ignoreVary: true });
  if (cached) return cached;
  const response = await fetch(request);
  if (storable(response)) {
    const copy = response.clone();
    event.waitUntil(caches.open(SHELL).then((cache) => cache.put(request, copy)));
  }
  return response;
}

function networkFirst(event, name) {
  const request = event.request;
  let saving = Promise.resolve();
  const network = fetch(request).then((response) => {
    const path = new URL(request.url).pathname;
    if (storable(response) && !NEVER_CACHED.test(path)) {
      const copy = response.clone();
      saving = caches.open(name).then((cache) => cache.put(request.url, copy)).then(trimPages);
    }
    return response;
  });
  event.waitUntil(network.then(() => saving).catch(() => null));
  event.respondWith(networkOrCache(network, request));
}

async function networkOrCache(network, request) {
  let timer;
  const timeout = new Promise((resolve) => {
    timer = setTimeout(resolve, NETWORK_TIMEOUT_MS);
  });
  try {
    const answer = await Promise.race([network, timeout]);
    if (answer) return answer;
    // Weak signal: show the copy now; the network answer still refreshes the cache for next time.
    const cached = await caches.match(request.url, { ignoreVary: true });
    return cached || (await network);
  } catch (error) {
    const cached = await caches.match(request.url, { ignoreVary: true });
    if (cached) return cached;
    if (request.mode === "navigate") return offlinePage();
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

async function trimPages() {
  const cache = await caches.open(PAGES);
  const keys = await cache.keys(); // oldest first
  for (const key of keys.slice(0, Math.max(0, keys.length - MAX_PAGES))) await cache.delete(key);
}

async function precache(urls, refresh) {
  const queue = [];
  for (const raw of urls) {
    let url;
    try {
      url = new URL(raw, self.location.origin);
    } catch (error) {
      continue;
    }
    if (url.origin !== self.location.origin || NEVER_CACHED.test(url.pathname)) continue;
    const key = url.pathname + url.search;
    if (!queue.includes(key)) queue.push(key);
  }
  // Three at a time: a cheap phone on 3G should not choke on twenty pages at once.
  const worker = async () => {
    while (queue.length) {
      const key = queue.shift();
      const cache = await caches.open(cacheName(key));
      const cached = await cache.match(key, { ignoreVary: true });
      if (cached && !(refresh || isOld(cached, key))) continue;
      await cacheUrl(cache, key).catch(() => false);
    }
  };
  await Promise.all([worker(), worker(), worker()]);
  await trimPages();
}

function isOld(response, key) {
  if (key.startsWith("/static/")) return false;
  const date = Date.parse(response.headers.get("Date") || "");
  return !date || Date.now() - date > REFRESH_AFTER_MS;
}

function householdLinks(html) {
  const links = [];
  for (const tag of html.match(/<a\b[^>]*>/g) || []) {
    if (!/class="[^"]*\bhousehold-link\b/.test(tag)) continue;
    const href = /href="([^"]+)"/.exec(tag);
    if (href) links.push(href[1].replace(/&amp;/g, "&"));
  }
  return links;
}

function offlinePage() {
  const html =
    '<!doctype html><html lang="vi"><head><meta charset="utf-8">' +
    '<meta name="viewport" content="width=device-width, initial-scale=1">' +
    "<title>Không có mạng</title></head>" +
    '<body style="font-family:sans-serif;margin:1.5rem;line-height:1.5">' +
    "<h1>Không có mạng</h1>" +
    "<p>Trang này chưa được lưu trên máy. Hãy mở lại khi có mạng.</p>" +
    '<p><a href="' + HOME + '">Hộ tôi phụ trách</a></p>' +
    '<p lang="en" style="color:#555">No network, and this page was not saved on this phone.</p>' +
    "</body></html>";
  return new Response(html, { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } });
}
