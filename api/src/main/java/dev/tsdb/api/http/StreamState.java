package dev.tsdb.api.http;

import io.undertow.server.HttpServerExchange;
import io.undertow.server.ServerConnection;
import java.lang.reflect.Method;
import org.xnio.channels.StreamSinkChannel;

/**
 * Whether an HTTP/2 request's stream can still carry its answer. Undertow keeps a stream's
 * channels behind {@link ServerConnection}'s protected {@code getSinkChannel()}; reading it does
 * not claim the response channel (which {@link HttpServerExchange#getResponseChannel()} would),
 * so the answer is written as usual afterwards. Should a later Undertow remove the method, the
 * stream counts as open: only the connection's state is watched then.
 */
final class StreamState {
  private static final Method SINK_CHANNEL = sinkChannelMethod();

  private StreamState() {}

  private static Method sinkChannelMethod() {
    try {
      Method m = ServerConnection.class.getDeclaredMethod("getSinkChannel");
      m.setAccessible(true);
      return m;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }

  static boolean responseOpen(HttpServerExchange exchange) {
    if (SINK_CHANNEL == null || exchange.isResponseStarted()) {
      return true;
    }
    try {
      Object sink = SINK_CHANNEL.invoke(exchange.getConnection());
      return !(sink instanceof StreamSinkChannel c) || c.isOpen();
    } catch (ReflectiveOperationException | RuntimeException e) {
      return true;
    }
  }
}
