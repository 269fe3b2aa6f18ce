/* learnpath: zoom and pan for the prerequisite map on the path page (no dependencies, CSP-safe).
   Buttons ([data-map=in|out|left|right|up|down|reset]), the keyboard on the focused map (+ - arrows 0),
   the mouse wheel and dragging all change the SVG's viewBox; nothing else on the page moves. */
(function () {
  "use strict";

  function setup(frame) {
    var svg = frame.querySelector("svg");
    if (!svg) {
      return;
    }
    var full = { w: parseFloat(svg.dataset.width), h: parseFloat(svg.dataset.height) };
    var view = { x: 0, y: 0, w: full.w, h: full.h };

    function apply() {
      svg.setAttribute("viewBox", [view.x, view.y, view.w, view.h].map(function (v) {
        return Math.round(v * 10) / 10;
      }).join(" "));
    }

    function zoom(factor, cx, cy) {
      var w = Math.min(full.w * 2, Math.max(120, view.w * factor));
      var h = view.h * (w / view.w);
      cx = cx === undefined ? view.x + view.w / 2 : cx;
      cy = cy === undefined ? view.y + view.h / 2 : cy;
      view.x = cx - (cx - view.x) * (w / view.w);
      view.y = cy - (cy - view.y) * (h / view.h);
      view.w = w;
      view.h = h;
      apply();
    }

    function pan(dx, dy) {
      view.x += dx * view.w;
      view.y += dy * view.h;
      apply();
    }

    function reset() {
      view = { x: 0, y: 0, w: full.w, h: full.h };
      apply();
    }

    var actions = {
      "in": function () { zoom(0.8); },
      "out": function () { zoom(1.25); },
      "left": function () { pan(-0.2, 0); },
      "right": function () { pan(0.2, 0); },
      "up": function () { pan(0, -0.2); },
      "down": function () { pan(0, 0.2); },
      "reset": reset
    };

    var section = frame.closest("section") || document;
    Array.prototype.forEach.call(section.querySelectorAll("[data-map]"), function (button) {
      button.addEventListener("click", function () {
        var act = actions[button.getAttribute("data-map")];
        if (act) {
          act();
        }
      });
    });

    frame.addEventListener("keydown", function (event) {
      var keys = {
        "+": "in", "=": "in", "-": "out", "_": "out", "0": "reset",
        "ArrowLeft": "left", "ArrowRight": "right", "ArrowUp": "up", "ArrowDown": "down"
      };
      var name = keys[event.key];
      if (name && !event.altKey && !event.ctrlKey && !event.metaKey) {
        actions[name]();
        event.preventDefault();
      }
    });

    function toView(clientX, clientY) {
      var box = svg.getBoundingClientRect();
      var scale = Math.max(view.w / box.width, view.h / box.height);
      var shownW = box.width * scale;
      var shownH = box.height * scale;
      var left = view.x - (shownW - view.w) / 2;
      var top = view.y - (shownH - view.h) / 2;
      return { x: left + (clientX - box.left) * scale, y: top + (clientY - box.top) * scale, scale: scale };
    }

    frame.addEventListener("wheel", function (event) {
      var at = toView(event.clientX, event.clientY);
      zoom(event.deltaY < 0 ? 0.9 : 1.1, at.x, at.y);
      event.preventDefault();
    }, { passive: false });

    var drag = null;
    frame.addEventListener("pointerdown", function (event) {
      if (event.button !== 0) {
        return;
      }
      drag = { x: event.clientX, y: event.clientY, scale: toView(event.clientX, event.clientY).scale };
      frame.classList.add("dragging");
      if (frame.setPointerCapture) {
        frame.setPointerCapture(event.pointerId);
      }
    });
    frame.addEventListener("pointermove", function (event) {
      if (!drag) {
        return;
      }
      view.x -= (event.clientX - drag.x) * drag.scale;
      view.y -= (event.clientY - drag.y) * drag.scale;
      drag.x = event.clientX;
      drag.y = event.clientY;
      apply();
    });
    function stop() {
      drag = null;
      frame.classList.remove("dragging");
    }
    frame.addEventListener("pointerup", stop);
    frame.addEventListener("pointercancel", stop);
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("[data-pathmap]"), setup);
  });
})();
