// The graph view: a range query's series drawn with uPlot (lines or stacked areas), legend
// with the series' labels and hover values; clicking a legend entry isolates that series.
import { formatSeries } from "./dom.js";

const COLORS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
  "#7f7f7f", "#bcbd22", "#17becf"];

/** The points of a series at the grid's times (null where it has none). */
function alignedValues(series, times, startSec, stepSec) {
  const ys = new Array(times.length).fill(null);
  for (const [t, v] of series.values || []) {
    ys[Math.round((t - startSec) / stepSec)] = Number(v);
  }
  // Native histograms are drawn as the sum of their observations, as Prometheus 3's graph does.
  for (const [t, hist] of series.histograms || []) {
    ys[Math.round((t - startSec) / stepSec)] = Number(hist.sum);
  }
  return ys;
}

/** Running sums over the series, so each is drawn on top of the ones before it. */
function stack(columns) {
  const sums = new Array(columns[0]?.length || 0).fill(0);
  return columns.map((ys) => ys.map((y, i) => (y == null ? null : (sums[i] += y))));
}

function cssVar(name) {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
}

/**
 * Draws the matrix into the container; returns a function that removes the chart. start and
 * step are in seconds (the query's own, so that points land on the grid).
 */
export function drawGraph(container, result, { start, end, step, stacked }) {
  const times = [];
  for (let t = start; t <= end + 1e-9; t += step) times.push(t);
  let columns = result.map((s) => alignedValues(s, times, start, step));
  if (stacked) columns = stack(columns);
  const axis = { stroke: cssVar("--fg"), grid: { stroke: cssVar("--grid") },
    ticks: { stroke: cssVar("--grid") } };
  const opts = {
    width: Math.max(300, container.clientWidth - 10),
    height: 320,
    legend: { isolate: true, live: true },
    cursor: { focus: { prox: 30 } },
    focus: { alpha: 0.3 },
    scales: { x: { time: true } },
    axes: [axis, { ...axis, size: 70 }],
    series: [{ label: "Time" }, ...result.map((s, i) => {
      const color = COLORS[i % COLORS.length];
      return { label: formatSeries(s.metric), stroke: color, width: 1.5,
        fill: stacked ? color + "55" : undefined, spanGaps: false };
    })],
  };
  const chart = new uPlot(opts, [times, ...columns], container);
  const resize = () => chart.setSize({ width: Math.max(300, container.clientWidth - 10),
    height: 320 });
  window.addEventListener("resize", resize);
  return () => {
    window.removeEventListener("resize", resize);
    chart.destroy();
  };
}
