package dev.tsdb.api.remote;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import dev.tsdb.api.http.Responses;
import dev.tsdb.api.http.Router;
import dev.tsdb.index.labels.Labels;
import dev.tsdb.index.labels.LabelsBuilder;
import dev.tsdb.index.labels.Matcher;
import dev.tsdb.index.storage.ChunkMeta;
import dev.tsdb.index.storage.ChunkQuerier;
import dev.tsdb.index.storage.ChunkQueryable;
import dev.tsdb.index.storage.ChunkSeries;
import dev.tsdb.index.storage.ChunkSeriesSet;
import dev.tsdb.index.storage.Querier;
import dev.tsdb.index.storage.Queryable;
import dev.tsdb.index.storage.SampleIterator;
import dev.tsdb.index.storage.Series;
import dev.tsdb.index.storage.SeriesSet;
import dev.tsdb.index.storage.ValueType;
import io.airlift.compress.MalformedInputException;
import io.airlift.compress.snappy.SnappyCompressor;
import io.airlift.compress.snappy.SnappyDecompressor;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * POST /api/v1/read: Prometheus remote read (wire format in {@link ReadRequest}). The response
 * type is the first of the client's accepted types that we can serve (SAMPLES when it lists
 * none, as Prometheus 2.x clients do):
 *
 * <ul>
 *   <li>SAMPLES: one snappy-compressed protobuf {@code ReadResponse { repeated QueryResult
 *       results = 1; }} with {@code QueryResult { repeated TimeSeries timeseries = 1; }}, at most
 *       {@code --storage.remote.read-sample-limit} samples in all.
 *   <li>STREAMED_XOR_CHUNKS: {@code application/x-streamed-protobuf;
 *       proto=prometheus.ChunkedReadResponse}, a stream of {@link ChunkedWriter} frames, each a
 *       {@code ChunkedReadResponse { repeated ChunkedSeries chunked_series = 1; int64
 *       query_index = 2; }} holding one series ({@code ChunkedSeries { repeated Label labels = 1;
 *       repeated Chunk chunks = 2; }}, {@code Chunk { int64 min_time_ms = 1; int64 max_time_ms =
 *       2; Encoding type = 3; bytes data = 4; }}), its stored chunks cut into frames of about
 *       {@code --storage.remote.read-max-bytes-in-frame}. Offered only when the storage can hand
 *       out its encoded chunks (a {@link ChunkQueryable}); the in-memory reference storage cannot,
 *       so clients that also accept SAMPLES get SAMPLES and clients that accept only streaming
 *       get 400.
 * </ul>
 *
 * <p>As in Prometheus, the config's external labels are added to every returned series that
 * lacks them, and an equality matcher on an external label with its value becomes a matcher for
 * the label being absent (the stored series do not carry it).
 */
public final class RemoteReadHandler implements Router.RouteHandler {
  public static final String STREAMED_CONTENT_TYPE =
      "application/x-streamed-protobuf; proto=prometheus.ChunkedReadResponse";
  private static final Logger LOG = Logger.getLogger(RemoteReadHandler.class.getName());

  private final Queryable storage;
  private final Supplier<ChunkQueryable> chunks;
  private final Supplier<Labels> externalLabels;
  private final long sampleLimit;
  private final Semaphore concurrency;
  private final int maxRequestBytes;
  private final int maxBytesInFrame;
  private final AtomicLong inFlight;

  /** Limits: 0 for the sample and concurrency limits means none. */
  public record Limits(long sampleLimit, int concurrency, int maxRequestBytes,
      int maxBytesInFrame) {}

  public RemoteReadHandler(Queryable storage, Supplier<ChunkQueryable> chunks,
      Supplier<Labels> externalLabels, Limits limits, AtomicLong inFlight) {
    this.storage = storage;
    this.chunks = chunks;
    this.externalLabels = externalLabels;
    this.sampleLimit = limits.sampleLimit();
    this.concurrency = limits.concurrency() > 0 ? new Semaphore(limits.concurrency()) : null;
    this.maxRequestBytes = limits.maxRequestBytes();
    this.maxBytesInFrame = limits.maxBytesInFrame();
    this.inFlight = inFlight;
  }

  @Override
  public void handle(HttpServerExchange ex, Map<String, String> pathParams) throws Exception {
    if (!ex.isBlocking()) {
      ex.startBlocking();
    }
    inFlight.incrementAndGet();
    try {
      if (concurrency != null) {
        concurrency.acquire();
      }
      try {
        serve(ex);
      } finally {
        if (concurrency != null) {
          concurrency.release();
        }
      }
    } finally {
      inFlight.decrementAndGet();
    }
  }

