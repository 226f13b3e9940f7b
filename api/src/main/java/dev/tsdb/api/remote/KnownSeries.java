package dev.tsdb.api.remote;

import dev.tsdb.index.labels.Labels;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Series that remote write 1.0 requests named before, found by the raw bytes of their Label
 * messages: a sender repeats every series' full label set in every request, and decoding those
 * strings, hashing them and comparing them with the stored series was the largest cost of the
 * ingest path. A hit gives the storage's own {@link Labels} and the series reference the last
 * append returned, so the request's label strings are never decoded.
 *
 * <p>Exact, not probabilistic: a hit is only taken after the bytes were compared, label by label,
 * with the cached labels (which are sorted, unique, non-empty and valid, since the storage
 * accepted them), so the bytes name exactly that label set. Bytes in any other form (unsorted,
 * empty values, unknown fields, non-ASCII strings, other field order) simply miss and take the
 * full decoding path with its validation and error messages.
 *
 * <p>Shared by the request threads of one handler: arrays of immutable entries, read and
 * written without locks (a racy read sees a whole entry or another one, and a stale or lost
 * entry only costs a miss), four-way set-associative, grown as series come. The references may
 * go stale (the
 * series was deleted, or the storage behind the handler changed); storage checks a reference
 * against the labels passed with it.
 */
final class KnownSeries {
  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final int TAG_NAME = (1 << 3) | ProtoReader.LEN;
  private static final int TAG_VALUE = (2 << 3) | ProtoReader.LEN;
  private static final int TAG_LABEL = (1 << 3) | ProtoReader.LEN;

  /** One remembered series: the hash of its Label bytes, its labels and reference. */
  record Entry(long hash, Labels labels, long ref) {}

  /** Slots in sets of {@link #WAYS}; a hash's set is fixed, any of its slots may hold it. */
  private static final class Table {
    final int[] tags; // a hash's high half, read before an entry is dereferenced
    final Entry[] entries;
    final int mask;
    int filled; // approximate under races: it only paces growth

    Table(int capacity) {
      tags = new int[capacity];
      entries = new Entry[capacity];
      mask = capacity - 1;
    }
  }

  private static final int WAYS = 4;
  private static final int MIN_CAPACITY = 1 << 12;
  private final int maxCapacity;
  private volatile Table table = new Table(MIN_CAPACITY);

  /**
   * @param maxCapacityPow2 the most slots (a power of two): the table doubles while more than a
   *     quarter of its slots are used, so sets rarely overflow (an overflowing set makes its
   *     series evict each other on every request), up to this
   */
  KnownSeries(int maxCapacityPow2) {
    if (Integer.bitCount(maxCapacityPow2) != 1 || maxCapacityPow2 < MIN_CAPACITY) {
      throw new IllegalArgumentException("capacity must be a power of two of at least "
          + MIN_CAPACITY + ": " + maxCapacityPow2);
    }
    maxCapacity = maxCapacityPow2;
  }

  /** The entry whose labels the bytes {@code buf[from, to)} (Label messages) spell, or null. */
  Entry find(byte[] buf, int from, int to, long hash) {
    Table t = table;
    int base = (int) hash & t.mask & -WAYS;
    int tag = (int) (hash >>> 32);
    for (int i = base; i < base + WAYS; i++) {
      if (t.tags[i] == tag) {
        Entry e = t.entries[i];
        if (e != null && e.hash == hash && matches(buf, from, to, e.labels)) {
          return e;
        }
      }
    }
    return null;
  }

