// The monitoring dashboard's charts (CSP: no inline scripts). Each element marked data-dashboard-chart draws
// one part ("weekly", "monthly", "states") of the JSON its data-source names; data-rendered is set once drawn.
(function () {
  "use strict";
  if (typeof echarts === "undefined") { return; }
  var PALETTE = ["#9b1c1c", "#1f5fa8", "#2e8b57", "#d98c1f", "#6f42c1", "#20a4a4", "#c2185b", "#5d6d7e",
    "#8d6e63", "#7cb342", "#3949ab", "#f4511e"];

  function weekly(data) {
    return {
      color: PALETTE,
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: { type: "scroll", bottom: 0 },
      grid: { left: 40, right: 16, top: 30, bottom: 56 },
      xAxis: { type: "category", data: data.labels, axisLabel: { rotate: 45 } },
      yAxis: { type: "value", minInterval: 1, name: "条" },
      series: data.series.map(function (s) {
        return { name: s.name, type: "bar", stack: "posts", data: s.data, emphasis: { focus: "series" } };
      })
    };
  }

  function monthly(data) {
    return {
      color: ["#9b1c1c", "#adb5bd", "#1f5fa8"],
      tooltip: { trigger: "axis" },
      legend: { bottom: 0, data: ["原创", "转载", "原创占比"] },
      grid: { left: 40, right: 44, top: 24, bottom: 56 },
      xAxis: { type: "category", data: data.labels, axisLabel: { rotate: 45 } },
      yAxis: [
        { type: "value", minInterval: 1, name: "条" },
        { type: "value", min: 0, max: 100, name: "%", splitLine: { show: false } }
      ],
      series: [
        { name: "原创", type: "bar", stack: "kind", data: data.originals },
        { name: "转载", type: "bar", stack: "kind", data: data.reprints },
        { name: "原创占比", type: "line", yAxisIndex: 1, data: data.share, connectNulls: false,
          tooltip: { valueFormatter: function (v) { return v === null || v === undefined ? "—" : v + "%"; } } }
      ]
    };
  }

  function states(data) {
    // Empty states draw no slice; the legend still names every state, in the tiles' colours.
    return {
      color: data.map(function (s) { return s.color; }),
      tooltip: { trigger: "item", formatter: "{b}：{c}个（{d}%）" },
      legend: { bottom: 0, itemWidth: 10, itemHeight: 10, itemGap: 8, textStyle: { fontSize: 11 },
        data: data.map(function (s) { return s.name; }) },
      series: [{
        type: "pie", radius: ["34%", "58%"], center: ["50%", "42%"], avoidLabelOverlap: true,
        label: { formatter: "{c}" },
        data: data.filter(function (s) { return s.count > 0; }).map(function (s) {
          return { name: s.name, value: s.count, state: s.value, itemStyle: { color: s.color } };
        })
      }]
    };
  }

  var BUILD = { weekly: weekly, monthly: monthly, states: states };

  document.querySelectorAll("[data-dashboard-chart]").forEach(function (el) {
    var source = document.getElementById(el.dataset.source);
    var part = el.dataset.dashboardChart;
    if (!source || !BUILD[part]) { return; }
    var data = JSON.parse(source.textContent)[part];
    var chart = echarts.init(el, null, { renderer: "svg" });
    chart.on("finished", function () { el.dataset.rendered = "true"; });
    chart.setOption(BUILD[part](data));
    if (part === "states") {
      // A slice is a filter, like the tiles above the table.
      chart.on("click", function (params) {
        var query = new URLSearchParams(window.location.search);
        query.set("state", params.data.state);
        query.delete("page");
        window.location.search = query.toString();
      });
    }
    window.addEventListener("resize", function () { chart.resize(); });
  });
}());
