package dev.tsdb.server;

import com.sun.management.HotSpotDiagnosticMXBean;
import dev.tsdb.server.log.Log;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.List;
import java.util.logging.Logger;

/**
 * Gives the heap a burst grew back soon after the burst ends (see {@link HeapTrimPolicy}), by
 * requesting a full collection ({@code System.gc()}): it compacts the live data and resizes the
 * heap within Min/MaxHeapFreeRatio. A concurrent cycle
 * ({@code -XX:+ExplicitGCInvokesConcurrent}) would avoid the pause but shrinks far less: the
 * burst's garbage that reached the old generation (chunks sealed during the burst) stays until
 * mixed collections, and an idle server runs none. The pause (~0.1-0.3 s for 100k series) falls
 * in a quiet second, at most every 15 s. Off with {@code -XX:+DisableExplicitGC}, and with
 * {@code -Dtsdb.heapTrim=false}. One daemon thread per process.
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

  /** Starts the trimmer unless turned off. */
  static void startUnlessDisabled() {
    if (!Boolean.parseBoolean(System.getProperty("tsdb.heapTrim", "true"))
        || vmFlag("DisableExplicitGC")) {
      Log.debug(LOG, "Heap trimming after bursts off");
      return;
    }
    Thread t = new Thread(new HeapTrimmer(), "heap-trimmer");
    t.setDaemon(true);
    t.start();
  }

  private static boolean vmFlag(String name) {
    try {
      HotSpotDiagnosticMXBean hs =
          ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
      return hs != null && Boolean.parseBoolean(hs.getVMOption(name).getValue());
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
    MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    long committed = heap.getCommitted();
    if (policy.shouldTrim(gcCount, heap.getUsed(), committed, retained,
        System.nanoTime() / 1_000_000)) {
      Log.debug(LOG, "Heap oversized after a burst, collecting",
          "committed_mib", committed >> 20, "retained_mib", retained >> 20);
      System.gc();
    }
  }
}
