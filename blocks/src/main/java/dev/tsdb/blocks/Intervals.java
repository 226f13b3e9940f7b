package dev.tsdb.blocks;

import java.util.Arrays;

/**
 * A sorted set of disjoint closed time intervals [mint, maxt], as tombstones hold them. Adding
 * merges overlapping and adjacent intervals (t is discrete, so [1,2] and [3,4] merge). Immutable;
 * {@link #add} returns a new instance.
 */
public final class Intervals {
  public static final Intervals EMPTY = new Intervals(new long[0]);

  private final long[] bounds; // mint0, maxt0, mint1, maxt1, ...

  private Intervals(long[] bounds) {
    this.bounds = bounds;
  }

  public static Intervals of(long mint, long maxt) {
    return EMPTY.add(mint, maxt);
  }

  public int size() {
    return bounds.length / 2;
  }

  public boolean isEmpty() {
    return bounds.length == 0;
  }

  public long mint(int i) {
    return bounds[2 * i];
  }

  public long maxt(int i) {
    return bounds[2 * i + 1];
  }

  public Intervals add(long mint, long maxt) {
    if (maxt < mint) {
      return this;
    }
    int n = size();
    long[] out = new long[bounds.length + 2];
    int k = 0;
    int i = 0;
    // Intervals entirely before the new one (not even adjacent).
    while (i < n && maxt(i) < mint && (mint == Long.MIN_VALUE || maxt(i) < mint - 1)) {
      out[k++] = mint(i);
      out[k++] = maxt(i);
      i++;
    }
    long lo = mint;
    long hi = maxt;
    while (i < n && (maxt == Long.MAX_VALUE || mint(i) <= maxt + 1)) {
      lo = Math.min(lo, mint(i));
      hi = Math.max(hi, maxt(i));
      i++;
    }
    out[k++] = lo;
    out[k++] = hi;
    while (i < n) {
      out[k++] = mint(i);
      out[k++] = maxt(i);
      i++;
    }
    return new Intervals(Arrays.copyOf(out, k));
  }

  public Intervals addAll(Intervals other) {
    Intervals r = this;
    for (int i = 0; i < other.size(); i++) {
      r = r.add(other.mint(i), other.maxt(i));
    }
    return r;
  }

  /** Whether t lies in one of the intervals. */
  public boolean contains(long t) {
    int lo = 0;
    int hi = size() - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      if (t < mint(mid)) {
        hi = mid - 1;
      } else if (t > maxt(mid)) {
        lo = mid + 1;
      } else {
        return true;
      }
    }
    return false;
  }

  /** Whether [mint, maxt] lies entirely within one interval. */
  public boolean covers(long mint, long maxt) {
    for (int i = 0; i < size(); i++) {
      if (mint(i) <= mint && maxt <= maxt(i)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Intervals iv && Arrays.equals(iv.bounds, bounds);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bounds);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < size(); i++) {
      if (i > 0) {
        sb.append(' ');
      }
      sb.append('[').append(mint(i)).append(',').append(maxt(i)).append(']');
    }
    return sb.append(']').toString();
  }
}
