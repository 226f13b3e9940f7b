package dev.tsdb.head.chunkenc;

import dev.tsdb.index.histogram.CounterResetHint;

/**
 * The two high bits of a histogram chunk's third byte: what is known about a counter reset
 * between the previous chunk of the series and this one, or that the chunk holds a gauge
 * histogram (Prometheus's chunkenc.CounterResetHeader).
 */
public enum CounterResetHeader {
  UNKNOWN(0b00),
  NOT_COUNTER_RESET(0b01),
  COUNTER_RESET(0b10),
  GAUGE(0b11);

  static final int MASK = 0b1100_0000;
  /** Offset of the header byte in the chunk (after the 2-byte sample count). */
  static final int BYTE_INDEX = 2;

  private final int bits;

  CounterResetHeader(int bits) {
    this.bits = bits;
  }

  /** The header byte's value with only these two bits set. */
  int headerBits() {
    return bits << 6;
  }

  /** The header of a chunk held in {@code b[off, ...)} (at least 3 bytes). */
  public static CounterResetHeader of(byte[] b, int off) {
    return fromByte(b[off + BYTE_INDEX]);
  }

  static CounterResetHeader fromByte(int headerByte) {
    return switch ((headerByte & MASK) >>> 6) {
      case 0b01 -> NOT_COUNTER_RESET;
      case 0b10 -> COUNTER_RESET;
      case 0b11 -> GAUGE;
      default -> UNKNOWN;
    };
  }

  /** The header a chunk starting with a histogram that carries this hint would get. */
  public static CounterResetHeader ofHint(CounterResetHint hint) {
    return switch (hint) {
      case COUNTER_RESET -> COUNTER_RESET;
      case NOT_COUNTER_RESET -> NOT_COUNTER_RESET;
      case GAUGE -> GAUGE;
      default -> UNKNOWN;
    };
  }

  /**
   * The hint of the {@code sampleNumber}th (1-based) histogram read from a chunk with this
   * header: gauge chunks hold gauges; later samples never follow a reset; the first one reads
   * as unknown whatever the header says, as in Prometheus (3.5 and later): the previous chunk
   * may be gone, or may have come later through out-of-order or backfilled data, so neither
   * "reset" nor "not a reset" can be trusted across chunks.
   */
  CounterResetHint hintFor(int sampleNumber) {
    if (this == GAUGE) {
      return CounterResetHint.GAUGE;
    }
    return sampleNumber > 1 ? CounterResetHint.NOT_COUNTER_RESET : CounterResetHint.UNKNOWN;
  }
}
