// The query page: panels, each with an expression, a table view (instant query at a chosen
// time) and a graph view (range query), their state kept in the URL.
import { api, ApiError } from "./api.js";
import { h, notices } from "./dom.js";
import { createEditor } from "./editor.js";
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
  const tabs = ["table", "graph"].map((t) => h("button.tab", { type: "button",
    "data-tab": t, onclick: () => { state.tab = t; changed(); showControls(); run(); } },
  t === "table" ? "Table" : "Graph"));

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

  function showControls() {
    tabs.forEach((t) => t.classList.toggle("active", t.dataset.tab === state.tab));
    if (state.tab === "table") {
      controls.replaceChildren(h("label", "Evaluation time ",
        input(state.moment == null ? "" : formatTime(state.moment), "now (UTC)",
          (v) => { state.moment = parseTime(v); }, "moment-input")));
    } else {
      controls.replaceChildren(
        h("label", "Range ", input(formatDuration(state.range), "1h",
          (v) => { state.range = parseDuration(v) || state.range; }, "range-input")),
        h("label", "End ", input(state.end == null ? "" : formatTime(state.end), "now (UTC)",
          (v) => { state.end = parseTime(v); }, "end-input")),
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
      const shown = state.tab === "table" ? await runTable() : await runGraph();
      stats.textContent = `Load time: ${Math.round(performance.now() - began)}ms · `
        + `Result series: ${shown}`;
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      output.replaceChildren(...notices({ error: e.message, warnings: e.warnings }));
      stats.replaceChildren();
    }
  }

  async function runTable() {
    const time = (state.moment ?? Date.now()) / 1000;
    const r = await api("query", { query: state.expr, time });
    const table = renderTable(r.data);
    output.replaceChildren(...notices(r), table.element);
    return table.series;
  }

  async function runGraph() {
    const end = (state.end ?? Date.now()) / 1000;
    const start = end - state.range / 1000;
    const step = state.step ?? defaultStepSeconds(state.range);
    const r = await api("query_range", { query: state.expr, start, end, step });
    const chart = h("div.graph");
    output.replaceChildren(...notices(r), chart);
    if (r.data.resultType !== "matrix" || r.data.result.length === 0) {
      chart.replaceChildren(h("div.notice.info", "Empty query result"));
      return 0;
    }
    disposeGraph = drawGraph(chart, r.data.result, { start, end, step,
      stacked: state.stacked });
    const redraw = () => { if (chart.isConnected && state.tab === "graph") run(); };
    window.addEventListener("themechange", redraw, { once: true });
    return r.data.result.length;
  }

  showControls();
  return { element, run };
}
