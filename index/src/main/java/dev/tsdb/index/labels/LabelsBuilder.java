package dev.tsdb.index.labels;

import java.util.Arrays;

/** Mutable builder for {@link Labels}: set/delete by name, then build a sorted immutable set. */
public final class LabelsBuilder {
  private String[] nameValues;
  private int size; // number of pairs

  public LabelsBuilder() {
    nameValues = new String[16];
  }

  public LabelsBuilder(Labels base) {
    nameValues = base.toArray();
    size = base.size();
    if (nameValues.length == 0) {
      nameValues = new String[16];
    }
  }

  public LabelsBuilder reset() {
    Arrays.fill(nameValues, 0, size << 1, null);
    size = 0;
    return this;
  }

  /** Sets a label; an empty value removes it (Prometheus treats empty and absent alike). */
  public LabelsBuilder set(String name, String value) {
    if (value == null || value.isEmpty()) {
      return delete(name);
    }
    int i = find(name);
    if (i >= 0) {
      nameValues[(i << 1) + 1] = value;
      return this;
    }
    int at = -(i + 1);
    if ((size + 1) << 1 > nameValues.length) {
      nameValues = Arrays.copyOf(nameValues, nameValues.length * 2);
    }
    System.arraycopy(nameValues, at << 1, nameValues, (at + 1) << 1, (size - at) << 1);
    nameValues[at << 1] = name;
    nameValues[(at << 1) + 1] = value;
    size++;
    return this;
  }

  public LabelsBuilder delete(String name) {
    int i = find(name);
    if (i >= 0) {
      System.arraycopy(nameValues, (i + 1) << 1, nameValues, i << 1, (size - i - 1) << 1);
      size--;
      nameValues[size << 1] = null;
      nameValues[(size << 1) + 1] = null;
    }
    return this;
  }

  public String get(String name) {
    int i = find(name);
    return i < 0 ? "" : nameValues[(i << 1) + 1];
  }

  public int size() {
    return size;
  }

  private int find(String name) {
    return Labels.indexOf(nameValues, size, name);
  }

  public Labels build() {
    return Labels.fromSortedUnsafe(Arrays.copyOf(nameValues, size << 1));
  }
}
