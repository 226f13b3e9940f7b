package dev.tsdb.server.flags;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class FlagSetTest {
  @Test
  void defaultsAndBothSyntaxes() throws FlagException {
    ServerFlags f = new ServerFlags();
    FlagSet.Parsed p = f.set.parse(new String[] {"--storage.tsdb.path", "/x",
        "--web.listen-address=:9091", "--query.timeout=30s", "--web.enable-lifecycle"});
    assertEquals("/x", p.get(f.tsdbPath));
    assertEquals(new ListenAddress("", 9091), p.get(f.listenAddress));
    assertEquals("0.0.0.0", p.get(f.listenAddress).bindHost());
    assertEquals(30_000L, p.get(f.queryTimeout));
    assertTrue(p.get(f.enableLifecycle));
    assertFalse(p.get(f.enableAdminApi));
    assertEquals(300_000L, p.get(f.lookbackDelta));
    assertNull(p.get(f.retentionTime));
    assertEquals(32 << 20, p.get(f.remoteWriteMaxBytes));
    assertEquals("info", p.get(f.logLevel));
    assertEquals("/x", p.asText().get("storage.tsdb.path"));
    assertTrue(p.isSet(f.tsdbPath));
    assertFalse(p.isSet(f.configFile));
  }

  @Test
  void rulesAndAlertmanagerFlagsHavePrometheusDefaults() throws FlagException {
    ServerFlags f = new ServerFlags();
    FlagSet.Parsed p = f.set.parse(new String[0]);
    assertEquals(3_600_000L, p.get(f.outageTolerance));
    assertEquals(600_000L, p.get(f.forGracePeriod));
    assertEquals(60_000L, p.get(f.resendDelay));
    assertEquals(4, p.get(f.maxConcurrentEvals));
    assertEquals(10_000, p.get(f.notificationQueueCapacity));
    assertTrue(p.get(f.drainNotificationQueue));
    assertEquals("1h", p.asText().get("rules.alert.for-outage-tolerance"));
    assertEquals("true", p.asText().get("alertmanager.drain-notification-queue-on-shutdown"));
    p = f.set.parse(new String[] {"--rules.alert.resend-delay=5s",
        "--no-alertmanager.drain-notification-queue-on-shutdown",
        "--alertmanager.notification-queue-capacity=10", "--rules.max-concurrent-evals=8"});
    assertEquals(5_000L, p.get(f.resendDelay));
    assertFalse(p.get(f.drainNotificationQueue));
    assertEquals(10, p.get(f.notificationQueueCapacity));
    assertEquals(8, p.get(f.maxConcurrentEvals));
  }

  @Test
  void laterValuesWinAndRepeatablesCollect() throws FlagException {
    ServerFlags f = new ServerFlags();
    FlagSet.Parsed p = f.set.parse(new String[] {"--storage.tsdb.path=./data",
        "--storage.tsdb.path=/other", "--enable-feature=a,b", "--enable-feature", "c",
        "--no-web.enable-lifecycle", "--storage.tsdb.retention.size=512MB"});
    assertEquals("/other", p.get(f.tsdbPath));
    assertEquals(List.of("a,b", "c"), p.getAll(f.enableFeature));
    assertFalse(p.get(f.enableLifecycle));
    assertEquals(512L << 20, p.get(f.retentionSize));
  }

  @Test
  void errorsNameTheFlag() {
    ServerFlags f = new ServerFlags();
    assertEquals("unknown long flag '--nope', try --help",
        assertThrows(FlagException.class, () -> f.set.parse(new String[] {"--nope"}))
            .getMessage());
    assertEquals("expected argument for flag '--config.file'",
        assertThrows(FlagException.class, () -> f.set.parse(new String[] {"--config.file"}))
            .getMessage());
    assertEquals("invalid value \"abc\" for flag '--web.listen-address': address abc: missing"
            + " port in address", assertThrows(FlagException.class,
        () -> f.set.parse(new String[] {"--web.listen-address=abc"})).getMessage());
    assertThrows(FlagException.class, () -> f.set.parse(new String[] {"--log.level=trace"}));
    assertThrows(FlagException.class, () -> f.set.parse(new String[] {"--query.timeout=1x"}));
    assertThrows(FlagException.class, () -> f.set.parse(new String[] {"--web.cors.origin=("}));
    assertThrows(FlagException.class, () -> f.set.parse(new String[] {"positional"}));
  }

  /** Prometheus 3.5 reads int flags with strconv.ParseFloat and truncates (checked). */
  @Test
  void intFlagsReadGoFloats() throws FlagException {
    ServerFlags f = new ServerFlags();
    FlagSet.Parsed p = f.set.parse(new String[] {"--query.max-concurrency=1_0"});
    assertEquals(10, p.get(f.queryMaxConcurrency));
    p = f.set.parse(new String[] {"--query.max-concurrency=1e2"});
    assertEquals(100, p.get(f.queryMaxConcurrency));
    p = f.set.parse(new String[] {"--query.max-concurrency=2.9"});
    assertEquals(2, p.get(f.queryMaxConcurrency));
    assertTrue(assertThrows(FlagException.class,
        () -> f.set.parse(new String[] {"--query.max-concurrency=0x10"})).getMessage()
        .endsWith("strconv.ParseFloat: parsing \"0x10\": invalid syntax"));
    assertThrows(FlagException.class,
        () -> f.set.parse(new String[] {"--query.max-concurrency=-1"}));
    assertThrows(FlagException.class,
        () -> f.set.parse(new String[] {"--query.max-concurrency=NaN"}));
  }

  @Test
  void helpAndVersion() throws FlagException {
    ServerFlags f = new ServerFlags();
    assertTrue(f.set.parse(new String[] {"--help"}).help());
    assertTrue(f.set.parse(new String[] {"--version"}).version());
    String usage = f.set.usage();
    assertTrue(usage.contains("--storage.tsdb.path=<value>"));
    assertTrue(usage.contains("(default: data/)"));
  }

  @Test
  void remoteWriteMessagesAreCheckedAsPrometheusChecksThem() throws FlagException {
    ServerFlags f = new ServerFlags();
    FlagSet.Parsed none = f.set.parse(new String[0]);
    assertEquals(List.of("prometheus.WriteRequest", "io.prometheus.write.v2.Request"),
        none.getAll(f.remoteWriteMessages));
    assertEquals("prometheus.WriteRequest,io.prometheus.write.v2.Request",
        none.asText().get("web.remote-write-receiver.accepted-protobuf-messages"));
    assertEquals(List.of("prometheus.WriteRequest", "io.prometheus.write.v2.Request"),
        f.set.parse(new String[] {
            "--web.remote-write-receiver.accepted-protobuf-messages=prometheus.WriteRequest",
            "--web.remote-write-receiver.accepted-protobuf-messages",
            "io.prometheus.write.v2.Request"}).getAll(f.remoteWriteMessages));
    FlagException e = assertThrows(FlagException.class, () -> f.set.parse(new String[] {
        "--web.remote-write-receiver.accepted-protobuf-messages=v3"}));
    assertEquals("invalid value \"v3\" for flag '--web.remote-write-receiver.accepted-protobuf"
        + "-messages': unknown remote write protobuf message v3, supported:"
        + " prometheus.WriteRequest, io.prometheus.write.v2.Request", e.getMessage());
  }
}
