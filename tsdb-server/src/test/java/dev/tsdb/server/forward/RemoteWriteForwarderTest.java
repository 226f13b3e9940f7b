package dev.tsdb.server.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tsdb.rules.config.ConfigLoader;
import dev.tsdb.rules.config.RemoteWriteConfig;
import org.junit.jupiter.api.Test;

/** Queue identity across reloads, and the shard calculation. */
class RemoteWriteForwarderTest {
  private static RemoteWriteConfig parse(String extra) throws Exception {
    return ConfigLoader.parse("remote_write:\n  - url: http://a/\n" + extra, "p.yml")
        .remoteWrite().get(0);
  }

  @Test
  void reloadingTheSameConfigKeepsTheQueue() throws Exception {
    String relabel = "    write_relabel_configs:\n      - source_labels: [a]\n"
        + "        regex: x.*\n        action: drop\n";
    assertTrue(RemoteWriteForwarder.sameSettings(parse(relabel), parse(relabel)));
    assertFalse(RemoteWriteForwarder.sameSettings(parse(relabel),
        parse(relabel.replace("x.*", "y.*"))));
    assertFalse(RemoteWriteForwarder.sameSettings(parse(""),
        parse("    queue_config: {max_shards: 3}\n")));
  }

  @Test
  void remoteNameIsTheNameOrAHashOfTheUrl() throws Exception {
    assertEquals("n", RemoteWriteForwarder.remoteName(parse("    name: n\n")));
    assertEquals(6, RemoteWriteForwarder.remoteName(parse("")).length());
  }

  @Test
  void shardsFollowTheTimeSendingTakes() {
    ShardCalculator c = new ShardCalculator();
    // 1000 items/s in and out, each second of sending busy for 3 s: 3 shards' worth.
    c.in(10_000);
    c.sent(10_000, 30_000_000_000L);
    assertEquals(3, c.desired(1, 1, 50, 10, 0));
    // 3 wanted while 4 run: within 30%, no change.
    c.in(10_000);
    c.sent(10_000, 30_000_000_000L);
    assertEquals(4, c.desired(4, 1, 50, 10, 0));
    // A backlog (the newest sent lags the newest read by 100 s) asks for more.
    c.in(10_000);
    c.sent(10_000, 30_000_000_000L);
    assertEquals(18, c.desired(3, 1, 50, 10, 100));
    // Limited by max_shards; nothing sent yet: keep what runs.
    c.in(100_000);
    c.sent(10_000, 100_000_000_000L);
    assertEquals(8, c.desired(3, 1, 8, 10, 0));
    assertEquals(2, new ShardCalculator().desired(2, 1, 8, 10, 0));
  }
}
