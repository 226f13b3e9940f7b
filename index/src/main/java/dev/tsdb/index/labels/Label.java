package dev.tsdb.index.labels;

/** One name/value pair. Only used at API edges; storage keeps labels flat in {@link Labels}. */
public record Label(String name, String value) {}
