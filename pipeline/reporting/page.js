/* The status page's behaviour: sortable and filterable tables, charts drawn with the inlined Chart.js.
   Every text is set with textContent; nothing is loaded from outside. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("l10n-data").textContent);

  function cellValue(row, index) {
    var cell = row.children[index];
    if (!cell) return "";
    var value = cell.getAttribute("data-value");
    return value !== null ? parseFloat(value) : cell.textContent.trim().toLowerCase();
  }

  function makeSortable(table) {
    var headers = table.tHead ? table.tHead.rows[0].cells : [];
    Array.prototype.forEach.call(headers, function (th, index) {
      var button = th.querySelector("button.sort");
      if (!button) return;
      button.addEventListener("click", function () {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(headers, function (other) { other.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = cellValue(a, index), y = cellValue(b, index);
          var order = (typeof x === "number" && typeof y === "number") ? x - y : String(x).localeCompare(String(y));
          return ascending ? order : -order;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
  }

  function applyFilters(tableId) {
    var table = document.getElementById(tableId);
    if (!table) return;
    var input = document.querySelector('input[data-filter-for="' + tableId + '"]');
    var select = document.querySelector('select[data-locale-filter-for="' + tableId + '"]');
    var text = input ? input.value.trim().toLowerCase() : "";
    var locale = select ? select.value : "";
    Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
      var shown = (!text || row.textContent.toLowerCase().indexOf(text) >= 0) &&
                  (!locale || row.getAttribute("data-locale") === locale);
      row.hidden = !shown;
    });
  }

  document.querySelectorAll("table.sortable").forEach(makeSortable);
  document.querySelectorAll("input[data-filter-for]").forEach(function (input) {
    input.addEventListener("input", function () { applyFilters(input.getAttribute("data-filter-for")); });
  });
  document.querySelectorAll("select[data-locale-filter-for]").forEach(function (select) {
    data.locales.forEach(function (loc) {
      var option = document.createElement("option");
      option.value = loc.locale;
      option.textContent = loc.locale + " (" + loc.name + ")";
      select.appendChild(option);
    });
    select.addEventListener("change", function () { applyFilters(select.getAttribute("data-locale-filter-for")); });
  });

  if (typeof Chart === "undefined") return;
  Chart.defaults.animation = false;
  Chart.defaults.maintainAspectRatio = false;
  var palette = ["#0b5cad", "#c2410c", "#15803d", "#7c3aed", "#b91c1c", "#0e7490", "#a16207", "#be185d"];
  var codes = data.locales.map(function (loc) { return loc.locale; });

  function chart(id, config) {
    var canvas = document.getElementById(id);
    if (canvas) window.l10nCharts[id] = new Chart(canvas, config);
  }
  window.l10nCharts = {};

  chart("chart-words", {
    type: "bar",
    data: {
      labels: codes,
      datasets: [["translated", "#15803d"], ["fuzzy", "#d97706"], ["untranslated", "#b91c1c"]].map(function (p) {
        return { label: p[0], backgroundColor: p[1], data: data.locales.map(function (loc) { return loc.words[p[0]]; }) };
      })
    },
    options: { indexAxis: "y", scales: { x: { stacked: true, title: { display: true, text: "words" } }, y: { stacked: true } } }
  });

  chart("chart-fallbacks", {
    type: "bar",
    data: {
      labels: codes,
      datasets: data.reasons.map(function (reason, i) {
        return { label: reason, backgroundColor: palette[i % palette.length],
                 data: data.locales.map(function (loc) { return loc.fallbacks.by_reason[reason]; }) };
      })
    },
    options: { scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, title: { display: true, text: "units" } } } }
  });

  var dates = [];
  data.history.forEach(function (row) { if (dates.indexOf(row.date) < 0) dates.push(row.date); });
  var series = [];
  var seen = [];
  data.history.forEach(function (row) { if (seen.indexOf(row.locale) < 0) seen.push(row.locale); });
  seen.forEach(function (code, i) {
    var color = palette[i % palette.length];
    function values(pick) {
      return dates.map(function (date) {
        var found = null;
        data.history.forEach(function (row) { if (row.locale === code && row.date === date) found = pick(row); });
        return found;
      });
    }
    series.push({ label: code + " translated", borderColor: color, backgroundColor: color, spanGaps: true,
                  data: values(function (r) { return r.words_translated; }) });
    series.push({ label: code + " left", borderColor: color, backgroundColor: color, borderDash: [6, 4], spanGaps: true,
                  data: values(function (r) { return r.words_fuzzy + r.words_untranslated; }) });
  });
  chart("chart-history", {
    type: "line",
    data: { labels: dates, datasets: series },
    options: { scales: { y: { beginAtZero: true, title: { display: true, text: "words" } } } }
  });
}());
