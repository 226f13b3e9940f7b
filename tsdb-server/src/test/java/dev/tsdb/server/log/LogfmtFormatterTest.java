package dev.tsdb.server.log;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

class LogfmtFormatterTest {
  private static LogRecord record(Level l, String msg, Object... params) {
    LogRecord r = new LogRecord(l, msg);
    r.setLoggerName("dev.tsdb.server.Main");
    r.setInstant(java.time.Instant.parse("2026-11-23T13:00:00.123Z"));
    r.setParameters(params);
    return r;
  }

  @Test
  void oneLogfmtLinePerRecord() {
    assertEquals("time=2026-11-23T13:00:00.123Z level=INFO source=Main msg=\"Starting tsdb\""
            + " version=1.0 path=\"a b\" empty=\"\"\n",
        new LogfmtFormatter(false).format(record(Level.INFO, "Starting tsdb", "version", "1.0",
            "path", "a b", "empty", "")));
    assertEquals("time=2026-11-23T13:00:00.123Z level=WARN source=Main msg=\"say \\\"hi\\\"\\n\"\n",
        new LogfmtFormatter(false).format(record(Level.WARNING, "say \"hi\"\n")));
    assertEquals("time=2026-11-23T13:00:00.123Z level=DEBUG source=Main msg=x\n",
        new LogfmtFormatter(false).format(record(Level.FINE, "x")));
    assertEquals("time=2026-11-23T13:00:00.123Z level=ERROR source=Main msg=\"value 7\"\n",
        new LogfmtFormatter(false).format(record(Level.SEVERE, "value {0}", 7)));
  }

  @Test
  void jsonVariant() {
    assertEquals("{\"time\":\"2026-11-23T13:00:00.123Z\",\"level\":\"INFO\",\"source\":\"Main\","
            + "\"msg\":\"hi\",\"k\":\"v\"}\n",
        new LogfmtFormatter(true).format(record(Level.INFO, "hi", "k", "v")));
  }
}
