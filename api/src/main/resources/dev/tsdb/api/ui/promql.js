// PromQL vocabulary and a small tokenizer for highlighting and completion context.

/** Functions with their argument types and a one-line explanation (shown in completion). */
export const FUNCTIONS = {
  abs: ["instant-vector", "absolute value of each sample"],
  absent: ["instant-vector", "1-element vector if the input has no series"],
  absent_over_time: ["range-vector", "1-element vector if the range has no samples"],
  acos: ["instant-vector", "arccosine"], acosh: ["instant-vector", "inverse hyperbolic cosine"],
  asin: ["instant-vector", "arcsine"], asinh: ["instant-vector", "inverse hyperbolic sine"],
  atan: ["instant-vector", "arctangent"], atanh: ["instant-vector", "inverse hyperbolic tangent"],
  avg_over_time: ["range-vector", "average of the samples in the range"],
  ceil: ["instant-vector", "rounds up to the nearest integer"],
  changes: ["range-vector", "number of value changes in the range"],
  clamp: ["instant-vector, min, max", "limits values to [min, max]"],
  clamp_max: ["instant-vector, max", "limits values to at most max"],
  clamp_min: ["instant-vector, min", "limits values to at least min"],
  cos: ["instant-vector", "cosine"], cosh: ["instant-vector", "hyperbolic cosine"],
  count_over_time: ["range-vector", "number of samples in the range"],
  day_of_month: ["[instant-vector]", "day of the month (UTC)"],
  day_of_week: ["[instant-vector]", "day of the week (UTC, 0 = Sunday)"],
  day_of_year: ["[instant-vector]", "day of the year (UTC)"],
  days_in_month: ["[instant-vector]", "days in the month (UTC)"],
  deg: ["instant-vector", "radians to degrees"],
  delta: ["range-vector", "difference between first and last value (gauges)"],
  deriv: ["range-vector", "per-second derivative by linear regression"],
  double_exponential_smoothing: ["range-vector, sf, tf", "smoothed value (experimental)"],
  exp: ["instant-vector", "e to the power of each value"],
  floor: ["instant-vector", "rounds down to the nearest integer"],
  histogram_avg: ["instant-vector", "average of native histogram observations"],
  histogram_count: ["instant-vector", "count of native histogram observations"],
  histogram_fraction: ["lower, upper, instant-vector", "fraction of observations in [lower, upper]"],
  histogram_quantile: ["φ, instant-vector", "φ-quantile from buckets"],
  histogram_stddev: ["instant-vector", "estimated standard deviation of observations"],
  histogram_stdvar: ["instant-vector", "estimated variance of observations"],
  histogram_sum: ["instant-vector", "sum of native histogram observations"],
  hour: ["[instant-vector]", "hour of the day (UTC)"],
  idelta: ["range-vector", "difference of the last two samples"],
  increase: ["range-vector", "increase of a counter over the range"],
  info: ["instant-vector, [selector]", "adds info metric labels (experimental)"],
  irate: ["range-vector", "per-second rate of the last two samples"],
  label_join: ["instant-vector, dst, separator, src...", "joins label values into a new label"],
  label_replace: ["instant-vector, dst, replacement, src, regex", "regex-replaces a label"],
  last_over_time: ["range-vector", "most recent sample in the range"],
  ln: ["instant-vector", "natural logarithm"], log10: ["instant-vector", "decimal logarithm"],
  log2: ["instant-vector", "binary logarithm"],
  mad_over_time: ["range-vector", "median absolute deviation in the range"],
  max_over_time: ["range-vector", "maximum in the range"],
  min_over_time: ["range-vector", "minimum in the range"],
  minute: ["[instant-vector]", "minute of the hour (UTC)"],
  month: ["[instant-vector]", "month of the year (UTC)"],
  pi: ["", "π"],
  predict_linear: ["range-vector, t", "value in t seconds by linear regression"],
  present_over_time: ["range-vector", "1 for series with samples in the range"],
  quantile_over_time: ["φ, range-vector", "φ-quantile of the samples in the range"],
  rad: ["instant-vector", "degrees to radians"],
  rate: ["range-vector", "per-second average rate of a counter"],
  resets: ["range-vector", "number of counter resets in the range"],
  round: ["instant-vector, [to_nearest]", "rounds to the nearest integer (or multiple)"],
  scalar: ["instant-vector", "the single sample's value as a scalar, else NaN"],
  sgn: ["instant-vector", "sign of each value"],
  sin: ["instant-vector", "sine"], sinh: ["instant-vector", "hyperbolic sine"],
  sort: ["instant-vector", "sorts by value, ascending"],
  sort_by_label: ["instant-vector, label...", "sorts by label values (experimental)"],
  sort_by_label_desc: ["instant-vector, label...", "sorts by label values, descending"],
  sort_desc: ["instant-vector", "sorts by value, descending"],
  sqrt: ["instant-vector", "square root"],
  stddev_over_time: ["range-vector", "standard deviation in the range"],
  stdvar_over_time: ["range-vector", "variance in the range"],
  sum_over_time: ["range-vector", "sum of the samples in the range"],
  tan: ["instant-vector", "tangent"], tanh: ["instant-vector", "hyperbolic tangent"],
  time: ["", "evaluation time in seconds since the epoch"],
  timestamp: ["instant-vector", "timestamp of each sample"],
  vector: ["scalar", "the scalar as a vector without labels"],
  year: ["[instant-vector]", "year (UTC)"],
};

