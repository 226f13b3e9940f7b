package dev.tsdb.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tsdb.testkit.process.TsdbJarServer;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Concurrent remote writers against a server that is SIGKILLed while they write, for the crash
 * tests: each writer sends its requests 0, 1, 2, ... until the server is gone, and what came
 * back is recorded per request (acknowledged with 204, or unknown: sent when the server died).
 */
final class KillDuringWrites {
  private KillDuringWrites() {}

  /** Request k of writer w. */
  interface Requests {
    byte[] request(int writer, int k);
  }

  /**
   * Runs {@code writers} writers until each had {@code warm} requests acknowledged, lets them go
   * on for {@code settleMs}, kills the server and waits for the writers. Any answer but 204
   * before the kill fails the test.
   *
   * @return per writer, per request sent: true when acknowledged
   */
  static List<List<Boolean>> run(TsdbJarServer s, int writers, int warm, long settleMs,
      Requests requests) throws InterruptedException {
    List<List<Boolean>> acked = new ArrayList<>();
    List<Throwable> unexpected = new CopyOnWriteArrayList<>();
    CountDownLatch warmedUp = new CountDownLatch(writers);
    AtomicBoolean stop = new AtomicBoolean();
    List<Thread> threads = new ArrayList<>();
    for (int w = 0; w < writers; w++) {
      List<Boolean> mine = new ArrayList<>();
      acked.add(mine);
      int writer = w;
      Thread t = new Thread(() -> {
        for (int k = 0; !stop.get(); k++) {
          byte[] req = requests.request(writer, k);
          synchronized (mine) {
            mine.add(false); // sent; acknowledged only on 204
          }
          try {
            HttpResponse<String> r = s.write(req);
            if (r.statusCode() != 204) {
              unexpected.add(new AssertionError("request " + k + ": " + r.statusCode() + " "
                  + r.body()));
              return;
            }
            synchronized (mine) {
              mine.set(k, true);
            }
            if (k == warm) {
              warmedUp.countDown();
            }
          } catch (IOException | InterruptedException e) {
            return; // the server is gone: this request's fate is unknown
          }
        }
      }, "writer-" + w);
      t.start();
      threads.add(t);
    }
    assertTrue(warmedUp.await(60, TimeUnit.SECONDS), "writers warmed up");
    Thread.sleep(settleMs);
    s.kill(); // SIGKILL while every writer has a request in flight
    stop.set(true);
    for (Thread t : threads) {
      t.join(60_000);
    }
    assertEquals(List.of(), unexpected);
    return acked;
  }
}
