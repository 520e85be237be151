// The board pages: drag and drop (SortableJS), the reason field of "Verplaats naar …", and
// live redraws that wait while someone is working in the part that changed.
// Everything here is an enhancement: every form also works without JavaScript.
"use strict";

(function () {
  var LIVE_QUIET_MS = 10000; // at most one "bord bijgewerkt" announcement per 10 seconds
  var OWN_MESSAGE_MS = 4000; // and none right after a message about the user's own change
  var lastOwnMessage = 0;
  var lastLiveMessage = 0;

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  function ownChangeRecently() {
    return Date.now() - lastOwnMessage < OWN_MESSAGE_MS;
  }

  function announceLiveChange(text) {
    var region = document.getElementById("meldingen");
    if (!region || !text) return;
    window.setTimeout(function () {
      // the user's own change may have been answered meanwhile: its melding says more
      if (!ownChangeRecently()) region.textContent = text;
    }, 50);
  }

  function isLiveEvent(event) {
    return !!event && typeof event.type === "string" && event.type.indexOf("sse:") === 0;
  }

  // A form with messages (422) or the current version of a changed action (409) is an answer
  // to show, not an error.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr.status;
    if (status === 422 || status === 409) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
    rememberOpenDetails(event.detail.target);
    dropInlineStyles(event.detail.target);
  });

  // SortableJS animates with inline styles (allowed: they are set from script). htmx copies the
  // attributes of a replaced element onto its successor as a style attribute, which the
  // Content-Security-Policy refuses; our own markup never has one, so drop them first.
  function dropInlineStyles(target) {
    if (!target || !target.querySelectorAll) return;
    if (target.hasAttribute("style")) target.removeAttribute("style");
    target.querySelectorAll("[style]").forEach(function (element) {
      element.removeAttribute("style");
    });
  }

  // --- live redraws ------------------------------------------------------------------------
  // A part is busy while a card in it holds a form or has its menu open, while something is
  // being dragged, or while focus is in a form inside it; its redraw waits until that is over.
  function busy(part) {
    if (!part || !part.isConnected) return false;
    if (document.body.classList.contains("is-dragging")) return true;
    if (part.matches("[data-editing]") || part.querySelector("[data-editing]")) return true;
    if (part.querySelector("details.card__menu[open]")) return true;
    var active = document.activeElement;
    return !!(active && part.contains(active) && active.closest("form"));
  }

  document.addEventListener("htmx:confirm", function (event) {
    var part = event.detail.elt;
    if (!part.hasAttribute("data-live") || !isLiveEvent(event.detail.triggeringEvent)) return;
    if (busy(part)) {
      event.preventDefault();
      part.setAttribute("data-live-pending", "");
    }
  });

  function redrawPending() {
    document.querySelectorAll("[data-live-pending]").forEach(function (part) {
      if (busy(part)) return;
      part.removeAttribute("data-live-pending");
      htmx.ajax("GET", part.getAttribute("data-hx-get"), { source: part, target: part, swap: "outerHTML" });
    });
  }

  document.addEventListener("focusout", function () { window.setTimeout(redrawPending, 100); });
  document.addEventListener("htmx:afterSettle", function () { window.setTimeout(redrawPending, 0); });

  // Meldingen about the user's own changes arrive with the answer to their form; a live redraw
  // (which their own change causes too, sometimes before that answer) says so itself, but not
  // too often and never on top of such a melding.
  document.addEventListener("htmx:beforeRequest", function (event) {
    var config = event.detail.requestConfig;
    if (config && config.verb && config.verb.toLowerCase() !== "get") lastOwnMessage = Date.now();
  });
  document.addEventListener("htmx:oobAfterSwap", function (event) {
    if (event.detail.target && event.detail.target.id === "meldingen") lastOwnMessage = Date.now();
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    restoreOpenDetails();
    var config = event.detail.requestConfig;
    if (!config || !isLiveEvent(config.triggeringEvent)) return;
    // who has the board open (stand-up) is no change of the board
    if (config.triggeringEvent.type === "sse:aanwezig") return;
    var now = Date.now();
    if (ownChangeRecently() || now - lastLiveMessage < LIVE_QUIET_MS) return;
    lastLiveMessage = now;
    var page = document.querySelector("[data-board]");
    announceLiveChange(page && page.getAttribute("data-live-message"));
  });

  // After the connection was lost, everything may have changed: redraw the big parts.
  document.addEventListener("htmx:sseOpen", function (event) {
    var source = event.detail.elt;
    if (!source.hasAttribute("data-live-opened")) {
      source.setAttribute("data-live-opened", "");
      return;
    }
    ["bord", "teams", "knelpunten"].forEach(function (id) {
      var part = document.getElementById(id);
      if (part) part.setAttribute("data-live-pending", "");
    });
    redrawPending();
  });

  // A redrawn card keeps its details open (and loads them again).
  var openDetails = [];
  function rememberOpenDetails(target) {
    if (!target || !target.querySelectorAll) return;
    target.querySelectorAll("details[open][id]:not(.card__menu)").forEach(function (details) {
      openDetails.push(details.id);
    });
  }
  function restoreOpenDetails() {
    var ids = openDetails;
    openDetails = [];
    ids.forEach(function (id) {
      var details = document.getElementById(id);
      if (details && !details.open) details.open = true;
    });
  }

  // --- a card's menu: one open at a time; Escape or a click elsewhere closes it ---------------
  // The board sends a card without its controls: the menu holds one link to them ({card}/menu,
  // which without JavaScript is the board with this menu open). The first opening fetches them
  // into the menu; opening it puts focus on its first control.
  function menuHolder(menu) {
    return menu.querySelector(":scope > div");
  }

  function placeholder(menu) {
    var holder = menuHolder(menu);
    return holder && holder.querySelector(':scope > a[href$="/menu"]:only-child');
  }

  function focusFirst(menu) {
    var active = document.activeElement;
    var summary = menu.querySelector(":scope > summary");
    var holder = menuHolder(menu);
    if (!menu.open || !holder) return;
    // only when focus is on the menu's button (or was in what the controls replaced)
    if (active && active !== summary && active !== document.body && !holder.contains(active)) return;
    var first = holder.querySelector("a[href], button:not([disabled])");
    if (first) first.focus();
  }

  function loadMenu(menu) {
    var link = placeholder(menu);
    if (!link) {
      focusFirst(menu);
      return;
    }
    if (menu.hasAttribute("data-loading")) return;
    menu.setAttribute("data-loading", "");
    menu.setAttribute("aria-busy", "true");
    htmx.ajax("GET", link.getAttribute("href"), {
      source: menu,
      target: menuHolder(menu),
      swap: "innerHTML"
    }).then(function () {
      menu.removeAttribute("data-loading");
      menu.removeAttribute("aria-busy");
      if (menu.isConnected) focusFirst(menu);
    });
  }

  function closeMenus(except) {
    document.querySelectorAll("details.card__menu[open]").forEach(function (menu) {
      if (menu !== except) menu.open = false;
    });
    if (!except) window.setTimeout(redrawPending, 0);
  }
  document.addEventListener("toggle", function (event) {
    var menu = event.target;
    if (!menu.matches || !menu.matches("details.card__menu")) return;
    if (menu.open) {
      closeMenus(menu);
      loadMenu(menu);
    }
    else window.setTimeout(redrawPending, 0); // what waited for the open menu
  }, true);
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    var menu = event.target.closest && event.target.closest("details.card__menu[open]");
    if (!menu) return;
    menu.open = false;
    var button = menu.querySelector("summary");
    if (button) button.focus();
  });
  document.addEventListener("click", function (event) {
    var menu = event.target.closest && event.target.closest("details.card__menu");
    if (!menu) {
      closeMenus(null);
      return;
    }
    // the link to the controls, clicked before they came: they are on their way
    var link = placeholder(menu);
    if (link && link.contains(event.target)) {
      event.preventDefault();
      loadMenu(menu);
    }
  });

  // --- drag and drop ---------------------------------------------------------------------------
  function neighbourId(card, direction) {
    var other = card[direction];
    while (other && !other.classList.contains("card")) other = other[direction];
    return other ? other.id.replace("action-", "") : "";
  }

  // a card that can move has a handle; its move address is its own address + /verplaatsen
  function moveUrl(card) {
    var link = card.querySelector("h4 a[href]");
    if (!link || !card.querySelector(".card__handle")) return "";
    return link.getAttribute("href") + "/verplaatsen";
  }

  function sendMove(card, list) {
    var lane = card.closest(".lane");
    var url = moveUrl(card);
    if (!lane || !url) return;
    var status = list.getAttribute("data-status");
    if (card.hasAttribute("data-ask-first") && status !== "blocked") {
      // out of Geblokkeerd while its knelpunt is open: the card asks first, nothing is saved
      htmx.ajax("GET", url + "?naar=" + encodeURIComponent(status), {
        source: card,
        target: "#" + card.id,
        swap: "outerHTML"
      });
      return;
    }
    htmx.ajax("POST", url, {
      source: lane,
      target: "#" + lane.id,
      swap: "outerHTML",
      headers: { "X-CSRF-Token": csrfToken() },
      values: {
        status: list.getAttribute("data-status"),
        version: card.getAttribute("data-version"),
        voor: neighbourId(card, "nextElementSibling"),
        na: neighbourId(card, "previousElementSibling")
      }
    });
  }

  function initSortables(root) {
    if (!window.Sortable || !root || !root.querySelectorAll) return;
    var lists = root.matches && root.matches("ol[data-sortable]") ? [root] : [];
    lists = lists.concat(Array.prototype.slice.call(root.querySelectorAll("ol[data-sortable]")));
    lists.forEach(function (list) {
      if (window.Sortable.get(list)) return;
      window.Sortable.create(list, {
        group: list.getAttribute("data-sortable"), // cards move between the columns of their row
        handle: ".card__handle",
        draggable: ".card",
        animation: 150,
        onStart: function () { document.body.classList.add("is-dragging"); },
        onEnd: function (event) {
          document.body.classList.remove("is-dragging");
          if (event.from === event.to && event.oldIndex === event.newIndex) {
            redrawPending();
            return;
          }
          sendMove(event.item, event.to);
        }
      });
    });
  }

  document.addEventListener("htmx:load", function (event) { initSortables(event.detail.elt); });
})();
