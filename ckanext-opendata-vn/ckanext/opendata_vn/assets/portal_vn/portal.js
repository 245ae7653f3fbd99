/* Citizens' pages: copy buttons for the API samples and the preview chart.
   Plain JavaScript (no CKAN module): it only enhances pages that work without it. */
(function () {
  "use strict";

  function announce(key) {
    var status = document.getElementById("odvn-copy-status");
    if (!status) { return; }
    status.textContent = "";
    window.setTimeout(function () { status.textContent = status.getAttribute("data-" + key) || ""; }, 50);
  }

  function fallbackCopy(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.left = "-9999px";
    document.body.appendChild(area);
    area.select();
    var ok = false;
    try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
    document.body.removeChild(area);
    return ok;
  }

  function initCopy() {
    document.querySelectorAll("[data-odvn-copy]").forEach(function (button) {
      button.addEventListener("click", function () {
        var target = document.getElementById(button.getAttribute("data-odvn-copy"));
        if (!target) { return; }
        var text = target.textContent;
        var done = function (ok) {
          announce(ok ? "copied" : "failed");
          if (ok) {
            button.classList.add("odvn-copied");
            window.setTimeout(function () { button.classList.remove("odvn-copied"); }, 1500);
          }
        };
        if (navigator.clipboard && window.isSecureContext) {
          navigator.clipboard.writeText(text).then(function () { done(true); },
            function () { done(fallbackCopy(text)); });
        } else {
          done(fallbackCopy(text));
        }
      });
    });
  }

  function initChart() {
    var figure = document.querySelector("[data-odvn-chart]");
    if (!figure || typeof window.Chart === "undefined") { return; }
    var dataEl = document.getElementById(figure.getAttribute("data-odvn-chart"));
    var canvas = figure.querySelector("canvas");
    if (!dataEl || !canvas) { return; }
    var data;
    try { data = JSON.parse(dataEl.textContent); } catch (e) { return; }
    if (!data.series || !data.series.length) { return; }
    var select = figure.querySelector("[data-odvn-series]");
    var template = canvas.getAttribute("data-label-template") || "";
    var locale = document.documentElement.lang || "vi";
    // Categories (names) as horizontal bars: long Vietnamese names stay readable on a
    // phone; dates as a line over time.
    var horizontal = data.type !== "line";
    var box = canvas.parentNode;
    if (horizontal) { box.style.height = Math.max(256, data.labels.length * 26 + 80) + "px"; }
    var short = function (text) {
      text = String(text);
      var max = window.innerWidth < 576 ? 18 : 34;
      return text.length > max ? text.slice(0, max - 1) + "…" : text;
    };
    var categoryAxis = { title: { display: !horizontal, text: data.label_title },
                         ticks: { autoSkip: !horizontal, callback: function (value) { return short(this.getLabelForValue(value)); } } };
    var valueAxis = { beginAtZero: true, title: { display: true, text: data.series[0].label } };
    var chart = new window.Chart(canvas, {
      type: horizontal ? "bar" : "line",
      data: {
        labels: data.labels,
        datasets: [{ label: data.series[0].label, data: data.series[0].values,
                     backgroundColor: "#1565c0", borderColor: "#0d47a1", borderWidth: 1 }]
      },
      options: {
        indexAxis: horizontal ? "y" : "x",
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        locale: locale,
        plugins: { legend: { display: false } },
        scales: horizontal ? { y: categoryAxis, x: valueAxis } : { x: categoryAxis, y: valueAxis }
      }
    });
    figure.setAttribute("data-odvn-chart-ready", "true");
    if (select) {
      select.addEventListener("change", function () {
        var s = data.series[parseInt(select.value, 10)] || data.series[0];
        chart.data.datasets[0].label = s.label;
        chart.data.datasets[0].data = s.values;
        chart.options.scales[horizontal ? "x" : "y"].title.text = s.label;
        chart.update();
        if (template) { canvas.setAttribute("aria-label", template.replace("{series}", s.label)); }
      });
    }
  }

  function init() { initCopy(); initChart(); }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
