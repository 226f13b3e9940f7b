package dev.tsdb.api.remote;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import dev.tsdb.api.http.Responses;
import dev.tsdb.api.http.Router;
import dev.tsdb.labels.Labels;
import dev.tsdb.labels.LabelsBuilder;
import dev.tsdb.labels.Matcher;
import dev.tsdb.storage.Querier;
import dev.tsdb.storage.Queryable;
import dev.tsdb.storage.SampleIterator;
import dev.tsdb.storage.SelectHints;
import dev.tsdb.storage.Series;
import dev.tsdb.storage.SeriesSet;
import dev.tsdb.storage.ValueType;
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
import java.util.function.Supplier;

/**
 * POST /api/v1/read: Prometheus remote read with the SAMPLES response type (a snappy-compressed
 * protobuf ReadResponse). STREAMED_XOR_CHUNKS needs the head's XOR chunks and is not offered yet:
 * clients that accept both get SAMPLES, as response types are negotiated in the client's order of
 * preference among those we support.
 *
 * <p>Wire format (prompb/remote.proto):
 * <pre>
 * ReadRequest  { repeated Query queries = 1; repeated ResponseType accepted_response_types = 2; }
 * Query        { int64 start_timestamp_ms = 1; int64 end_timestamp_ms = 2;
 *                repeated LabelMatcher matchers = 3; ReadHints hints = 4; }
 * LabelMatcher { Type type = 1 (EQ, NEQ, RE, NRE); string name = 2; string value = 3; }
 * ReadResponse { repeated QueryResult results = 1; }
 * QueryResult  { repeated TimeSeries timeseries = 1; }
 * </pre>
 *
 * <p>As in Prometheus, external labels are attached to every returned series, and matchers that
 * only constrain external labels (and would match them) are dropped before selecting.
 */
public final class RemoteReadHandler implements Router.RouteHandler {
  static final int SAMPLES = 0;
  static final int STREAMED_XOR_CHUNKS = 1;

  private final Queryable storage;
  private final Supplier<Labels> externalLabels;
  private final long sampleLimit;
  private final Semaphore concurrency;
  private final int maxRequestBytes;

  /** A decoded query: time range and matchers. */
  record Query(long start, long end, List<Matcher> matchers) {}

  public RemoteReadHandler(Queryable storage, Supplier<Labels> externalLabels, long sampleLimit,
      int concurrencyLimit, int maxRequestBytes) {
    this.storage = storage;
    this.externalLabels = externalLabels;
    this.sampleLimit = sampleLimit;
    this.concurrency = concurrencyLimit > 0 ? new Semaphore(concurrencyLimit) : null;
    this.maxRequestBytes = maxRequestBytes;
  }

  @Override
  public void handle(HttpServerExchange ex, Map<String, String> pathParams) throws Exception {
    if (!ex.isBlocking()) {
      ex.startBlocking();
    }
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
  }

