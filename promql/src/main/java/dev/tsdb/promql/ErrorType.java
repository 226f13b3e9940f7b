package dev.tsdb.promql;

/** API error types, with the HTTP status Prometheus answers them with. */
public enum ErrorType {
  BAD_DATA("bad_data", 400),
  EXECUTION("execution", 422),
  TIMEOUT("timeout", 503),
  CANCELED("canceled", 503),
  UNAVAILABLE("unavailable", 503),
  INTERNAL("internal", 500),
  NOT_FOUND("not_found", 404);

  private final String apiName;
  private final int httpStatus;

  ErrorType(String apiName, int httpStatus) {
    this.apiName = apiName;
    this.httpStatus = httpStatus;
  }

  public String apiName() {
    return apiName;
  }

  public int httpStatus() {
    return httpStatus;
  }
}
