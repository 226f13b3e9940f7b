package dev.tsdb.wal.record;

/**
 * The first byte of every WAL record (Prometheus tsdb/record): tells which payload follows.
 *
 * <p>We write {@link #SERIES}, {@link #SAMPLES}, {@link #TOMBSTONES}, {@link #EXEMPLARS},
 * {@link #METADATA} and the four V1 histogram types (7-10). We can decode {@link #SAMPLES_V2} too
 * (newer Prometheus with start-time storage); V2 histogram records are only recognised, so
 * replay can skip and count them.
 */
public final class RecordType {
  public static final byte SERIES = 1;
  public static final byte SAMPLES = 2;
  public static final byte TOMBSTONES = 3;
  public static final byte EXEMPLARS = 4;
  /** Only in the out-of-order WBL, never in the WAL. */
  public static final byte MMAP_MARKERS = 5;
  public static final byte METADATA = 6;
  public static final byte HISTOGRAM_SAMPLES = 7;
  public static final byte FLOAT_HISTOGRAM_SAMPLES = 8;
  public static final byte CUSTOM_BUCKETS_HISTOGRAM_SAMPLES = 9;
  public static final byte CUSTOM_BUCKETS_FLOAT_HISTOGRAM_SAMPLES = 10;
  public static final byte SAMPLES_V2 = 11;
  public static final byte HISTOGRAM_SAMPLES_V2 = 12;
  public static final byte FLOAT_HISTOGRAM_SAMPLES_V2 = 13;
  /** Written only into checkpoints by Prometheus 3.x; we never write it (2.x would reject it). */
  public static final byte MIN_VALID_TIME = 14;
  /** Returned by {@link #of} for an empty record or an unknown type byte. */
  public static final byte UNKNOWN = -1;

  private RecordType() {}

  /** The type of a record, or {@link #UNKNOWN}. */
  public static byte of(byte[] rec, int len) {
    if (len < 1) {
      return UNKNOWN;
    }
    byte t = rec[0];
    return t >= SERIES && t <= MIN_VALID_TIME ? t : UNKNOWN;
  }

  /** True for all native-histogram sample record types, V1 and V2. */
  public static boolean isHistogram(byte type) {
    return (type >= HISTOGRAM_SAMPLES && type <= CUSTOM_BUCKETS_FLOAT_HISTOGRAM_SAMPLES)
        || type == HISTOGRAM_SAMPLES_V2
        || type == FLOAT_HISTOGRAM_SAMPLES_V2;
  }

  public static String name(byte type) {
    switch (type) {
      case SERIES: return "series";
      case SAMPLES: return "samples";
      case TOMBSTONES: return "tombstones";
      case EXEMPLARS: return "exemplars";
      case MMAP_MARKERS: return "mmapmarkers";
      case METADATA: return "metadata";
      case HISTOGRAM_SAMPLES: return "histogram_samples";
      case FLOAT_HISTOGRAM_SAMPLES: return "float_histogram_samples";
      case CUSTOM_BUCKETS_HISTOGRAM_SAMPLES: return "custom_buckets_histogram_samples";
      case CUSTOM_BUCKETS_FLOAT_HISTOGRAM_SAMPLES: return "custom_buckets_float_histogram_samples";
      case SAMPLES_V2: return "samples_v2";
      case HISTOGRAM_SAMPLES_V2: return "histogram_samples_v2";
      case FLOAT_HISTOGRAM_SAMPLES_V2: return "float_histogram_samples_v2";
      case MIN_VALID_TIME: return "min_valid_time";
      default: return "unknown";
    }
  }
}
