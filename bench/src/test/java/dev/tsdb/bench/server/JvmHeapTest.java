package dev.tsdb.bench.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class JvmHeapTest {
  @Test
  void sumsTheHeapPoolsOnly() {
    String metrics = String.join("\n",
        "# HELP jvm_memory_used_bytes The amount of used memory",
        "# TYPE jvm_memory_used_bytes gauge",
        "jvm_memory_used_bytes{area=\"heap\",id=\"G1 Eden Space\"} 1.048576E7",
        "jvm_memory_used_bytes{area=\"heap\",id=\"G1 Old Gen\"} 2.0E7",
        "jvm_memory_used_bytes{area=\"nonheap\",id=\"Metaspace\"} 5.0E7",
        "jvm_memory_committed_bytes{area=\"heap\",id=\"G1 Eden Space\"} 2.097152E7",
        "jvm_memory_committed_bytes{area=\"heap\",id=\"G1 Old Gen\"} 4.0E7 1700000000000",
        "jvm_memory_max_bytes{area=\"heap\",id=\"G1 Old Gen\"} 1.0E9",
        "");
    assertEquals(new JvmHeap(30_485_760, 60_971_520), JvmHeap.parse(metrics));
    assertNull(JvmHeap.parse("go_memstats_heap_inuse_bytes 1.2e+07\n"));
  }
}
