package dev.tsdb.api.remote;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import dev.tsdb.api.metadata.MetadataStore;
import dev.tsdb.labels.Labels;
import dev.tsdb.storage.Appender;
import dev.tsdb.storage.Exemplar;
import dev.tsdb.storage.MetricMetadata;
import dev.tsdb.storage.SampleRejectedException;
import java.io.IOException;
import java.util.Arrays;

/**
 * Decodes a remote-write 1.0 {@code prometheus.WriteRequest} straight from its bytes into an
 * {@link Appender}, without building message objects.
 *
 * <p>Wire format (prompb/remote.proto, types.proto):
 * <pre>
 * WriteRequest   { repeated TimeSeries timeseries = 1; reserved 2; repeated MetricMetadata metadata = 3; }
 * TimeSeries     { repeated Label labels = 1; repeated Sample samples = 2;
 *                  repeated Exemplar exemplars = 3; repeated Histogram histograms = 4; }
 * Label          { string name = 1; string value = 2; }
 * Sample         { double value = 1; int64 timestamp = 2; }   // timestamp in ms
 * Exemplar       { repeated Label labels = 1; double value = 2; int64 timestamp = 3; }
 * MetricMetadata { MetricType type = 1; string metric_family_name = 2; string help = 4; string unit = 5; }
 * </pre>
 *
 * <p>Each series is read in two passes over its bytes: labels first (they may legally appear after
 * the samples), then samples, exemplars and histograms. Series with invalid labels are rejected
 * one by one; every valid sample of the request is appended. Not thread-safe: one decoder per
 * request (or per thread, reused).
 */
public final class WriteRequestDecoder {
  private static final int TS_FIELD = 1;
  private static final int METADATA_FIELD = 3;
  private static final String[] METRIC_TYPES = {
      "unknown", "counter", "gauge", "histogram", "gaugehistogram", "summary", "info", "stateset"};

  private final LabelReader labelReader = new LabelReader();
  private final LabelReader exemplarLabelReader = new LabelReader();

  /**
   * Decodes {@code buf[0..len)} into the appender (without committing) and records metadata.
   *
   * @param maxTimestampMs samples newer than this are rejected as out of bounds (Prometheus
   *     refuses samples more than 10 minutes in the future)
   * @throws InvalidProtocolBufferException when the bytes are not a WriteRequest
   */
  public WriteOutcome decode(byte[] buf, int len, Appender app, MetadataStore metadata,
      long maxTimestampMs) throws IOException {
    WriteOutcome out = new WriteOutcome();
    CodedInputStream in = CodedInputStream.newInstance(buf, 0, len);
    while (true) {
      int tag = in.readTag();
      if (tag == 0) {
        break;
      }
      int field = WireFormat.getTagFieldNumber(tag);
      if (field == TS_FIELD && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
        int size = in.readRawVarint32();
        int off = in.getTotalBytesRead();
        checkLength(size, len - off);
        in.skipRawBytes(size);
        decodeSeries(buf, off, size, app, out, maxTimestampMs);
      } else if (field == METADATA_FIELD
          && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
        int size = in.readRawVarint32();
        int old = in.pushLimit(size);
        decodeMetadata(in, metadata, out);
        in.popLimit(old);
      } else if (!in.skipField(tag)) {
        break;
      }
    }
    return out;
  }

  private static void checkLength(int size, int available) throws InvalidProtocolBufferException {
    if (size < 0 || size > available) {
      throw new InvalidProtocolBufferException(
          "While parsing a protocol message, the input ended unexpectedly in the middle of a field");
    }
  }

