package dev.tsdb.api.remote;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.tsdb.api.metadata.MetadataStore;
import dev.tsdb.gocompat.GoStrings;
import dev.tsdb.index.histogram.HistogramValidation;
import dev.tsdb.index.labels.Labels;
import dev.tsdb.index.storage.Appender;
import dev.tsdb.index.storage.Exemplar;
import dev.tsdb.index.storage.MetricMetadata;
import dev.tsdb.index.storage.SampleRejectedException;
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
 * Histogram      { ... }                                      // see HistogramReader
 * MetricMetadata { MetricType type = 1; string metric_family_name = 2; string help = 4; string unit = 5; }
 * </pre>
 *
 * <p>Each series is read in passes over its bytes: labels first (they may legally appear after
 * the samples), then samples and histograms, then exemplars. Series with invalid labels are rejected
 * one by one; every valid sample of the request is appended. Reading uses {@link ProtoReader}
 * cursors and a {@link StringCache} for label strings, so that a steady stream of known series
 * allocates only each series' {@link Labels}. Not thread-safe: one decoder per thread, reused.
 */
public final class WriteRequestDecoder {
  private static final int TAG_TIMESERIES = (1 << 3) | ProtoReader.LEN;
  private static final int TAG_METADATA = (3 << 3) | ProtoReader.LEN;
  private static final int TAG_LABELS = (1 << 3) | ProtoReader.LEN;
  private static final int TAG_SAMPLES = (2 << 3) | ProtoReader.LEN;
  private static final int TAG_EXEMPLARS = (3 << 3) | ProtoReader.LEN;
  private static final int TAG_HISTOGRAMS = (4 << 3) | ProtoReader.LEN;
  private static final String[] METRIC_TYPES = {
      "unknown", "counter", "gauge", "histogram", "gaugehistogram", "summary", "info", "stateset"};

  private final StringCache strings = new StringCache(1 << 13);
  private final LabelReader labelReader = new LabelReader(strings);
  private final LabelReader exemplarLabelReader = new LabelReader(strings);
  private final ProtoReader request = new ProtoReader();
  private final ProtoReader series = new ProtoReader();
  private final ProtoReader item = new ProtoReader();
  private final HistogramReader histogramReader = new HistogramReader();

  /**
   * Decodes {@code buf[0..len)} into the appender (without committing); metadata goes to the
   * appender ({@link Appender#updateMetadata}) and, when not null, also to {@code metadata} (the
   * API's own store for storage that does not keep metadata).
   *
   * @param maxTimestampMs samples newer than this are rejected as out of bounds (Prometheus
   *     refuses samples more than 10 minutes in the future)
   * @throws InvalidProtocolBufferException when the bytes are not a WriteRequest
   */
  public WriteOutcome decode(byte[] buf, int len, Appender app, MetadataStore metadata,
      long maxTimestampMs) throws IOException {
    WriteOutcome out = new WriteOutcome();
    ProtoReader r = request.reset(buf, 0, len);
    for (int tag; (tag = r.readTag()) != 0; ) {
      if (tag == TAG_TIMESERIES) {
        int n = r.readLength();
        decodeSeries(buf, r.pos, r.pos + n, app, out, maxTimestampMs);
        r.pos += n;
      } else if (tag == TAG_METADATA) {
        int n = r.readLength();
        decodeMetadata(item.reset(buf, r.pos, r.pos + n), app, metadata, out);
        r.pos += n;
      } else {
        r.skipField(tag);
      }
    }
    return out;
  }

  private void decodeSeries(byte[] buf, int start, int end, Appender app, WriteOutcome out,
      long maxT) throws IOException {
    // Pass 1: labels, and how many samples the series carries.
    LabelReader lr = labelReader;
    lr.reset();
    ProtoReader s = series.reset(buf, start, end);
    int samples = 0;
    int histograms = 0;
    int exemplars = 0;
    for (int tag; (tag = s.readTag()) != 0; ) {
      switch (tag) {
        case TAG_LABELS -> {
          int n = s.readLength();
          lr.readLabel(buf, s.pos, s.pos + n);
          s.pos += n;
        }
        case TAG_SAMPLES -> {
          samples++;
          s.skipField(tag);
        }
        case TAG_EXEMPLARS -> {
          exemplars++;
          s.skipField(tag);
        }
        case TAG_HISTOGRAMS -> {
          histograms++;
          s.skipField(tag);
        }
        default -> s.skipField(tag);
      }
    }
    Labels labels = lr.build(app);
    if (labels == null) {
      out.rejectSeries(lr.describe(), lr.problem(), samples + histograms);
      return;
    }
    if (samples == 0 && histograms == 0 && exemplars == 0) {
      return;
    }
    // Pass 2: samples and histograms; pass 3: exemplars, so that an exemplar of a new series
    // holding only histograms finds its series (Prometheus 3.5 appends exemplars between the
    // two and drops those).
    s.reset(buf, start, end);
    long ref = 0;
    for (int tag; (tag = s.readTag()) != 0; ) {
      if (tag != TAG_SAMPLES && tag != TAG_HISTOGRAMS) {
        s.skipField(tag);
        continue;
      }
      int n = s.readLength();
      ProtoReader m = item.reset(buf, s.pos, s.pos + n);
      s.pos += n;
      if (tag == TAG_SAMPLES) {
        ref = appendSample(m, app, ref, labels, out, maxT);
      } else {
        ref = appendHistogram(m, app, ref, labels, out, maxT);
      }
    }
    if (exemplars == 0) {
      return;
    }
    s.reset(buf, start, end);
    for (int tag; (tag = s.readTag()) != 0; ) {
      if (tag != TAG_EXEMPLARS) {
        s.skipField(tag);
        continue;
      }
      int n = s.readLength();
      ProtoReader m = item.reset(buf, s.pos, s.pos + n);
      s.pos += n;
      appendExemplar(buf, m, app, ref, labels, out);
    }
  }

