package dev.tsdb.server.web;

/** The web configuration file is invalid; the message is exporter-toolkit's where it has one. */
public final class WebConfigException extends Exception {
  public WebConfigException(String message) {
    super(message);
  }

  public WebConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
