package dev.tsdb.blocks.db.interop;

import com.google.protobuf.CodedOutputStream;
import dev.tsdb.index.labels.Labels;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;

/** Remote-write 1.0 bodies (uncompressed) for feeding a reference Prometheus test data. */
final class WriteRequests {
  private WriteRequests() {}

  /**
   * prometheus.WriteRequest: repeated TimeSeries timeseries = 1; TimeSeries: repeated Label
   * labels = 1 (name = 1, value = 2), repeated Sample samples = 2 (double value = 1, int64
   * timestamp = 2).
   */
  static byte[] of(Map<Labels, TreeMap<Long, Double>> series) throws IOException {
    ByteArrayOutputStream bos = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(bos);
    for (Map.Entry<Labels, TreeMap<Long, Double>> e : series.entrySet()) {
      ByteArrayOutputStream tsBytes = new ByteArrayOutputStream();
      CodedOutputStream ts = CodedOutputStream.newInstance(tsBytes);
      for (int i = 0; i < e.getKey().size(); i++) {
        ByteArrayOutputStream lb = new ByteArrayOutputStream();
        CodedOutputStream l = CodedOutputStream.newInstance(lb);
        l.writeString(1, e.getKey().name(i));
        l.writeString(2, e.getKey().value(i));
        l.flush();
        ts.writeByteArray(1, lb.toByteArray());
      }
      for (Map.Entry<Long, Double> s : e.getValue().entrySet()) {
        ByteArrayOutputStream sb = new ByteArrayOutputStream();
        CodedOutputStream so = CodedOutputStream.newInstance(sb);
        so.writeDouble(1, s.getValue());
        so.writeInt64(2, s.getKey());
        so.flush();
        ts.writeByteArray(2, sb.toByteArray());
      }
      ts.flush();
      out.writeByteArray(1, tsBytes.toByteArray());
    }
    out.flush();
    return bos.toByteArray();
  }
}
