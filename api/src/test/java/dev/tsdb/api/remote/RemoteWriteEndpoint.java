package dev.tsdb.api.remote;

import io.airlift.compress.snappy.SnappyCompressor;
import io.undertow.Undertow;
import io.undertow.server.handlers.BlockingHandler;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.Map;

/** A remote-write handler served over HTTP on a free local port, and a 1.0 client for it. */
final class RemoteWriteEndpoint implements AutoCloseable {
  private final Undertow undertow;
  private final HttpClient http = HttpClient.newHttpClient();
  private final String url;

  RemoteWriteEndpoint(RemoteWriteHandler handler) {
    undertow = Undertow.builder().addHttpListener(0, "127.0.0.1")
        .setHandler(new BlockingHandler(ex -> handler.handle(ex, Map.of()))).build();
    undertow.start();
    int port = ((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort();
    url = "http://127.0.0.1:" + port + "/api/v1/write";
  }

  String url() {
    return url;
  }

  static byte[] snappy(byte[] raw) {
    SnappyCompressor c = new SnappyCompressor();
    byte[] out = new byte[c.maxCompressedLength(raw.length)];
    int n = c.compress(raw, 0, raw.length, out, 0, out.length);
    return Arrays.copyOf(out, n);
  }

  /** POSTs an uncompressed prometheus.WriteRequest, snappy-compressed as senders do. */
  HttpResponse<String> postV1(byte[] writeRequest) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url))
        .header("Content-Type", "application/x-protobuf").header("Content-Encoding", "snappy")
        .POST(HttpRequest.BodyPublishers.ofByteArray(snappy(writeRequest))).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Override
  public void close() {
    undertow.stop();
  }
}
