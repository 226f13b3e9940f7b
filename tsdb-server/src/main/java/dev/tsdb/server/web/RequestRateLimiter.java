package dev.tsdb.server.web;

/**
 * rate_limit: a token bucket shared by all requests (as Go's rate.Limiter: one token every
 * interval, at most burst saved up). Rebuilt when the file's settings change.
 */
final class RequestRateLimiter {
  private final WebConfig.RateLimit settings;
  private double tokens;
  private long lastNanos;

  RequestRateLimiter(WebConfig.RateLimit settings, long nowNanos) {
    this.settings = settings;
    this.tokens = settings.burst();
    this.lastNanos = nowNanos;
  }

  WebConfig.RateLimit settings() {
    return settings;
  }

  /** Takes a token if one is there. */
  synchronized boolean allow(long nowNanos) {
    if (settings.intervalNanos() <= 0) {
      return true;
    }
    double refill = (double) (nowNanos - lastNanos) / settings.intervalNanos();
    tokens = Math.min(settings.burst(), tokens + Math.max(0, refill));
    lastNanos = nowNanos;
    if (tokens >= 1) {
      tokens -= 1;
      return true;
    }
    return false;
  }
}
