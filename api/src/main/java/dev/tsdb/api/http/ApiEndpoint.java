package dev.tsdb.api.http;

/**
 * One JSON API endpoint. Throws {@link dev.tsdb.api.ApiException} or
 * {@link dev.tsdb.promql.PromQLException} for failures reported in the error envelope.
 */
@FunctionalInterface
public interface ApiEndpoint {
  ApiResult handle(ApiRequest request) throws Exception;
}
