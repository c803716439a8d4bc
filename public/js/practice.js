// Practice mode: Check sends the answer without leaving the page and shows its marking
// (right or wrong, every option's feedback, the explanation) in place; the answer is then
// locked. Without this script, Check is a plain form post that comes back to the question.
"use strict";
(function () {
  var form = document.querySelector(".answer-form");
  var button = form && form.querySelector(".check-answer");
  if (!button) return;
  var token = document.querySelector('meta[name="csrf-token"]').getAttribute("content");
  var state = form.querySelector(".save-state");
  button.addEventListener("click", function (event) {
    event.preventDefault();
    button.disabled = true;
    var data = new URLSearchParams(new FormData(form));
    data.delete("go");
    fetch(button.getAttribute("formaction"), {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        accept: "application/json",
        "x-csrf-token": token,
      },
      body: data.toString(),
      credentials: "same-origin",
    })
      .then(function (res) {
        return res.json().then(function (body) {
          return { ok: res.ok && !res.redirected, body: body };
        });
      })
      .then(function (r) {
        if (!r.ok || !r.body || typeof r.body.html !== "string") {
          state.textContent = (r.body && r.body.error) || "That answer could not be checked. Reload the page.";
          button.disabled = false;
          return;
        }
        form.querySelector("fieldset").disabled = true;
        var holder = button.parentNode;
        var wrapper = document.createElement("div");
        wrapper.innerHTML = r.body.html;
        var marking = wrapper.firstElementChild;
        holder.parentNode.replaceChild(marking, holder);
        state.textContent = "";
        marking.focus();
      })
      .catch(function () {
        state.textContent = "Not checked: the connection dropped. Try again.";
        button.disabled = false;
      });
  });
})();
