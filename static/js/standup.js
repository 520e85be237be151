// Staand overleg: the countdown per team (text mm:ss, announced at 30 seconds and at the end,
// never every second), pause/resume, and the keyboard: arrow keys and Page Up / Page Down go to
// the previous or next team (the links do the same without JavaScript).
"use strict";

(function () {
  function clock(seconds) {
    var minutes = Math.floor(seconds / 60);
    var rest = seconds % 60;
    return (minutes < 10 ? "0" : "") + minutes + ":" + (rest < 10 ? "0" : "") + rest;
  }

  function startCountdown(timer) {
    var display = timer.querySelector("[data-countdown-display]");
    var over = timer.querySelector("[data-countdown-over]");
    var region = timer.querySelector("[data-countdown-announce]");
    var toggle = timer.querySelector("[data-countdown-toggle]");
    var total = parseInt(timer.getAttribute("data-seconds"), 10) || 120;
    var endsAt = Date.now() + total * 1000;
    var left = total;
    var pausedLeft = null;
    var announcedHalfMinute = total <= 30;
    var announcedEnd = false;

    function say(text) {
      if (!region || !text) return;
      region.textContent = "";
      window.setTimeout(function () { region.textContent = text; }, 50);
    }

    function tick() {
      if (pausedLeft !== null) return;
      left = Math.max(0, Math.ceil((endsAt - Date.now()) / 1000));
      display.textContent = clock(left);
      if (!announcedHalfMinute && left <= 30) {
        announcedHalfMinute = true;
        say(timer.getAttribute("data-announce-half-minute"));
      }
      if (!announcedEnd && left === 0) {
        announcedEnd = true;
        timer.classList.add("standup-timer--over");
        if (over) over.hidden = false;
        say(timer.getAttribute("data-announce-end"));
      }
    }

    if (toggle) {
      toggle.hidden = false;
      toggle.addEventListener("click", function () {
        if (pausedLeft === null) {
          pausedLeft = left;
          toggle.textContent = timer.getAttribute("data-label-resume");
        } else {
          endsAt = Date.now() + pausedLeft * 1000;
          pausedLeft = null;
          toggle.textContent = timer.getAttribute("data-label-pause");
          tick();
        }
      });
    }
    tick();
    window.setInterval(tick, 250);
  }

  function follow(selector, event) {
    var link = document.querySelector(selector);
    if (!link) return;
    event.preventDefault();
    window.location.assign(link.href);
  }

  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    var target = event.target;
    if (target && target.closest && target.closest("input, select, textarea, [contenteditable]")) return;
    if (event.key === "ArrowRight" || event.key === "PageDown") {
      follow("[data-standup-next]", event);
    } else if (event.key === "ArrowLeft" || event.key === "PageUp") {
      follow("[data-standup-previous]", event);
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-countdown]").forEach(startCountdown);
  });
})();
