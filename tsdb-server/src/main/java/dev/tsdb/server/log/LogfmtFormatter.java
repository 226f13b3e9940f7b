package dev.tsdb.server.log;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogRecord;

/**
 * One line per record in Prometheus 3's logfmt layout:
 * {@code time=2026-11-23T13:00:00.000Z level=INFO source=Main msg="Starting" key=value}.
 * Record parameters are rendered as alternating keys and values (see {@link Log}). With json
 * enabled the same fields come out as one JSON object per line.
 */
public final class LogfmtFormatter extends Formatter {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
  private final boolean json;

  public LogfmtFormatter(boolean json) {
    this.json = json;
  }

  public static String levelName(Level l) {
    int v = l.intValue();
    if (v >= Level.SEVERE.intValue()) {
      return "ERROR";
    }
    if (v >= Level.WARNING.intValue()) {
      return "WARN";
    }
    if (v >= Level.INFO.intValue()) {
      return "INFO";
    }
    return "DEBUG";
  }

  @Override
  public String format(LogRecord r) {
    StringBuilder sb = new StringBuilder(160);
    String source = r.getLoggerName() == null ? "" : simpleName(r.getLoggerName());
    String msg = r.getMessage() == null ? "" : r.getMessage();
    Object[] params = r.getParameters();
    if (params != null && params.length > 0
        && (msg.contains("{0") || params.length % 2 != 0 || !isKeyed(params))) {
      msg = formatMessage(r); // classic {0}-style JUL message from a library
      params = null;
    }
    begin(sb);
    field(sb, "time", TIME.format(Instant.ofEpochMilli(r.getMillis())));
    field(sb, "level", levelName(r.getLevel()));
    field(sb, "source", source);
    field(sb, "msg", msg);
    if (params != null) {
      for (int i = 0; i + 1 < params.length; i += 2) {
        field(sb, String.valueOf(params[i]), String.valueOf(params[i + 1]));
      }
    }
    if (r.getThrown() != null) {
      field(sb, "err", String.valueOf(r.getThrown()));
      if (r.getLevel().intValue() >= Level.SEVERE.intValue()
          || r.getLevel().intValue() <= Level.FINE.intValue()) {
        StringWriter sw = new StringWriter();
        r.getThrown().printStackTrace(new PrintWriter(sw));
        field(sb, "stack", sw.toString());
      }
    }
    end(sb);
    return sb.append('\n').toString();
  }

  private static boolean isKeyed(Object[] params) {
    for (int i = 0; i < params.length; i += 2) {
      if (!(params[i] instanceof String)) {
        return false;
      }
    }
    return true;
  }

  private static String simpleName(String logger) {
    int dot = logger.lastIndexOf('.');
    return dot < 0 ? logger : logger.substring(dot + 1);
  }

  private void begin(StringBuilder sb) {
    if (json) {
      sb.append('{');
    }
  }

  private void end(StringBuilder sb) {
    if (json) {
      sb.append('}');
    }
  }

  private void field(StringBuilder sb, String key, String value) {
    if (json) {
      if (sb.length() > 1) {
        sb.append(',');
      }
      jsonString(sb, key);
      sb.append(':');
      jsonString(sb, value);
      return;
    }
    if (sb.length() > 0) {
      sb.append(' ');
    }
    sb.append(key).append('=');
    if (needsQuotes(value)) {
      sb.append('"');
      for (int i = 0; i < value.length(); i++) {
        char c = value.charAt(i);
        switch (c) {
          case '"' -> sb.append("\\\"");
          case '\\' -> sb.append("\\\\");
          case '\n' -> sb.append("\\n");
          case '\r' -> sb.append("\\r");
          case '\t' -> sb.append("\\t");
          default -> sb.append(c);
        }
      }
      sb.append('"');
    } else {
      sb.append(value);
    }
  }

  private static boolean needsQuotes(String v) {
    if (v.isEmpty()) {
      return true;
    }
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      if (c <= ' ' || c == '=' || c == '"' || c == '\\' || c == 0x7f) {
        return true;
      }
    }
    return false;
  }

  private static void jsonString(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }
}
