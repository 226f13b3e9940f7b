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
    } catch (ApiException e) {
      Responses.error(ex, e.type(), e.getMessage(), List.of());
      return;
    } catch (PromQLException e) {
      Responses.error(ex, e.type(), e.getMessage(), List.of());
      return;
    } catch (Exception e) {
      LOG.log(Level.WARNING, "API request " + ex.getRequestPath() + " failed", e);
      Responses.error(ex, ErrorType.INTERNAL, String.valueOf(e.getMessage()), List.of());
      return;
    }
    Responses.success(ex, result);
  }
}
