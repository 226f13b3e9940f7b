package dev.tsdb.server.flags;

/** A {@code host:port} to listen on; an empty host means all interfaces. */
public record ListenAddress(String host, int port) {
  public static ListenAddress parse(String s) {
    int colon = s.lastIndexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException("address " + s + ": missing port in address");
    }
    String host = s.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    } else if (host.contains(":")) {
      throw new IllegalArgumentException("address " + s + ": too many colons in address");
    }
    String portText = s.substring(colon + 1);
    int port;
    try {
      port = Integer.parseInt(portText);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("address " + s + ": invalid port \"" + portText + "\"");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("address " + s + ": invalid port \"" + portText + "\"");
    }
    return new ListenAddress(host, port);
  }

  /** The host to bind: all interfaces when none was given. */
  public String bindHost() {
    return host.isEmpty() ? "0.0.0.0" : host;
  }
}