  private void decodeSeries(byte[] buf, int off, int size, Appender app, WriteOutcome out,
      long maxT) throws IOException {
    // Pass 1: labels.
    LabelReader lr = labelReader;
    lr.reset();
    CodedInputStream in = CodedInputStream.newInstance(buf, off, size);
    int samples = 0;
    int histograms = 0;
    int exemplars = 0;
    while (true) {
      int tag = in.readTag();
      if (tag == 0) {
        break;
      }
      int field = WireFormat.getTagFieldNumber(tag);
      int wt = WireFormat.getTagWireType(tag);
      if (field == 1 && wt == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
        int l = in.readRawVarint32();
        int start = off + in.getTotalBytesRead();
        checkLength(l, off + size - start);
        lr.readLabel(buf, start, l);
        in.skipRawBytes(l);
      } else {
        if (field == 2 && wt == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
          samples++;
        } else if (field == 4 && wt == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
          histograms++;
        } else if (field == 3 && wt == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
          exemplars++;
        }
        if (!in.skipField(tag)) {
          break;
        }
      }
    }
    Labels labels = lr.build();
    if (labels == null) {
      out.rejectSeries(lr.describe(), lr.problem(), samples + histograms);
      return;
    }
    if (samples == 0 && histograms == 0 && exemplars == 0) {
      return;
    }
    // Pass 2: samples, exemplars, histograms.
    in = CodedInputStream.newInstance(buf, off, size);
    long ref = 0;
    while (true) {
      int tag = in.readTag();
      if (tag == 0) {
        break;
      }
      int field = WireFormat.getTagFieldNumber(tag);
      int wt = WireFormat.getTagWireType(tag);
      if (wt != WireFormat.WIRETYPE_LENGTH_DELIMITED || field < 2 || field > 4) {
        if (!in.skipField(tag)) {
          break;
        }
        continue;
      }
      int l = in.readRawVarint32();
      int old = in.pushLimit(l);
      if (field == 2) {
        ref = appendSample(in, app, ref, labels, out, maxT);
      } else if (field == 3) {
        appendExemplar(buf, off, in, app, ref, labels, out);
      } else {
        in.skipRawBytes(in.getBytesUntilLimit());
        out.rejectHistogram(labels);
      }
      in.popLimit(old);
    }
  }

  private static long appendSample(CodedInputStream in, Appender app, long ref, Labels labels,
      WriteOutcome out, long maxT) throws IOException {
    double v = 0;
    long t = 0;
    while (true) {
      int tag = in.readTag();
      if (tag == 0) {
        break;
      }
      switch (tag) {
        case (1 << 3) | WireFormat.WIRETYPE_FIXED64 -> v = in.readDouble();
        case (2 << 3) | WireFormat.WIRETYPE_VARINT -> t = in.readInt64();
        default -> in.skipField(tag);
      }
    }
    if (t > maxT) {
      out.rejectSample(labels, t, SampleRejectedException.Reason.OUT_OF_BOUNDS);
      return ref;
    }
    try {
      long r = app.append(ref, labels, t, v);
      out.samplesAppended++;
      return r;
    } catch (SampleRejectedException e) {
      out.rejectSample(labels, t, e.reason());
      return ref;
    }
  }

  private void appendExemplar(byte[] buf, int base, CodedInputStream in, Appender app, long ref,
      Labels labels, WriteOutcome out) throws IOException {
    LabelReader lr = exemplarLabelReader;
    lr.reset();
    double v = 0;
    long t = 0;
    while (true) {
      int tag = in.readTag();
      if (tag == 0) {
        break;
      }
      switch (tag) {
        case (1 << 3) | WireFormat.WIRETYPE_LENGTH_DELIMITED -> {
          int l = in.readRawVarint32();
          int start = base + in.getTotalBytesRead();
          checkLength(l, in.getBytesUntilLimit());
          lr.readLabel(buf, start, l);
          in.skipRawBytes(l);
        }
        case (2 << 3) | WireFormat.WIRETYPE_FIXED64 -> v = in.readDouble();
        case (3 << 3) | WireFormat.WIRETYPE_VARINT -> t = in.readInt64();
        default -> in.skipField(tag);
      }
    }
    Labels el = lr.buildExemplarLabels();
    if (el == null) {
      out.exemplarsRejected++;
      return;
    }
    try {
      app.appendExemplar(ref, labels, new Exemplar(el, v, t));
      out.exemplarsAppended++;
    } catch (SampleRejectedException e) {
      out.exemplarsRejected++;
    }
  }

