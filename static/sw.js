// Verbeterbord's service worker, served at /sw.js (app/web/pwa.py) so that it controls every page.
//
// What it keeps, so that Mijn acties and the boards stay readable without a network:
// - the pages /mijn-acties, /teams/{id} (a board) and /teams/{id}/acties/{id} (an action with
//   its reacties): network first; a copy of each answer is kept, and without a network the
//   copy is shown, marked data-offline-kopie="<when it was fetched>" on its <body>, which
//   static/js/offline.js turns into the banner "Je bent offline. Laatst bijgewerkt om HH:MM.";
// - static files: cache first (their URLs carry ?v=<content hash>, so a kept one never goes
//   stale), and the ones a kept page names are fetched along with it.
// Never: the API, the live streams, HTMX fragments, other pages, or anything but a GET.
//
// The kept pages are one person's: their cache is named after the user (the page says who in
// data-gebruiker on offline.js's <script>), a page of another user empties it first, and
// logging out (POST /logout), a page that was sent to the login page, or a page without a user
// empty it too. Writes made offline are not kept here but by offline.js, in IndexedDB.
"use strict";

const STATIC_CACHE = "verbeterbord-static-v1";
const PAGES_PREFIX = "verbeterbord-paginas-";
const KEPT_PAGE = /^\/(mijn-acties|teams\/\d+(\/acties\/\d+)?)$/;
const STATIC_IN_PAGE = /\/static\/[A-Za-z0-9_./-]+\?v=[0-9a-f]+/g;
const USER_IN_PAGE = /data-gebruiker="(\d*)"/;
const FETCHED_HEADER = "x-verbeterbord-opgehaald";
const FRESH_MS = 60 * 1000; // a page kept this recently is not fetched again when asked to keep it

// stores still running, by address, so a page asking "is this one kept?" waits for them
const storing = new Map();

self.addEventListener("install", () => {
  self.skipWaiting();
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith("verbeterbord-static-") && name !== STATIC_CACHE) {
          await caches.delete(name);
        }
      }
      await self.clients.claim();
    })()
  );
});

function pageCacheName(user) {
  return PAGES_PREFIX + user;
}

async function pageCaches() {
  return (await caches.keys()).filter((name) => name.startsWith(PAGES_PREFIX));
}

async function forgetPages(exceptUser) {
  for (const name of await pageCaches()) {
    if (exceptUser === undefined || name !== pageCacheName(exceptUser)) {
      await caches.delete(name);
    }
  }
}

function pageKey(url) {
  return url.pathname + url.search;
}

// Keeps a page's answer for its user, with the moment it was fetched, and the static files it
// names (so the kept copy has its styles and scripts).
async function keepPage(url, response) {
  const html = await response.text();
  const user = (USER_IN_PAGE.exec(html) || [])[1];
  if (!user) {
    await forgetPages();
    return;
  }
  await forgetPages(user);
  const headers = new Headers(response.headers);
  headers.delete("content-encoding");
  headers.delete("content-length");
  headers.set(FETCHED_HEADER, new Date(response.headers.get("date") || Date.now()).toISOString());
  const cache = await caches.open(pageCacheName(user));
  await cache.put(pageKey(url), new Response(html, { status: 200, headers: headers }));
  const statics = await caches.open(STATIC_CACHE);
  const named = new Set(html.match(STATIC_IN_PAGE) || []);
  for (const address of named) {
    if (!(await statics.match(address))) {
      try {
        const file = await fetch(address);
        if (file.ok) await statics.put(address, file);
      } catch (error) {
        // the next visit tries again
      }
    }
  }
}

function isKeepable(response) {
  const type = response.headers.get("content-type") || "";
  return response.ok && response.type === "basic" && !response.redirected && type.startsWith("text/html");
}

function track(url, work) {
  const key = pageKey(url);
  const running = work.finally(() => {
    if (storing.get(key) === running) storing.delete(key);
  });
  storing.set(key, running);
  return running;
}

