package dev.tsdb.api.remote;

import dev.tsdb.api.metadata.MetadataStore;
import dev.tsdb.gocompat.GoStrings;
import dev.tsdb.index.labels.Labels;
import dev.tsdb.index.storage.Appender;
import dev.tsdb.index.storage.MetricMetadata;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Decodes a remote-write 2.0 {@code io.prometheus.write.v2.Request} straight from its bytes into
 * an {@link Appender}, as {@link WriteRequestDecoder} does for 1.0.
 *
 * <p>Wire format (prompb/io/prometheus/write/v2/types.proto):
 * <pre>
 * Request    { repeated string symbols = 4; repeated TimeSeries timeseries = 5; }
 * TimeSeries { repeated uint32 labels_refs = 1; repeated Sample samples = 2;
 *              repeated Histogram histograms = 3; repeated Exemplar exemplars = 4;
 *              Metadata metadata = 5; int64 created_timestamp = 6; }
 * Exemplar   { repeated uint32 labels_refs = 1; double value = 2; int64 timestamp = 3; }
 * Metadata   { MetricType type = 1; uint32 help_ref = 3; uint32 unit_ref = 4; }
 * Sample, Histogram: as in 1.0
 * </pre>
 *
 * <p>Strings live once in the symbols table (whose first entry must be empty) and are referred
 * to by index. The table is decoded once per request through a {@link StringCache}, so label
 * strings cost no allocation per sample or per series. A reference past the table, an odd
 * number of label references or a non-empty first symbol make the request malformed
 * ({@link MalformedWriteException}: the caller rolls back and answers 400). Series with invalid
 * labels are rejected one by one, with Prometheus's wording, and the rest is appended; metadata
 * is stored per series ({@link Appender#updateMetadata}). Not thread-safe: one request at a time.
 */
public final class WriteV2Decoder {
  private static final int TAG_SYMBOLS = (4 << 3) | ProtoReader.LEN;
  private static final int TAG_TIMESERIES = (5 << 3) | ProtoReader.LEN;
  private static final int F_LABELS_REFS = 1;
  private static final int TAG_SAMPLES = (2 << 3) | ProtoReader.LEN;
  private static final int TAG_HISTOGRAMS = (3 << 3) | ProtoReader.LEN;
  private static final int TAG_EXEMPLARS = (4 << 3) | ProtoReader.LEN;
  private static final int TAG_METADATA = (5 << 3) | ProtoReader.LEN;
  private static final int TAG_CREATED = (6 << 3) | ProtoReader.VARINT;

  private final StringCache strings = new StringCache(1 << 13);
  private final LabelReader labelReader = new LabelReader(strings);
  private final LabelReader exemplarLabelReader = new LabelReader(strings);
  private final ProtoReader request = new ProtoReader();
  private final ProtoReader series = new ProtoReader();
  private final ProtoReader item = new ProtoReader();
  private final SampleAppends appends = new SampleAppends();
  private final MetadataInterner metadataInterner = new MetadataInterner();

  private String[] symbols = new String[256];
  /** Symbols whose bytes are not UTF-8 (kept decoded leniently, for error messages). */
  private boolean[] invalidSymbols = new boolean[256];
  private int symbolCount;
  private int[] refs = new int[64];
  private int refCount;
  private int seriesIndex;

  /**
   * Decodes {@code buf[0..len)} into the appender (without committing).
   *
   * @param metadata the API's own metadata store for storage that does not keep metadata, or
   *     null; it is updated only once the whole request decoded
   * @param maxTimestampMs samples newer than this are rejected as out of bounds
   * @param createdZero whether to add a zero sample at each series' created timestamp
   *     (Prometheus's {@code created-timestamp-zero-ingestion})
   * @throws com.google.protobuf.InvalidProtocolBufferException when the bytes are not protobuf
   * @throws MalformedWriteException when references do not resolve (nothing may be committed)
   */
  public WriteOutcome decode(byte[] buf, int len, Appender app, MetadataStore metadata,
      long maxTimestampMs, boolean createdZero) throws IOException {
    WriteOutcome out = WriteOutcome.withMessages();
    List<Map.Entry<String, MetricMetadata>> forStore = metadata == null ? null
        : new ArrayList<>();
    try {
      // The symbols may follow the series in the bytes: read them first.
      readSymbols(buf, len);
      ProtoReader r = request.reset(buf, 0, len);
      seriesIndex = 0;
      for (int tag; (tag = r.readTag()) != 0; ) {
        if (tag == TAG_TIMESERIES) {
          int n = r.readLength();
          decodeSeries(buf, r.pos, r.pos + n, app, out, maxTimestampMs, createdZero, forStore);
          r.pos += n;
          seriesIndex++;
        } else {
          r.skipField(tag);
        }
      }
    } finally {
      // Do not keep this request's strings alive until the next one.
      Arrays.fill(symbols, 0, symbolCount, null);
    }
    if (forStore != null) {
      for (Map.Entry<String, MetricMetadata> e : forStore) {
        metadata.put(e.getKey(), e.getValue());
      }
    }
    return out;
  }

  private void readSymbols(byte[] buf, int len) throws IOException {
    symbolCount = 0;
    ProtoReader r = request.reset(buf, 0, len);
    for (int tag; (tag = r.readTag()) != 0; ) {
      if (tag != TAG_SYMBOLS) {
        r.skipField(tag);
        continue;
      }
      int n = r.readLength();
      String s = strings.get(buf, r.pos, n);
      boolean invalid = s == null;
      if (invalid) {
        s = Utf8.decodeLenient(buf, r.pos, n);
      }
      r.pos += n;
      if (symbolCount == 0 && !s.isEmpty()) {
        throw new MalformedWriteException("symbols[0] must be the empty string, got "
            + GoStrings.quote(s));
      }
      if (symbolCount == symbols.length) {
        symbols = Arrays.copyOf(symbols, symbolCount * 2);
        invalidSymbols = Arrays.copyOf(invalidSymbols, symbolCount * 2);
      }
      invalidSymbols[symbolCount] = invalid;
      symbols[symbolCount++] = s;
    }
  }

  private void decodeSeries(byte[] buf, int start, int end, Appender app, WriteOutcome out,
      long maxT, boolean createdZero, List<Map.Entry<String, MetricMetadata>> forStore)
      throws IOException {
    // Pass 1: label references, metadata, created timestamp, and how much the series carries.
    ProtoReader s = series.reset(buf, start, end);
    refCount = 0;
    int samples = 0;
    int histograms = 0;
    int exemplars = 0;
    long created = 0;
    long type = 0;
    int helpRef = 0;
    int unitRef = 0;
    for (int tag; (tag = s.readTag()) != 0; ) {
      if (tag >>> 3 == F_LABELS_REFS) {
        readRefs(s, tag);
        continue;
      }
      switch (tag) {
        case TAG_SAMPLES -> {
          samples++;
          s.skipField(tag);
        }
        case TAG_HISTOGRAMS -> {
          histograms++;
          s.skipField(tag);
        }
        case TAG_EXEMPLARS -> {
          exemplars++;
          s.skipField(tag);
        }
        case TAG_METADATA -> {
          int n = s.readLength();
          ProtoReader m = item.reset(buf, s.pos, s.pos + n);
          s.pos += n;
          for (int mt; (mt = m.readTag()) != 0; ) {
            switch (mt) {
              case (1 << 3) | ProtoReader.VARINT -> type = m.readVarint64();
              case (3 << 3) | ProtoReader.VARINT -> helpRef = m.readVarint32();
              case (4 << 3) | ProtoReader.VARINT -> unitRef = m.readVarint32();
              default -> m.skipField(mt);
            }
          }
        }
        case TAG_CREATED -> created = s.readVarint64();
        default -> s.skipField(tag);
      }
    }
    String help = symbol(helpRef, "metadata.help_ref");
    String unit = symbol(unitRef, "metadata.unit_ref");
    Labels labels = resolveLabels(app);
    if (labels == null) {
      LabelReader lr = labelReader;
      String got = lr.describeSorted();
      out.rejectSeries(got, lr.problem(), samples + histograms);
      out.addMessage(lr.duplicateName() != null
          ? "invalid labels for series, labels " + got + ", duplicated label "
              + lr.duplicateName()
          : "invalid metric name or labels, got " + got);
      return;
    }
    long ct = createdZero ? created : 0;
    long ref = 0;
    // Pass 2: samples and histograms; pass 3: exemplars (after both, as for 1.0).
    if (samples + histograms > 0) {
      boolean first = true;
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
          // Only the first sample can follow the created time; for later ones it is older.
          ref = appends.sample(m, app, ref, labels, out, maxT, first ? ct : 0);
          first = false;
        } else {
          ref = appends.histogram(m, app, ref, labels, out, maxT, ct);
        }
      }
    }
    if (exemplars > 0) {
      s.reset(buf, start, end);
      for (int tag; (tag = s.readTag()) != 0; ) {
        if (tag != TAG_EXEMPLARS) {
          s.skipField(tag);
          continue;
        }
        int n = s.readLength();
        ProtoReader m = item.reset(buf, s.pos, s.pos + n);
        s.pos += n;
        ref = appendExemplar(m, app, ref, labels, out);
      }
    }
    if (type != 0 || !help.isEmpty() || !unit.isEmpty()) {
      String typeName = type > 0 && type < WriteRequestDecoder.METRIC_TYPES.length
          ? WriteRequestDecoder.METRIC_TYPES[(int) type] : "unknown";
      MetricMetadata md = metadataInterner.get(typeName, help, unit);
      app.updateMetadata(ref, labels, md);
      if (forStore != null) {
        forStore.add(Map.entry(labels.get(Labels.METRIC_NAME), md));
      }
      out.metadataReceived++;
    }
  }

  /** The series' labels from {@link #refs}, or null when invalid (see the label reader). */
  private Labels resolveLabels(Appender app) throws MalformedWriteException {
    if ((refCount & 1) != 0) {
      throw new MalformedWriteException("timeseries[" + seriesIndex + "]: odd number of"
          + " labels_refs (" + refCount + "): they must be name/value pairs");
    }
    LabelReader lr = labelReader;
    lr.reset();
    for (int i = 0; i < refCount; i += 2) {
      lr.add(symbol(refs[i], "labels_refs"), symbol(refs[i + 1], "labels_refs"));
      if (invalidSymbols[refs[i]] || invalidSymbols[refs[i + 1]]) {
        lr.markInvalid("not valid UTF-8");
      }
    }
    return lr.build(app);
  }

  private long appendExemplar(ProtoReader m, Appender app, long ref, Labels labels,
      WriteOutcome out) throws IOException {
    refCount = 0;
    double v = 0;
    long t = 0;
    for (int tag; (tag = m.readTag()) != 0; ) {
      if (tag >>> 3 == F_LABELS_REFS) {
        readRefs(m, tag);
        continue;
      }
      switch (tag) {
        case (2 << 3) | ProtoReader.FIXED64 -> v = m.readDouble();
        case (3 << 3) | ProtoReader.VARINT -> t = m.readVarint64();
        default -> m.skipField(tag);
      }
    }
    if ((refCount & 1) != 0) {
      throw new MalformedWriteException("timeseries[" + seriesIndex + "]: odd number of exemplar"
          + " labels_refs (" + refCount + "): they must be name/value pairs");
    }
    LabelReader lr = exemplarLabelReader;
    lr.reset();
    for (int i = 0; i < refCount; i += 2) {
      lr.add(symbol(refs[i], "exemplar labels_refs"), symbol(refs[i + 1],
          "exemplar labels_refs"));
      if (invalidSymbols[refs[i]] || invalidSymbols[refs[i + 1]]) {
        lr.markInvalid("not valid UTF-8");
      }
    }
    return SampleAppends.exemplar(app, ref, labels, lr.buildExemplarLabels(), v, t, out);
  }

  /** Appends the references of a labels_refs field, packed or not, to {@link #refs}. */
  private void readRefs(ProtoReader r, int tag) throws IOException {
    if ((tag & 7) == ProtoReader.VARINT) {
      addRef(r.readVarint32());
    } else if ((tag & 7) == ProtoReader.LEN) {
      int n = r.readLength();
      int end = r.pos + n;
      int limit = r.limit;
      r.limit = end;
      while (r.pos < end) {
        addRef(r.readVarint32());
      }
      r.limit = limit;
    } else {
      r.skipField(tag);
    }
  }

  private void addRef(int ref) {
    if (refCount == refs.length) {
      refs = Arrays.copyOf(refs, refCount * 2);
    }
    refs[refCount++] = ref;
  }

  private String symbol(int ref, String field) throws MalformedWriteException {
    if (ref < 0 || ref >= symbolCount) {
      if (ref == 0) {
        return ""; // an absent table: only the empty string is implied
      }
      throw new MalformedWriteException("timeseries[" + seriesIndex + "]: " + field
          + " refers to symbol " + Integer.toUnsignedString(ref) + ", but the symbols table has "
          + symbolCount + " entries");
    }
    return symbols[ref];
  }
}
