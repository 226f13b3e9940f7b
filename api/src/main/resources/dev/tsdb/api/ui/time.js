// Durations as Prometheus writes them (1h30m) and times as the URL state holds them (UTC).

const UNITS = [["y", 365 * 86400e3], ["w", 7 * 86400e3], ["d", 86400e3], ["h", 3600e3],
  ["m", 60e3], ["s", 1e3], ["ms", 1]];
const DURATION = /^((\d+)y)?((\d+)w)?((\d+)d)?((\d+)h)?((\d+)m)?((\d+)s)?((\d+)ms)?$/;

/** Milliseconds of a duration such as "1h30m", or null when it is not one. */
export function parseDuration(s) {
  if (!s || !s.trim()) return null;
  const m = DURATION.exec(s.trim());
  if (!m) return null;
  let ms = 0;
  UNITS.forEach(([, unit], i) => { if (m[2 + 2 * i]) ms += Number(m[2 + 2 * i]) * unit; });
  return ms;
}

/** The shortest Prometheus duration for milliseconds ("0s" for none). */
export function formatDuration(ms) {
  if (!ms) return "0s";
  let out = "";
  for (const [name, unit] of UNITS) {
    if (ms >= unit) {
      out += Math.floor(ms / unit) + name;
      ms %= unit;
    }
  }
  return out;
}

/** "2024-05-01 10:20:30" (UTC), the format of g0.end_input and g0.moment_input. */
export function formatTime(ms) {
  return new Date(ms).toISOString().replace("T", " ").replace(/\.\d+Z$/, "");
}

/** The inverse of formatTime (also accepts ISO 8601 with a zone); null when not a time. */
export function parseTime(s) {
  if (!s || !s.trim()) return null;
  const t = s.trim();
  const iso = /[zZ]|[+-]\d\d:?\d\d$/.test(t) ? t : t.replace(" ", "T") + "Z";
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? null : ms;
}

/** Prometheus 3's default resolution: about 250 points over the range, at least 1s. */
export function defaultStepSeconds(rangeMs) {
  return Math.max(Math.floor(rangeMs / 250 / 1000), 1);
}
