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
    if (type === "essay") {
      var essay = field("essay").value;
      return essay.trim() ? { type: type, text: essay } : null;
    }
    if (type === "matching") {
      var pairs = Array.prototype.slice
        .call(form.querySelectorAll(".match-select"))
        .filter(function (s) {
          return s.value !== "";
        })
        .map(function (s) {
          return { prompt: s.name.slice(6), match: s.value };
        });
      return pairs.length ? { type: type, pairs: pairs } : null;
    }
    if (type === "gap") {
      var fills = [];
      Array.prototype.slice.call(form.querySelectorAll(".gap-select, .gap-text")).forEach(function (c) {
        var value = c.value.trim();
        if (value === "") return;
        var m = /^gap(choice|text)_(\d+)$/.exec(c.name);
        if (!m) return;
        fills.push(m[1] === "choice" ? { gap: Number(m[2]), optionId: value } : { gap: Number(m[2]), text: value });
      });
      return fills.length ? { type: type, fills: fills } : null;
    }
    if (type === "ordering") {
      // The ranks as given: the server refuses a place given twice with the form's message.
      var inputs = Array.prototype.slice.call(form.querySelectorAll(".order-rank"));
      if (
        inputs.some(function (i) {
          return i.value.trim() === "";
        })
      )
        return null;
      return {
        type: type,
        ranks: inputs.map(function (i) {
          return { id: i.name.slice(6), rank: Number(i.value) };
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
        // A save begun as the learner leaves the page (a link, the back button) still arrives.
        keepalive: true,
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
    } else if (r.type === "ordering" && r.ranks) {
      r.ranks.forEach(function (x) {
        var rank = field("order_" + x.id);
        if (rank) rank.value = String(x.rank);
      });
    } else if (r.type === "gap") {
      r.fills.forEach(function (f) {
        var control = field(("optionId" in f ? "gapchoice_" : "gaptext_") + f.gap);
        if (control) control.value = "optionId" in f ? f.optionId : f.text;
      });
    } else if (r.type === "matching") {
      r.pairs.forEach(function (p) {
        var select = field("match_" + p.prompt);
        if (select) select.value = p.match;
      });
    } else if (r.type === "sql") {
      field("query").value = r.query;
    } else if (r.type === "essay") {
      field("essay").value = r.text;
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

  // Ordering questions: a Move button per item (Space or Enter picks it up, the arrow keys
  // move it, Space or Enter drops it; announced) and drag and drop. Both rewrite the number
  // inputs, which stay usable as they are.
  var list = form.querySelector("[data-ordering]");
  if (list) {
    var live = document.createElement("p");
    live.className = "visually-hidden";
    live.setAttribute("aria-live", "assertive");
    list.parentNode.insertBefore(live, list.nextSibling);
    var help = document.createElement("p");
    help.id = "order-help";
    help.className = "order-help";
    help.textContent =
      "Type the numbers, drag the items, or use an item's Move button: Space picks it up, the arrow keys move it, Space drops it.";
    list.parentNode.insertBefore(help, list);
    var rows = function () {
      return Array.prototype.slice.call(list.querySelectorAll(".order-row"));
    };
    var textOf = function (row) {
      return row.querySelector(".order-item span").textContent.trim();
    };
    var say = function (row, verb) {
      var all = rows();
      live.textContent = textOf(row) + " " + verb + " position " + (all.indexOf(row) + 1) + " of " + all.length + ".";
    };
    var renumber = function () {
      rows().forEach(function (row, i) {
        row.querySelector(".order-rank").value = String(i + 1);
      });
    };
    // Rows follow the typed numbers (where they are complete and distinct) before a move.
    var followRanks = function () {
      var all = rows();
      var ranks = all.map(function (row) {
        return Number(row.querySelector(".order-rank").value);
      });
      var distinct = ranks.filter(function (r, i) {
        return r >= 1 && r <= all.length && ranks.indexOf(r) === i;
      });
      if (distinct.length !== all.length) return;
      all
        .map(function (row, i) {
          return { row: row, rank: ranks[i] };
        })
        .sort(function (a, b) {
          return a.rank - b.rank;
        })
        .forEach(function (x) {
          list.appendChild(x.row);
        });
    };
    var held = null;
    var drop = function () {
      if (!held) return;
      var row = held;
      held = null;
      row.classList.remove("held");
      row.querySelector(".move-handle").setAttribute("aria-pressed", "false");
      renumber();
      say(row, "dropped at");
      save();
    };
    rows().forEach(function (row) {
      var handle = document.createElement("button");
      handle.type = "button";
      handle.className = "move-handle";
      handle.draggable = true;
      handle.setAttribute("aria-pressed", "false");
      handle.setAttribute("aria-describedby", "order-help");
      handle.setAttribute("aria-label", "Move " + textOf(row));
      handle.textContent = "\u2195";
      row.insertBefore(handle, row.firstChild);
      handle.addEventListener("click", function () {
        if (held === row) return drop();
        if (held) drop();
        followRanks();
        held = row;
        row.classList.add("held");
        handle.setAttribute("aria-pressed", "true");
        handle.focus();
        say(row, "picked up at");
      });
      handle.addEventListener("keydown", function (e) {
        if (held !== row) return;
        if (e.key === "ArrowUp" || e.key === "ArrowDown") {
          e.preventDefault();
          var sibling = e.key === "ArrowUp" ? row.previousElementSibling : row.nextElementSibling;
          if (!sibling) return;
          list.insertBefore(row, e.key === "ArrowUp" ? sibling : sibling.nextElementSibling);
          handle.focus();
          renumber();
          say(row, "moved to");
        } else if (e.key === "Escape" || e.key === "Tab") {
          drop();
        }
      });
      handle.addEventListener("dragstart", function (e) {
        followRanks();
        held = row;
        row.classList.add("held");
        e.dataTransfer.effectAllowed = "move";
        e.dataTransfer.setData("text/plain", row.getAttribute("data-id"));
      });
      handle.addEventListener("dragend", function () {
        drop();
      });
    });
    list.addEventListener("dragover", function (e) {
      if (!held) return;
      e.preventDefault();
      var over = e.target.closest ? e.target.closest(".order-row") : null;
      if (!over || over === held) return;
      var box = over.getBoundingClientRect();
      list.insertBefore(held, e.clientY < box.top + box.height / 2 ? over : over.nextElementSibling);
    });
    list.addEventListener("drop", function (e) {
      e.preventDefault();
    });
  }
  var typing = null;
  form.addEventListener("input", function (e) {
    if (e.target && (e.target.name === "text" || e.target.name === "query")) {
      clearTimeout(typing);
      typing = setTimeout(function () {
        typing = null;
        save();
      }, 800);
    }
  });
  // Leaving the page (any link, the back button) while a typed answer waits for its pause:
  // it is saved first.
  var flush = function () {
    if (typing === null) return;
    clearTimeout(typing);
    typing = null;
    save();
  };
  window.addEventListener("pagehide", flush);
  document.addEventListener("click", function (e) {
    var link = e.target && e.target.closest ? e.target.closest("a[href]") : null;
    if (link) flush();
  });
})();
