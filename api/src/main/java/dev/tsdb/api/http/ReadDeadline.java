package dev.tsdb.api.http;

import io.undertow.server.HttpServerExchange;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import org.xnio.IoUtils;
import org.xnio.channels.StreamSinkChannel;
import org.xnio.conduits.AbstractStreamSourceConduit;
import org.xnio.conduits.StreamSourceConduit;

/**
 * --web.read-timeout for request bodies. Undertow's idle timeout only catches clients that stop
 * sending; this also stops one that trickles a byte now and then: once the deadline (counted
 * from when the handler starts reading) has passed, the next read closes the connection and
 * fails, which frees the worker thread. Together with the request-parse timeout for headers
 * this bounds what Go's http.Server.ReadTimeout bounds in Prometheus.
 */
public final class ReadDeadline {
  private static final io.undertow.util.AttachmentKey<Boolean> EXPIRED =
      io.undertow.util.AttachmentKey.create(Boolean.class);

  private ReadDeadline() {}

  /** Whether the exchange's body deadline passed: its connection is being closed, no answer. */
  public static boolean expired(HttpServerExchange ex) {
    return ex.getAttachment(EXPIRED) != null;
  }

  /** Applies the deadline to the exchange's request body; call before the body is read. */
  public static void apply(HttpServerExchange ex, long timeoutMs) {
    if (timeoutMs <= 0) {
      return;
    }
    long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
    ex.addRequestWrapper((factory, exchange) -> new Conduit(factory.create(), deadline, exchange));
  }

  private static final class Conduit extends AbstractStreamSourceConduit<StreamSourceConduit> {
    private final long deadline;
    private final HttpServerExchange exchange;

    Conduit(StreamSourceConduit next, long deadline, HttpServerExchange exchange) {
      super(next);
      this.deadline = deadline;
      this.exchange = exchange;
    }

    private void check() throws IOException {
      if (System.nanoTime() - deadline > 0) {
        // Closed on the connection's I/O thread, which owns its state: closing it from this
        // worker raced with XNIO's timeouts closing it there.
        exchange.putAttachment(EXPIRED, Boolean.TRUE);
        exchange.setPersistent(false);
        io.undertow.server.ServerConnection c = exchange.getConnection();
        c.getIoThread().execute(() -> IoUtils.safeClose(c));
        throw new IOException("request body not received within --web.read-timeout");
      }
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
      check();
      return next.read(dst);
    }

    @Override
    public long read(ByteBuffer[] dsts, int offs, int len) throws IOException {
      check();
      return next.read(dsts, offs, len);
    }

    @Override
    public long transferTo(long position, long count, FileChannel target) throws IOException {
      check();
      return next.transferTo(position, count, target);
    }

    @Override
    public long transferTo(long count, ByteBuffer throughBuffer, StreamSinkChannel target)
        throws IOException {
      check();
      return next.transferTo(count, throughBuffer, target);
    }
  }
}
