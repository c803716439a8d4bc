// SQL exercises: Run (and Ctrl+Enter) shows the statement's result grid without leaving the
// page, and the editor gets light syntax highlighting. Without this script the Run button
// posts the form, and the page comes back with the grid.
"use strict";
(function () {
  var input = document.querySelector(".sql-input");
  var button = document.querySelector(".sql-run");
  var out = document.querySelector(".sql-result");
  if (!input || !button || !out) return;
  var form = input.form;
  var token = document.querySelector('meta[name="csrf-token"]').getAttribute("content");
  var position = Number(form.querySelector('[name="position"]').value);
  var runsLeft = document.querySelector(".sql-runs-left");

  var el = function (tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined) node.textContent = text;
    if (cls) node.className = cls;
    return node;
  };

  function show(run) {
    out.textContent = "";
    if (!run.ok) {
      var p = el("p", "", "sql-error");
      p.appendChild(el("strong", "Error" + (run.line ? " at line " + run.line + ", column " + run.column : "") + ":"));
      p.appendChild(document.createTextNode(" " + run.error));
      out.appendChild(p);
    } else {
      var meta =
        run.rowCount +
        (run.rowCount === 1 ? " row" : " rows") +
        (run.truncated ? " (the first " + run.rows.length + " shown)" : "") +
        " in " +
        run.ms +
        " ms" +
        (run.note ? ". " + run.note : "");
      out.appendChild(el("p", meta, "sql-meta"));
      if (run.columns.length) {
        var wrap = el("div", undefined, "sql-grid-wrap");
        var table = el("table", undefined, "sql-grid");
        var head = el("tr");
        run.columns.forEach(function (c) {
          var th = el("th", c.name + " ");
          th.scope = "col";
          th.appendChild(el("small", c.type));
          head.appendChild(th);
        });
        table.appendChild(el("thead")).appendChild(head);
        var body = table.appendChild(el("tbody"));
        run.rows.forEach(function (row) {
          var tr = el("tr");
          row.forEach(function (v) {
            tr.appendChild(v === null ? el("td", "NULL", "sql-null") : el("td", v));
          });
          body.appendChild(tr);
        });
        wrap.appendChild(table);
        out.appendChild(wrap);
      }
    }
    if (run.runsLeft !== null && run.runsLeft !== undefined) {
      out.appendChild(el("p", run.runsLeft + (run.runsLeft === 1 ? " run" : " runs") + " left.", "sql-meta"));
      if (runsLeft) runsLeft.textContent = String(run.runsLeft);
    }
  }

  var running = false;
  function run() {
    if (running) return;
    if (!input.value.trim()) {
      show({ ok: false, error: "Write a statement first.", runsLeft: null });
      return;
    }
    running = true;
    button.setAttribute("aria-busy", "true");
    out.textContent = "Running…";
    // The statement is saved as the answer too (attempt.js listens for changes).
    input.dispatchEvent(new Event("change", { bubbles: true }));
    fetch(button.getAttribute("data-url"), {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json", "x-csrf-token": token },
      body: JSON.stringify({ position: position, query: input.value }),
      credentials: "same-origin",
    })
      .then(function (res) {
        return res.json().then(function (body) {
          if (res.ok) return show(body);
          show({ ok: false, error: (body && body.error) || "the server refused to run it.", runsLeft: null });
        });
      })
      .catch(function () {
        show({ ok: false, error: "the connection dropped; try again.", runsLeft: null });
      })
      .then(function () {
        running = false;
        button.removeAttribute("aria-busy");
      });
  }

  button.addEventListener("click", function (e) {
    e.preventDefault();
    run();
  });
  input.addEventListener("keydown", function (e) {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      run();
    }
  });

  // Light highlighting: a <pre> behind the transparent textarea shows the same text coloured.
  var KEYWORDS =
    /^(select|from|where|join|left|right|full|inner|outer|cross|lateral|on|using|group|by|having|order|asc|desc|nulls|first|last|limit|offset|fetch|with|recursive|as|union|intersect|except|all|distinct|insert|into|values|update|set|delete|returning|conflict|do|nothing|and|or|not|in|exists|between|like|ilike|is|null|true|false|case|when|then|else|end|over|partition|rows|range|unbounded|preceding|following|current|row|window|filter|coalesce|count|sum|avg|min|max|cast|interval|date|timestamp)$/i;
  var TOKENS =
    /(--[^\n]*|\/\*[\s\S]*?(?:\*\/|$)|'(?:[^']|'')*'?|"(?:[^"]|"")*"?|\b\d+(?:\.\d+)?\b|[A-Za-z_][A-Za-z0-9_]*)/g;
  var editor = input.parentNode;
  var shadow = el("pre", undefined, "sql-highlight");
  shadow.setAttribute("aria-hidden", "true");
  editor.insertBefore(shadow, input);
  editor.classList.add("highlighting");
  function paint() {
    shadow.textContent = "";
    var text = input.value;
    var last = 0;
    text.replace(TOKENS, function (token, _g, offset) {
      if (offset > last) shadow.appendChild(document.createTextNode(text.slice(last, offset)));
      var cls = /^(--|\/\*)/.test(token)
        ? "tok-comment"
        : /^'/.test(token)
          ? "tok-string"
          : /^\d/.test(token)
            ? "tok-number"
            : KEYWORDS.test(token)
              ? "tok-keyword"
              : null;
      shadow.appendChild(cls ? el("span", token, cls) : document.createTextNode(token));
      last = offset + token.length;
      return token;
    });
    shadow.appendChild(document.createTextNode(text.slice(last) + "\n"));
    shadow.scrollTop = input.scrollTop;
    shadow.scrollLeft = input.scrollLeft;
  }
  input.addEventListener("input", paint);
  input.addEventListener("scroll", function () {
    shadow.scrollTop = input.scrollTop;
    shadow.scrollLeft = input.scrollLeft;
  });
  paint();
})();