async function keptCopy(url) {
  const names = await pageCaches();
  for (const name of names) {
    const cache = await caches.open(name);
    const found = (await cache.match(pageKey(url))) || (await cache.match(url.pathname, { ignoreSearch: true }));
    if (found) return found;
  }
  return undefined;
}

// The kept copy, marked as one: <body data-offline-kopie="<fetched at>" ...>. Its headers are
// the original answer's, the Content-Security-Policy among them.
async function offlineCopy(url) {
  const kept = await keptCopy(url);
  if (!kept) return undefined;
  const fetched = kept.headers.get(FETCHED_HEADER) || "";
  const html = (await kept.text()).replace("<body ", '<body data-offline-kopie="' + fetched.replace(/[^0-9TZ:.+-]/g, "") + '" ');
  return new Response(html, { status: 200, statusText: "OK", headers: kept.headers });
}

async function page(event, url) {
  try {
    const response = await fetch(event.request);
    if (isKeepable(response)) {
      event.waitUntil(track(url, keepPage(url, response.clone())));
    } else if (response.type === "opaqueredirect" || response.redirected) {
      // these pages redirect only to the login page: the session ended, the kept pages go
      event.waitUntil(forgetPages());
    }
    return response;
  } catch (error) {
    const copy = await offlineCopy(url);
    if (copy) return copy;
    throw error;
  }
}

async function staticFile(request, url) {
  const cache = await caches.open(STATIC_CACHE);
  const fingerprinted = url.searchParams.has("v");
  if (fingerprinted) {
    const hit = await cache.match(request);
    if (hit) return hit;
  }
  try {
    const response = await fetch(request);
    if (response.ok && response.type === "basic") {
      await cache.put(request, response.clone());
    }
    return response;
  } catch (error) {
    // a file without fingerprint (a font a stylesheet names): the kept one, when offline
    const hit = await cache.match(request, { ignoreSearch: !fingerprinted });
    if (hit) return hit;
    throw error;
  }
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method === "POST" && url.pathname === "/logout") {
    event.waitUntil(forgetPages()); // the answer itself goes to the network as usual
    return;
  }
  if (request.method !== "GET") return;
  if (url.pathname.startsWith("/static/")) {
    event.respondWith(staticFile(request, url));
  } else if (request.mode === "navigate" && KEPT_PAGE.test(url.pathname)) {
    event.respondWith(page(event, url));
  }
  // everything else (the API, the live streams, HTMX fragments) goes to the network untouched
});

// The page asks: "keep this page" (it was loaded before this worker took control) or "forget
// the kept pages" (logout, no user). The answer goes back on the message's port.
self.addEventListener("message", (event) => {
  const data = event.data || {};
  const port = event.ports && event.ports[0];
  const reply = (answer) => {
    if (port) port.postMessage(answer);
  };
  if (data.type === "bewaar" && typeof data.path === "string") {
    const url = new URL(data.path, self.location.origin);
    if (url.origin !== self.location.origin || !KEPT_PAGE.test(url.pathname)) {
      reply({ type: "niet-bewaard" });
      return;
    }
    event.waitUntil(
      (async () => {
        const running = storing.get(pageKey(url));
        const kept = running ? undefined : await keptCopy(url);
        const fetchedAt = kept ? Date.parse(kept.headers.get(FETCHED_HEADER) || "") : NaN;
        if (running) {
          await running.catch(() => undefined);
        } else if (!(Date.now() - fetchedAt < FRESH_MS)) {
          try {
            const response = await fetch(url.href, { credentials: "same-origin", headers: { Accept: "text/html" } });
            if (isKeepable(response)) await track(url, keepPage(url, response));
          } catch (error) {
            reply({ type: "niet-bewaard" });
            return;
          }
        }
        reply({ type: (await keptCopy(url)) ? "bewaard" : "niet-bewaard" });
      })()
    );
  } else if (data.type === "vergeet") {
    event.waitUntil(forgetPages().then(() => reply({ type: "vergeten" })));
  }
});