export const AGGREGATIONS = ["avg", "bottomk", "count", "count_values", "group", "limitk",
  "limit_ratio", "max", "min", "quantile", "stddev", "stdvar", "sum", "topk"];

export const KEYWORDS = ["and", "or", "unless", "atan2", "by", "without", "on", "ignoring",
  "group_left", "group_right", "offset", "bool", "start", "end"];

const TOKEN = new RegExp([
  /(?<comment>#[^\n]*)/,
  /(?<string>"(?:[^"\\\n]|\\.)*"?|'(?:[^'\\\n]|\\.)*'?|`[^`]*`?)/,
  /(?<duration>\d+(?:ms|[smhdwy])(?:\d+(?:ms|[smhdwy]))*)\b/,
  /(?<number>0x[0-9a-fA-F]+|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|\b(?:Inf|NaN|inf|nan)\b)/,
  /(?<ident>[a-zA-Z_:][a-zA-Z0-9_:]*)/,
  /(?<op>=~|!~|!=|==|<=|>=|[-+*/%^<>=@])/,
  /(?<paren>[(){}[\],])/,
  /(?<space>\s+)/,
].map((r) => r.source).join("|"), "g");

/**
 * Splits an expression into tokens {type, text, start}. Identifiers are classed by context:
 * inside braces or after by/without/on/ignoring(...) they are label names, before "(" functions
 * or aggregations, else keywords or metric names.
 */
export function tokenize(expr) {
  const out = [];
  let braces = 0;
  let labelList = false;
  let last = null;
  for (const m of expr.matchAll(TOKEN)) {
    if (m.index > (last ? last.start + last.text.length : 0)) {
      const start = last ? last.start + last.text.length : 0;
      out.push({ type: "error", text: expr.slice(start, m.index), start });
    }
    const g = m.groups;
    let type = Object.keys(g).find((k) => g[k] !== undefined);
    const text = m[0];
    if (type === "ident") type = classify(text, expr, m.index + text.length, braces, labelList);
    if (text === "{") braces++;
    if (text === "}") braces = Math.max(0, braces - 1);
    if (type === "keyword" && ["by", "without", "on", "ignoring", "group_left", "group_right"]
      .includes(text)) labelList = true;
    else if (text === ")") labelList = false;
    last = { type, text, start: m.index };
    out.push(last);
  }
  const end = last ? last.start + last.text.length : 0;
  if (end < expr.length) out.push({ type: "error", text: expr.slice(end), start: end });
  return out;
}

function classify(word, expr, after, braces, labelList) {
  if (braces > 0 || labelList) return "label";
  const next = expr.slice(after).match(/^\s*(\(?)/)[1];
  if (AGGREGATIONS.includes(word)) return "aggregation";
  if (next && FUNCTIONS[word]) return "function";
  if (KEYWORDS.includes(word)) return "keyword";
  return "metric";
}

/** The expression as highlighted elements (one span per token). */
export function highlight(expr) {
  const frag = document.createDocumentFragment();
  for (const t of tokenize(expr)) {
    if (t.type === "space") {
      frag.append(t.text);
    } else {
      const span = document.createElement("span");
      span.className = "tok-" + t.type;
      span.textContent = t.text;
      frag.append(span);
    }
  }
  return frag;
}
