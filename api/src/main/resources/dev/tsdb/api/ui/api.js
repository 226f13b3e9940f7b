// The public HTTP API, relative to the page (so the route prefix needs no configuration).

/** An API answer with status "error", or a transport failure. */
export class ApiError extends Error {
  constructor(message, type, warnings) {
    super(message);
    this.type = type;
    this.warnings = warnings || [];
  }
}

/**
 * GETs api/v1/<path> with the given parameters (arrays repeat the name) and returns
 * {data, warnings, infos}, or throws ApiError.
 */
export async function api(path, params = {}) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    for (const one of Array.isArray(v) ? v : [v]) {
      if (one !== undefined && one !== null) q.append(k, one);
    }
  }
  let res;
  try {
    const qs = q.toString();
    res = await fetch("api/v1/" + path + (qs ? "?" + qs : ""));
  } catch (e) {
    throw new ApiError("cannot reach the server: " + e.message, "network");
  }
  let body;
  try {
    body = await res.json();
  } catch (e) {
    throw new ApiError(`HTTP ${res.status}: the answer is not JSON`, "bad_response");
  }
  if (body.status !== "success") {
    throw new ApiError(body.error || `HTTP ${res.status}`, body.errorType, body.warnings);
  }
  return { data: body.data, warnings: body.warnings || [], infos: body.infos || [] };
}
