// Attempt pages: a countdown from the server's remaining time (the client clock is never
// trusted for the deadline), polite announcements at 10, 5 and 1 minutes, and autosave of
// every answer. Without this script the forms still save on each button press.
"use strict";
(function () {
  var timer = document.querySelector(".timer");
  if (timer) {
    var remaining = Number(timer.getAttribute("data-remaining"));
    var started = performance.now();
    var value = timer.querySelector(".timer-value");
    var announce = timer.querySelector(".timer-announce");
    var marks = timer
      .getAttribute("data-announce")
      .split(",")
      .map(Number)
      .filter(function (m) {
        return m < remaining;
      });
    var format = function (s) {
      var h = Math.floor(s / 3600),
        m = Math.floor((s % 3600) / 60),
        sec = s % 60;
      var pad = function (n) {
        return (n < 10 ? "0" : "") + n;
      };
      return h > 0 ? h + ":" + pad(m) + ":" + pad(sec) : m + ":" + pad(sec);
    };
    var tick = function () {
      var left = Math.max(0, Math.round(remaining - (performance.now() - started) / 1000));
      value.textContent = format(left);
      while (marks.length && left <= marks[0]) {
        var mark = marks.shift();
        announce.textContent = mark / 60 + (mark === 60 ? " minute" : " minutes") + " left.";
      }
      if (left <= 0) {
        clearInterval(handle);
        window.location.assign(timer.getAttribute("data-result-url"));
      }
    };
    var handle = setInterval(tick, 1000);
  }

  var form = document.querySelector(".answer-form");
  if (!form) return;
  var state = form.querySelector(".save-state");
  var token = document.querySelector('meta[name="csrf-token"]').getAttribute("content");
  var field = function (name) {
    return form.querySelector('[name="' + name + '"]');
  };

  function response() {
    var type = field("type").value;
    var checked = Array.prototype.slice.call(form.querySelectorAll('input[name="answer"]:checked')).map(function (i) {
      return i.value;
    });
    if (type === "single") return checked.length ? { type: type, optionId: checked[0] } : null;
    if (type === "multiple") return checked.length ? { type: type, optionIds: checked } : null;
    if (type === "truefalse") return checked.length ? { type: type, value: checked[0] === "true" } : null;
    if (type === "short") {
      var t = field("text").value.trim();
      return t ? { type: type, text: t } : null;
    }
    if (type === "numeric") {
      var raw = field("text").value.trim();
      if (!raw) return null;
      var n = Number(raw.replace(/,(?=\d{3}\b)/g, "").replace(/^(-?\d+),(\d{1,2})$/, "$1.$2"));
      return isFinite(n) ? { type: type, value: n } : undefined;
    }
    if (type === "ordering") {
      var ranks = Array.prototype.slice.call(form.querySelectorAll(".order-rank")).map(function (i) {
        return { id: i.name.slice(6), rank: Number(i.value) };
      });
      if (
        ranks.some(function (r) {
          return !r.rank;
        })
      )
        return null;
      return {
        type: type,
        itemIds: ranks
          .sort(function (a, b) {
            return a.rank - b.rank;
          })
          .map(function (r) {
            return r.id;
          }),
      };
    }
    return null;
  }

  var pending = Promise.resolve();
  function save() {
    var answer = response();
    if (answer === undefined) {
      state.textContent = "Not saved: write the number like 42 or 3.5.";
      return;
    }
    var seqInput = field("seq");
    var seq = Number(seqInput.value);
    seqInput.value = String(seq + 1); // every save gets a higher number than the last
    var body = JSON.stringify({
      position: Number(field("position").value),
      seq: seq,
      flagged: field("flagged").checked,
      response: answer,
    });
    state.textContent = "Saving…";
    pending = pending.then(function () {
      return fetch(form.action, {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json", "x-csrf-token": token },
        body: body,
        credentials: "same-origin",
      })
        .then(function (res) {
          if (res.ok) {
            state.textContent = "Saved at " + new Date().toLocaleTimeString() + ".";
            return;
          }
          return res.json().then(function (e) {
            state.textContent = "Not saved: " + e.error;
          });
        })
        .catch(function () {
          state.textContent =
            "Not saved: the connection dropped. Your answer is still on this page; it will be sent with your next change or when you press Save.";
        });
    });
  }
  form.addEventListener("change", save);
  var typing;
  form.addEventListener("input", function (e) {
    if (e.target && e.target.name === "text") {
      clearTimeout(typing);
      typing = setTimeout(save, 800);
    }
  });
})();
