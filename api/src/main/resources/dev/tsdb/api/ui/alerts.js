// The alerts page: alerting rules with their state and active alerts, filterable by state.
import { api } from "./api.js";
import { h, notices } from "./dom.js";

const STATES = ["inactive", "pending", "firing"];

function labelList(labels) {
  return h("span.labels", Object.entries(labels || {}).map(([k, v]) =>
    h("span.badge.label", `${k}=${v}`)));
}

function alertsTable(alerts) {
  return h("table.data",
    h("thead", h("tr", ["Labels", "State", "Active since", "Value"].map((c) => h("th", c)))),
    h("tbody", alerts.map((a) => h("tr",
      h("td", labelList(a.labels)),
      h("td", h(`span.state.${a.state}`, a.state.toUpperCase())),
      h("td", a.activeAt ? new Date(a.activeAt).toISOString() : ""),
      h("td", a.value)))));
}

function ruleBox(rule) {
  const annotations = Object.entries(rule.annotations || {});
  return h("details.rule.alert-rule", { "data-state": rule.state },
    h("summary",
      h(`span.state.${rule.state}`, rule.state.toUpperCase()), " ",
      h("strong.rule-name", rule.name), " ",
      h("span.count", `(${rule.alerts.length} active)`)),
    h("pre.rule-def", `alert: ${rule.name}\nexpr: ${rule.query}`
      + (rule.duration ? `\nfor: ${rule.duration}s` : "")
      + (rule.keepFiringFor ? `\nkeep_firing_for: ${rule.keepFiringFor}s` : "")),
    Object.keys(rule.labels || {}).length ? h("div", "Labels: ", labelList(rule.labels)) : null,
    annotations.length ? h("dl.annotations", annotations.map(([k, v]) =>
      [h("dt", k), h("dd", v)])) : null,
    rule.lastError ? h("div.notice.error", rule.lastError) : null,
    rule.alerts.length ? alertsTable(rule.alerts) : null);
}

export async function renderAlerts(root) {
  const shown = new Set(STATES);
  const list = h("div.rule-list");
  const filters = h("div.filters", "Show: ", STATES.map((s) => h("label",
    h("input", { type: "checkbox", checked: true, "data-state": s, onchange: (e) => {
      e.target.checked ? shown.add(s) : shown.delete(s);
      apply();
    } }), " ", h(`span.state.${s}`, s))));
  root.replaceChildren(h("h1", "Alerts"), filters, list);

  function apply() {
    for (const el of list.querySelectorAll(".alert-rule")) {
      el.hidden = !shown.has(el.dataset.state);
    }
  }

  try {
    const r = await api("rules", { type: "alert" });
    const groups = r.data.groups.filter((g) => g.rules.length);
    const counts = Object.fromEntries(STATES.map((s) => [s, 0]));
    groups.forEach((g) => g.rules.forEach((rule) => counts[rule.state]++));
    list.replaceChildren(...notices(r),
      h("div.summary", STATES.map((s) => h(`span.state.${s}`, `${s} (${counts[s]})`))),
      ...(groups.length ? [] : [h("div.notice.info", "No alerting rules configured.")]),
      ...groups.map((g) => h("section.group",
        h("h2", g.name, " ", h("small", g.file)),
        g.rules.map(ruleBox))));
    // Firing alerts open, so that what matters is visible without a click.
    list.querySelectorAll('.alert-rule[data-state="firing"]').forEach((d) => { d.open = true; });
    apply();
  } catch (e) {
    list.replaceChildren(...notices({ error: e.message }));
  }
}

