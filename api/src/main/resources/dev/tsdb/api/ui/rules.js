// The rules page: rule groups with their last evaluation, duration, health and errors.
import { api } from "./api.js";
import { h, notices } from "./dom.js";

function ago(iso) {
  if (!iso || iso.startsWith("0001-")) return "never";
  const s = Math.round((Date.now() - Date.parse(iso)) / 1000);
  return `${s}s ago`;
}

function seconds(v) {
  return `${(v * 1000).toFixed(3)}ms`;
}

function ruleRow(rule) {
  const def = rule.type === "alerting"
    ? `alert: ${rule.name}\nexpr: ${rule.query}` + (rule.duration ? `\nfor: ${rule.duration}s` : "")
    : `record: ${rule.name}\nexpr: ${rule.query}`;
  const labels = Object.entries(rule.labels || {}).map(([k, v]) => `\n  ${k}: ${v}`).join("");
  return h("tr.rule",
    h("td", h("pre.rule-def", def + (labels ? "\nlabels:" + labels : ""))),
    h("td", h(`span.health.${rule.health}`, rule.health)),
    h("td", ago(rule.lastEvaluation)),
    h("td", seconds(rule.evaluationTime || 0)),
    h("td.error", rule.lastError || ""));
}

export async function renderRules(root) {
  const body = h("div");
  root.replaceChildren(h("h1", "Rules"), body);
  try {
    const r = await api("rules");
    body.replaceChildren(...notices(r),
      ...(r.data.groups.length ? [] : [h("div.notice.info", "No rules configured.")]),
      ...r.data.groups.map((g) => h("section.group",
        h("h2", g.name, " ", h("small", g.file)),
        h("div.group-meta", `interval ${g.interval}s · last evaluation ${ago(g.lastEvaluation)}`
          + ` · took ${seconds(g.evaluationTime || 0)}`),
        h("table.data",
          h("thead", h("tr", ["Rule", "Health", "Last evaluation", "Evaluation time", "Error"]
            .map((c) => h("th", c)))),
          h("tbody", g.rules.map(ruleRow))))));
  } catch (e) {
    body.replaceChildren(...notices({ error: e.message }));
  }
}
