// Keyboard review: Space shows the answer, 1-4 grade it. Without this file the answer
// opens with the "Show answer" control and the grade buttons are ordinary forms.
"use strict";
(function () {
  var back = document.getElementById("card-back");
  if (!back) return;
  document.addEventListener("keydown", function (e) {
    var target = e.target;
    if (target && (target.tagName === "INPUT" || target.tagName === "SELECT" || target.tagName === "TEXTAREA")) return;
    if (e.key === " " || e.code === "Space") {
      if (!back.open) {
        e.preventDefault();
        back.open = true;
        var first = back.querySelector("button[data-rating='3']");
        if (first) first.focus();
      }
      return;
    }
    if (back.open && /^[1-4]$/.test(e.key)) {
      var button = back.querySelector("button[data-rating='" + e.key + "']");
      if (button) {
        e.preventDefault();
        button.click();
      }
    }
  });
})();