  /**
   * Decodes, validates and appends one histogram sample. Invalid ones are rejected with
   * Prometheus's validation text; like refusals by the storage (which by default refuses every
   * histogram) they count as rejected histograms and leave the rest of the request alone.
   */
  private long appendHistogram(ProtoReader m, Appender app, long ref, Labels labels,
      WriteOutcome out, long maxT) throws IOException {
    HistogramReader hr = histogramReader;
    hr.read(m);
    long t = hr.timestamp;
    // Prometheus checks the time limit first, then validates.
    String problem = t > maxT ? SampleRejectedException.Reason.OUT_OF_BOUNDS.message()
        : hr.histogram != null ? HistogramValidation.problem(hr.histogram)
        : HistogramValidation.problem(hr.floatHistogram);
    if (problem != null) {
      out.rejectHistogram(labels, problem);
      return ref;
    }
    try {
      long r = app.appendHistogram(ref, labels, t, hr.histogram, hr.floatHistogram);
      out.histogramsAppended++;
      return r;
    } catch (SampleRejectedException e) {
      out.rejectHistogram(labels, e.getMessage());
      return ref;
    }
  }

  private static long appendSample(ProtoReader m, Appender app, long ref, Labels labels,
      WriteOutcome out, long maxT) throws IOException {
    double v = 0;
    long t = 0;
    for (int tag; (tag = m.readTag()) != 0; ) {
      switch (tag) {
        case (1 << 3) | ProtoReader.FIXED64 -> v = m.readDouble();
        case (2 << 3) | ProtoReader.VARINT -> t = m.readVarint64();
        default -> m.skipField(tag);
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

  private void appendExemplar(byte[] buf, ProtoReader m, Appender app, long ref, Labels labels,
      WriteOutcome out) throws IOException {
    LabelReader lr = exemplarLabelReader;
    lr.reset();
    double v = 0;
    long t = 0;
    for (int tag; (tag = m.readTag()) != 0; ) {
      switch (tag) {
        case (1 << 3) | ProtoReader.LEN -> {
          int n = m.readLength();
          lr.readLabel(buf, m.pos, m.pos + n);
          m.pos += n;
        }
        case (2 << 3) | ProtoReader.FIXED64 -> v = m.readDouble();
        case (3 << 3) | ProtoReader.VARINT -> t = m.readVarint64();
        default -> m.skipField(tag);
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

  private void decodeMetadata(ProtoReader m, Appender app, MetadataStore store,
      WriteOutcome out)
      throws IOException {
    long type = 0;
    String family = "";
    String help = "";
    String unit = "";
    for (int tag; (tag = m.readTag()) != 0; ) {
      switch (tag) {
        case (1 << 3) | ProtoReader.VARINT -> type = m.readVarint64();
        case (2 << 3) | ProtoReader.LEN -> family = string(m);
        case (4 << 3) | ProtoReader.LEN -> help = string(m);
        case (5 << 3) | ProtoReader.LEN -> unit = string(m);
        default -> m.skipField(tag);
      }
    }
    if (family.isEmpty()) {
      return;
    }
    String typeName = type >= 0 && type < METRIC_TYPES.length ? METRIC_TYPES[(int) type]
        : "unknown";
    MetricMetadata md = new MetricMetadata(typeName, help, unit);
    // Per-family metadata (remote write 1.0): the storage applies it to the family's series and
    // persists it with them.
    app.updateMetadata(0, Labels.of(Labels.METRIC_NAME, family), md);
    if (store != null) {
      store.put(family, md);
    }
    out.metadataReceived++;
  }

  private String string(ProtoReader m) throws InvalidProtocolBufferException {
    int n = m.readLength();
    String s = strings.get(m.buf, m.pos, n);
    m.pos += n;
    if (s == null) {
      throw new InvalidProtocolBufferException("Protocol message had invalid UTF-8.");
    }
    return s;
  }

  /** Collects one series' labels, validates them and builds a sorted {@link Labels}. */
  static final class LabelReader {
    private final StringCache strings;
    private final ProtoReader reader = new ProtoReader();
    private String[] nv = new String[32];
    private int n; // number of pairs read
    private String problem;

    LabelReader(StringCache strings) {
      this.strings = strings;
    }

    void reset() {
      Arrays.fill(nv, 0, n * 2, null);
      n = 0;
      problem = null;
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
      if (n * 2 == nv.length) {
        nv = Arrays.copyOf(nv, nv.length * 2);
      }
      nv[n * 2] = name;
      nv[n * 2 + 1] = value;
      n++;
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
        dev.tsdb.index.labels.LabelStrings.appendName(sb, nv[i * 2]);
        sb.append('=');
        GoStrings.appendQuoted(sb, nv[i * 2 + 1]);
      }
      return sb.append('}').toString();
    }
  }
}
