// Mijn acties and the ambition page: small additions on top of HTMX. Everything works without
// this file; it only makes the live list and the in-place forms friendlier.
"use strict";

(function () {
  // A refused form (422) or a stale edit (409) comes back as the form with its messages:
  // show it in place, like a successful answer.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr.status;
    if (status === 409 || status === 422) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  // Choosing Geblokkeerd shows the reason field at once, before the save.
  document.addEventListener("change", function (event) {
    var select = event.target;
    var form = select.closest && select.closest(".mijn-actie__formulier");
    if (!form || select.name !== "status") return;
    var reason = form.querySelector("[data-reden]");
    var hint = form.querySelector("[data-reden-hint]");
    var blocked = select.value === "blocked";
    if (reason) reason.hidden = !blocked;
    if (hint) hint.hidden = blocked;
  });

  var FIELDS = "input, select, textarea, button";

  function isLiveRedraw(event) {
    var trigger = event.detail && event.detail.triggeringEvent;
    return Boolean(trigger && typeof trigger.type === "string" && trigger.type.indexOf("sse:") === 0);
  }

  // Don't redraw the live list under someone who is filling in one of its forms: wait until
  // the focus leaves the form, then catch up.
  document.addEventListener("htmx:confirm", function (event) {
    var list = event.target;
    if (!list.matches || !list.matches("[data-live-lijst]") || !isLiveRedraw(event)) {
      return;
    }
    var active = document.activeElement;
    if (active && list.contains(active) && active.matches(FIELDS) && active.closest("form")) {
      event.preventDefault();
      list.setAttribute("data-uitgesteld", "true");
    }
  });

  document.addEventListener("focusout", function (event) {
    var list = event.target.closest && event.target.closest("[data-live-lijst]");
    if (!list || list.getAttribute("data-uitgesteld") !== "true") {
      return;
    }
    var next = event.relatedTarget;
    if (next && list.contains(next) && next.matches(FIELDS) && next.closest("form") === event.target.closest("form")) {
      return;
    }
    list.removeAttribute("data-uitgesteld");
    window.setTimeout(function () {
      htmx.trigger(list, "sse:mijn-acties");
    }, 0);
  });
})();
