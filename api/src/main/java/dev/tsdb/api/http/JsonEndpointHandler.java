package dev.tsdb.api.http;

import dev.tsdb.api.ApiException;
import dev.tsdb.promql.ErrorType;
import dev.tsdb.promql.PromQLException;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Methods;
import java.util.List;
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
    ApiResult result;
    try {
      result = endpoint.handle(new ApiRequest(ex, pathParams));
    } catch (Exception e) {
      if (!ex.getConnection().isOpen() || ex.isResponseStarted() || ReadDeadline.expired(ex)) {
        return; // the client went away or ran out of --web.read-timeout: nobody to answer
      }
      if (e instanceof ApiException a) {
        Responses.error(ex, a.type(), a.getMessage(), List.of());
      } else if (e instanceof PromQLException p) {
        Responses.error(ex, p.type(), p.getMessage(), List.of());
      } else if (e instanceof BodyTooLargeException) {
        // Go's ParseForm refuses form bodies above 10 MB; the client learns why with a 413.
        Responses.error(ex, 413, ErrorType.BAD_DATA, "error parsing form values: "
            + e.getMessage());
      } else {
        LOG.log(Level.WARNING, "API request " + ex.getRequestPath() + " failed", e);
        Responses.error(ex, ErrorType.INTERNAL, String.valueOf(e.getMessage()), List.of());
      }
      return;
    }
    Responses.success(ex, result);
  }
}
