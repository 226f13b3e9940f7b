package dev.tsdb.api.http;

import java.io.IOException;

/** A request body above the endpoint's limit; answered 413. */
public final class BodyTooLargeException extends IOException {
  public BodyTooLargeException(String message) {
    super(message);
  }
}
