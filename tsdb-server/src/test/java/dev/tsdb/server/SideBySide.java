package dev.tsdb.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tsdb.testkit.reference.Prometheus;
import java.net.http.HttpResponse;

/** The differential tests' set-up: our server and a reference Prometheus fed the same data. */
final class SideBySide {
  private SideBySide() {}

  /** Sends one remote-write request to the reference, then to us; both must accept it. */
  static void write(Prometheus ref, TestServer ours, byte[] request) throws Exception {
    HttpResponse<String> theirs = ref.write(request);
    HttpResponse<String> mine = ours.write(request);
    assertEquals(204, theirs.statusCode(), "reference: " + theirs.body());
    assertEquals(204, mine.statusCode(), "ours: " + mine.body());
  }

  /** Stops whichever of the two started. */
  static void stop(Prometheus ref, TestServer ours) {
    if (ref != null) {
      ref.close();
    }
    if (ours != null) {
      ours.close();
    }
  }
}
