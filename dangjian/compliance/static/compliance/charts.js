// 党建看板: draws each chart from the JSON on its element (the same rows as its table) with
// the vendored ECharts. A click on a bar or point opens the records behind it.
(function () {
  "use strict";
  if (!window.echarts) return;
  var palette = ["#b22222", "#9aa4b2", "#1f7a4d", "#d08700"];
  var charts = [];

  function option(c) {
    var labels = c.rows.map(function (r) { return r.label; });
    var horizontal = c.id === "meetings";
    var series = c.series.map(function (name, i) {
      var s = {
        name: name,
        type: c.kind === "line" ? "line" : "bar",
        data: c.rows.map(function (r) { return r.values[i]; }),
        itemStyle: { color: palette[i % palette.length] },
        cursor: "pointer",
        barMaxWidth: 26
      };
      if (c.kind === "stack") s.stack = "total";
      if (c.kind === "line") { s.smooth = true; s.symbolSize = 8; s.connectNulls = true; }
      return s;
    });
    var category = { type: "category", data: labels, axisLabel: { interval: 0, fontSize: 11 } };
    var value = { type: "value", name: horizontal ? "" : c.unit, minInterval: c.unit === "%" ? 0 : 1 };
    if (c.unit === "%") value.max = 100;
    return {
      animation: false,
      color: palette,
      tooltip: { trigger: "axis", valueFormatter: function (v) { return v + c.unit; } },
      legend: { show: c.series.length > 1, top: 0 },
      grid: { left: 8, right: 16, top: c.series.length > 1 ? 40 : 30, bottom: 8, containLabel: true },
      xAxis: horizontal ? value : category,
      yAxis: horizontal ? Object.assign({}, category, { inverse: true }) : value,
      series: series
    };
  }

  document.querySelectorAll("[data-chart]").forEach(function (el) {
    var c = JSON.parse(el.getAttribute("data-chart"));
    if (c.id === "meetings") el.style.height = Math.max(220, 34 * c.rows.length + 60) + "px";
    el.innerHTML = "";
    var chart = window.echarts.init(el, null, { renderer: "canvas" });
    chart.setOption(option(c));
    chart.on("click", function (p) {
      var row = c.rows[p.dataIndex];
      if (row && row.url) window.location.href = row.url;
    });
    charts.push(chart);
  });
  window.addEventListener("resize", function () { charts.forEach(function (ch) { ch.resize(); }); });
  // Printing: charts take the paper's width.
  window.addEventListener("beforeprint", function () { charts.forEach(function (ch) { ch.resize(); }); });
})();
