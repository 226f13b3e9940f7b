package dev.tsdb.rules.util;

/** Go's net.SplitHostPort / JoinHostPort / ParseIP, as stripPort and stripDomain use them. */
public final class GoNet {
  private GoNet() {}

  /** {host, port}, or null where Go returns an error. */
  public static String[] splitHostPort(String hostport) {
    int last = hostport.lastIndexOf(':');
    if (last < 0) {
      return null; // missing port
    }
    String host;
    if (hostport.startsWith("[")) {
      int end = hostport.indexOf(']');
      if (end < 0) {
        return null; // missing ']'
      }
      if (end + 1 == hostport.length()) {
        return null; // missing port
      } else if (end + 1 != last) {
        return null; // too many colons or missing port
      }
      host = hostport.substring(1, end);
      if (host.indexOf('[') >= 0 || host.indexOf(']') >= 0) {
        return null;
      }
    } else {
      host = hostport.substring(0, last);
      if (host.indexOf(':') >= 0) {
        return null; // too many colons
      }
      if (host.indexOf('[') >= 0 || host.indexOf(']') >= 0) {
        return null;
      }
    }
    String port = hostport.substring(last + 1);
    if (port.indexOf('[') >= 0 || port.indexOf(']') >= 0) {
      return null;
    }
    return new String[] {host, port};
  }

  public static String joinHostPort(String host, String port) {
    return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
  }

  /** True for a literal IPv4 (dotted quad) or IPv6 address. */
  public static boolean isIp(String s) {
    if (s.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
      for (String part : s.split("\\.")) {
        if (Integer.parseInt(part) > 255 || (part.length() > 1 && part.startsWith("0"))) {
          return false;
        }
      }
      return true;
    }
    if (s.indexOf(':') < 0 || !s.matches("[0-9a-fA-F:.]+")) {
      return false;
    }
    int doubleColon = s.indexOf("::");
    if (doubleColon >= 0 && s.indexOf("::", doubleColon + 1) >= 0) {
      return false;
    }
    String[] groups = s.split(":", -1);
    int count = 0;
    for (int i = 0; i < groups.length; i++) {
      String g = groups[i];
      if (g.isEmpty()) {
        continue;
      }
      if (g.indexOf('.') >= 0) {
        if (i != groups.length - 1 || !isIp(g) || g.indexOf(':') >= 0) {
          return false;
        }
        count += 2;
      } else if (g.length() > 4) {
        return false;
      } else {
        count++;
      }
    }
    return doubleColon >= 0 ? count < 8 : count == 8;
  }
}
