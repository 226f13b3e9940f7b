package dev.tsdb.bench.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PrometheusVersionTest {
  @Test
  void parsesWhatBothReleasesPrint() {
    // As printed by Debian's packages of 2.42 and 3.5.
    PrometheusVersion v2 = PrometheusVersion.parse("prometheus, version 2.42.0+ds (branch:"
        + " debian/sid, revision: 2.42.0+ds-5+deb12u1)\n  build user:       team\n"
        + "  go version:       go1.19.8\n  platform:         linux/amd64\n");
    assertEquals(new PrometheusVersion("2.42.0+ds", "go1.19.8"), v2);
    assertEquals("2.42", v2.shortName());
    PrometheusVersion v3 = PrometheusVersion.parse("prometheus, version 3.5.3+ds1 (branch:"
        + " debian/sid, revision: 3.5.3+ds1-6)\n  go version:       go1.27.1\n");
    assertEquals("3.5", v3.shortName());
    assertEquals("3.5.3+ds1", v3.release());
    PrometheusVersion unknown = PrometheusVersion.parse("no such flag");
    assertEquals("unknown", unknown.release());
    assertEquals("unknown", unknown.shortName());
  }
}
