// Admin and profile pages. Their forms answer 422 (or 409) with the form and a Dutch message
// per field; htmx drops error answers by default, so these are swapped in like a success.
// Other failures are never silent: they show (and announce) a message.
"use strict";

(function () {
  function showFailure(show) {
    var box = document.getElementById("beheer-fout");
    if (!box) return;
    if (show) {
      box.textContent = box.getAttribute("data-message") || "";
      box.hidden = false;
    } else {
      box.hidden = true;
      box.textContent = "";
    }
  }

  document.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr.status;
    if (status === 422 || status === 409) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    showFailure(false);
    if (event.detail.xhr.status !== 422) return;
    // after a refused form, put the keyboard on the first field that needs attention (the
    // swapped element replaced the target, so look it up again by its id)
    var target = event.detail.target;
    var swapped = target && target.id ? document.getElementById(target.id) : null;
    var invalid = (swapped || document).querySelector("[aria-invalid='true']");
    if (invalid) invalid.focus();
  });

  document.addEventListener("htmx:responseError", function () { showFailure(true); });
  document.addEventListener("htmx:sendError", function () { showFailure(true); });
})();
