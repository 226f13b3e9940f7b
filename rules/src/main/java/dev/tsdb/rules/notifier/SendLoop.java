package dev.tsdb.rules.notifier;

import dev.tsdb.rules.config.AlertmanagerConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Delivers alerts to one Alertmanager (Prometheus's sendLoop): a bounded queue that drops the
 * oldest alerts when full, and a thread posting batches of at most maxBatchSize alerts to
 * {@code /api/v2/alerts}. A batch that still fails after the configured retries is dropped and
 * counted; the rule manager re-sends firing alerts every resend delay anyway.
 */
final class SendLoop {
  private static final System.Logger LOG = System.getLogger(SendLoop.class.getName());

  private final String url;
  private final HttpClient client;
  private final ClientAuth auth;
  private final AlertmanagerConfig cfg;
  private final NotifierManager.Options opts;
  private final NotifierMetrics.PerAlertmanager metrics;
  private final ArrayDeque<NotifierAlert> queue = new ArrayDeque<>();
  private final Thread thread;
  private boolean stopped;

  SendLoop(String url, HttpClient client, ClientAuth auth, AlertmanagerConfig cfg,
      NotifierManager.Options opts, NotifierMetrics.PerAlertmanager metrics) {
    this.url = url;
    this.client = client;
    this.auth = auth;
    this.cfg = cfg;
    this.opts = opts;
    this.metrics = metrics;
    this.thread = new Thread(this::loop, "alertmanager-send " + url);
    this.thread.setDaemon(true);
  }

  String url() {
    return url;
  }

  void start() {
    thread.start();
  }

  /** Queues alerts, dropping the oldest ones beyond the queue capacity. */
  void add(List<NotifierAlert> alerts) {
    int dropped = 0;
    synchronized (queue) {
      if (stopped) {
        return;
      }
      int cap = opts.queueCapacity();
      int from = 0;
      if (alerts.size() > cap) {
        from = alerts.size() - cap;
        dropped += from;
        LOG.log(System.Logger.Level.WARNING, "Alert batch larger than queue capacity, dropping "
            + from + " alerts");
      }
      int overflow = queue.size() + (alerts.size() - from) - cap;
      if (overflow > 0) {
        LOG.log(System.Logger.Level.WARNING, "Alert notification queue full, dropping "
            + overflow + " alerts");
        for (int i = 0; i < overflow; i++) {
          queue.pollFirst();
        }
        dropped += overflow;
      }
      for (int i = from; i < alerts.size(); i++) {
        queue.addLast(alerts.get(i));
      }
      metrics.queueLength.set(queue.size());
      queue.notifyAll();
    }
    if (dropped > 0) {
      metrics.dropped.increment(dropped);
    }
  }

  int queueLength() {
    synchronized (queue) {
      return queue.size();
    }
  }

  private List<NotifierAlert> nextBatch(boolean wait) throws InterruptedException {
    synchronized (queue) {
      while (wait && queue.isEmpty() && !stopped) {
        queue.wait();
      }
      if (queue.isEmpty()) {
        return List.of();
      }
      int n = Math.min(queue.size(), opts.maxBatchSize());
      List<NotifierAlert> batch = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        batch.add(queue.pollFirst());
      }
      metrics.queueLength.set(queue.size());
      return batch;
    }
  }

  private boolean isStopped() {
    synchronized (queue) {
      return stopped;
    }
  }

  private void loop() {
    try {
      while (!isStopped()) {
        List<NotifierAlert> batch = nextBatch(true);
        if (!batch.isEmpty()) {
          sendBatch(batch);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void sendBatch(List<NotifierAlert> batch) {
    byte[] payload = AlertsJson.encode(batch);
    for (int attempt = 0; attempt <= opts.maxRetries(); attempt++) {
      long begin = System.nanoTime();
      try {
        post(payload);
        metrics.latency.record((System.nanoTime() - begin) / 1e9);
        metrics.sent.increment(batch.size());
        return;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } catch (Exception e) {
        LOG.log(System.Logger.Level.ERROR, "Error sending alerts: alertmanager=" + url
            + " count=" + batch.size() + " err=" + e.getMessage());
        metrics.errors.increment(batch.size());
        if (attempt < opts.maxRetries() && !isStopped()) {
          try {
            Thread.sleep(opts.retryBackoffMs() * (1L << attempt));
          } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            break;
          }
        }
      }
    }
    metrics.dropped.increment(batch.size());
  }

  private void post(byte[] payload) throws IOException, InterruptedException {
    HttpRequest.Builder rb = HttpRequest.newBuilder(URI.create(url))
        .timeout(Duration.ofMillis(Math.max(1, cfg.timeoutMs())))
        .header("Content-Type", "application/json")
        .header("User-Agent", "Prometheus/3.0.0 (tsdb)")
        .POST(HttpRequest.BodyPublishers.ofByteArray(payload));
    addConfiguredHeaders(rb);
    String authorization = auth.header();
    if (authorization != null) {
      rb.header("Authorization", authorization);
    }
    HttpResponse<Void> resp = client.send(rb.build(), HttpResponse.BodyHandlers.discarding());
    if (resp.statusCode() / 100 != 2) {
      throw new IOException("bad response status " + resp.statusCode());
    }
  }

  /**
   * {@code http_headers}: values and secrets as given, files read per request (so rotated files
   * take effect, as Prometheus reads them). Headers the JDK client reserves are left out.
   */
  private void addConfiguredHeaders(HttpRequest.Builder rb) throws IOException {
    for (var h : cfg.httpHeaders().entrySet()) {
      java.util.List<String> values = new java.util.ArrayList<>(h.getValue().values());
      values.addAll(h.getValue().secrets());
      for (String f : h.getValue().files()) {
        values.add(Files.readString(Path.of(f), StandardCharsets.UTF_8).strip());
      }
      for (String v : values) {
        try {
          rb.header(h.getKey(), v);
        } catch (IllegalArgumentException e) {
          LOG.log(System.Logger.Level.WARNING, "http_headers: header " + h.getKey()
              + " cannot be set: " + e.getMessage());
        }
      }
    }
  }

  /** Stops the loop; with drain, queued alerts are sent first (one attempt per batch). */
  void stop(boolean drain) {
    synchronized (queue) {
      stopped = true;
      queue.notifyAll();
    }
    if (!drain) {
      thread.interrupt(); // abandon an in-flight request to an unresponsive Alertmanager
    }
    try {
      thread.join(Math.max(1000, cfg.timeoutMs() * (opts.maxRetries() + 1) + 1000));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (drain) {
      try {
        List<NotifierAlert> batch;
        while (!(batch = nextBatch(false)).isEmpty()) {
          byte[] payload = AlertsJson.encode(batch);
          try {
            post(payload);
            metrics.sent.increment(batch.size());
          } catch (IOException e) {
            metrics.errors.increment(batch.size());
            metrics.dropped.increment(batch.size());
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    } else {
      int n = queueLength();
      if (n > 0) {
        metrics.dropped.increment(n);
      }
    }
  }
}
