// The explain view: the expression's syntax tree (from /api/v1/parse_query, the JSON AST that
// Prometheus 3 also serves) with a sentence per node saying what it does; selectors also say
// how many series they match now (/api/v1/series over the last lookback window).
import { api } from "./api.js";
import { h } from "./dom.js";
import { FUNCTIONS } from "./promql.js";
import { formatDuration } from "./time.js";

const LOOKBACK_MS = 5 * 60e3;
const MATCHER_WORDS = { "=": "is exactly", "!=": "is not", "=~": "matches the regex",
  "!~": "does not match the regex" };
const SET_OPS = { and: "keeps the left-hand series that have a match on the right",
  or: "keeps all left-hand series and adds the right-hand series without a match on the left",
  unless: "keeps the left-hand series that have no match on the right" };
const AGG_WORDS = { sum: "sums", avg: "averages", min: "takes the minimum of",
  max: "takes the maximum of", count: "counts", group: "groups (value 1)",
  stddev: "takes the standard deviation of", stdvar: "takes the variance of",
  topk: "keeps the largest k of", bottomk: "keeps the smallest k of",
  limitk: "keeps some k of", limit_ratio: "keeps a ratio of",
  quantile: "takes the φ-quantile of", count_values: "counts the values of" };

function quote(s) {
  return JSON.stringify(s);
}

/** The selector as PromQL text with every matcher (usable as match[] for /api/v1/series). */
export function selectorText(node) {
  const sel = node.type === "matrixSelector" && node.matchers === undefined ? node.expr : node;
  const ms = sel.matchers.filter((m) => !(m.name === "__name__" && m.type === "="
    && m.value === sel.name));
  const inner = ms.map((m) => `${m.name}${m.type}${quote(m.value)}`).join(", ");
  return sel.name ? (inner ? `${sel.name}{${inner}}` : sel.name) : `{${inner}}`;
}

function modifiers(node) {
  const parts = [];
  if (node.range) parts.push(`[${formatDuration(node.range)}]`);
  if (node.offset) parts.push(` offset ${node.offset < 0 ? "-" : ""}`
    + formatDuration(Math.abs(node.offset)));
  if (node.startOrEnd) parts.push(` @ ${node.startOrEnd}()`);
  else if (node.timestamp != null) parts.push(` @ ${node.timestamp / 1000}`);
  return parts.join("");
}

function matching(node) {
  const m = node.matching;
  if (!m || (!m.on && !m.labels.length && m.card === "one-to-one")) return "";
  let s = ` ${m.on ? "on" : "ignoring"}(${m.labels.join(", ")})`;
  if (m.card === "many-to-one") s += ` group_left(${m.include.join(", ")})`;
  if (m.card === "one-to-many") s += ` group_right(${m.include.join(", ")})`;
  return s;
}

/** A short PromQL heading for the node (its operator, not its operands). */
function heading(node) {
  switch (node.type) {
    case "aggregation": {
      const grouping = node.grouping.length || node.without
        ? ` ${node.without ? "without" : "by"} (${node.grouping.join(", ")})` : "";
      return `${node.op}${grouping}(${node.param ? "…, " : ""}…)`;
    }
    case "binaryExpr":
      return `… ${node.op}${node.bool ? " bool" : ""}${matching(node)} …`;
    case "call": return `${node.func.name}(…)`;
    case "matrixSelector":
    case "vectorSelector": return selectorText(node) + modifiers(node);
    case "subquery": return `…[${formatDuration(node.range)}:${node.step
      ? formatDuration(node.step) : ""}]${modifiers({ ...node, range: 0 })}`;
    case "numberLiteral": return node.val;
    case "stringLiteral": return quote(node.val);
    case "parenExpr": return "( … )";
    case "unaryExpr": return `${node.op}…`;
    default: return node.type;
  }
}

function resultKind(node) {
  if (node.type === "numberLiteral") return "scalar";
  if (node.type === "stringLiteral") return "string";
  if (node.type === "call") return node.func.returnType;
  if (node.type === "parenExpr" || node.type === "unaryExpr") return resultKind(node.expr);
  if (node.type === "binaryExpr") {
    return resultKind(node.lhs) === "scalar" && resultKind(node.rhs) === "scalar"
      ? "scalar" : "vector";
  }
  return node.type === "matrixSelector" || node.type === "subquery" ? "matrix" : "vector";
}

