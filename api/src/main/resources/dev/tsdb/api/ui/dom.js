// Tiny DOM helpers: h("div.cls", {attr}, ...children).

export function h(tag, attrs, ...children) {
  const [name, ...classes] = tag.split(".");
  const el = document.createElement(name || "div");
  if (classes.length) el.className = classes.join(" ");
  if (attrs && (typeof attrs !== "object" || attrs instanceof Node || Array.isArray(attrs))) {
    children.unshift(attrs);
    attrs = null;
  }
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else if (v === true) el.setAttribute(k, "");
    else if (v !== false && v != null) el.setAttribute(k, v);
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c == null || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.append(c instanceof Node ? c : String(c));
  }
}

/** The labels of a series as {a="b", ...}, with the metric name in front. */
export function formatSeries(metric) {
  const name = metric.__name__ || "";
  const labels = Object.entries(metric).filter(([k]) => k !== "__name__")
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`);
  return labels.length || !name ? `${name}{${labels.join(", ")}}` : name;
}

/** The same, as elements: name, then each label name and value styled. */
export function seriesElement(metric) {
  const parts = [h("span.metric-name", metric.__name__ || "")];
  const labels = Object.entries(metric).filter(([k]) => k !== "__name__");
  if (labels.length || !metric.__name__) {
    parts.push("{");
    labels.forEach(([k, v], i) => {
      if (i) parts.push(", ");
      parts.push(h("span.label-name", k), "=", h("span.label-value", JSON.stringify(v)));
    });
    parts.push("}");
  }
  return h("span.series", parts);
}

/** Warnings, infos and an error as alert boxes. */
export function notices({ warnings = [], infos = [], error = null }) {
  return [
    error ? h("div.notice.error", { role: "alert" }, h("strong", "Error: "), error) : null,
    ...warnings.map((w) => h("div.notice.warning", h("strong", "Warning: "), w)),
    ...infos.map((i) => h("div.notice.info", h("strong", "Info: "), i)),
  ].filter(Boolean); // spread into replaceChildren, where null would become text
}
