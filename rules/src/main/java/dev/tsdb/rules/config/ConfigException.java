package dev.tsdb.rules.config;

/** An invalid configuration, with a message in Prometheus's words where one exists. */
public class ConfigException extends Exception {
  public ConfigException(String message) {
    super(message);
  }

  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
