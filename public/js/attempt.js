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
    if (type === "sql") {
      var q = field("query").value;
      return q.trim() ? { type: type, query: q } : null;
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

  // An answer the server did not take (signed out, connection lost) waits in this tab's
  // sessionStorage, keyed by attempt and position, and is sent again when this question's page
  // loads (after signing in, the sign-in link comes back here) while the attempt is open.
  var position = Number(field("position").value);
  var unsavedKey = "stackprep:unsaved:" + form.getAttribute("data-attempt") + ":" + position;
  var keep = function (answer, flagged) {
    try {
      sessionStorage.setItem(unsavedKey, JSON.stringify({ response: answer, flagged: flagged }));
    } catch (e) {
      // Storage full or disabled: the answer stays on this page only.
    }
  };
  var forget = function () {
    try {
      sessionStorage.removeItem(unsavedKey);
    } catch (e) {
      // Nothing was kept.
    }
  };
  var notSaved = function (reason, signIn) {
    state.textContent = "Not saved: " + reason;
    if (!signIn) return;
    var link = document.createElement("a");
    var back = window.location.pathname + "?q=" + position;
    link.href = "/login?next=" + encodeURIComponent(back);
    link.textContent = "Sign in again";
    state.appendChild(document.createTextNode(" "));
    state.appendChild(link);
    state.appendChild(document.createTextNode(" and your answer will be saved when you come back to this question."));
  };

  // Only a JSON answer that says it saved counts: a redirect followed to the sign-in page
  // ends in 200 HTML, which is not a save.
  var outcome = function (res) {
    var json = /^application\/(problem\+)?json/.test(res.headers.get("content-type") || "");
    return (json ? res.json() : Promise.resolve(null)).then(
      function (body) {
        return { status: res.status, ok: res.ok && !res.redirected, body: body };
      },
      function () {
        return { status: res.status, ok: false, body: null };
      },
    );
  };

  var pending = Promise.resolve();
  function save() {
    var answer = response();
    if (answer === undefined) {
      state.textContent = "Not saved: write the number like 42 or 3.5.";
      return;
    }
    var flagged = field("flagged").checked;
    var seqInput = field("seq");
    var seq = Number(seqInput.value);
    seqInput.value = String(seq + 1); // every save gets a higher number than the last
    var body = JSON.stringify({ position: position, seq: seq, flagged: flagged, response: answer });
    state.textContent = "Saving…";
    pending = pending.then(function () {
      return fetch(form.action, {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json", "x-csrf-token": token },
        body: body,
        credentials: "same-origin",
      })
        .then(outcome)
        .then(function (r) {
          if (r.ok && r.body && r.body.saved === true) {
            forget();
            state.textContent = "Saved at " + new Date().toLocaleTimeString() + ".";
            return;
          }
          var error = r.body && typeof r.body.error === "string" ? r.body.error : null;
          if (r.status === 401) {
            keep(answer, flagged);
            notSaved(error || "you are signed out.", true);
            return;
          }
          if (r.status === 409 || r.status === 404 || r.status === 400) {
            // The server has settled this: resending would be refused the same way.
            forget();
            notSaved(error || "the server refused this answer. Reload the page.", false);
            return;
          }
          keep(answer, flagged);
          notSaved(error || "the server did not confirm it. Reload the page and try again.", false);
        })
        .catch(function () {
          keep(answer, flagged);
          state.textContent =
            "Not saved: the connection dropped. Your answer is still on this page; it will be sent with your next change or when you press Save.";
        });
    });
  }

  /** Puts a kept answer back into the form's controls, so what is sent is what is shown. */
  function restore(kept) {
    var r = kept.response;
    field("flagged").checked = !!kept.flagged;
    if (!r) return;
    var inputs = Array.prototype.slice.call(form.querySelectorAll('input[name="answer"]'));
    if (r.type === "single" || r.type === "multiple") {
      var ids = r.type === "single" ? [r.optionId] : r.optionIds;
      inputs.forEach(function (i) {
        i.checked = ids.indexOf(i.value) >= 0;
      });
    } else if (r.type === "truefalse") {
      inputs.forEach(function (i) {
        i.checked = i.value === String(r.value);
      });
    } else if (r.type === "short" || r.type === "numeric") {
      field("text").value = String(r.type === "short" ? r.text : r.value);
    } else if (r.type === "sql") {
      field("query").value = r.query;
    } else if (r.type === "ordering") {
      r.itemIds.forEach(function (id, i) {
        var rank = field("order_" + id);
        if (rank) rank.value = String(i + 1);
      });
    }
  }

  var kept = null;
  try {
    kept = JSON.parse(sessionStorage.getItem(unsavedKey) || "null");
  } catch (e) {
    kept = null;
  }
  if (kept && typeof kept === "object") {
    restore(kept);
    save();
  }

  form.addEventListener("change", save);
  var typing;
  form.addEventListener("input", function (e) {
    if (e.target && (e.target.name === "text" || e.target.name === "query")) {
      clearTimeout(typing);
      typing = setTimeout(save, 800);
    }
  });
})();
