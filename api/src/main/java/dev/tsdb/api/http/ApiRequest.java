package dev.tsdb.api.http;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/** An API request: its exchange, its form/query parameters and the path parameters matched. */
public final class ApiRequest {
  private final HttpServerExchange exchange;
  private final Map<String, String> pathParams;
  private Params params;

  public ApiRequest(HttpServerExchange exchange, Map<String, String> pathParams) {
    this.exchange = exchange;
    this.pathParams = pathParams;
  }

  public HttpServerExchange exchange() {
    return exchange;
  }

  /** Form body (for POST) and URL query parameters, parsed on first use. */
  public Params params() throws IOException {
    if (params == null) {
      boolean form = exchange.getRequestMethod().equals(Methods.POST)
          || exchange.getRequestMethod().equals(Methods.PUT);
      if (form) {
        if (exchange.getRequestContentLength() > Params.MAX_FORM_BYTES) {
          throw new BodyTooLargeException("http: POST too large");
        }
        if (!exchange.isBlocking()) {
          exchange.startBlocking();
        }
        params = Params.parse(exchange.getQueryString(),
            exchange.getRequestHeaders().getFirst(Headers.CONTENT_TYPE), exchange.getInputStream());
      } else {
        params = Params.ofQuery(exchange.getQueryString());
      }
    }
    return params;
  }

  public String param(String name) throws IOException {
    return params().get(name);
  }

  public List<String> params(String name) throws IOException {
    return params().getAll(name);
  }

  public String pathParam(String name) {
    return pathParams.get(name);
  }
}
