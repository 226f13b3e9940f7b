package dev.tsdb.api.remote;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.tsdb.api.metadata.MetadataStore;
import dev.tsdb.index.labels.Labels;
import dev.tsdb.index.storage.Appender;
import dev.tsdb.index.storage.MetricMetadata;
import java.io.IOException;

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
 * allocates only each series' {@link Labels}. Not thread-safe: one request at a time, reused.
 */
public final class WriteRequestDecoder {
  private static final int TAG_TIMESERIES = (1 << 3) | ProtoReader.LEN;
  private static final int TAG_METADATA = (3 << 3) | ProtoReader.LEN;
  private static final int TAG_LABELS = (1 << 3) | ProtoReader.LEN;
  private static final int TAG_SAMPLES = (2 << 3) | ProtoReader.LEN;
  private static final int TAG_EXEMPLARS = (3 << 3) | ProtoReader.LEN;
  private static final int TAG_HISTOGRAMS = (4 << 3) | ProtoReader.LEN;
  /** Metadata types by their enum number (the same in 1.0's MetricMetadata and 2.0's Metadata). */
  static final String[] METRIC_TYPES = {
      "unknown", "counter", "gauge", "histogram", "gaugehistogram", "summary", "info", "stateset"};

  private final StringCache strings = new StringCache(1 << 13);
  private final LabelReader labelReader = new LabelReader(strings);
  private final LabelReader exemplarLabelReader = new LabelReader(strings);
  private final ProtoReader request = new ProtoReader();
  private final ProtoReader series = new ProtoReader();
  private final ProtoReader item = new ProtoReader();
  private final SampleAppends appends = new SampleAppends();
  private final KnownSeries known;

  /** A decoder that looks every series up by its decoded labels. */
  public WriteRequestDecoder() {
    this(null);
  }

  /**
   * @param known series sent before, shared by the decoders of one storage (null: none); their
   *     references are passed to that storage's appenders
   */
  WriteRequestDecoder(KnownSeries known) {
    this.known = known;
  }

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
    // Pass 1: where the labels are, and how many samples the series carries.
    ProtoReader s = series.reset(buf, start, end);
    int samples = 0;
    int histograms = 0;
    int exemplars = 0;
    int labelsFrom = -1;
    int labelsTo = -1;
    boolean labelsContiguous = true;
    for (int tag, at = s.pos; (tag = s.readTag()) != 0; at = s.pos) {
      switch (tag) {
        case TAG_LABELS -> {
          if (labelsFrom < 0) {
            labelsFrom = at;
          } else if (at != labelsTo) {
            labelsContiguous = false;
          }
          s.skipField(tag);
          labelsTo = s.pos;
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
    // A series sent before: its labels and reference without decoding its label strings.
    boolean cacheable = known != null && labelsFrom >= 0 && labelsContiguous;
    long labelsHash = 0;
    KnownSeries.Entry hit = null;
    if (cacheable) {
      labelsHash = KnownSeries.hash(buf, labelsFrom, labelsTo);
      hit = known.find(buf, labelsFrom, labelsTo, labelsHash);
    }
    Labels labels;
    long ref = 0;
    if (hit != null) {
      labels = hit.labels();
      ref = hit.ref();
    } else {
      labels = readLabels(buf, start, end, app);
      if (labels == null) {
        LabelReader lr = labelReader;
        out.rejectSeries(lr.describe(), lr.problem(), samples + histograms);
        return;
      }
    }
    if (samples == 0 && histograms == 0 && exemplars == 0) {
      return;
    }
    // Pass 2: samples and histograms; pass 3: exemplars, so that an exemplar of a new series
    // holding only histograms finds its series (Prometheus 3.5 appends exemplars between the
    // two and drops those).
    s.reset(buf, start, end);
    for (int tag; (tag = s.readTag()) != 0; ) {
      if (tag != TAG_SAMPLES && tag != TAG_HISTOGRAMS) {
        s.skipField(tag);
        continue;
      }
      int n = s.readLength();
      ProtoReader m = item.reset(buf, s.pos, s.pos + n);
      s.pos += n;
      if (tag == TAG_SAMPLES) {
        ref = appends.sample(m, app, ref, labels, out, maxT, 0);
      } else {
        ref = appends.histogram(m, app, ref, labels, out, maxT, 0);
      }
    }
    // Only the storage's own labels are remembered (a new series is, from its next request on):
    // its appender then recognises them by identity with the series the reference names.
    if (cacheable && ref != 0 && (hit != null ? hit.ref() != ref : labelReader.stored())) {
      known.remember(labelsHash, labels, ref);
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

  /** Decodes and validates the series' labels (null when invalid: see the label reader). */
  private Labels readLabels(byte[] buf, int start, int end, Appender app) throws IOException {
    LabelReader lr = labelReader;
    lr.reset();
    ProtoReader s = item.reset(buf, start, end);
    for (int tag; (tag = s.readTag()) != 0; ) {
      if (tag == TAG_LABELS) {
        int n = s.readLength();
        lr.readLabel(buf, s.pos, s.pos + n);
        s.pos += n;
      } else {
        s.skipField(tag);
      }
    }
    return lr.build(app);
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
    SampleAppends.exemplar(app, ref, labels, lr.buildExemplarLabels(), v, t, out);
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
}
