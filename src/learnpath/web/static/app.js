/* learnpath web UI: the little JavaScript the pages need (served from /static, no inline scripts, CSP-safe).
   - measures how long a learner takes on a practice item and sends it as duration_ms;
   - moves keyboard/screen-reader focus to new content (feedback, next item) after htmx swaps it in. */
(function () {
  "use strict";

  function now() {
    return window.performance && performance.now ? performance.now() : Date.now();
  }

  function startTimers(root) {
    var forms = root.querySelectorAll ? root.querySelectorAll("form[data-timed]") : [];
    if (root.matches && root.matches("form[data-timed]")) {
      forms = [root].concat(Array.prototype.slice.call(forms));
    }
    Array.prototype.forEach.call(forms, function (form) {
      if (!form.dataset.shownAt) {
        form.dataset.shownAt = String(now());
      }
    });
  }

  function stampDuration(form) {
    if (!form || !form.matches || !form.matches("form[data-timed]")) {
      return;
    }
    var input = form.querySelector("input[name=duration_ms]");
    var started = parseFloat(form.dataset.shownAt || "");
    if (input && !isNaN(started)) {
      input.value = String(Math.max(0, Math.round(now() - started)));
    }
  }

  function focusNew(root) {
    if (root && !root.isConnected && root.id) {
      // an outerHTML swap replaced the target: look at its successor
      root = document.getElementById(root.id) || document;
    }
    var target = root && root.querySelector ? root.querySelector("[data-focus]") : null;
    if (target) {
      target.focus();
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    startTimers(document);
  });
  // Capture phase: runs before htmx reads the form, and before a plain (no-JS-fallback) submit.
  document.addEventListener("submit", function (event) {
    stampDuration(event.target);
  }, true);
  document.addEventListener("htmx:configRequest", function (event) {
    var form = event.detail && event.detail.elt;
    if (form && form.matches && form.matches("form[data-timed]") && event.detail.parameters) {
      stampDuration(form);
      var input = form.querySelector("input[name=duration_ms]");
      if (input) {
        if (typeof event.detail.parameters.set === "function") {
          event.detail.parameters.set("duration_ms", input.value);
        } else {
          event.detail.parameters.duration_ms = input.value;
        }
      }
    }
  });
  document.addEventListener("htmx:load", function (event) {
    startTimers(event.detail.elt);
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    focusNew(event.detail.target || event.target);
  });
})();