  private void serve(HttpServerExchange ex) throws IOException {
    byte[] body = ex.getInputStream().readNBytes(maxRequestBytes + 1);
    if (body.length > maxRequestBytes) {
      Responses.text(ex, 413, "request body too large");
      return;
    }
    byte[] raw;
    try {
      raw = snappyDecode(body, maxRequestBytes);
    } catch (MalformedInputException | IllegalArgumentException | IndexOutOfBoundsException e) {
      Responses.text(ex, 400, "snappy: corrupt input");
      return;
    }
    ReadRequest req;
    try {
      req = ReadRequest.decode(raw);
    } catch (InvalidProtocolBufferException e) {
      Responses.text(ex, 400, "proto: cannot parse ReadRequest: " + e.getMessage());
      return;
    } catch (IllegalArgumentException e) {
      Responses.text(ex, 400, e.getMessage());
      return;
    }
    ChunkQueryable cq = chunks.get();
    int type = negotiate(req.acceptedTypes(), cq != null);
    if (type < 0) {
      List<String> names = new ArrayList<>();
      req.acceptedTypes().forEach(t -> names.add(ReadRequest.typeName(t)));
      Responses.text(ex, 400, "server does not support any of the requested response types: "
          + names.toString().replace(",", "") + "; supported: "
          + (cq != null ? "map[SAMPLES:{} STREAMED_XOR_CHUNKS:{}]" : "map[SAMPLES:{}]"));
      return;
    }
    if (type == ReadRequest.STREAMED_XOR_CHUNKS) {
      streamChunks(ex, req, cq);
      return;
    }
    byte[] response;
    try {
      response = samplesResponse(req.queries());
    } catch (SampleLimitException e) {
      Responses.text(ex, 400, e.getMessage());
      return;
    }
    SnappyCompressor c = new SnappyCompressor();
    byte[] out = new byte[c.maxCompressedLength(response.length)];
    int n = c.compress(response, 0, response.length, out, 0, out.length);
    ex.setStatusCode(200);
    ex.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/x-protobuf");
    ex.getResponseHeaders().put(Headers.CONTENT_ENCODING, "snappy");
    ex.getResponseHeaders().put(Headers.CONTENT_LENGTH, n);
    ex.getResponseSender().send(ByteBuffer.wrap(out, 0, n));
  }

  private static byte[] snappyDecode(byte[] body, int max) {
    int n = SnappyDecompressor.getUncompressedLength(body, 0);
    if (n < 0 || n > max) {
      throw new MalformedInputException(0, "bad length");
    }
    byte[] raw = new byte[n];
    int got = new SnappyDecompressor().decompress(body, 0, body.length, raw, 0, n);
    if (got != n) {
      throw new MalformedInputException(0, "length mismatch");
    }
    return raw;
  }

  /**
   * Prometheus's NegotiateResponseType: the first accepted type we support, SAMPLES when the
   * client lists none, -1 when none fits. Streaming is supported only with a chunk source.
   */
  static int negotiate(List<Integer> accepted, boolean streaming) {
    if (accepted.isEmpty()) {
      return ReadRequest.SAMPLES;
    }
    for (int t : accepted) {
      if (t == ReadRequest.SAMPLES || (t == ReadRequest.STREAMED_XOR_CHUNKS && streaming)) {
        return t;
      }
    }
    return -1;
  }

  private static final class SampleLimitException extends Exception {
    SampleLimitException(long limit) {
      super("exceeded sample limit (" + limit + ")", null, false, false);
    }
  }

  private byte[] samplesResponse(List<ReadRequest.Query> queries)
      throws IOException, SampleLimitException {
    Labels ext = externalLabels.get();
    ByteArrayOutputStream response = new ByteArrayOutputStream();
    CodedOutputStream resp = CodedOutputStream.newInstance(response);
    long samples = 0;
    for (ReadRequest.Query q : queries) {
      List<Matcher> ms = filterExternalLabelMatchers(q.matchers(), ext);
      ByteArrayOutputStream result = new ByteArrayOutputStream();
      CodedOutputStream res = CodedOutputStream.newInstance(result);
      if (!ms.isEmpty()) {
        try (Querier querier = storage.querier(q.start(), q.end())) {
          SeriesSet ss = querier.select(false, q.selectHints(), ms.toArray(new Matcher[0]));
          SampleIterator reuse = null;
          long[] ts = new long[64];
          double[] vs = new double[64];
          List<byte[]> histograms = new ArrayList<>();
          while (ss.next()) {
            Series s = ss.at();
            SampleIterator it = s.iterator(reuse);
            reuse = it;
            int n = 0;
            histograms.clear();
            for (ValueType vt = it.next(); vt != ValueType.NONE; vt = it.next()) {
              if (vt == ValueType.HISTOGRAM) {
                histograms.add(HistogramWriter.encode(it.atHistogram(null), it.t()));
                continue;
              }
              if (vt == ValueType.FLOAT_HISTOGRAM) {
                histograms.add(HistogramWriter.encode(it.atFloatHistogram(null), it.t()));
                continue;
              }
              if (n == ts.length) {
                ts = Arrays.copyOf(ts, n * 2);
                vs = Arrays.copyOf(vs, n * 2);
              }
              ts[n] = it.t();
              vs[n] = it.v();
              n++;
            }
            samples += n + histograms.size();
            if (sampleLimit > 0 && samples > sampleLimit) {
              throw new SampleLimitException(sampleLimit);
            }
            res.writeByteArray(1, timeSeries(withExternal(s.labels(), ext), ts, vs, n,
                histograms));
          }
          if (ss.error() != null) {
            throw new IOException(ss.error());
          }
        }
      }
      res.flush();
      resp.writeByteArray(1, result.toByteArray());
    }
    resp.flush();
    return response.toByteArray();
  }

