package dev.tsdb.server;

import com.sun.management.HotSpotDiagnosticMXBean;
import dev.tsdb.server.log.Log;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.List;
import java.util.logging.Logger;

/**
 * Gives the heap a burst grew back soon after the burst ends (see {@link HeapTrimPolicy}), by
 * requesting a collection. Runs only under G1 with {@code -XX:+ExplicitGCInvokesConcurrent}
 * (./tsdb passes it), where that request is a concurrent cycle: no stop-the-world full
 * collection, and G1 resizes the heap at its Remark pause. One daemon thread per process.
 */
final class HeapTrimmer implements Runnable {
  private static final Logger LOG = Logger.getLogger(HeapTrimmer.class.getName());
  static final long TICK_MS = 250;

  private final HeapTrimPolicy policy = new HeapTrimPolicy();
  private final List<GarbageCollectorMXBean> collectors =
      ManagementFactory.getGarbageCollectorMXBeans();
  private final List<MemoryPoolMXBean> retainingPools = ManagementFactory.getMemoryPoolMXBeans()
      .stream()
      .filter(p -> p.getType() == MemoryType.HEAP && !p.getName().contains("Eden"))
      .toList();

  private HeapTrimmer() {}

  /** Starts the trimmer when the JVM's collector makes an explicit collection concurrent. */
  static void startIfConcurrent() {
    if (!concurrentExplicitG1()) {
      Log.debug(LOG, "Heap trimming after bursts off (needs G1 and"
          + " -XX:+ExplicitGCInvokesConcurrent)");
      return;
    }
    Thread t = new Thread(new HeapTrimmer(), "heap-trimmer");
    t.setDaemon(true);
    t.start();
  }

  private static boolean concurrentExplicitG1() {
    boolean g1 = ManagementFactory.getGarbageCollectorMXBeans().stream()
        .anyMatch(c -> c.getName().startsWith("G1 "));
    if (!g1) {
      return false;
    }
    try {
      HotSpotDiagnosticMXBean hs =
          ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
      return hs != null
          && Boolean.parseBoolean(hs.getVMOption("ExplicitGCInvokesConcurrent").getValue());
    } catch (IllegalArgumentException | SecurityException e) {
      return false;
    }
  }

  @Override
  public void run() {
    try {
      while (true) {
        Thread.sleep(TICK_MS);
        tick();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void tick() {
    long gcCount = 0;
    for (GarbageCollectorMXBean c : collectors) {
      gcCount += Math.max(0, c.getCollectionCount());
    }
    long retained = 0;
    for (MemoryPoolMXBean p : retainingPools) {
      retained += p.getUsage().getUsed();
    }
    long committed = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted();
    if (policy.shouldTrim(gcCount, committed, retained, System.nanoTime() / 1_000_000)) {
      Log.debug(LOG, "Heap oversized after a burst, collecting",
          "committed_mib", committed >> 20, "retained_mib", retained >> 20);
      System.gc();
    }
  }
}
