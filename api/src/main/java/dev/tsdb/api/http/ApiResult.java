package dev.tsdb.api.http;

import java.util.List;

/**
 * A successful API answer: the "data" writer plus warnings and infos (omitted from the JSON when
 * empty). A null data means 204 No Content.
 */
public record ApiResult(JsonBody data, List<String> warnings, List<String> infos) {
  public ApiResult {
    warnings = warnings == null ? List.of() : List.copyOf(warnings);
    infos = infos == null ? List.of() : List.copyOf(infos);
  }

  public static ApiResult of(JsonBody data) {
    return new ApiResult(data, List.of(), List.of());
  }

  public static ApiResult withWarnings(JsonBody data, List<String> warnings) {
    return new ApiResult(data, warnings, List.of());
  }
}
