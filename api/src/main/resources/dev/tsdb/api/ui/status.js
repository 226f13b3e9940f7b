// The status pages: TSDB cardinality, configuration, flags, server status and targets.
import { api } from "./api.js";
import { h, notices } from "./dom.js";

/** Renders a page whose body comes from one or more API calls; errors are shown in place. */
async function page(root, title, load) {
  const body = h("div");
  root.replaceChildren(h("h1", title), body);
  try {
    body.replaceChildren(...await load());
  } catch (e) {
    body.replaceChildren(...notices({ error: e.message }));
  }
}

function keyValueTable(rows, cls = "") {
  return h("table.data" + cls, h("tbody", rows.map(([k, v]) =>
    h("tr", h("th", k), h("td", v ?? "")))));
}

function countTable(title, columns, entries) {
  return h("section",
    h("h2", title),
    h("table.data.cardinality",
      h("thead", h("tr", columns.map((c) => h("th", c)))),
      h("tbody", entries.map((e) => h("tr", h("td", e.name), h("td.num", e.value))))));
}

export function renderTsdbStatus(root) {
  return page(root, "TSDB status", async () => {
    const r = await api("status/tsdb");
    const d = r.data;
    const time = (ms) => (ms && Math.abs(ms) < 8.64e15 ? new Date(ms).toISOString() : "none");
    return [
      ...notices(r),
      h("section", h("h2", "Head stats"), keyValueTable([
        ["Number of series", d.headStats.numSeries],
        ["Number of chunks", d.headStats.chunkCount],
        ["Number of label pairs", d.headStats.numLabelPairs],
        ["Current min time", time(d.headStats.minTime)],
        ["Current max time", time(d.headStats.maxTime)],
      ], ".head-stats")),
      countTable("Top 10 series count by metric names", ["Name", "Count"],
        d.seriesCountByMetricName || []),
      countTable("Top 10 label names with value count", ["Name", "Count"],
        d.labelValueCountByLabelName || []),
      countTable("Top 10 label names with high memory usage", ["Name", "Bytes"],
        d.memoryInBytesByLabelName || []),
      countTable("Top 10 series count by label value pairs", ["Name", "Count"],
        d.seriesCountByLabelValuePair || []),
    ];
  });
}

export function renderConfig(root) {
  return page(root, "Configuration", async () => {
    const r = await api("status/config");
    return [h("pre.config", r.data.yaml)];
  });
}

export function renderFlags(root) {
  return page(root, "Command-line flags", async () => {
    const r = await api("status/flags");
    const rows = Object.entries(r.data).sort(([a], [b]) => a.localeCompare(b));
    const table = keyValueTable(rows.map(([k, v]) => ["--" + k, v]), ".flags");
    const filter = h("input.filter", { placeholder: "Filter by flag name or value",
      oninput: (e) => {
        const f = e.target.value.toLowerCase();
        for (const tr of table.querySelectorAll("tr")) {
          tr.hidden = !tr.textContent.toLowerCase().includes(f);
        }
      } });
    return [filter, table];
  });
}

export function renderStatus(root) {
  return page(root, "Status", async () => {
    const [build, runtime, wal] = await Promise.all([api("status/buildinfo"),
      api("status/runtimeinfo"), api("status/walreplay")]);
    const b = build.data;
    const rt = runtime.data;
    return [
      h("h2", "Build information"),
      keyValueTable([["Version", b.version], ["Revision", b.revision], ["Branch", b.branch],
        ["Build user", b.buildUser], ["Build date", b.buildDate], ["Runtime", b.goVersion]]),
      h("h2", "Runtime information"),
      keyValueTable([["Start time", rt.startTime], ["Working directory", rt.CWD],
        ["Configuration reload", rt.reloadConfigSuccess ? "Successful" : "Unsuccessful"],
        ["Last successful configuration reload", rt.lastConfigTime],
        ["Corrupted blocks", rt.corruptionCount], ["Goroutines (threads)", rt.goroutineCount],
        ["GOMAXPROCS (processors)", rt.GOMAXPROCS], ["GOGC", rt.GOGC],
        ["Storage retention", rt.storageRetention]], ".runtime"),
      h("h2", "WAL replay"),
      keyValueTable([["Progress", `${wal.data.current} of ${wal.data.max} segments`
        + ` (min ${wal.data.min})`]]),
    ];
  });
}

export function renderTargets(root) {
  return page(root, "Targets", async () => {
    const r = await api("targets");
    const active = r.data.activeTargets || [];
    return [
      h("div.notice.info",
        "This server does not scrape: it stores what is sent to it with Prometheus remote write"
        + " (/api/v1/write) and OTLP (/api/v1/otlp/v1/metrics, with --web.enable-otlp-receiver)."
        + " Point a Prometheus, Grafana Alloy or an OpenTelemetry Collector at it; their targets"
        + " are listed on their own pages."),
      active.length ? keyValueTable(active.map((t) => [t.scrapeUrl, t.health]))
        : h("p", "No scrape targets."),
    ];
  });
}
