// The table view: one row per series of an instant query's result; native histograms as
// bucket charts (histogram.js).
import { h, seriesElement } from "./dom.js";
import { histogramView } from "./histogram.js";

const MAX_ROWS = 10000;

function valueCell(sample) {
  return sample.histogram ? histogramView(sample.histogram[1]) : sample.value[1];
}

function rangeCell(series) {
  const points = [...(series.values || []).map(([t, v]) => `${v} @${t}`),
    ...(series.histograms || []).map(([t, hist]) => `count ${hist.count} sum ${hist.sum} @${t}`)];
  return h("div.range-values", points.map((p) => h("div", p)));
}

/** The result of /api/v1/query as a table; returns {element, series}. */
export function renderTable(data) {
  let rows;
  let series = 0;
  switch (data.resultType) {
    case "vector":
      series = data.result.length;
      rows = data.result.slice(0, MAX_ROWS)
        .map((s) => [seriesElement(s.metric), valueCell(s)]);
      break;
    case "matrix":
      series = data.result.length;
      rows = data.result.slice(0, MAX_ROWS).map((s) => [seriesElement(s.metric), rangeCell(s)]);
      break;
    case "scalar":
      rows = [[h("em", "scalar"), data.result[1]]];
      break;
    case "string":
      rows = [[h("em", "string"), data.result[1]]];
      break;
    default:
      rows = [];
  }
  const table = h("table.result-table",
    h("tbody", rows.length ? rows.map(([a, b]) => h("tr", h("td", a), h("td.value", b)))
      : h("tr", h("td.empty", { colspan: 2 }, "Empty query result"))));
  const more = series > MAX_ROWS
    ? h("div.notice.warning", `Showing ${MAX_ROWS} of ${series} series.`) : null;
  return { element: h("div", more, table), series };
}
