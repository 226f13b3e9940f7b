package dev.tsdb.api.remote;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import dev.tsdb.index.labels.Matcher;
import dev.tsdb.index.storage.SelectHints;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A decoded remote-read request (prompb/remote.proto):
 *
 * <pre>
 * ReadRequest  { repeated Query queries = 1; repeated ResponseType accepted_response_types = 2; }
 * Query        { int64 start_timestamp_ms = 1; int64 end_timestamp_ms = 2;
 *                repeated LabelMatcher matchers = 3; ReadHints hints = 4; }
 * LabelMatcher { Type type = 1 (EQ, NEQ, RE, NRE); string name = 2; string value = 3; }
 * ReadHints    { int64 step_ms = 1; string func = 2; int64 start_ms = 3; int64 end_ms = 4;
 *                repeated string grouping = 5; bool by = 6; int64 range_ms = 7; }
 * ResponseType { SAMPLES = 0; STREAMED_XOR_CHUNKS = 1; }
 * </pre>
 */
record ReadRequest(List<Query> queries, List<Integer> acceptedTypes) {
  static final int SAMPLES = 0;
  static final int STREAMED_XOR_CHUNKS = 1;

  /** One query: time range, matchers, and the select hints (null when the client sent none). */
  record Query(long start, long end, List<Matcher> matchers, SelectHints hints) {
    /** The hints to select with: the client's, else the query's own range. */
    SelectHints selectHints() {
      return hints != null ? hints : SelectHints.range(start, end);
    }
  }

  /**
   * Decodes a request. Throws IOException (InvalidProtocolBufferException) for malformed
   * protobuf and IllegalArgumentException for an invalid matcher.
   */
  static ReadRequest decode(byte[] raw) throws IOException {
    List<Query> queries = new ArrayList<>();
    List<Integer> accepted = new ArrayList<>();
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
    return new ReadRequest(queries, accepted);
  }

  private static Query decodeQuery(CodedInputStream in) throws IOException {
    long start = 0;
    long end = 0;
    List<Matcher> matchers = new ArrayList<>();
    SelectHints hints = null;
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
        case (4 << 3) | WireFormat.WIRETYPE_LENGTH_DELIMITED -> {
          int old = in.pushLimit(in.readRawVarint32());
          hints = decodeHints(in);
          in.popLimit(old);
        }
        default -> in.skipField(tag);
      }
    }
    return new Query(start, end, matchers, hints);
  }

  private static SelectHints decodeHints(CodedInputStream in) throws IOException {
    long step = 0;
    String func = "";
    long start = 0;
    long end = 0;
    List<String> grouping = new ArrayList<>();
    boolean by = false;
    long range = 0;
    while (true) {
      int tag = in.readTag();
      if (tag == 0) {
        break;
      }
      switch (tag) {
        case (1 << 3) | WireFormat.WIRETYPE_VARINT -> step = in.readInt64();
        case (2 << 3) | WireFormat.WIRETYPE_LENGTH_DELIMITED -> func = in.readStringRequireUtf8();
        case (3 << 3) | WireFormat.WIRETYPE_VARINT -> start = in.readInt64();
        case (4 << 3) | WireFormat.WIRETYPE_VARINT -> end = in.readInt64();
        case (5 << 3) | WireFormat.WIRETYPE_LENGTH_DELIMITED ->
            grouping.add(in.readStringRequireUtf8());
        case (6 << 3) | WireFormat.WIRETYPE_VARINT -> by = in.readBool();
        case (7 << 3) | WireFormat.WIRETYPE_VARINT -> range = in.readInt64();
        default -> in.skipField(tag);
      }
    }
    return new SelectHints(start, end, step, range, func.isEmpty() ? null : func,
        List.copyOf(grouping), by);
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

  /** The response type's name as Prometheus prints it in errors. */
  static String typeName(int t) {
    return switch (t) {
      case SAMPLES -> "SAMPLES";
      case STREAMED_XOR_CHUNKS -> "STREAMED_XOR_CHUNKS";
      default -> Integer.toString(t);
    };
  }
}
