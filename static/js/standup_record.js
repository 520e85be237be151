// The record of a stand-up: the time each team took comes from the stand-up's own clocks
// (static/js/standup.js keeps them in sessionStorage under the board and the date), so nobody
// has to copy them. A field someone already filled in is left alone; without JavaScript (or
// without the clocks) the times are typed as minutes:seconds.
"use strict";

(function () {
  var PREFIX = "verbeterbord:staand-overleg:";

  function used(key) {
    try {
      var text = window.sessionStorage.getItem(PREFIX + key);
      var state = text ? JSON.parse(text) : null;
      return state && typeof state.used === "number" ? Math.floor(state.used / 1000) : null;
    } catch (error) {
      return null;
    }
  }

  function clock(seconds) {
    var minutes = Math.floor(seconds / 60);
    var rest = seconds % 60;
    return minutes + ":" + (rest < 10 ? "0" : "") + rest;
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("[data-standup-record]");
    if (!form) return;
    var board = form.getAttribute("data-standup-key") || "";
    form.querySelectorAll("[data-standup-time]").forEach(function (input) {
      if (input.value) return;
      var seconds = used(board + ":team:" + input.getAttribute("data-standup-time"));
      if (seconds !== null && seconds > 0) input.value = clock(seconds);
    });
  });
})();
