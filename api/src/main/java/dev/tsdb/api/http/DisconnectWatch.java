package dev.tsdb.api.http;

import dev.tsdb.index.storage.QueryCancellation;
import io.undertow.connector.PooledByteBuffer;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.protocol.http.HttpServerConnection;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Notices a client that closes its connection while its request is being handled, and cancels
 * the request's {@link QueryCancellation} so that a running query stops and frees its thread (Go's
 * HTTP server does the same by reading the connection in the background).
 *
 * <p>Undertow does not read an HTTP/1.1 connection while a request on it is being handled, so it
 * would notice the close only when it writes the answer. Once the request has been read entirely,
 * this reads the connection every {@link #PROBE_MILLIS} ms without blocking: end of stream (or an
 * error) means the client is gone; bytes mean the client pipelined its next request, which are
 * handed back to Undertow, and watching ends. An HTTP/2 connection is watched only for being
 * closed as a whole (see {@link #probe}). It reads
 * the connection's own conduit (plain or TLS), not the channel whose conduit Undertow replaces
 * with the request body's while a request with a body is handled.
 */
public final class DisconnectWatch implements AutoCloseable {
  static final long PROBE_MILLIS = 100;

  private static final ScheduledExecutorService PROBES =
      Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "http-disconnect-watch");
        t.setDaemon(true);
        return t;
      });

  private final HttpServerExchange exchange;
  private final QueryCancellation cancellation;
  private final ScheduledFuture<?> task;
  private boolean closed;

  private DisconnectWatch(HttpServerExchange exchange, QueryCancellation cancellation) {
    this.exchange = exchange;
    this.cancellation = cancellation;
    this.task = PROBES.scheduleWithFixedDelay(this::probe, PROBE_MILLIS, PROBE_MILLIS,
        TimeUnit.MILLISECONDS);
  }

  /** Watches the exchange's connection, canceling {@code cancellation} when the client leaves. */
  public static DisconnectWatch start(HttpServerExchange exchange,
      QueryCancellation cancellation) {
    return new DisconnectWatch(exchange, cancellation);
  }

  /** Stops watching; called before the answer is written, after which Undertow reads again. */
  @Override
  public synchronized void close() {
    closed = true;
    if (task != null) {
      task.cancel(false);
    }
  }

  private synchronized void probe() {
    if (closed || cancellation.isCanceled() || !exchange.isRequestComplete()) {
      return;
    }
    if (!(exchange.getConnection() instanceof HttpServerConnection conn)) {
      // HTTP/2: the connection closed, or the client reset the request's stream (RST_STREAM,
      // how Go's client cancels a request, Grafana's included): the stream's response channel
      // is then closed before anything was written.
      if (!exchange.getConnection().isOpen() || !StreamState.responseOpen(exchange)) {
        gone();
      }
      return;
    }
    if (!conn.isOpen()) {
      gone();
      return;
    }
    if (conn.getExtraBytes() != null) {
      close(); // bytes of a pipelined request already wait: the client is still there
      return;
    }
    PooledByteBuffer pooled = conn.getByteBufferPool().allocate();
    boolean handedBack = false;
    try {
      ByteBuffer buf = pooled.getBuffer();
      // The connection itself, beneath the request body's conduit: once a fixed-length or
      // chunked body has been read, that conduit answers end of stream while the client is
      // still there waiting for its answer.
      int read = conn.getOriginalSourceConduit().read(buf);
      if (read < 0) {
        gone();
      } else if (read > 0) {
        buf.flip();
        conn.ungetRequestBytes(pooled);
        handedBack = true;
        close(); // a pipelined request: the client is still there
      }
    } catch (IOException e) {
      gone();
    } finally {
      if (!handedBack) {
        pooled.close();
      }
    }
  }

  private void gone() {
    cancellation.cancel();
    close();
  }
}
