package dev.tsdb.server.forward;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.tsdb.api.remote.WriteRequestDecoder;
import dev.tsdb.api.remote.WriteV2Decoder;
import dev.tsdb.index.histogram.FloatHistogram;
import dev.tsdb.index.histogram.Histogram;
import dev.tsdb.index.labels.Labels;
import dev.tsdb.index.storage.Appender;
import dev.tsdb.index.storage.Exemplar;
import dev.tsdb.index.storage.MetricMetadata;
import io.airlift.compress.snappy.SnappyDecompressor;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

/**
 * A remote-write receiver on loopback (the JDK's HTTP server): answers with a status the test
 * chooses and, when it is 2xx, decodes the 1.0 or 2.0 body with our receiver's decoders and
 * records what arrived.
 */
final class StubReceiver implements AutoCloseable {
  record Sample(String series, long t, double v) {}

  record HistogramSample(String series, long t, Histogram h, FloatHistogram fh) {}

  record ExemplarSample(String series, long t, double v, String labels) {}

  final List<Sample> samples = Collections.synchronizedList(new ArrayList<>());
  final List<HistogramSample> histograms = Collections.synchronizedList(new ArrayList<>());
  final List<ExemplarSample> exemplars = Collections.synchronizedList(new ArrayList<>());
  final Map<String, MetricMetadata> metadata = new ConcurrentHashMap<>();
  final List<Map<String, List<String>>> requestHeaders =
      Collections.synchronizedList(new ArrayList<>());
  final AtomicInteger requests = new AtomicInteger();
  volatile IntSupplier status = () -> 204;
  volatile String retryAfter;
  private final HttpServer server;

  StubReceiver() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/api/v1/write", this::handle);
    server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(8));
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/api/v1/write";
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      byte[] body = ex.getRequestBody().readAllBytes();
      requests.incrementAndGet();
      requestHeaders.add(Map.copyOf(ex.getRequestHeaders()));
      int code = status.getAsInt();
      if (code / 100 != 2) {
        if (retryAfter != null) {
          ex.getResponseHeaders().add("Retry-After", retryAfter);
        }
        byte[] msg = ("stub says " + code).getBytes();
        ex.sendResponseHeaders(code, msg.length);
        ex.getResponseBody().write(msg);
        return;
      }
      int n = SnappyDecompressor.getUncompressedLength(body, 0);
      byte[] raw = new byte[n];
      new SnappyDecompressor().decompress(body, 0, body.length, raw, 0, n);
      String type = ex.getRequestHeaders().getFirst("Content-Type");
      Recorder rec = new Recorder();
      if (type != null && type.contains("io.prometheus.write.v2.Request")) {
        new WriteV2Decoder().decode(raw, n, rec, null, Long.MAX_VALUE, false);
      } else {
        new WriteRequestDecoder().decode(raw, n, rec, null, Long.MAX_VALUE);
      }
      ex.sendResponseHeaders(code, -1);
    } catch (IOException | RuntimeException e) {
      e.printStackTrace();
      throw e;
    }
  }

  /** Collects what one request held. */
  private final class Recorder implements Appender {
    @Override
    public long append(long ref, Labels labels, long t, double v) {
      samples.add(new Sample(labels.toString(), t, v));
      return 1;
    }

    @Override
    public long appendHistogram(long ref, Labels labels, long t, Histogram h, FloatHistogram fh) {
      histograms.add(new HistogramSample(labels.toString(), t, h, fh));
      return 1;
    }

    @Override
    public void appendExemplar(long ref, Labels labels, Exemplar e) {
      exemplars.add(new ExemplarSample(labels.toString(), e.timestampMs(), e.value(),
          e.labels().toString()));
    }

    @Override
    public void updateMetadata(long ref, Labels labels, MetricMetadata m) {
      metadata.put(labels.get("__name__"), m);
    }

    @Override
    public void commit() {}

    @Override
    public void rollback() {}
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
