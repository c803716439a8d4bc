// Progressive enhancement only: every page works without this file.
"use strict";
(function () {
  // The main menu (a details element on narrow screens) closes with Escape or a click elsewhere.
  var menu = document.querySelector(".site-header .menu");
  if (!menu) return;
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape" && menu.open) {
      menu.open = false;
      menu.querySelector("summary").focus();
    }
  });
  document.addEventListener("click", function (e) {
    if (menu.open && !menu.contains(e.target)) menu.open = false;
  });
})();
