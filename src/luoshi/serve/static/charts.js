// luoshi: the scorecard and compare bar charts (Apache ECharts, served from /static/vendor).
// Reads the columns of <script type="application/json" id="chart-data"> (serve/pages/charts.py
// chart_data) and draws them into <div id="chart">: one row per target, a target bar (a range
// target: solid to the bound nearer zero, pale on to the other) and a result bar coloured by
// verdict.  Report text is untrusted: axis labels are canvas text, and the tooltip's HTML is
// built from escaped strings only.  Sets data-ready="1" on the chart once ECharts has finished.
"use strict";
(function () {
  const holder = document.getElementById("chart");
  const source = document.getElementById("chart-data");
  if (!holder || !source || !window.echarts) return;
  const data = JSON.parse(source.textContent);
  const n = data.categories.length;
  if (!n) return;

  const css = getComputedStyle(document.documentElement);
  const colour = (name, fallback) => css.getPropertyValue(name).trim() || fallback;
  const verdictColour = {met: colour("--met", "#16a34a"), missed: colour("--missed", "#dc2626"),
                         no_data: colour("--no-data", "#9ca3af")};
  const targetColour = colour("--target", "#fde68a"), targetInk = colour("--target-ink", "#92400e");
  const ink = colour("--ink", "#1f2328"), muted = colour("--muted", "#656d76");
  const unit = data.unit || "";
  const escape = (s) => String(s ?? "").replace(/[&<>"']/g,
    (c) => ({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"})[c]);
  const clip = (s, max) => (s.length > max ? s.slice(0, max - 1) + "…" : s);
  const t = luoshi.t, v = luoshi.v;
  const rulesBlock = document.getElementById("chart-rules"); // the rules in the page's language
  const rules = rulesBlock ? JSON.parse(rulesBlock.textContent) : data.rule;

  // a range [lo, hi] as two stacked bars; ECharts stacks negative and positive values apart
  // ("samesign"), so both bars grow away from zero
  const base = [], extra = [];
  data.target.forEach((value, i) => {
    const max = data.target_max[i];
    if (max === null || max === undefined) { base.push(value); extra.push(null); return; }
    const lo = Math.min(value, max), hi = Math.max(value, max);
    if (lo >= 0) { base.push(lo); extra.push(hi - lo); }
    else if (hi <= 0) { base.push(hi); extra.push(lo - hi); }
    else { base.push(lo); extra.push(hi); }
  });
  const results = data.result.map((value, i) => ({
    value: value, itemStyle: {color: verdictColour[data.verdict[i]] || verdictColour.no_data}}));

  function tooltip(params) {
    const i = params[0].dataIndex;
    const g = data.gap[i];
    const gap = g === null ? "" : `${g > 0 ? "+" : ""}${g}${g ? unit : ""}`;
    const lines = [
      `<strong>${escape(data.categories[i])}</strong>`,
      `${escape(v("target"))}: ${escape(data.target_text[i])}`,
      `${escape(v("result"))}: ${escape(data.result_text[i])} · <span style="color:${verdictColour[data.verdict[i]]}">` +
        `${escape(v(data.verdict[i]))}</span>${gap ? " · " + escape(t("js:gap {gap}", {gap})) : ""}`,
      `<span style="color:${muted}">${escape(rules[i] || data.rule[i])}</span>`,
    ];
    for (const evidence of [data.target_evidence[i], data.result_evidence[i]]) {
      if (evidence) lines.push(`<span style="color:${muted}">「${escape(clip(evidence, 80))}」</span>`);
    }
    return `<div style="max-width:28rem;white-space:normal">${lines.join("<br>")}</div>`;
  }

  holder.style.height = `${Math.max(200, 70 + n * 38)}px`;
  const chart = echarts.init(holder, null, {renderer: "canvas"});
  chart.on("finished", () => { holder.setAttribute("data-ready", "1"); });
  const label = (texts) => ({show: true, position: "right", color: ink, fontSize: 11,
                             formatter: (p) => texts[p.dataIndex] || ""});
  chart.setOption({
    aria: {enabled: true},
    animationDuration: 300,
    grid: {left: 8, right: 72, top: 16, bottom: 24, containLabel: true},
    tooltip: {trigger: "axis", axisPointer: {type: "shadow"}, confine: true, formatter: tooltip},
    xAxis: {type: "value", name: unit, axisLabel: {formatter: (v) => `${v}${unit}`}},
    yAxis: {type: "category", inverse: true, data: data.categories,
            axisLabel: {width: 200, overflow: "truncate", color: ink}},
    series: [
      {name: v("target"), type: "bar", stack: "target", data: base, barMaxWidth: 14,
       itemStyle: {color: targetColour, borderColor: targetInk, borderWidth: 0.5},
       label: label(data.target_text.map((t, i) => (extra[i] === null ? t : ""))), z: 2},
      {name: t("js:target range"), type: "bar", stack: "target", data: extra, barMaxWidth: 14,
       itemStyle: {color: targetColour, opacity: 0.6, borderColor: targetInk, borderType: "dashed", borderWidth: 0.5},
       label: label(data.target_text), tooltip: {show: false}},
      {name: v("result"), type: "bar", data: results, barMaxWidth: 14, itemStyle: {color: verdictColour.no_data},
       label: label(data.result.map((r, i) => (r === null ? v("no_data") : data.result_text[i])))},
    ],
  });
  window.addEventListener("resize", () => chart.resize());
})();
