package dev.tsdb.index.storage;

/** Something samples can be written to. */
public interface Appendable {
  Appender appender();
}