  private static void decodeMetadata(CodedInputStream in, MetadataStore store, WriteOutcome out)
      throws IOException {
    int type = 0;
    String family = "";
    String help = "";
    String unit = "";
    while (true) {
      int tag = in.readTag();
      if (tag == 0) {
        break;
      }
      switch (tag) {
        case (1 << 3) | WireFormat.WIRETYPE_VARINT -> type = in.readEnum();
        case (2 << 3) | WireFormat.WIRETYPE_LENGTH_DELIMITED -> family = in.readString();
        case (4 << 3) | WireFormat.WIRETYPE_LENGTH_DELIMITED -> help = in.readString();
        case (5 << 3) | WireFormat.WIRETYPE_LENGTH_DELIMITED -> unit = in.readString();
        default -> in.skipField(tag);
      }
    }
    if (family.isEmpty()) {
      return;
    }
    String typeName = type >= 0 && type < METRIC_TYPES.length ? METRIC_TYPES[type] : "unknown";
    if (store != null) {
      store.put(family, new MetricMetadata(typeName, help, unit));
    }
    out.metadataReceived++;
  }

  /** Collects one series' labels, validates them and builds a sorted {@link Labels}. */
  static final class LabelReader {
    private String[] nv = new String[32];
    private int n; // number of pairs read
    private String problem;

    void reset() {
      Arrays.fill(nv, 0, n * 2, null);
      n = 0;
      problem = null;
    }

    void readLabel(byte[] buf, int off, int len) throws IOException {
      CodedInputStream in = CodedInputStream.newInstance(buf, off, len);
      String name = "";
      String value = "";
      while (true) {
        int tag = in.readTag();
        if (tag == 0) {
          break;
        }
        int field = WireFormat.getTagFieldNumber(tag);
        if (WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED
            && (field == 1 || field == 2)) {
          int l = in.readRawVarint32();
          int start = off + in.getTotalBytesRead();
          checkLength(l, off + len - start);
          String s = Utf8.decode(buf, start, l);
          in.skipRawBytes(l);
          if (s == null) {
            s = Utf8.decodeLenient(buf, start, l);
            if (problem == null) {
              problem = field == 1 ? "invalid label name " + quote(s) + ": not valid UTF-8"
                  : "invalid value for label " + quote(name) + ": not valid UTF-8";
            }
          }
          if (field == 1) {
            name = s;
          } else {
            value = s;
          }
        } else if (!in.skipField(tag)) {
          break;
        }
      }
      if (n * 2 == nv.length) {
        nv = Arrays.copyOf(nv, nv.length * 2);
      }
      nv[n * 2] = name;
      nv[n * 2 + 1] = value;
      n++;
    }

    /** The validated, sorted labels, or null when invalid (see {@link #problem()}). */
    Labels build() {
      Labels l = buildLabels();
      if (l != null && !l.has(Labels.METRIC_NAME)) {
        problem = "missing metric name (label \"__name__\")";
        return null;
      }
      return l;
    }

    Labels buildExemplarLabels() {
      return buildLabels();
    }

    private Labels buildLabels() {
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
          problem = "duplicate label name " + quote(nv[i * 2]);
          return null;
        }
      }
      String[] out = new String[kept * 2];
      int j = 0;
      for (int i = 0; i < n; i++) {
        if (!nv[i * 2 + 1].isEmpty()) {
          out[j++] = nv[i * 2];
          out[j++] = nv[i * 2 + 1];
        }
      }
      return Labels.fromSortedUnsafe(out);
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

    String problem() {
      return problem;
    }

    /** The series as received (labels in received order), for error messages. */
    String describe() {
      StringBuilder sb = new StringBuilder("{");
      for (int i = 0; i < n; i++) {
        if (i > 0) {
          sb.append(", ");
        }
        dev.tsdb.labels.LabelStrings.appendName(sb, nv[i * 2]);
        sb.append('=');
        dev.tsdb.labels.LabelStrings.appendQuoted(sb, nv[i * 2 + 1]);
      }
      return sb.append('}').toString();
    }

    private static String quote(String s) {
      return dev.tsdb.labels.LabelStrings.quote(s);
    }
  }
}
