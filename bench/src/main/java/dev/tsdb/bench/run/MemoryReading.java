package dev.tsdb.bench.run;

import dev.tsdb.bench.server.JvmHeap;
import dev.tsdb.bench.server.ProcStats;

/**
 * A server's footprint some time after the last ingest request was answered, with no forced GC
 * in between: what a burst (a sender catching up after an outage) leaves behind.
 *
 * @param heap our server's JVM heap at the same moment; null for Prometheus
 */
public record MemoryReading(double secondsAfterBurst, ProcStats stats, JvmHeap heap) {}
