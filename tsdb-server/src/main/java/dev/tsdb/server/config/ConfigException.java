package dev.tsdb.server.config;

/** The configuration file cannot be read or is invalid; the message says where and why. */
public final class ConfigException extends Exception {
  public ConfigException(String message) {
    super(message);
  }

  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
