package dev.tsdb.api;

import dev.tsdb.promql.ErrorType;

/** A request failure with the API error type it is reported as; the message is the "error". */
public final class ApiException extends RuntimeException {
  private final ErrorType type;

  public ApiException(ErrorType type, String message) {
    super(message, null, false, false);
    this.type = type;
  }

  public static ApiException badData(String message) {
    return new ApiException(ErrorType.BAD_DATA, message);
  }

  /** Prometheus's invalidParamError: {@code invalid parameter "name": reason}. */
  public static ApiException invalidParam(String param, String reason) {
    return badData("invalid parameter \"" + param + "\": " + reason);
  }

  public ErrorType type() {
    return type;
  }
}
