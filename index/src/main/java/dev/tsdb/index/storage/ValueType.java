package dev.tsdb.index.storage;

/** What an iterator is positioned on. NONE means exhausted. */
public enum ValueType {
  NONE, FLOAT, HISTOGRAM, FLOAT_HISTOGRAM
}