  /** Remembers a series whose Label bytes hash to {@code hash}. */
  void remember(long hash, Labels labels, long ref) {
    Table t = table;
    int base = (int) hash & t.mask & -WAYS;
    int slot = -1;
    for (int i = base; i < base + WAYS; i++) {
      Entry e = t.entries[i];
      if (e == null || e.hash == hash) {
        slot = i;
        if (e == null) {
          t.filled++;
        }
        break;
      }
    }
    if (slot < 0) {
      slot = base + (int) (hash >>> 60 & (WAYS - 1)); // a full set: evict one
    }
    t.entries[slot] = new Entry(hash, labels, ref);
    t.tags[slot] = (int) (hash >>> 32);
    if (t.filled > t.entries.length / 4 && t.entries.length < maxCapacity) {
      grow(t);
    }
  }

  /** Doubles the table; entries remembered meanwhile into the old one may be lost (a miss). */
  private synchronized void grow(Table old) {
    if (table != old) {
      return;
    }
    Table t = new Table(old.entries.length * 2);
    for (Entry e : old.entries) {
      if (e == null) {
        continue;
      }
      int base = (int) e.hash & t.mask & -WAYS;
      for (int i = base; i < base + WAYS; i++) {
        if (t.entries[i] == null) {
          t.entries[i] = e;
          t.tags[i] = (int) (e.hash >>> 32);
          t.filled++;
          break;
        }
      }
    }
    table = t;
  }

  /** Slots now (tests). */
  int capacity() {
    return table.entries.length;
  }

  /** A 64-bit hash of {@code buf[from, to)}, eight bytes at a time. */
  static long hash(byte[] buf, int from, int to) {
    long h = 0x9E3779B97F4A7C15L ^ (to - from);
    int i = from;
    for (; i + 8 <= to; i += 8) {
      h = (h ^ (long) LONGS.get(buf, i)) * 0xff51afd7ed558ccdL;
      h ^= h >>> 32;
    }
    long tail = 0;
    for (int shift = 0; i < to; i++, shift += 8) {
      tail |= (buf[i] & 0xffL) << shift;
    }
    h = (h ^ tail) * 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    return h;
  }

  /**
   * Whether {@code buf[from, to)} is exactly the Label messages of {@code labels} in order, each
   * as {@code name = 1} then {@code value = 2}, ASCII only. Never throws on malformed bytes.
   */
  static boolean matches(byte[] buf, int from, int to, Labels labels) {
    int p = from;
    for (int i = 0, n = labels.size(); i < n; i++) {
      if (p >= to || buf[p] != TAG_LABEL) {
        return false;
      }
      long lv = varint(buf, p + 1, to);
      if (lv < 0) {
        return false;
      }
      p = (int) lv;
      int end = p + (int) (lv >>> 32);
      if (end > to) {
        return false;
      }
      p = string(buf, p, end, TAG_NAME, labels.name(i));
      if (p < 0) {
        return false;
      }
      p = string(buf, p, end, TAG_VALUE, labels.value(i));
      if (p != end) {
        return false;
      }
    }
    return p == to;
  }

  /** Reads field {@code tag} holding exactly {@code s}; the position after it, or -1. */
  private static int string(byte[] buf, int p, int end, int tag, String s) {
    if (p >= end || buf[p] != tag) {
      return -1;
    }
    long lv = varint(buf, p + 1, end);
    int len = (int) (lv >>> 32);
    if (lv < 0 || len != s.length()) {
      return -1;
    }
    p = (int) lv;
    if (p + len > end) {
      return -1;
    }
    for (int i = 0; i < len; i++) {
      byte b = buf[p + i];
      if (b < 0 || b != s.charAt(i)) { // non-ASCII: left to the full decoder
        return -1;
      }
    }
    return p + len;
  }

  /**
   * A length varint of at most 4 bytes at {@code buf[p]}: the length in the high 32 bits and the
   * position after it in the low ones, or -1.
   */
  private static long varint(byte[] buf, int p, int end) {
    int v = 0;
    for (int shift = 0; shift < 28 && p < end; shift += 7) {
      byte b = buf[p++];
      v |= (b & 0x7f) << shift;
      if (b >= 0) {
        return (long) v << 32 | p;
      }
    }
    return -1;
  }
}
