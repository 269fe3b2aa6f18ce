/* learnpath: the groups and teams board. The form works without this file: every learner has a
   "Move to group" select. This adds drag and drop (mouse and touch-pen) and keeps cards and selects in step:
   - dropping a learner on a card moves them there and sets their select;
   - changing a select moves the learner's chip to that card;
   - renaming a group renames it in every select. */
(function () {
  "use strict";

  function cardOf(board, index) {
    return board.querySelector('[data-group="' + index + '"] [data-members]');
  }

  function moveTo(board, chip, index) {
    var list = cardOf(board, index);
    if (list && chip.parentNode !== list) {
      list.appendChild(chip);
    }
    var select = chip.querySelector("[data-move]");
    if (select && select.value !== String(index)) {
      select.value = String(index);
    }
  }

  function setUp(board) {
    var dragged = null;
    board.addEventListener("dragstart", function (event) {
      var chip = event.target.closest ? event.target.closest(".member") : null;
      if (!chip) {
        return;
      }
      dragged = chip;
      chip.classList.add("dragging");
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", chip.dataset.learner || "");
    });
    board.addEventListener("dragend", function () {
      if (dragged) {
        dragged.classList.remove("dragging");
      }
      dragged = null;
      Array.prototype.forEach.call(board.querySelectorAll(".drop-target"), function (el) {
        el.classList.remove("drop-target");
      });
    });
    board.addEventListener("dragover", function (event) {
      var card = event.target.closest ? event.target.closest("[data-group]") : null;
      if (card) {
        event.preventDefault();
        event.dataTransfer.dropEffect = "move";
        card.classList.add("drop-target");
      }
    });
    board.addEventListener("dragleave", function (event) {
      var card = event.target.closest ? event.target.closest("[data-group]") : null;
      if (card) {
        card.classList.remove("drop-target");
      }
    });
    board.addEventListener("drop", function (event) {
      var card = event.target.closest ? event.target.closest("[data-group]") : null;
      var id = event.dataTransfer ? event.dataTransfer.getData("text/plain") : "";
      var chip = dragged || (id ? board.querySelector('.member[data-learner="' + id + '"]') : null);
      if (card && chip) {
        event.preventDefault();
        card.classList.remove("drop-target");
        moveTo(board, chip, card.dataset.group);
      }
    });
    board.addEventListener("change", function (event) {
      var select = event.target;
      if (select.matches && select.matches("[data-move]")) {
        moveTo(board, select.closest(".member"), select.value);
        select.focus();
      }
    });
    board.addEventListener("input", function (event) {
      var input = event.target;
      if (input.matches && input.matches("[data-group-name]")) {
        var index = input.dataset.groupName;
        Array.prototype.forEach.call(board.querySelectorAll('[data-move] option[value="' + index + '"]'), function (opt) {
          opt.textContent = input.value || "?";
        });
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("[data-group-board]"), setUp);
  });
})();
