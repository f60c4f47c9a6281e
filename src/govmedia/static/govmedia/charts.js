// Draws every element marked data-chart from the JSON its data-source names (CSP: no inline scripts).
document.querySelectorAll("[data-chart]").forEach(function (el) {
  var source = document.getElementById(el.dataset.source);
  if (!source || typeof echarts === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var chart = echarts.init(el);
  chart.setOption({
    tooltip: {},
    grid: { left: 40, right: 16, top: 16, bottom: 48 },
    xAxis: { type: "category", data: data.names, axisLabel: { interval: 0, rotate: data.names.length > 5 ? 30 : 0 } },
    yAxis: { type: "value", minInterval: 1 },
    series: [{ type: "bar", data: data.counts, itemStyle: { color: "#9b1c1c" } }]
  });
  window.addEventListener("resize", function () { chart.resize(); });
});
