package dev.tsdb.bench.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class ReplaySummaryTest {
  @Test
  void findsOursAndPrometheusReplayLines() {
    assertEquals("WAL replay done in 812 ms: 0 checkpoint records, 3 series",
        ReplaySummary.find("2026-01-01 INFO dev.tsdb.head.HeadReplay replay\n"
            + "INFO: Replaying WAL /d/wal with 2 worker(s)\n"
            + "INFO: WAL replay done in 812 ms: 0 checkpoint records, 3 series\n"
            + "INFO: Ready\n"));
    assertEquals("WAL replay done in 160 ms: 600 series, \\\"x\\\" (0 dropped)",
        ReplaySummary.find("time=2026 level=INFO source=HeadReplay msg=\"WAL replay done in 160"
            + " ms: 600 series, \\\"x\\\" (0 dropped)\" extra=1\n"));
    // Prometheus 2.42 (go-kit logfmt) and 3.5 (slog) both log msg="WAL replay completed".
    assertEquals("msg=\"WAL replay completed\" checkpoint_replay_duration=1ms"
        + " total_replay_duration=1.2s", ReplaySummary.find("ts=2026 caller=head.go:1 level=info"
            + " component=tsdb msg=\"WAL replay completed\" checkpoint_replay_duration=1ms"
            + " total_replay_duration=1.2s\n"));
    assertEquals("msg=\"WAL replay completed\" component=tsdb total_replay_duration=2s",
        ReplaySummary.find("time=2026 level=INFO source=head.go:1 msg=\"WAL replay completed\""
            + " component=tsdb total_replay_duration=2s"));
    assertNull(ReplaySummary.find("nothing replayed\n"));
  }
}
