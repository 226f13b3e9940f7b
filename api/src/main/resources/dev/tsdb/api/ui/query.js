// The query page: panels, each with an expression, a table view (instant query at a chosen
// time), a graph view (range query) and an explain view (the syntax tree explained), their
// state kept in the URL.
import { api, ApiError } from "./api.js";
import { h, notices } from "./dom.js";
import { createEditor } from "./editor.js";
import { renderExplain } from "./explain.js";
import { drawGraph } from "./graph.js";
import { defaultPanel, panelsFromQuery, panelsToQuery } from "./panel-state.js";
import { renderTable } from "./table.js";
import { defaultStepSeconds, formatDuration, formatTime, parseDuration, parseTime }
  from "./time.js";

export function renderQuery(root) {
  const panels = panelsFromQuery(location.search);
  const list = h("div.panels");
  const saveUrl = () => history.replaceState(null, "", "?" + panelsToQuery(panels));

  function addPanel(state, runNow) {
    const view = createPanel(state, {
      changed: saveUrl,
      remove: () => {
        panels.splice(panels.indexOf(state), 1);
        view.element.remove();
        saveUrl();
      },
    });
    list.append(view.element);
    if (runNow) view.run();
  }

  panels.forEach((p) => addPanel(p, p.expr !== ""));
  root.replaceChildren(list, h("button.add-panel", { type: "button", onclick: () => {
    const p = defaultPanel();
    panels.push(p);
    addPanel(p, false);
    saveUrl();
  } }, "+ Add query"));
}

function createPanel(state, { changed, remove }) {
  const output = h("div.output");
  const controls = h("div.controls");
  const stats = h("div.stats");
  let disposeGraph = () => {};

  const editor = createEditor(state.expr, {
    onChange: (v) => { state.expr = v; changed(); },
    onExecute: () => run(),
  });
  const tabs = ["table", "graph", "explain"].map((t) => h("button.tab", { type: "button",
    "data-tab": t, onclick: () => { state.tab = t; changed(); showControls(); run(); } },
  t[0].toUpperCase() + t.slice(1)));

  const element = h("section.panel",
    h("div.panel-head", editor.element,
      h("button.execute", { type: "button", onclick: () => run() }, "Execute"),
      h("button.format", { type: "button", title: "Format expression", onclick: format }, "Format"),
      h("button.remove", { type: "button", title: "Remove query", onclick: remove }, "✕")),
    h("div.tabs", tabs), controls, output, stats);

  async function format() {
    try {
      const r = await api("format_query", { query: state.expr });
      editor.value = r.data;
      state.expr = r.data;
      changed();
    } catch (e) {
      output.replaceChildren(...notices({ error: e.message }));
    }
  }

  function input(value, placeholder, onchange, cls) {
    return h("input" + (cls ? "." + cls : ""), { value: value ?? "", placeholder,
      onchange: (e) => { onchange(e.target.value.trim()); changed(); run(); } });
  }

  /** A date/time picker (UTC, to the second) with a button back to "now" (null). */
  function timePicker(value, set, cls) {
    const picker = h("input." + cls, { type: "datetime-local", step: "1",
      value: value == null ? "" : formatTime(value).replace(" ", "T"),
      onchange: (e) => { set(parseTime(e.target.value)); changed(); run(); } });
    return [picker, h("button.now", { type: "button", title: "Use the current time",
      onclick: () => { picker.value = ""; set(null); changed(); run(); } }, "now"), " UTC"];
  }

  function showControls() {
    tabs.forEach((t) => t.classList.toggle("active", t.dataset.tab === state.tab));
    if (state.tab === "explain") {
      controls.replaceChildren();
    } else if (state.tab === "table") {
      controls.replaceChildren(h("label", "Evaluation time ",
        timePicker(state.moment, (v) => { state.moment = v; }, "moment-input")));
    } else {
      controls.replaceChildren(
        h("label", "Range ", input(formatDuration(state.range), "1h",
          (v) => { state.range = parseDuration(v) || state.range; }, "range-input")),
        h("label", "End ", timePicker(state.end, (v) => { state.end = v; }, "end-input")),
        h("label", "Step (s) ", input(state.step ?? "", "auto",
          (v) => { state.step = Number(v) > 0 ? Number(v) : null; }, "step-input")),
        h("label", h("select.display-mode", { onchange: (e) => {
          state.stacked = e.target.value === "stacked"; changed(); run();
        } }, h("option", { value: "lines", selected: !state.stacked }, "Lines"),
        h("option", { value: "stacked", selected: state.stacked }, "Stacked"))));
    }
  }

  async function run() {
    disposeGraph();
    disposeGraph = () => {};
    if (!state.expr.trim()) {
      output.replaceChildren(h("div.notice.info", "Enter an expression to run."));
      stats.replaceChildren();
      return;
    }
    output.replaceChildren(h("div.loading", "Loading…"));
    const began = performance.now();
    try {
      if (state.tab === "explain") {
        output.replaceChildren(await renderExplain(state.expr));
        stats.replaceChildren();
        return;
      }
      const { series, cost } = state.tab === "table" ? await runTable() : await runGraph();
      showStats(Math.round(performance.now() - began), series, cost);
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      output.replaceChildren(...notices({ error: e.message, warnings: e.warnings }));
      stats.replaceChildren();
    }
  }

  /** Time, series and (when the server sent them) the query's own stats; all in the tooltip. */
  function showStats(ms, series, cost) {
    let text = `Load time: ${ms}ms · Result series: ${series}`;
    let title = "";
    if (cost) {
      text += ` · Eval time: ${(cost.timings.evalTotalTime * 1000).toFixed(2)}ms`
        + ` · Samples: ${cost.samples.totalQueryableSamples}`
        + ` (peak ${cost.samples.peakSamples})`;
      title = [...Object.entries(cost.timings).map(([k, v]) => `${k}: ${v}s`),
        ...Object.entries(cost.samples).filter(([, v]) => typeof v === "number")
          .map(([k, v]) => `${k}: ${v}`)].join("\n");
    }
    stats.textContent = text;
    stats.title = title;
  }

  async function runTable() {
    const time = (state.moment ?? Date.now()) / 1000;
    const r = await api("query", { query: state.expr, time, stats: "true" });
    const table = renderTable(r.data);
    output.replaceChildren(...notices(r), table.element);
    return { series: table.series, cost: r.data.stats };
  }

  async function runGraph() {
    const end = (state.end ?? Date.now()) / 1000;
    const start = end - state.range / 1000;
    const step = state.step ?? defaultStepSeconds(state.range);
    const r = await api("query_range", { query: state.expr, start, end, step, stats: "true" });
    const chart = h("div.graph");
    output.replaceChildren(...notices(r), chart);
    if (r.data.resultType !== "matrix" || r.data.result.length === 0) {
      chart.replaceChildren(h("div.notice.info", "Empty query result"));
      return { series: 0, cost: r.data.stats };
    }
    disposeGraph = drawGraph(chart, r.data.result, { start, end, step,
      stacked: state.stacked });
    const redraw = () => { if (chart.isConnected && state.tab === "graph") run(); };
    window.addEventListener("themechange", redraw, { once: true });
    return { series: r.data.result.length, cost: r.data.stats };
  }

  showControls();
  return { element, run };
}
