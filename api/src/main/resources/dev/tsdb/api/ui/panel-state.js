// A query panel's state and its URL form, with Prometheus's parameter names (g0.expr, ...), so
// that links from Prometheus and from Alertmanager's generatorURL open the same view.
import { formatDuration, formatTime, parseDuration, parseTime } from "./time.js";

export function defaultPanel(expr = "") {
  return { expr, tab: "table", range: 3600e3, end: null, moment: null, step: null,
    stacked: false };
}

/** The panels in a query string; one empty panel when it names none. */
export function panelsFromQuery(search) {
  const q = new URLSearchParams(search);
  const panels = [];
  for (let i = 0; q.has(`g${i}.expr`) || q.has(`g${i}.tab`); i++) {
    const get = (k) => q.get(`g${i}.${k}`);
    const p = defaultPanel(get("expr") || "");
    // Prometheus 2 wrote 0 for the graph and 1 for the table; Prometheus 3 writes names.
    const tab = get("tab");
    p.tab = tab === "0" || tab === "graph" ? "graph" : tab === "explain" ? "explain" : "table";
    p.range = parseDuration(get("range_input")) ?? p.range;
    p.end = parseTime(get("end_input"));
    p.moment = parseTime(get("moment_input"));
    const step = Number(get("step_input"));
    p.step = step > 0 ? step : null;
    p.stacked = get("stacked") === "1" || get("display_mode") === "stacked";
    panels.push(p);
  }
  return panels.length ? panels : [defaultPanel()];
}

/** The query string for the panels (the inverse of panelsFromQuery). */
export function panelsToQuery(panels) {
  const q = new URLSearchParams();
  panels.forEach((p, i) => {
    const set = (k, v) => q.set(`g${i}.${k}`, v);
    set("expr", p.expr);
    set("tab", p.tab);
    set("display_mode", p.stacked ? "stacked" : "lines");
    set("stacked", p.stacked ? "1" : "0");
    set("range_input", formatDuration(p.range));
    if (p.end != null) set("end_input", formatTime(p.end));
    if (p.moment != null) set("moment_input", formatTime(p.moment));
    if (p.step != null) set("step_input", String(p.step));
  });
  return q.toString();
}
