package dev.tsdb.index.labels;

import dev.tsdb.gocompat.GoStrings;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.function.BiConsumer;

/**
 * An immutable label set, sorted by label name, names unique, no empty values.
 *
 * <p>Held as one flat {@code String[]} of alternating names and values so a series costs one
 * array plus its (interned) strings, and comparisons walk the array without iterators.
 */
public final class Labels implements Comparable<Labels>, Iterable<Label> {
  public static final String METRIC_NAME = "__name__";
  public static final Labels EMPTY = new Labels(new String[0]);

  private final String[] nameValues;
  private int hashCode; // cached Java hash; 0 until computed

  private Labels(String[] nameValues) {
    this.nameValues = nameValues;
  }

  /** Builds from alternating names and values in any order; empty values are dropped. */
  public static Labels of(String... nameValues) {
    if ((nameValues.length & 1) != 0) {
      throw new IllegalArgumentException("odd number of name/value strings");
    }
    LabelsBuilder b = new LabelsBuilder();
    for (int i = 0; i < nameValues.length; i += 2) {
      b.set(nameValues[i], nameValues[i + 1]);
    }
    return b.build();
  }

  public static Labels fromMap(Map<String, String> map) {
    LabelsBuilder b = new LabelsBuilder();
    map.forEach(b::set);
    return b.build();
  }

  /**
   * Wraps an array that the caller guarantees is already sorted by name, duplicate-free and
   * without empty values. The array is not copied: the caller must not change it afterwards.
   */
  public static Labels fromSortedUnsafe(String[] nameValues) {
    return nameValues.length == 0 ? EMPTY : new Labels(nameValues);
  }

  public int size() {
    return nameValues.length >> 1;
  }

  public boolean isEmpty() {
    return nameValues.length == 0;
  }

  public String name(int i) {
    return nameValues[i << 1];
  }

  public String value(int i) {
    return nameValues[(i << 1) + 1];
  }

  /** The value of the named label, or "" when absent (as Prometheus's Labels.Get). */
  public String get(String name) {
    int i = indexOf(name);
    return i < 0 ? "" : nameValues[(i << 1) + 1];
  }

  public boolean has(String name) {
    return indexOf(name) >= 0;
  }

  /** Index of the named label, or a negative number when absent. */
  public int indexOf(String name) {
    return indexOf(nameValues, size(), name);
  }

  /**
   * Binary search for {@code name} among the first {@code pairs} names of a sorted name/value
   * array: its pair index, or {@code -(insertion point) - 1}. Shared with {@link LabelsBuilder}.
   */
  static int indexOf(String[] nameValues, int pairs, String name) {
    int lo = 0;
    int hi = pairs - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      int c = nameValues[mid << 1].compareTo(name);
      if (c == 0) {
        return mid;
      } else if (c < 0) {
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return -(lo + 1);
  }

  public String metricName() {
    return get(METRIC_NAME);
  }

  public void forEach(BiConsumer<String, String> action) {
    for (int i = 0; i < nameValues.length; i += 2) {
      action.accept(nameValues[i], nameValues[i + 1]);
    }
  }

  public LabelsBuilder toBuilder() {
    return new LabelsBuilder(this);
  }

  /** A copy without the named labels. */
  public Labels without(Collection<String> names) {
    LabelsBuilder b = toBuilder();
    for (String n : names) {
      b.delete(n);
    }
    return b.build();
  }

  public Labels without(String... names) {
    return without(Arrays.asList(names));
  }

  /** A copy with only the named labels. */
  public Labels keepOnly(Collection<String> names) {
    List<String> kept = new ArrayList<>();
    for (int i = 0; i < nameValues.length; i += 2) {
      if (names.contains(nameValues[i])) {
        kept.add(nameValues[i]);
        kept.add(nameValues[i + 1]);
      }
    }
    return fromSortedUnsafe(kept.toArray(new String[0]));
  }

  /** A copy of the backing array (names and values alternating). */
  public String[] toArray() {
    return nameValues.clone();
  }

  /**
   * A 64-bit hash of names and values, stable across runs (it does not depend on
   * String.hashCode's caching), used to stripe series maps and to group series.
   */
  public long hash64() {
    return hash64(nameValues, nameValues.length);
  }

  /**
   * {@link #hash64()} of the label set held as sorted name/value strings in
   * {@code nameValues[0..len)}, without building it (lets writers look series up allocation-free).
   */
  public static long hash64(String[] nameValues, int len) {
    long h = 0x9E3779B97F4A7C15L;
    for (int j = 0; j < len; j++) {
      String s = nameValues[j];
      for (int i = 0, n = s.length(); i < n; i++) {
        h = (h ^ s.charAt(i)) * 0x100000001B3L;
      }
      h = (h ^ 0xFF) * 0x100000001B3L; // separator, so ("ab","c") != ("a","bc")
    }
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return h;
  }

  @Override
  public int compareTo(Labels o) {
    int n = Math.min(nameValues.length, o.nameValues.length);
    for (int i = 0; i < n; i++) {
      int c = nameValues[i].compareTo(o.nameValues[i]);
      if (c != 0) {
        return c;
      }
    }
    return nameValues.length - o.nameValues.length;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof Labels other)) {
      return false;
    }
    return Arrays.equals(nameValues, other.nameValues);
  }

  /** Whether this set equals the name/value strings {@code nameValues[0..len)}. */
  public boolean equalsPairs(String[] nameValues, int len) {
    String[] nv = this.nameValues;
    if (nv.length != len) {
      return false;
    }
    for (int i = 0; i < len; i++) {
      if (!nv[i].equals(nameValues[i])) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    int h = hashCode;
    if (h == 0) {
      h = Arrays.hashCode(nameValues);
      hashCode = h;
    }
    return h;
  }

  @Override
  public Iterator<Label> iterator() {
    return new Iterator<>() {
      int i;

      @Override
      public boolean hasNext() {
        return i < nameValues.length;
      }

      @Override
      public Label next() {
        if (i >= nameValues.length) {
          throw new NoSuchElementException();
        }
        Label l = new Label(nameValues[i], nameValues[i + 1]);
        i += 2;
        return l;
      }
    };
  }

  /** Prometheus's Labels.String(): {@code {__name__="up", job="x"}}. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("{");
    for (int i = 0; i < nameValues.length; i += 2) {
      if (i > 0) {
        sb.append(", ");
      }
      LabelStrings.appendName(sb, nameValues[i]);
      sb.append('=');
      GoStrings.appendQuoted(sb, nameValues[i + 1]);
    }
    return sb.append('}').toString();
  }
}
