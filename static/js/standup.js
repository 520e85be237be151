// Staand overleg: the clocks, the plan form, full screen and the keyboard.
// - The meeting clock counts up from the moment the stand-up of this board started today.
// - Each team's clock counts down its minutes and then counts the overrun up ("+01:23"), in a
//   style of its own and with the word "Uitloop"; a screen reader hears it once, politely,
//   never every second. Both clocks survive page changes: what they used is kept in
//   sessionStorage under the board and the date (data-standup-key), per team.
// - Starting the meeting from the plan form sets the clocks back to zero; choosing a team that
//   already has a place swaps the two, so every team keeps exactly one place.
// - "Volledig scherm" uses the Fullscreen API where the browser has it.
// - Arrow keys and Page Up / Page Down go to the previous or next team (the links do the same
//   without JavaScript).
"use strict";

(function () {
  var PREFIX = "verbeterbord:staand-overleg:";

  function clock(seconds) {
    var hours = Math.floor(seconds / 3600);
    var minutes = Math.floor((seconds % 3600) / 60);
    var rest = seconds % 60;
    var text = (minutes < 10 ? "0" : "") + minutes + ":" + (rest < 10 ? "0" : "") + rest;
    return hours ? hours + ":" + text : text;
  }

  // sessionStorage may be missing or full (private modes): the clocks then start per page
  var memory = {};
  function read(key) {
    try {
      var text = window.sessionStorage.getItem(PREFIX + key);
      return text ? JSON.parse(text) : null;
    } catch (error) {
      return memory[key] || null;
    }
  }
  function write(key, value) {
    try {
      window.sessionStorage.setItem(PREFIX + key, JSON.stringify(value));
    } catch (error) {
      memory[key] = value;
    }
  }
  function forget(board) {
    try {
      var keys = [];
      for (var i = 0; i < window.sessionStorage.length; i++) {
        var key = window.sessionStorage.key(i);
        if (key && key.indexOf(PREFIX + board + ":") === 0) keys.push(key);
      }
      keys.forEach(function (key) { window.sessionStorage.removeItem(key); });
    } catch (error) {
      memory = {};
    }
  }

  function startMeetingClock(standup, board) {
    var shown = standup.querySelector("[data-meeting-clock]");
    var display = standup.querySelector("[data-meeting-clock-display]");
    if (!shown || !display) return;
    var begin = read(board + ":begin");
    if (typeof begin !== "number") {
      begin = Date.now();
      write(board + ":begin", begin);
    }
    shown.hidden = false;
    function tick() {
      display.textContent = clock(Math.max(0, Math.floor((Date.now() - begin) / 1000)));
    }
    tick();
    window.setInterval(tick, 250);
  }

  function startCountdown(timer, key) {
    var display = timer.querySelector("[data-countdown-display]");
    var over = timer.querySelector("[data-countdown-over]");
    var region = timer.querySelector("[data-countdown-announce]");
    var toggle = timer.querySelector("[data-countdown-toggle]");
    var total = parseInt(timer.getAttribute("data-seconds"), 10) || 120;
    // used: milliseconds this team has had; half / end: said already (once per meeting)
    var state = read(key) || { used: 0, paused: false, half: total <= 30, end: false };
    var last = Date.now();

    function say(text) {
      if (!region || !text) return;
      region.textContent = "";
      window.setTimeout(function () { region.textContent = text; }, 50);
    }

    function tick() {
      var now = Date.now();
      if (!state.paused) state.used += Math.max(0, now - last);
      last = now;
      var left = total - Math.floor(state.used / 1000);
      var overrun = left <= 0;
      display.textContent = overrun ? "+" + clock(-left) : clock(left);
      timer.classList.toggle("standup-timer--over", overrun);
      if (over) over.hidden = !overrun;
      if (!state.half && left <= 30) {
        state.half = true;
        if (!overrun) say(timer.getAttribute("data-announce-half-minute"));
      }
      if (!state.end && overrun) {
        state.end = true;
        say(timer.getAttribute("data-announce-end"));
      }
      write(key, state);
    }

    function label() {
      toggle.textContent = timer.getAttribute(state.paused ? "data-label-resume" : "data-label-pause");
    }

    if (toggle) {
      toggle.hidden = false;
      label();
      toggle.addEventListener("click", function () {
        tick();
        state.paused = !state.paused;
        label();
        write(key, state);
      });
    }
    tick();
    window.setInterval(tick, 250);
  }

  // The plan: a team chosen for a place leaves the place it had to the team that was here.
  function keepOrderWhole(form) {
    var selects = Array.prototype.slice.call(form.querySelectorAll("[data-standup-order] select"));
    selects.forEach(function (select) {
      select.setAttribute("data-was", select.value);
      select.addEventListener("change", function () {
        var was = select.getAttribute("data-was");
        selects.forEach(function (other) {
          if (other !== select && other.value === select.value) {
            other.value = was;
            other.setAttribute("data-was", was);
          }
        });
        select.setAttribute("data-was", select.value);
      });
    });
  }

  function fullScreenButton(button) {
    var root = document.documentElement;
    if (!document.fullscreenEnabled || !root.requestFullscreen) return;
    function label() {
      button.textContent = button.getAttribute(
        document.fullscreenElement ? "data-label-exit" : "data-label-enter"
      );
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      var asked = document.fullscreenElement ? document.exitFullscreen() : root.requestFullscreen();
      if (asked && asked.catch) asked.catch(function () { /* refused: the page stays as it is */ });
    });
    document.addEventListener("fullscreenchange", label);
    label();
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
    if (target && target.closest && target.closest("input, select, textarea, summary, [contenteditable]")) return;
    if (event.key === "ArrowRight" || event.key === "PageDown") {
      follow("[data-standup-next]", event);
    } else if (event.key === "ArrowLeft" || event.key === "PageUp") {
      follow("[data-standup-previous]", event);
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    var standup = document.querySelector("[data-standup]");
    if (!standup) return;
    var board = standup.getAttribute("data-standup-key") || "";
    var form = document.querySelector("[data-standup-plan]");
    if (form) {
      keepOrderWhole(form);
      form.addEventListener("submit", function () { forget(board); });
    }
    startMeetingClock(standup, board);
    var team = standup.getAttribute("data-team-id") || "";
    document.querySelectorAll("[data-countdown]").forEach(function (timer) {
      startCountdown(timer, board + ":team:" + team);
    });
    document.querySelectorAll("[data-fullscreen]").forEach(fullScreenButton);
  });
})();
