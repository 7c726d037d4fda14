// ftop's own script: makes forms easier where JavaScript runs; every page works without it.
//
// Time tab: a stopwatch that fills in a time entry's minutes.
//
// Status rows (Services tab, `form.status-rows`): a row's reasons (L2) follow its status
// (L1), its engineering reasons (L3) follow its reason, and the entitlements placed by the
// rows are counted as they change, beside the total the rows must add up to. A select left
// without choices is disabled (and so not sent: its value would be empty anyway).
(function () {
  "use strict";

  function rowOf(el) {
    return el.closest("tr");
  }

  function pick(row, prefix) {
    return row.querySelector("select[name^='" + prefix + "_']");
  }

  // Shows the option groups of `select` whose `attr` is `value`; keeps the choice only when
  // it is still offered.
  function narrow(select, attr, value) {
    if (!select) return;
    let any = false;
    select.querySelectorAll("optgroup").forEach(function (g) {
      const on = g.getAttribute(attr) === value;
      g.hidden = !on;
      g.disabled = !on;
      any = any || on;
    });
    const chosen = select.selectedOptions[0];
    if (chosen && chosen.value !== "" && chosen.parentElement.tagName === "OPTGROUP" && chosen.parentElement.disabled) {
      select.value = "";
    }
    select.disabled = !any;
  }

  function follow(row) {
    const l1 = pick(row, "l1");
    const l2 = pick(row, "l2");
    const l3 = pick(row, "l3");
    if (!l1 || l1.disabled) return;
    narrow(l2, "data-l1", l1.value);
    narrow(l3, "data-l2", l2 ? l2.value : "");
  }

  function count(form) {
    const out = form.querySelector("output.rows-total");
    if (!out || !out.dataset.template) return;
    let placed = 0;
    form.querySelectorAll("input[name^='count_']").forEach(function (i) {
      const n = parseInt(i.value, 10);
      if (!isNaN(n) && n > 0) placed += n;
    });
    const total = parseInt(form.dataset.total, 10) || 0;
    // Written as the server writes numbers, so the two halves of the sentence match.
    out.textContent = out.dataset.template.replace("__PLACED__", String(placed));
    out.classList.toggle("off", placed !== total);
  }

  function setUp(root) {
    root.querySelectorAll("form.status-rows").forEach(function (form) {
      if (form.dataset.ready === "1") return;
      form.dataset.ready = "1";
      form.querySelectorAll("tbody tr").forEach(follow);
      form.addEventListener("change", function (e) {
        const row = rowOf(e.target);
        if (row && e.target.tagName === "SELECT") follow(row);
        count(form);
      });
      form.addEventListener("input", function () {
        count(form);
      });
      count(form);
    });
  }

  // The Time tab's stopwatch: started, it keeps its start in the browser (so it survives
  // moving between pages); stopped, it writes the whole minutes elapsed (at least one) into
  // the form's minutes.
  function stopwatch(root) {
    root.querySelectorAll("span.timer").forEach(function (t) {
      if (t.dataset.ready === "1") return;
      t.dataset.ready = "1";
      const key = t.dataset.key;
      const start = t.querySelector("button.timer-start");
      const stop = t.querySelector("button.timer-stop");
      const shown = t.querySelector("output.timer-shown");
      const minutes = t.closest("form").querySelector("input[name=minutes]");
      let tick = null;
      function show() {
        const began = parseInt(localStorage.getItem(key) || "", 10);
        const running = !isNaN(began);
        start.hidden = running;
        stop.hidden = !running;
        if (!running) {
          shown.textContent = "";
          return;
        }
        const s = Math.max(0, Math.floor((Date.now() - began) / 1000));
        const hms = Math.floor(s / 3600) + ":" + String(Math.floor(s / 60) % 60).padStart(2, "0") + ":" + String(s % 60).padStart(2, "0");
        shown.textContent = t.dataset.running.replace("__TIME__", hms);
      }
      start.addEventListener("click", function () {
        localStorage.setItem(key, String(Date.now()));
        show();
        tick = tick || setInterval(show, 1000);
      });
      stop.addEventListener("click", function () {
        const began = parseInt(localStorage.getItem(key) || "", 10);
        if (!isNaN(began)) {
          minutes.value = String(Math.max(1, Math.round((Date.now() - began) / 60000)));
        }
        localStorage.removeItem(key);
        clearInterval(tick);
        tick = null;
        show();
        minutes.focus();
      });
      t.hidden = false;
      show();
      if (!stop.hidden) tick = setInterval(show, 1000);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    stopwatch(document);
    setUp(document);
  });
  document.addEventListener("htmx:load", function (e) {
    stopwatch(e.target);
    setUp(e.target);
  });
})();
