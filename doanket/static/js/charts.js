/* Draws the charts of the report pages with the vendored Chart.js: every <canvas data-chart="id">
   reads its data from the JSON script element #id ({type, label, labels, values, series}). */
(function () {
  function draw() {
    if (typeof Chart === "undefined") { return; }
    document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      if (canvas.dataset.drawn) { return; }
      var source = document.getElementById(canvas.dataset.chart);
      if (!source) { return; }
      var spec = JSON.parse(source.textContent);
      var datasets = spec.series || [{ label: spec.label, data: spec.values, backgroundColor: "#b3161b", borderColor: "#b3161b" }];
      new Chart(canvas, {
        type: spec.type || "bar",
        data: { labels: spec.labels, datasets: datasets },
        options: {
          responsive: true, maintainAspectRatio: false, animation: false,
          plugins: { legend: { display: datasets.length > 1 } },
          scales: { y: { beginAtZero: true, ticks: { callback: function (v) { return Number(v).toLocaleString("vi-VN"); } } } }
        }
      });
      canvas.dataset.drawn = "1";
    });
  }
  document.addEventListener("DOMContentLoaded", draw);
  document.addEventListener("htmx:afterSettle", draw);
})();
