// The expression editor: a textarea over its highlighted copy, with autocompletion of
// functions, keywords, metric names, label names and label values (the latter from the API).
import { api } from "./api.js";
import { h } from "./dom.js";
import { AGGREGATIONS, FUNCTIONS, KEYWORDS, highlight } from "./promql.js";

const MAX_ITEMS = 50;
let metricNames; // one fetch per page, shared by the panels

function fetchMetricNames() {
  metricNames ??= api("label/__name__/values").then((r) => r.data, () => []);
  return metricNames;
}

/** What is being typed at the cursor and which completions fit it. */
async function completionsAt(text, cursor) {
  const before = text.slice(0, cursor);
  const value = /([a-zA-Z_][\w]*)\s*(?:=~|!~|!=|=)\s*"((?:[^"\\]|\\.)*)$/.exec(before);
  const braces = /([a-zA-Z_:][\w:]*)?\{([^{}]*)$/.exec(before);
  const metricMatch = (name) => (name ? { "match[]": `{__name__=${JSON.stringify(name)}}` } : {});
  if (value && braces) {
    const r = await api(`label/${encodeURIComponent(value[1])}/values`, metricMatch(braces[1]))
      .catch(() => ({ data: [] }));
    return { prefix: value[2], items: r.data.map((v) => ({ text: v, kind: "label value" })),
      suffix: "\"" };
  }
  const word = /[\w:]*$/.exec(before)[0];
  if (braces || /\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*$/.test(before)) {
    const r = await api("labels", braces ? metricMatch(braces[1]) : {})
      .catch(() => ({ data: [] }));
    return { prefix: word, items: r.data.filter((n) => n !== "__name__")
      .map((n) => ({ text: n, kind: "label name" })) };
  }
  if (!word || /^\d/.test(word) || /\[[^\]]*$/.test(before)) return { prefix: word, items: [] };
  const items = [
    ...Object.entries(FUNCTIONS).map(([f, [args, help]]) =>
      ({ text: f, kind: `function(${args})`, help, call: true })),
    ...AGGREGATIONS.map((a) => ({ text: a, kind: "aggregation", call: true })),
    ...KEYWORDS.map((k) => ({ text: k, kind: "keyword" })),
    ...(await fetchMetricNames()).map((m) => ({ text: m, kind: "metric" })),
  ];
  return { prefix: word, items };
}

/** Items starting with the prefix first, then those containing it. */
function rank(items, prefix) {
  const p = prefix.toLowerCase();
  const starts = items.filter((i) => i.text.toLowerCase().startsWith(p) && i.text !== prefix);
  const contains = items.filter((i) => !i.text.toLowerCase().startsWith(p)
    && i.text.toLowerCase().includes(p));
  return [...starts, ...contains].slice(0, MAX_ITEMS);
}

/**
 * Builds the editor. onChange(expr) follows every edit; onExecute() is called on Enter
 * (Shift+Enter starts a new line).
 */
export function createEditor(initial, { onChange, onExecute }) {
  const input = h("textarea.expr-input", { spellcheck: "false", rows: 1, autocomplete: "off",
    "aria-label": "Expression (press Shift+Enter for newlines)",
    placeholder: "Expression (press Shift+Enter for newlines)" });
  const shadow = h("pre.expr-highlight", { "aria-hidden": "true" });
  const list = h("ul.completions", { role: "listbox", hidden: true });
  const root = h("div.editor", shadow, input, list);
  let state = { items: [], selected: 0, prefix: "", suffix: "" };
  let requestId = 0;

  function render() {
    shadow.replaceChildren(highlight(input.value), "\n");
    input.rows = Math.max(1, input.value.split("\n").length);
  }

  function close() {
    list.hidden = true;
    state.items = [];
  }

  function showList() {
    list.replaceChildren(...state.items.map((item, i) => h(
      "li" + (i === state.selected ? ".selected" : ""),
      { role: "option", onmousedown: (e) => { e.preventDefault(); accept(i); } },
      h("span.completion-text", item.text), h("span.completion-kind", item.kind),
      item.help ? h("span.completion-help", item.help) : null)));
    list.hidden = state.items.length === 0;
    list.children[state.selected]?.scrollIntoView({ block: "nearest" });
  }

  async function complete() {
    const id = ++requestId;
    const { prefix, items, suffix = "" } = await completionsAt(input.value, input.selectionStart);
    if (id !== requestId) return; // a later keystroke has asked again
    state = { items: rank(items, prefix), selected: 0, prefix, suffix };
    showList();
  }

  function accept(i) {
    const item = state.items[i];
    const cursor = input.selectionStart;
    const start = cursor - state.prefix.length;
    let insert = item.text;
    let after = input.value.slice(cursor);
    if (state.suffix && !after.startsWith(state.suffix)) insert += state.suffix;
    if (item.call && !after.startsWith("(")) insert += "()";
    input.value = input.value.slice(0, start) + insert + after;
    // Inside the parentheses of a function, else after the inserted text.
    const pos = start + insert.length - (item.call && insert.endsWith("()") ? 1 : 0);
    input.setSelectionRange(pos, pos);
    close();
    render();
    onChange(input.value);
    input.focus();
  }

  input.addEventListener("input", () => {
    render();
    onChange(input.value);
    complete();
  });
  input.addEventListener("scroll", () => { shadow.scrollTop = input.scrollTop; });
  input.addEventListener("blur", () => setTimeout(close, 150));
  input.addEventListener("keydown", (e) => {
    const open = !list.hidden && state.items.length > 0;
    if (open && (e.key === "ArrowDown" || e.key === "ArrowUp")) {
      const n = state.items.length;
      state.selected = (state.selected + (e.key === "ArrowDown" ? 1 : n - 1)) % n;
      showList();
      e.preventDefault();
    } else if (open && (e.key === "Tab" || e.key === "Enter")) {
      accept(state.selected);
      e.preventDefault();
    } else if (e.key === "Escape") {
      close();
    } else if (e.key === " " && e.ctrlKey) {
      complete();
      e.preventDefault();
    } else if (e.key === "Enter" && !e.shiftKey) {
      close();
      e.preventDefault();
      onExecute();
    }
  });

  input.value = initial;
  render();
  return {
    element: root,
    get value() { return input.value; },
    set value(v) { input.value = v; render(); },
  };
}