/** What the node does, in a sentence or two. */
function explanation(node) {
  switch (node.type) {
    case "aggregation": {
      const what = AGG_WORDS[node.op] || node.op;
      const groups = node.without
        ? `for each group of series that agree on all labels except ${node.grouping.join(", ")}`
        : node.grouping.length ? `per distinct value of ${node.grouping.join(", ")}`
          : "into a single series";
      return `Aggregation: ${what} the input series ${groups}.`;
    }
    case "binaryExpr": {
      if (SET_OPS[node.op]) {
        const on = node.matching && node.matching.on
          ? ` (matching on ${node.matching.labels.join(", ") || "no labels"})`
          : node.matching && node.matching.labels.length
            ? ` (matching ignoring ${node.matching.labels.join(", ")})` : " (matching on all labels)";
        return `Set operation "${node.op}": ${SET_OPS[node.op]}${on}.`;
      }
      const l = resultKind(node.lhs);
      const r = resultKind(node.rhs);
      const cmp = ["==", "!=", ">", "<", ">=", "<="].includes(node.op);
      const effect = cmp ? (node.bool ? "returns 1 where the comparison holds, 0 where not"
        : "keeps only the samples where the comparison holds") : "computes the result";
      if (l === "scalar" && r === "scalar") return `Scalar operation "${node.op}" on two numbers.`;
      if (l === "scalar" || r === "scalar") {
        return `Vector-scalar operation "${node.op}": ${effect} for every sample against `
          + "the number.";
      }
      const m = node.matching || { card: "one-to-one", labels: [], on: false };
      const on = m.on ? `the labels ${m.labels.join(", ") || "(none)"}`
        : m.labels.length ? `all labels except ${m.labels.join(", ")}` : "all labels";
      const card = m.card === "one-to-one" ? "one-to-one"
        : `${m.card}: each series on the ${m.card === "many-to-one" ? "right" : "left"} side may`
          + " match several on the other"
          + (m.include.length ? `, whose results take ${m.include.join(", ")} from it` : "");
      return `Vector-vector operation "${node.op}": series from both sides are matched on `
        + `${on} (${card}); for each match it ${effect}.`;
    }
    case "call": {
      const f = FUNCTIONS[node.func.name];
      return `Function ${node.func.name}(${f ? f[0] : ""}): ${f ? f[1] : "see the documentation"}.`;
    }
    case "vectorSelector":
    case "matrixSelector": {
      const sel = node.matchers === undefined ? node.expr : node;
      const ms = sel.matchers.map((m) => (m.name === "__name__" && m.type === "="
        ? `the metric name is ${quote(m.value)}`
        : `label ${m.name} ${MATCHER_WORDS[m.type]} ${quote(m.value)}`));
      const window = node.type === "matrixSelector"
        ? `all samples within the last ${formatDuration(node.range)}`
        : "the latest sample (within the lookback delta) at each evaluation time";
      return `Selector: ${window} of the series where ${ms.join(" and ")}`
        + (node.offset ? `, shifted ${formatDuration(Math.abs(node.offset))} into the `
          + `${node.offset > 0 ? "past" : "future"}` : "") + ".";
    }
    case "subquery":
      return `Subquery: evaluates the inner expression every ${node.step
        ? formatDuration(node.step) : "global evaluation interval"} over the last `
        + `${formatDuration(node.range)}, giving a range vector.`;
    case "numberLiteral": return "A number.";
    case "stringLiteral": return "A string.";
    case "parenExpr": return "Parentheses: groups the inner expression.";
    case "unaryExpr": return node.op === "-" ? "Negates every value." : "Leaves values as they are.";
    default: return "";
  }
}

function children(node) {
  switch (node.type) {
    case "aggregation": return [node.param, node.expr].filter(Boolean);
    case "binaryExpr": return [node.lhs, node.rhs];
    case "call": return node.args;
    case "parenExpr": case "unaryExpr": case "subquery": return [node.expr];
    default: return [];
  }
}

/** Fills in how many series a selector matches now (asynchronously, once rendered). */
function seriesCount(node, into) {
  const end = Date.now() / 1000;
  api("series", { "match[]": selectorText(node), start: end - LOOKBACK_MS / 1000, end })
    .then((r) => { into.textContent = `${r.data.length} series match now`; })
    .catch((e) => { into.textContent = `series count unavailable: ${e.message}`; });
}

function nodeElement(node) {
  const extra = node.type === "vectorSelector" || node.type === "matrixSelector"
    ? h("span.explain-series", "counting series…") : null;
  if (extra) seriesCount(node, extra);
  return h("li.explain-node", { "data-type": node.type },
    h("code.explain-code", heading(node)),
    h("span.explain-text", explanation(node)), extra,
    children(node).length ? h("ul", children(node).map(nodeElement)) : null);
}

/** The explain view of an expression; resolves to its element (or throws ApiError). */
export async function renderExplain(expr) {
  const r = await api("parse_query", { query: expr });
  return h("div.explain", h("ul.explain-tree", nodeElement(r.data)));
}