  private void serve(HttpServerExchange ex) throws IOException {
    byte[] body = ex.getInputStream().readNBytes(maxRequestBytes + 1);
    if (body.length > maxRequestBytes) {
      Responses.text(ex, 413, "request body too large");
      return;
    }
    byte[] raw;
    try {
      int n = SnappyDecompressor.getUncompressedLength(body, 0);
      if (n < 0 || n > maxRequestBytes) {
        throw new MalformedInputException(0, "bad length");
      }
      raw = new byte[n];
      int got = new SnappyDecompressor().decompress(body, 0, body.length, raw, 0, n);
      if (got != n) {
        throw new MalformedInputException(0, "length mismatch");
      }
    } catch (MalformedInputException | IllegalArgumentException | IndexOutOfBoundsException e) {
      Responses.text(ex, 400, "snappy: corrupt input");
      return;
    }
    List<Query> queries = new ArrayList<>();
    List<Integer> accepted = new ArrayList<>();
    try {
      decodeRequest(raw, queries, accepted);
    } catch (InvalidProtocolBufferException e) {
      Responses.text(ex, 400, "proto: cannot parse ReadRequest: " + e.getMessage());
      return;
    } catch (IllegalArgumentException e) {
      Responses.text(ex, 400, e.getMessage());
      return;
    }
    int type = negotiate(accepted);
    if (type < 0) {
      Responses.text(ex, 400, "server does not support any of the requested response types: "
          + accepted + "; supported: [SAMPLES]");
      return;
    }
    byte[] response;
    try {
      response = samplesResponse(queries);
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

  /** The first accepted type we support; SAMPLES when the client lists none; -1 if none fit. */
  static int negotiate(List<Integer> accepted) {
    if (accepted.isEmpty()) {
      return SAMPLES;
    }
    for (int t : accepted) {
      if (t == SAMPLES) {
        return t;
      }
    }
    return -1;
  }

  static void decodeRequest(byte[] raw, List<Query> queries, List<Integer> accepted)
      throws IOException {
    CodedInputStream in = CodedInputStream.newInstance(raw);
    while (true) {
      int tag = in.readTag();
      if (tag == 0) {
        break;
      }
      int field = WireFormat.getTagFieldNumber(tag);
      int wt = WireFormat.getTagWireType(tag);
      if (field == 1 && wt == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
        int old = in.pushLimit(in.readRawVarint32());
        queries.add(decodeQuery(in));
        in.popLimit(old);
      } else if (field == 2 && wt == WireFormat.WIRETYPE_VARINT) {
        accepted.add(in.readEnum());
      } else if (field == 2 && wt == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
        int old = in.pushLimit(in.readRawVarint32()); // packed repeated enum
        while (in.getBytesUntilLimit() > 0) {
          accepted.add(in.readEnum());
        }
        in.popLimit(old);
      } else if (!in.skipField(tag)) {
        break;
      }
    }
  }

  private static Query decodeQuery(CodedInputStream in) throws IOException {
    long start = 0;
    long end = 0;
    List<Matcher> matchers = new ArrayList<>();
    while (true) {
      int tag = in.readTag();
      if (tag == 0) {
        break;
      }
      switch (tag) {
        case (1 << 3) | WireFormat.WIRETYPE_VARINT -> start = in.readInt64();
        case (2 << 3) | WireFormat.WIRETYPE_VARINT -> end = in.readInt64();
        case (3 << 3) | WireFormat.WIRETYPE_LENGTH_DELIMITED -> {
          int old = in.pushLimit(in.readRawVarint32());
          matchers.add(decodeMatcher(in));
          in.popLimit(old);
        }
        default -> in.skipField(tag);
      }
    }
    return new Query(start, end, matchers);
  }

  private static Matcher decodeMatcher(CodedInputStream in) throws IOException {
    int type = 0;
    String name = "";
    String value = "";
    while (true) {
      int tag = in.readTag();
      if (tag == 0) {
        break;
      }
      switch (tag) {
        case (1 << 3) | WireFormat.WIRETYPE_VARINT -> type = in.readEnum();
        case (2 << 3) | WireFormat.WIRETYPE_LENGTH_DELIMITED -> name = in.readStringRequireUtf8();
        case (3 << 3) | WireFormat.WIRETYPE_LENGTH_DELIMITED -> value = in.readStringRequireUtf8();
        default -> in.skipField(tag);
      }
    }
    Matcher.Type t = switch (type) {
      case 0 -> Matcher.Type.EQ;
      case 1 -> Matcher.Type.NEQ;
      case 2 -> Matcher.Type.RE;
      case 3 -> Matcher.Type.NRE;
      default -> throw new IllegalArgumentException("invalid matcher type " + type);
    };
    try {
      return Matcher.of(t, name, value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("invalid regex " + value + ": " + e.getMessage());
    }
  }

  private static final class SampleLimitException extends Exception {
    SampleLimitException(long limit) {
      super("exceeded sample limit (" + limit + ")", null, false, false);
    }
  }

  private byte[] samplesResponse(List<Query> queries) throws IOException, SampleLimitException {
    Labels ext = externalLabels.get();
    ByteArrayOutputStream response = new ByteArrayOutputStream();
    CodedOutputStream resp = CodedOutputStream.newInstance(response);
    long samples = 0;
    for (Query q : queries) {
      List<Matcher> ms = withoutExternalLabelMatchers(q.matchers(), ext);
      ByteArrayOutputStream result = new ByteArrayOutputStream();
      CodedOutputStream res = CodedOutputStream.newInstance(result);
      if (!ms.isEmpty()) {
        try (Querier querier = storage.querier(q.start(), q.end())) {
          SeriesSet ss = querier.select(true, new SelectHints(q.start(), q.end(), 0, 0, null,
              List.of(), false), ms.toArray(new Matcher[0]));
          SampleIterator reuse = null;
          long[] ts = new long[64];
          double[] vs = new double[64];
          while (ss.next()) {
            Series s = ss.at();
            SampleIterator it = s.iterator(reuse);
            reuse = it;
            int n = 0;
            while (it.next() == ValueType.FLOAT) {
              if (n == ts.length) {
                ts = Arrays.copyOf(ts, n * 2);
                vs = Arrays.copyOf(vs, n * 2);
              }
              ts[n] = it.t();
              vs[n] = it.v();
              n++;
            }
            samples += n;
            if (sampleLimit > 0 && samples > sampleLimit) {
              throw new SampleLimitException(sampleLimit);
            }
            res.writeByteArray(1, timeSeries(withExternal(s.labels(), ext), ts, vs, n));
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

  /** Prometheus's filterExtLabelsFromMatchers: drop matchers on external labels they match. */
  static List<Matcher> withoutExternalLabelMatchers(List<Matcher> ms, Labels ext) {
    if (ext.isEmpty()) {
      return ms;
    }
    List<Matcher> out = new ArrayList<>();
    for (Matcher m : ms) {
      if (ext.has(m.name()) && m.matches(ext.get(m.name()))) {
        continue;
      }
      out.add(m);
    }
    return out;
  }

  private static Labels withExternal(Labels l, Labels ext) {
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
    out.flush();
    return bos.toByteArray();
  }
}
