package dev.tsdb.wal.record;

import java.util.Arrays;

/**
 * Series metadata (ref, metric type, unit, help); reusable, see {@link SampleBatch}. Types use
 * Prometheus's record.MetricType numbering, see the constants.
 */
public final class MetadataBatch {
  public static final byte UNKNOWN = 0;
  public static final byte COUNTER = 1;
  public static final byte GAUGE = 2;
  public static final byte HISTOGRAM = 3;
  public static final byte GAUGE_HISTOGRAM = 4;
  public static final byte SUMMARY = 5;
  public static final byte INFO = 6;
  public static final byte STATESET = 7;

  public long[] refs;
  public byte[] types;
  public String[] units;
  public String[] helps;
  public int size;

  public MetadataBatch() {
    this(16);
  }

  public MetadataBatch(int capacity) {
    capacity = Math.max(1, capacity);
    refs = new long[capacity];
    types = new byte[capacity];
    units = new String[capacity];
    helps = new String[capacity];
  }

  public void clear() {
    Arrays.fill(units, 0, size, null);
    Arrays.fill(helps, 0, size, null);
    size = 0;
  }

  public int size() {
    return size;
  }

  public void add(long ref, byte type, String unit, String help) {
    if (size == refs.length) {
      int cap = refs.length * 2;
      refs = Arrays.copyOf(refs, cap);
      types = Arrays.copyOf(types, cap);
      units = Arrays.copyOf(units, cap);
      helps = Arrays.copyOf(helps, cap);
    }
    refs[size] = ref;
    types[size] = type;
    units[size] = unit == null ? "" : unit;
    helps[size] = help == null ? "" : help;
    size++;
  }

  /** Prometheus's metric type name ("counter", ...; "unknown" for anything else). */
  public static String typeName(byte type) {
    switch (type) {
      case COUNTER: return "counter";
      case GAUGE: return "gauge";
      case HISTOGRAM: return "histogram";
      case GAUGE_HISTOGRAM: return "gaugehistogram";
      case SUMMARY: return "summary";
      case INFO: return "info";
      case STATESET: return "stateset";
      default: return "unknown";
    }
  }

  /** Inverse of {@link #typeName}; unknown names map to {@link #UNKNOWN}. */
  public static byte typeOf(String name) {
    switch (name) {
      case "counter": return COUNTER;
      case "gauge": return GAUGE;
      case "histogram": return HISTOGRAM;
      case "gaugehistogram": return GAUGE_HISTOGRAM;
      case "summary": return SUMMARY;
      case "info": return INFO;
      case "stateset": return STATESET;
      default: return UNKNOWN;
    }
  }
}