  /**
   * Streams each query's series as frames of chunks. Errors before the first byte is sent
   * become a 500; later ones end the response early (the client sees a truncated stream).
   */
  private void streamChunks(HttpServerExchange ex, ReadRequest req, ChunkQueryable cq)
      throws IOException {
    Labels ext = externalLabels.get();
    ex.setStatusCode(200);
    ex.getResponseHeaders().put(Headers.CONTENT_TYPE, STREAMED_CONTENT_TYPE);
    ChunkedWriter out = new ChunkedWriter(ex.getOutputStream());
    FrameEncoder frames = new FrameEncoder(maxBytesInFrame);
    try {
      for (int i = 0; i < req.queries().size(); i++) {
        ReadRequest.Query q = req.queries().get(i);
        List<Matcher> ms = filterExternalLabelMatchers(q.matchers(), ext);
        if (ms.isEmpty()) {
          continue;
        }
        try (ChunkQuerier querier = cq.chunkQuerier(q.start(), q.end())) {
          // The streaming protocol requires series sorted by labels.
          ChunkSeriesSet ss = querier.select(true, q.selectHints(), ms.toArray(new Matcher[0]));
          while (ss.next()) {
            ChunkSeries s = ss.at();
            frames.series(out, i, withExternal(s.labels(), ext), s.chunks());
          }
          if (ss.error() != null) {
            throw new IOException(ss.error());
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      if (!ex.isResponseStarted()) {
        ex.getResponseHeaders().remove(Headers.CONTENT_TYPE);
        Responses.text(ex, 500, String.valueOf(e.getMessage()));
        return;
      }
      LOG.log(Level.WARNING, "remote read stream aborted", e);
      throw e;
    }
  }

  /** Encodes one series' chunks into ChunkedReadResponse frames, reusing its buffers. */
  static final class FrameEncoder {
    private final int maxBytesInFrame;
    private final ByteArrayOutputStream labels = new ByteArrayOutputStream();
    private final ByteArrayOutputStream chunkList = new ByteArrayOutputStream();
    private final ByteArrayOutputStream frame = new ByteArrayOutputStream();
    private byte[] scratch = new byte[256];

    FrameEncoder(int maxBytesInFrame) {
      this.maxBytesInFrame = maxBytesInFrame;
    }

    /**
     * As Prometheus's StreamChunkedReadResponses: chunks are added to a frame until the bytes
     * left (max bytes in frame minus the labels' size) run out, so a frame may exceed the limit
     * by at most one chunk; a series with no chunks sends nothing.
     */
    void series(ChunkedWriter out, int queryIndex, Labels l, List<ChunkMeta> chunks)
        throws IOException {
      if (chunks.isEmpty()) {
        return;
      }
      labels.reset();
      CodedOutputStream lo = CodedOutputStream.newInstance(labels);
      int labelBytes = 0;
      for (int i = 0; i < l.size(); i++) {
        int size = CodedOutputStream.computeStringSize(1, l.name(i))
            + CodedOutputStream.computeStringSize(2, l.value(i));
        labelBytes += size;
        lo.writeTag(1, WireFormat.WIRETYPE_LENGTH_DELIMITED);
        lo.writeUInt32NoTag(size);
        lo.writeString(1, l.name(i));
        lo.writeString(2, l.value(i));
      }
      lo.flush();
      int maxData = maxBytesInFrame - labelBytes;
      int left = maxData;
      chunkList.reset();
      CodedOutputStream co = CodedOutputStream.newInstance(chunkList);
      for (int i = 0; i < chunks.size(); i++) {
        ChunkMeta c = chunks.get(i);
        ByteBuffer data = c.data().duplicate();
        int len = data.remaining();
        if (scratch.length < len) {
          scratch = new byte[Math.max(len, scratch.length * 2)];
        }
        data.get(scratch, 0, len);
        // proto3: fields holding their zero value are not written.
        int size = (c.minTime() != 0 ? CodedOutputStream.computeInt64Size(1, c.minTime()) : 0)
            + (c.maxTime() != 0 ? CodedOutputStream.computeInt64Size(2, c.maxTime()) : 0)
            + (c.encoding() != 0 ? CodedOutputStream.computeEnumSize(3, c.encoding()) : 0)
            + (len > 0 ? CodedOutputStream.computeTagSize(4)
                + CodedOutputStream.computeUInt32SizeNoTag(len) + len : 0);
        co.writeTag(2, WireFormat.WIRETYPE_LENGTH_DELIMITED);
        co.writeUInt32NoTag(size);
        if (c.minTime() != 0) {
          co.writeInt64(1, c.minTime());
        }
        if (c.maxTime() != 0) {
          co.writeInt64(2, c.maxTime());
        }
        if (c.encoding() != 0) {
          co.writeEnum(3, c.encoding());
        }
        if (len > 0) {
          co.writeTag(4, WireFormat.WIRETYPE_LENGTH_DELIMITED);
          co.writeUInt32NoTag(len);
          co.writeRawBytes(scratch, 0, len);
        }
        left -= size;
        boolean more = i + 1 < chunks.size();
        if (left > 0 && more) {
          continue;
        }
        co.flush();
        emit(out, queryIndex);
        chunkList.reset();
        co = CodedOutputStream.newInstance(chunkList);
        left = maxData;
      }
    }

    private void emit(ChunkedWriter out, int queryIndex) throws IOException {
      frame.reset();
      CodedOutputStream fo = CodedOutputStream.newInstance(frame);
      fo.writeTag(1, WireFormat.WIRETYPE_LENGTH_DELIMITED);
      fo.writeUInt32NoTag(labels.size() + chunkList.size());
      fo.writeRawBytes(labels.toByteArray());
      fo.writeRawBytes(chunkList.toByteArray());
      if (queryIndex != 0) {
        fo.writeInt64(2, queryIndex);
      }
      fo.flush();
      out.write(frame.toByteArray(), 0, frame.size());
    }
  }

  /**
   * Prometheus's filterExtLabelsFromMatchers: an equality matcher on an external label with the
   * external value selects series without that label (stored series do not carry it).
   */
  static List<Matcher> filterExternalLabelMatchers(List<Matcher> ms, Labels ext) {
    if (ext.isEmpty()) {
      return ms;
    }
    List<Matcher> out = new ArrayList<>(ms.size());
    for (Matcher m : ms) {
      if (m.type() == Matcher.Type.EQ && ext.has(m.name()) && ext.get(m.name()).equals(m.value())) {
        out.add(Matcher.eq(m.name(), ""));
      } else {
        out.add(m);
      }
    }
    return out;
  }

  /** The series' labels plus the external labels it lacks (Prometheus's MergeLabels). */
  static Labels withExternal(Labels l, Labels ext) {
    if (ext.isEmpty()) {
      return l;
    }
    LabelsBuilder b = l.toBuilder();
    ext.forEach((n, v) -> {
      if (!l.has(n)) {
        b.set(n, v);
      }
    });
    return b.build();
  }

  static byte[] timeSeries(Labels labels, long[] ts, double[] vs, int n) throws IOException {
    return timeSeries(labels, ts, vs, n, List.of());
  }

  /**
   * A prometheus.TimeSeries: labels (1), float samples (2) and the already encoded histogram
   * samples (4), each kind in time order.
   */
  static byte[] timeSeries(Labels labels, long[] ts, double[] vs, int n, List<byte[]> histograms)
      throws IOException {
    ByteArrayOutputStream bos = new ByteArrayOutputStream(64 + n * 20);
    CodedOutputStream out = CodedOutputStream.newInstance(bos);
    for (int i = 0; i < labels.size(); i++) {
      String name = labels.name(i);
      String value = labels.value(i);
      out.writeTag(1, WireFormat.WIRETYPE_LENGTH_DELIMITED);
      out.writeUInt32NoTag(CodedOutputStream.computeStringSize(1, name)
          + CodedOutputStream.computeStringSize(2, value));
      out.writeString(1, name);
      out.writeString(2, value);
    }
    for (int i = 0; i < n; i++) {
      out.writeTag(2, WireFormat.WIRETYPE_LENGTH_DELIMITED);
      out.writeUInt32NoTag(CodedOutputStream.computeDoubleSize(1, vs[i])
          + CodedOutputStream.computeInt64Size(2, ts[i]));
      out.writeDouble(1, vs[i]);
      out.writeInt64(2, ts[i]);
    }
    for (byte[] h : histograms) {
      out.writeByteArray(4, h);
    }
    out.flush();
    return bos.toByteArray();
  }
}
