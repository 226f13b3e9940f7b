package dev.tsdb.promql;

/** A query failure with its API error type; the message is what Prometheus would say. */
public class PromQLException extends RuntimeException {
  private final ErrorType type;

  public PromQLException(ErrorType type, String message) {
    super(message);
    this.type = type;
  }

  public PromQLException(ErrorType type, String message, Throwable cause) {
    super(message, cause);
    this.type = type;
  }

  public ErrorType type() {
    return type;
  }
}
