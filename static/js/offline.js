// Verbeterbord on the phone, also without a network: the page side of the service worker
// (static/sw.js, served at /sw.js) and the queue of writes made offline.
//
// - registers the worker and asks it to keep this page (Mijn acties, a board, an action);
// - shows "Je bent offline. Laatst bijgewerkt om HH:MM." on a kept copy (the worker marks its
//   <body> with data-offline-kopie="<fetched at>") and when the network drops;
// - a status change on Mijn acties or a reactie made offline (or whose sending failed for want
//   of a network) goes into a queue in IndexedDB, with the version the page had and the CSRF
//   token, and is sent when the network is back (on `online` and at every page load), in order,
//   each once: an item leaves the queue only on a definite answer. A version conflict (409) is
//   shown with what the person wanted and what is there now, and they choose; a refusal is
//   shown with its reason. Nothing is dropped without the person saying so.
// - logging out, or a page without a user, empties the kept pages.
// The texts come from the server, translated, in data-teksten on this file's <script>.
"use strict";

(function () {
  var script = document.currentScript;
  var USER = (script && script.getAttribute("data-gebruiker")) || "";
  var TEXTS = {};
  try {
    TEXTS = JSON.parse((script && script.getAttribute("data-teksten")) || "{}");
  } catch (error) {
    TEXTS = {};
  }
  var KEPT_PAGE = /^\/(mijn-acties|teams\/\d+(\/acties\/\d+)?)$/;
  var STATUS_FORM = "form.mijn-actie__formulier";
  var COMMENT_FORM = "form.comments__form";
  var DB_NAME = "verbeterbord-offline";
  var STORE = "wachtrij";
  var loadedAt = new Date();

  function text(key, values) {
    var message = TEXTS[key] || key;
    Object.keys(values || {}).forEach(function (name) {
      message = message.split("%(" + name + ")s").join(String(values[name]));
    });
    return message;
  }

  function announce(message) {
    var region = document.querySelector("[data-meldingen]");
    if (!region) return;
    region.textContent = "";
    var line = document.createElement("p");
    line.textContent = message;
    region.appendChild(line);
  }

  function currentToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") || "" : "";
  }

  // --- the service worker ---------------------------------------------------------------

  function forgetKeptPages() {
    if (!window.caches) return Promise.resolve();
    return caches.keys().then(function (names) {
      return Promise.all(
        names
          .filter(function (name) { return name.indexOf("verbeterbord-paginas-") === 0; })
          .map(function (name) { return caches.delete(name); })
      );
    });
  }

  function askWorker(worker, message) {
    return new Promise(function (resolve) {
      var channel = new MessageChannel();
      channel.port1.onmessage = function (event) { resolve(event.data || {}); };
      worker.postMessage(message, [channel.port2]);
    });
  }

  function startWorker() {
    if (!("serviceWorker" in navigator)) return;
    if (!USER) {
      forgetKeptPages();
      return;
    }
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(function () {
      // no worker (a browser without it, a private window): the pages simply need a network
    });
    if (!KEPT_PAGE.test(location.pathname) || document.body.hasAttribute("data-offline-kopie")) return;
    navigator.serviceWorker.ready.then(function (registration) {
      if (!registration.active) return;
      return askWorker(registration.active, { type: "bewaar", path: location.pathname + location.search })
        .then(function (answer) {
          if (answer.type === "bewaard") document.documentElement.setAttribute("data-offline-bewaard", "");
        });
    });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.matches && form.matches('form[action="/logout"]')) forgetKeptPages();
  }, true);

  // --- the banner -----------------------------------------------------------------------

  function sameDay(a, b) {
    return a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();
  }

  function fetchedAt() {
    var marked = document.body.getAttribute("data-offline-kopie");
    var when = marked ? new Date(marked) : loadedAt;
    return isNaN(when.getTime()) ? loadedAt : when;
  }

  function offlineSentence() {
    var when = fetchedAt();
    var language = document.documentElement.lang || "nl";
    var time = when.toLocaleTimeString(language, { hour: "2-digit", minute: "2-digit" });
    if (sameDay(when, new Date())) return text("offline", { tijd: time });
    var day = when.toLocaleDateString(language, { day: "numeric", month: "long" });
    return text("offline_dag", { dag: day, tijd: time });
  }

  function banner() {
    var found = document.querySelector("[data-offline-balk]");
    if (found) return found;
    var main = document.getElementById("inhoud");
    if (!main) return null;
    var made = document.createElement("div");
    made.className = "offline-balk";
    made.setAttribute("data-offline-balk", "");
    made.setAttribute("role", "status");
    var line = document.createElement("p");
    made.appendChild(line);
    main.insertBefore(made, main.firstChild);
    return made;
  }

  function showOffline() {
    var shown = banner();
    if (!shown) return;
    shown.querySelector("p").textContent = offlineSentence();
    shown.hidden = false;
  }

  function hideOffline() {
    var shown = document.querySelector("[data-offline-balk]");
    if (shown) shown.hidden = true;
  }

  // --- the queue in IndexedDB -------------------------------------------------------------

  var dbPromise = null;

  function openDb() {
    if (!window.indexedDB) return Promise.reject(new Error("geen IndexedDB"));
    if (!dbPromise) {
      dbPromise = new Promise(function (resolve, reject) {
        var request = indexedDB.open(DB_NAME, 1);
        request.onupgradeneeded = function () {
          request.result.createObjectStore(STORE, { keyPath: "id", autoIncrement: true });
        };
        request.onsuccess = function () { resolve(request.result); };
        request.onerror = function () { reject(request.error); };
      });
    }
    return dbPromise;
  }

  function inStore(mode, work) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var transaction = db.transaction(STORE, mode);
        var result;
        work(transaction.objectStore(STORE), function (value) { result = value; });
        transaction.oncomplete = function () { resolve(result); };
        transaction.onerror = function () { reject(transaction.error); };
        transaction.onabort = function () { reject(transaction.error); };
      });
    });
  }

  function myItems() {
    return inStore("readonly", function (store, done) {
      var request = store.getAll();
      request.onsuccess = function () {
        done(request.result.filter(function (item) { return item.user === USER; }));
      };
    });
  }

  function putItem(item) {
    return inStore("readwrite", function (store) { store.put(item); });
  }

  function deleteItem(id) {
    return inStore("readwrite", function (store) { store.delete(id); });
  }

  function getItem(id) {
    return inStore("readonly", function (store, done) {
      var request = store.get(id);
      request.onsuccess = function () { done(request.result); };
    });
  }

  // A second status change of the same action before the first was sent replaces it: both
  // were made on the version the page had, so sending both would make the second a conflict
  // with the person's own first.
  function enqueue(item) {
    return inStore("readwrite", function (store) {
      var request = store.getAll();
      request.onsuccess = function () {
        var same = request.result.filter(function (other) {
          return item.kind === "status" && other.kind === "status" && other.user === item.user &&
            other.url === item.url && other.state === "wacht";
        })[0];
        if (same) item.id = same.id;
        store.put(item);
      };
    });
  }

  function titleFor(form) {
    var item = form.closest(".mijn-actie");
    var heading = item ? item.querySelector(".mijn-actie__titel") : null;
    if (!heading) {
      var card = form.closest(".card");
      heading = card ? card.querySelector("h4") : document.querySelector("main h1");
    }
    return heading ? heading.textContent.trim() : "";
  }

  function itemFromForm(form) {
    var fields = {};
    new FormData(form).forEach(function (value, name) {
      if (typeof value === "string") fields[name] = value;
    });
    var item = {
      user: USER,
      url: form.getAttribute("action"),
      fields: fields,
      csrf: fields.csrf_token || currentToken(),
      title: titleFor(form),
      created: new Date().toISOString(),
      state: "wacht",
    };
    if (form.matches(STATUS_FORM)) {
      var select = form.querySelector('select[name="status"]');
      item.kind = "status";
      item.wanted = select && select.selectedOptions[0] ? select.selectedOptions[0].textContent.trim() : fields.status;
    } else {
      item.kind = "reactie";
      item.wanted = fields.body || "";
    }
    return item;
  }

  function queueForm(form, uncertain) {
    var item = itemFromForm(form);
    item.uncertain = Boolean(uncertain); // it may have reached the server: checked before resending
    return enqueue(item).then(function () {
      if (item.kind === "reactie") {
        var body = form.querySelector('textarea[name="body"]');
        if (body) body.value = "";
      }
      announce(text("in_wachtrij"));
      return showQueue();
    }, function () {
      announce(text("niet_bewaard")); // the form keeps what was filled in
    });
  }

  function isQueueable(form) {
    return Boolean(USER && form && form.matches && (form.matches(STATUS_FORM) || form.matches(COMMENT_FORM)));
  }

  // Offline, the form is not sent (HTMX would fail) but queued. Capturing on the document runs
  // before HTMX's own listener on the form.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (navigator.onLine || !isQueueable(form) || !window.indexedDB) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    queueForm(form);
  }, true);

  // The browser thought it was online, but the request never reached the server.
  document.addEventListener("htmx:sendError", function (event) {
    var form = event.detail && event.detail.elt;
    if (isQueueable(form) && window.indexedDB) queueForm(form, true);
  });

  // --- sending ----------------------------------------------------------------------------

  function parse(html) {
    return new DOMParser().parseFromString(html, "text/html");
  }

  function firstText(doc, selectors) {
    for (var i = 0; i < selectors.length; i++) {
      var found = doc.querySelector(selectors[i]);
      if (found && found.textContent.trim()) return found.textContent.trim();
    }
    return "";
  }

  function formBody(fields, token) {
    var body = new URLSearchParams();
    Object.keys(fields).forEach(function (name) {
      body.append(name, name === "csrf_token" ? token : fields[name]);
    });
    return body;
  }

  // What became of an item whose sending failed on the network: a reactie may have arrived
  // with only its answer lost. Its reacties are looked at before it is sent again.
  function alreadyThere(item) {
    if (item.kind !== "reactie" || !item.uncertain) return Promise.resolve(false);
    return fetch(item.url, { headers: { "HX-Request": "true" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.text() : ""; })
      .then(function (html) {
        var bodies = parse(html).querySelectorAll(".comment__body");
        return Array.prototype.some.call(bodies, function (body) {
          return body.textContent.trim() === (item.fields.body || "").trim();
        });
      });
  }

  // Sends one item; resolves to "verstuurd", "conflict", "geweigerd", "inloggen" or "wacht"
  // (no network: try again later).
  function sendOne(item) {
    var token = currentToken() || item.csrf;
    return alreadyThere(item).catch(function () { return "geen netwerk"; }).then(function (there) {
      if (there === "geen netwerk") return "wacht";
      if (there) return deleteItem(item.id).then(function () { return "verstuurd"; });
      item.uncertain = true;
      return putItem(item).then(function () {
        return fetch(item.url, {
          method: "POST",
          body: formBody(item.fields, token),
          headers: { "HX-Request": "true", "X-CSRF-Token": token },
          credentials: "same-origin",
          redirect: "manual",
        });
      }).then(function (response) {
        return judge(item, response);
      }, function () {
        return "wacht"; // still no network; `uncertain` stays, in case it arrived after all
      });
    });
  }

  function judge(item, response) {
    if (response.type === "opaqueredirect" || response.status === 401 || response.headers.get("HX-Redirect")) {
      item.uncertain = false;
      return putItem(item).then(function () { return "inloggen"; });
    }
    return response.text().then(function (html) {
      if (response.ok) {
        return deleteItem(item.id).then(function () {
          item.answer = html;
          return "verstuurd";
        });
      }
      var doc = parse(html);
      item.uncertain = false;
      if (response.status === 409 && item.kind === "status") {
        var now = doc.querySelector("[data-status]");
        var nowStatus = now ? now.getAttribute("data-status") : "";
        var sameReason = item.fields.status !== "blocked" ||
          firstText(doc, ["textarea[name=blocked_reason]"]) === (item.fields.blocked_reason || "").trim();
        if (nowStatus && nowStatus === item.fields.status && sameReason) {
          // what the person wanted is there already (their own earlier send): done
          return deleteItem(item.id).then(function () { return "verstuurd"; });
        }
        var version = doc.querySelector('input[name="version"]');
        item.state = "conflict";
        item.conflict = {
          now: firstText(doc, [".mijn-actie__status"]),
          message: firstText(doc, [".mijn-actie__melding p"]),
          version: version ? version.value : "",
        };
        return putItem(item).then(function () {
          item.answer = html; // the action as it is now, with who changed it
          return "conflict";
        });
      }
      if (response.status >= 500) {
        return putItem(item).then(function () { return "wacht"; });
      }
      item.state = "geweigerd";
      item.reason = firstText(doc, [
        ".utrecht-form-field-error-message",
        ".utrecht-alert--error p",
        "main p",
        "h1",
      ]) || String(response.status);
      return putItem(item).then(function () { return "geweigerd"; });
    });
  }

  var sending = false;

  function sendQueue() {
    if (!USER || !window.indexedDB || sending || !navigator.onLine) return Promise.resolve();
    var run = function () {
      sending = true;
      var outcomes = [];
      return myItems().then(function (items) {
        var waiting = items.filter(function (item) { return item.state === "wacht"; })
          .sort(function (a, b) { return a.id - b.id; });
        var next = function (index) {
          if (index >= waiting.length) return Promise.resolve();
          // read again: another tab may have sent it meanwhile
          return getItem(waiting[index].id).then(function (item) {
            if (!item || item.state !== "wacht") return next(index + 1);
            return sendOne(item).then(function (outcome) {
              outcomes.push({ item: item, outcome: outcome });
              if (outcome === "wacht" || outcome === "inloggen") return undefined; // keep the order
              return next(index + 1);
            });
          });
        };
        return next(0);
      }).then(function () {
        return afterSending(outcomes);
      }).catch(function () {
        // storage refused (a full disk, a private window): what waits stays where it is
      }).finally(function () {
        sending = false;
      });
    };
    // one tab at a time sends, so an item goes once
    if (navigator.locks && navigator.locks.request) {
      return navigator.locks.request("verbeterbord-wachtrij", { ifAvailable: true }, function (lock) {
        return lock ? run() : undefined;
      });
    }
    return run();
  }

  // The server's answer (the item of Mijn acties, the reacties of an action) takes the place
  // of the part it belongs to, as it would have after an online save.
  function showAnswers(outcomes) {
    var shown = false;
    outcomes.forEach(function (entry) {
      if (!entry.item.answer || !window.htmx) return;
      var first = parse(entry.item.answer).body.querySelector("[id]");
      var target = first && document.getElementById(first.id);
      if (target) {
        htmx.swap(target, entry.item.answer, { swapStyle: "outerHTML" });
        shown = true;
      }
      delete entry.item.answer;
    });
    return shown;
  }

  function refreshParts(outcomes) {
    var urls = {};
    outcomes.forEach(function (entry) { urls[entry.item.url] = entry.item.kind; });
    if (!window.htmx) return;
    if (Object.keys(urls).some(function (url) { return urls[url] === "status"; })) {
      var list = document.querySelector("[data-live-lijst]");
      if (list) htmx.trigger(list, "sse:mijn-acties");
    }
    Object.keys(urls).forEach(function (url) {
      var match = /\/acties\/(\d+)\/reacties$/.exec(url);
      var section = match && document.getElementById("reacties-" + match[1]);
      if (section) htmx.trigger(section, "sse:reacties-" + match[1]);
    });
  }

  function afterSending(outcomes) {
    if (!outcomes.length) return undefined; // nothing changed: the list stays as it is
    var counts = {};
    outcomes.forEach(function (entry) { counts[entry.outcome] = (counts[entry.outcome] || 0) + 1; });
    var unanswered = outcomes.filter(function (entry) { return !entry.item.answer; });
    showAnswers(outcomes);
    refreshParts(unanswered.filter(function (entry) { return entry.outcome === "verstuurd"; }));
    if (counts.conflict || counts.geweigerd) announce(text("niet_alles"));
    else if (counts.inloggen) announce(text("inloggen"));
    else if (counts.verstuurd) announce(text("verstuurd"));
    return showQueue();
  }

  // --- what is still waiting, and the choices ----------------------------------------------

  function element(tag, className, content) {
    var made = document.createElement(tag);
    if (className) made.className = className;
    if (content) made.textContent = content;
    return made;
  }

  function button(label, described, action) {
    var made = element("button", "utrecht-button utrecht-button--secondary-action offline-wachtrij__knop", label);
    made.type = "button";
    made.setAttribute("aria-describedby", described);
    made.addEventListener("click", action);
    return made;
  }

  function what(item) {
    if (item.kind === "status") return text("status_wat", { titel: item.title, status: item.wanted });
    return text("reactie_wat", { titel: item.title, tekst: item.wanted });
  }

  function entryFor(item) {
    var entry = element("li", "offline-wachtrij__item offline-wachtrij__item--" + item.state);
    entry.setAttribute("data-wachtrij-item", item.state);
    var describedId = "wachtrij-" + item.id;
    var description = element("p", "offline-wachtrij__wat", what(item));
    description.id = describedId;
    entry.appendChild(description);
    if (item.state === "wacht") {
      entry.appendChild(element("p", "offline-wachtrij__stand", text("wacht")));
    } else if (item.state === "conflict") {
      entry.appendChild(element("p", "offline-wachtrij__stand", text("conflict")));
      if (item.conflict.message) entry.appendChild(element("p", "", item.conflict.message));
      var both = element("dl", "offline-wachtrij__versies");
      both.appendChild(element("dt", "", text("jij_wilde")));
      both.appendChild(element("dd", "", item.wanted));
      both.appendChild(element("dt", "", text("nu")));
      both.appendChild(element("dd", "", item.conflict.now));
      entry.appendChild(both);
      entry.appendChild(button(text("toch_opslaan"), describedId, function () {
        item.fields.version = item.conflict.version;
        item.state = "wacht";
        delete item.conflict;
        putItem(item).then(showQueue).then(sendQueue);
      }));
      entry.appendChild(button(text("nieuwe_houden"), describedId, function () {
        deleteItem(item.id).then(function () {
          announce(text("nieuwe_gehouden"));
          return showQueue();
        });
      }));
    } else {
      entry.appendChild(element("p", "offline-wachtrij__stand", text("geweigerd", { reden: item.reason || "" })));
      entry.appendChild(button(text("opnieuw"), describedId, function () {
        item.state = "wacht";
        delete item.reason;
        putItem(item).then(showQueue).then(sendQueue);
      }));
      entry.appendChild(button(text("weggooien"), describedId, function () {
        deleteItem(item.id).then(showQueue);
      }));
    }
    return entry;
  }

  function showQueue() {
    if (!USER || !window.indexedDB) return Promise.resolve();
    return myItems().then(function (items) {
      var shown = document.querySelector("[data-offline-wachtrij]");
      var main = document.getElementById("inhoud");
      var hadFocus = Boolean(shown && shown.contains(document.activeElement));
      if (!items.length) {
        if (shown) shown.remove();
        if (hadFocus && main) main.focus(); // the button pressed is gone: back to the content
        return;
      }
      if (!main) return;
      if (!shown) {
        shown = element("section", "offline-wachtrij");
        shown.setAttribute("data-offline-wachtrij", "");
        shown.setAttribute("aria-labelledby", "offline-wachtrij-kop");
        var balk = document.querySelector("[data-offline-balk]");
        main.insertBefore(shown, balk ? balk.nextSibling : main.firstChild);
      }
      shown.textContent = "";
      var heading = element("h2", "utrecht-heading-3 offline-wachtrij__kop", text("kop"));
      heading.id = "offline-wachtrij-kop";
      heading.tabIndex = -1;
      shown.appendChild(heading);
      var list = element("ul", "offline-wachtrij__lijst");
      items.sort(function (a, b) { return a.id - b.id; }).forEach(function (item) {
        list.appendChild(entryFor(item));
      });
      shown.appendChild(list);
      if (hadFocus) heading.focus();
    }).catch(function () {
      // without IndexedDB (a private window in some browsers) nothing can wait
    });
  }

  // --- wiring -------------------------------------------------------------------------------

  window.addEventListener("offline", showOffline);
  window.addEventListener("online", function () {
    hideOffline();
    if (document.body.hasAttribute("data-offline-kopie")) announce(text("weer_online"));
    sendQueue();
  });

  // The network may come back without an `online` event (the browser never thought it was
  // gone, only the server was out of reach): try again now and then while the page is seen.
  var RETRY_MS = 30000;
  window.setInterval(function () {
    if (document.visibilityState === "visible") sendQueue();
  }, RETRY_MS);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") sendQueue();
  });

  function start() {
    startWorker();
    if (document.body.hasAttribute("data-offline-kopie") || !navigator.onLine) showOffline();
    showQueue().then(sendQueue);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
