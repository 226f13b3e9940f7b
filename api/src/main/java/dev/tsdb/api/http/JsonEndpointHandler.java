package dev.tsdb.api.http;

import dev.tsdb.api.ApiException;
import dev.tsdb.index.storage.QueryAbortedException;
import dev.tsdb.index.storage.QueryCancellation;
import dev.tsdb.promql.ErrorType;
import dev.tsdb.promql.PromQLException;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Methods;
import java.util.List;
import org.xnio.IoUtils;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Adapts an {@link ApiEndpoint} to the router: CORS, parameters, envelopes, error mapping. */
public final class JsonEndpointHandler implements Router.RouteHandler {
  private static final Logger LOG = Logger.getLogger(JsonEndpointHandler.class.getName());
  private final ApiEndpoint endpoint;
  private final Cors cors;

  public JsonEndpointHandler(ApiEndpoint endpoint, Cors cors) {
    this.endpoint = endpoint;
    this.cors = cors;
  }

  @Override
  public void handle(HttpServerExchange ex, Map<String, String> pathParams) throws Exception {
    boolean preflight = ex.getRequestMethod().equals(Methods.OPTIONS);
    cors.apply(ex, preflight);
    if (preflight) {
      ex.setStatusCode(204);
      ex.endExchange();
      return;
    }
    if (!ex.isBlocking()) {
      ex.startBlocking();
    }
    // The request's cancellation: a query run for it stops when its client goes away.
    QueryCancellation cancellation = QueryCancellation.create();
    try (QueryCancellation.Scope bound = cancellation.enter()) {
      ApiResult result;
      try (DisconnectWatch watch = DisconnectWatch.start(ex, cancellation)) {
        result = endpoint.handle(new ApiRequest(ex, pathParams));
      } catch (Exception e) {
        fail(ex, e);
        return;
      }
      try {
        Responses.success(ex, result);
      } catch (QueryAbortedException e) {
        // Rendering a huge result stopped: its client went away, nobody to answer.
        IoUtils.safeClose(ex.getConnection());
      }
    }
  }

  private static void fail(HttpServerExchange ex, Exception e) throws java.io.IOException {
    if (!ex.getConnection().isOpen() || ex.isResponseStarted() || ReadDeadline.expired(ex)) {
      return; // the client went away or ran out of --web.read-timeout: nobody to answer
    }
    if (e instanceof ApiException a) {
      Responses.error(ex, a.type(), a.getMessage(), List.of());
    } else if (e instanceof PromQLException p) {
      Responses.error(ex, p.type(), p.getMessage(), List.of());
    } else if (e instanceof QueryAbortedException q) {
      // Storage read directly by an endpoint (series, labels) stopped for the client's sake.
      Responses.error(ex, q.deadlineExceeded() ? ErrorType.TIMEOUT : ErrorType.CANCELED,
          q.getMessage(), List.of());
    } else if (e instanceof BodyTooLargeException) {
      // Go's ParseForm refuses form bodies above 10 MB; the client learns why with a 413.
      Responses.error(ex, 413, ErrorType.BAD_DATA, "error parsing form values: "
          + e.getMessage());
    } else {
      LOG.log(Level.WARNING, "API request " + ex.getRequestPath() + " failed", e);
      Responses.error(ex, ErrorType.INTERNAL, String.valueOf(e.getMessage()), List.of());
    }
  }
}
