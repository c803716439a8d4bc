// Result page: the filter links (which work as plain links with ?show=) filter in place.
"use strict";
(function () {
  var nav = document.querySelector(".result-filter");
  if (!nav) return;
  var items = Array.prototype.slice.call(document.querySelectorAll(".review-item"));
  var status = document.querySelector(".filter-status");
  var empty = document.querySelector(".filter-empty");
  var matches = function (item, key) {
    if (key === "all") return true;
    if (key === "flagged") return item.getAttribute("data-flagged") === "true";
    if (key === "unanswered") return item.getAttribute("data-answered") === "false";
    return item.getAttribute("data-status") === "incorrect";
  };
  nav.addEventListener("click", function (e) {
    var link = e.target.closest ? e.target.closest("a[data-filter]") : null;
    if (!link) return;
    e.preventDefault();
    var key = link.getAttribute("data-filter");
    var shown = 0;
    items.forEach(function (item) {
      var on = matches(item, key);
      item.hidden = !on;
      if (on) shown += 1;
    });
    Array.prototype.forEach.call(nav.querySelectorAll("a[data-filter]"), function (a) {
      if (a === link) a.setAttribute("aria-current", "true");
      else a.removeAttribute("aria-current");
    });
    if (status) status.textContent = shown + " of " + items.length + " questions shown.";
    if (empty) empty.hidden = shown > 0;
    if (window.history && history.replaceState) history.replaceState(null, "", "?show=" + key + "#questions-heading");
  });
})();
