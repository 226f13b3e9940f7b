package dev.tsdb.api.remote;

import dev.tsdb.gocompat.GoStrings;
import dev.tsdb.index.labels.LabelStrings;
import dev.tsdb.index.labels.Labels;
import dev.tsdb.index.storage.Appender;
import java.io.IOException;
import java.util.Arrays;

/**
 * Collects one series' labels, validates them and builds a sorted {@link Labels}: remote write
 * 1.0 reads them from Label messages ({@link #readLabel}), 2.0 adds the strings its symbol
 * references resolve to ({@link #add}). Labels may come unsorted (they are sorted, as Prometheus
 * does); a missing {@code __name__}, an empty or duplicate name or invalid UTF-8 make the set
 * invalid.
 */
final class LabelReader {
  private final StringCache strings;
  private final ProtoReader reader = new ProtoReader();
  private String[] nv = new String[32];
  private int n; // number of pairs read
  private String problem;
  private String duplicateName;
  private boolean stored;

  LabelReader(StringCache strings) {
    this.strings = strings;
  }

  void reset() {
    Arrays.fill(nv, 0, n * 2, null);
    n = 0;
    problem = null;
    duplicateName = null;
    stored = false;
  }

  /** Adds a pair whose strings are already decoded (remote write 2.0's symbols). */
  void add(String name, String value) {
    if (n * 2 == nv.length) {
      nv = Arrays.copyOf(nv, nv.length * 2);
    }
    nv[n * 2] = name;
    nv[n * 2 + 1] = value;
    n++;
  }

  /** Marks the set invalid (the first problem is kept), e.g. for a string that is not UTF-8. */
  void markInvalid(String why) {
    if (problem == null) {
      problem = why;
    }
  }

  void readLabel(byte[] buf, int start, int end) throws IOException {
    ProtoReader r = reader.reset(buf, start, end);
    String name = "";
    String value = "";
    for (int tag; (tag = r.readTag()) != 0; ) {
      int field = tag >>> 3;
      if ((tag & 7) == ProtoReader.LEN && (field == 1 || field == 2)) {
        int l = r.readLength();
        String s = strings.get(buf, r.pos, l);
        if (s == null) {
          s = Utf8.decodeLenient(buf, r.pos, l);
          if (problem == null) {
            problem = field == 1
                ? "invalid label name " + GoStrings.quote(s) + ": not valid UTF-8"
                : "invalid value for label " + GoStrings.quote(name) + ": not valid UTF-8";
          }
        }
        r.pos += l;
        if (field == 1) {
          name = s;
        } else {
          value = s;
        }
      } else {
        r.skipField(tag);
      }
    }
    add(name, value);
  }

  /**
   * The validated, sorted labels, or null when invalid (see {@link #problem()}). Known series
   * come back as the storage's own labels, so a steady stream allocates nothing here.
   */
  Labels build(Appender app) {
    Labels l = buildLabels(app);
    if (l != null && !l.has(Labels.METRIC_NAME)) {
      problem = "missing metric name (label \"__name__\")";
      return null;
    }
    return l;
  }

  Labels buildExemplarLabels() {
    return buildLabels(null);
  }

  private Labels buildLabels(Appender app) {
    if (problem != null) {
      return null;
    }
    boolean sorted = true;
    int kept = 0;
    for (int i = 0; i < n; i++) {
      String name = nv[i * 2];
      if (name.isEmpty()) {
        problem = "invalid label name \"\"";
        return null;
      }
      if (i > 0 && name.compareTo(nv[i * 2 - 2]) <= 0) {
        sorted = false;
      }
      if (!nv[i * 2 + 1].isEmpty()) {
        kept++;
      }
    }
    if (!sorted) {
      sortPairs();
    }
    for (int i = 1; i < n; i++) {
      if (nv[i * 2].equals(nv[i * 2 - 2])) {
        duplicateName = nv[i * 2];
        problem = "duplicate label name " + GoStrings.quote(nv[i * 2]);
        return null;
      }
    }
    String[] out = nv;
    if (kept < n) { // empty values are dropped (rare: senders seldom send them)
      out = new String[kept * 2];
      int j = 0;
      for (int i = 0; i < n; i++) {
        if (!nv[i * 2 + 1].isEmpty()) {
          out[j++] = nv[i * 2];
          out[j++] = nv[i * 2 + 1];
        }
      }
    }
    if (app != null) {
      Labels known = app.existingLabels(out, kept * 2);
      if (known != null) {
        stored = true;
        return known;
      }
    }
    return Labels.fromSortedUnsafe(out == nv ? Arrays.copyOf(nv, kept * 2) : out);
  }

  private void sortPairs() {
    // Insertion sort: label sets are small and usually nearly sorted.
    for (int i = 1; i < n; i++) {
      String kn = nv[i * 2];
      String kv = nv[i * 2 + 1];
      int j = i - 1;
      while (j >= 0 && nv[j * 2].compareTo(kn) > 0) {
        nv[(j + 1) * 2] = nv[j * 2];
        nv[(j + 1) * 2 + 1] = nv[j * 2 + 1];
        j--;
      }
      nv[(j + 1) * 2] = kn;
      nv[(j + 1) * 2 + 1] = kv;
    }
  }

  /** Whether the last built labels are the storage's own (an existing series'). */
  boolean stored() {
    return stored;
  }

  String problem() {
    return problem;
  }

  /** The repeated label name when that made the set invalid, else null. */
  String duplicateName() {
    return duplicateName;
  }

  /** The series as Prometheus prints a label set (sorted), for error messages. */
  String describeSorted() {
    sortPairs();
    return describe();
  }

  /** The series as received (labels in received order), for error messages. */
  String describe() {
    StringBuilder sb = new StringBuilder("{");
    for (int i = 0; i < n; i++) {
      if (i > 0) {
        sb.append(", ");
      }
      LabelStrings.appendName(sb, nv[i * 2]);
      sb.append('=');
      GoStrings.appendQuoted(sb, nv[i * 2 + 1]);
    }
    return sb.append('}').toString();
  }
}
