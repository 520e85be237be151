// Verbeterbord's own behaviour. No inline scripts anywhere (the Content-Security-Policy
// forbids them): pages opt in with data- attributes and this file wires them up.
"use strict";

// On a narrow screen the main menu folds behind one button, so the page starts near the top.
document.addEventListener("DOMContentLoaded", () => {
  const button = document.querySelector("[data-menu-button]");
  const header = button && button.closest(".site-header");
  const menu = button && document.getElementById(button.getAttribute("aria-controls"));
  if (!button || !header || !menu) return;
  header.classList.add("site-header--foldable");
  button.addEventListener("click", () => {
    const open = button.getAttribute("aria-expanded") !== "true";
    button.setAttribute("aria-expanded", String(open));
    menu.classList.toggle("site-nav--open", open);
  });
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
      button.click();
      button.focus();
    }
  });
});

// A melding stays in view long enough to read (longer while the pointer or focus is on it),
// then goes; the next change brings the next one.
document.addEventListener("DOMContentLoaded", () => {
  const region = document.querySelector("[data-meldingen]");
  if (!region) return;
  const READ_MS = 8000;
  let timer = 0;
  let held = false;
  const later = () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(() => {
      if (held) later();
      else region.textContent = "";
    }, READ_MS);
  };
  region.addEventListener("mouseenter", () => { held = true; });
  region.addEventListener("mouseleave", () => { held = false; });
  region.addEventListener("focusin", () => { held = true; });
  region.addEventListener("focusout", () => { held = false; });
  new MutationObserver(() => {
    if (region.textContent.trim()) later();
  }).observe(region, { childList: true, characterData: true, subtree: true });
});

// autofocus does its work when its element arrives. When HTMX swaps in an element that asks for
// focus (a moved card's menu button), the elements that asked before lose the attribute: one
// element of a document has it at a time.
document.addEventListener("htmx:load", (event) => {
  const arrived = event.detail.elt;
  if (!(arrived instanceof Element) || arrived === document.body) return;
  if (!arrived.matches("[autofocus]") && !arrived.querySelector("[autofocus]")) return;
  for (const element of document.querySelectorAll("[autofocus]")) {
    if (element !== arrived && !arrived.contains(element)) element.removeAttribute("autofocus");
  }
});
