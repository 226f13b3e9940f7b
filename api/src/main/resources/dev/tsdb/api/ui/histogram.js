// A native histogram sample drawn as a bucket chart: one bar per bucket, on a linear or an
// exponential x axis. Buckets come as Prometheus's JSON: [boundaries, lower, upper, count],
// boundaries 0: (a,b], 1: [a,b), 2: (a,b), 3: [a,b].
import { h } from "./dom.js";

export function bucketRange([boundaries, lo, hi]) {
  const open = boundaries === 0 || boundaries === 2 ? "(" : "[";
  const close = boundaries === 0 || boundaries === 3 ? "]" : ")";
  return `${open}${lo}, ${hi}${close}`;
}

/**
 * A linear axis gives a bar the bucket's real width, so its height is the count per unit
 * (its area is the count). On the exponential axis every bucket of an exponential schema is
 * equally wide, so the height is the count itself.
 */
function linearBars(buckets) {
  const min = Number(buckets[0][1]);
  const max = Number(buckets[buckets.length - 1][2]);
  const span = max - min || 1;
  const density = buckets.map(([, lo, hi, c]) => (Number(hi) > Number(lo)
    ? Number(c) / (Number(hi) - Number(lo)) : 0));
  const top = Math.max(...density) || 1;
  return buckets.map(([, lo, hi], i) => ({ left: (Number(lo) - min) / span,
    width: (Number(hi) - Number(lo)) / span, height: density[i] / top }));
}

/**
 * Positions on a symmetric log axis: |v| at or above the smallest non-zero boundary of the
 * buckets on one side of zero on a log scale (negative values mirrored); the zero bucket, which
 * spans zero, gets one bucket's width in the middle, next to its neighbours.
 */
function exponentialBars(buckets) {
  const oneSided = buckets.filter(([, lo, hi]) => Number(lo) * Number(hi) >= 0);
  const bounds = (oneSided.length ? oneSided : buckets)
    .flatMap(([, lo, hi]) => [Math.abs(Number(lo)), Math.abs(Number(hi))])
    .filter((v) => v > 0 && Number.isFinite(v));
  const smallest = Math.min(...bounds);
  const widths = buckets.map(([, lo, hi]) => Math.abs(Math.log(Math.abs(Number(hi)))
    - Math.log(Math.abs(Number(lo))))).filter((w) => Number.isFinite(w) && w > 0);
  const unit = widths.length ? Math.min(...widths) : 1;
  const x = (v) => {
    if (Math.abs(v) < smallest) return (v / smallest) * (unit / 2);
    return Math.sign(v) * (Math.log(Math.abs(v) / smallest) + unit / 2);
  };
  const ends = buckets.map(([, lo, hi]) => (Number(lo) < 0 && Number(hi) > 0
    ? [-unit / 2, unit / 2] : [x(Number(lo)), x(Number(hi))]));
  const min = ends[0][0];
  const max = ends[ends.length - 1][1];
  const span = max - min || 1;
  const top = Math.max(...buckets.map((b) => Number(b[3]))) || 1;
  return buckets.map(([, , , c], i) => ({ left: (ends[i][0] - min) / span,
    width: (ends[i][1] - ends[i][0]) / span, height: Number(c) / top }));
}

function chart(buckets, scale) {
  const bars = (scale === "linear" ? linearBars : exponentialBars)(buckets);
  const pct = (f) => `${(f * 100).toFixed(3)}%`;
  return h("div.hist-chart", { "data-scale": scale },
    bars.map((b, i) => h("div.hist-bar", {
      style: `left:${pct(b.left)};width:max(1px, ${pct(b.width)});height:${pct(b.height)}`,
      title: `${bucketRange(buckets[i])}: ${buckets[i][3]}`,
    })),
    h("span.hist-axis.lo", buckets[0][1]),
    h("span.hist-axis.hi", buckets[buckets.length - 1][2]));
}

let charts = 0;

/** Count and sum, the bucket chart with its scale switch, and the buckets as a list. */
export function histogramView(hist) {
  const buckets = hist.buckets || [];
  const summary = h("div.hist-summary", h("strong", "count: "), hist.count, "  ",
    h("strong", "sum: "), hist.sum);
  if (!buckets.length) return h("div.histogram", summary);
  const holder = h("div.hist-holder", chart(buckets, "exponential"));
  const group = `scale-${++charts}`; // one radio group per chart on the page
  const scales = ["exponential", "linear"].map((s) => h("label",
    h("input", { type: "radio", name: group, value: s,
      checked: s === "exponential",
      onchange: () => holder.replaceChildren(chart(buckets, s)) }), ` ${s}`));
  return h("div.histogram", summary, h("div.hist-scale", "x axis: ", scales), holder,
    h("details", h("summary", `${buckets.length} buckets`),
      h("ul.buckets", buckets.map((b) => h("li", `${bucketRange(b)}: ${b[3]}`)))));
}
