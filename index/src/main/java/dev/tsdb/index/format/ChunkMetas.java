package dev.tsdb.index.format;

import java.util.Arrays;

/**
 * A reusable list of chunk metadata of one series: per chunk its first and last sample time
 * (inclusive) and its reference into the chunk segment files. Kept as parallel primitive arrays
 * so decoding a series allocates nothing once the arrays have grown.
 */
public final class ChunkMetas {
  private long[] minTimes = new long[4];
  private long[] maxTimes = new long[4];
  private long[] refs = new long[4];
  private int size;

  public ChunkMetas clear() {
    size = 0;
    return this;
  }

  public ChunkMetas add(long minTime, long maxTime, long ref) {
    if (size == refs.length) {
      int n = size * 2;
      minTimes = Arrays.copyOf(minTimes, n);
      maxTimes = Arrays.copyOf(maxTimes, n);
      refs = Arrays.copyOf(refs, n);
    }
    minTimes[size] = minTime;
    maxTimes[size] = maxTime;
    refs[size] = ref;
    size++;
    return this;
  }

  /** Whether a chunk starting at {@code minTime} may follow the last one (no overlap). */
  public boolean isEmptyOrBefore(long minTime) {
    return size == 0 || maxTimes[size - 1] < minTime;
  }

  public int size() {
    return size;
  }

  public long minTime(int i) {
    return minTimes[i];
  }

  public long maxTime(int i) {
    return maxTimes[i];
  }

  public long ref(int i) {
    return refs[i];
  }

  /** Keeps only the chunks that overlap the closed interval [mint, maxt]. */
  public void retainOverlapping(long mint, long maxt) {
    int j = 0;
    for (int i = 0; i < size; i++) {
      if (minTimes[i] <= maxt && maxTimes[i] >= mint) {
        minTimes[j] = minTimes[i];
        maxTimes[j] = maxTimes[i];
        refs[j] = refs[i];
        j++;
      }
    }
    size = j;
  }

  public void removeAt(int i) {
    System.arraycopy(minTimes, i + 1, minTimes, i, size - i - 1);
    System.arraycopy(maxTimes, i + 1, maxTimes, i, size - i - 1);
    System.arraycopy(refs, i + 1, refs, i, size - i - 1);
    size--;
  }

  public ChunkMetas copy() {
    ChunkMetas c = new ChunkMetas();
    c.minTimes = Arrays.copyOf(minTimes, Math.max(1, size));
    c.maxTimes = Arrays.copyOf(maxTimes, Math.max(1, size));
    c.refs = Arrays.copyOf(refs, Math.max(1, size));
    c.size = size;
    return c;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < size; i++) {
      if (i > 0) {
        sb.append(", ");
      }
      sb.append('{').append(minTimes[i]).append("..").append(maxTimes[i]).append(" @")
          .append(Long.toHexString(refs[i])).append('}');
    }
    return sb.append(']').toString();
  }
}
