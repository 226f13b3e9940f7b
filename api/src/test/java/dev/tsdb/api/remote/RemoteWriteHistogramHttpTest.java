package dev.tsdb.api.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tsdb.index.histogram.Histogram;
import dev.tsdb.index.labels.Labels;
import dev.tsdb.index.labels.Matcher;
import dev.tsdb.index.storage.SampleIterator;
import dev.tsdb.index.storage.SeriesSet;
import dev.tsdb.index.storage.ValueType;
import dev.tsdb.testkit.MemStorage;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** POST /api/v1/write with native histograms, on storage that does not keep them yet. */
class RemoteWriteHistogramHttpTest {
  private final MemStorage storage = new MemStorage();
  private final RemoteWriteStats stats = new RemoteWriteStats();
  private RemoteWriteEndpoint endpoint;

  @BeforeEach
  void start() {
    endpoint = new RemoteWriteEndpoint(new RemoteWriteHandler(storage, null, stats, 1 << 20,
        () -> 1_000_000L));
  }

  @AfterEach
  void stop() {
    endpoint.close();
  }

  private HttpResponse<String> post(byte[] req) throws Exception {
    return endpoint.postV1(req);
  }

  private int storedSamples() {
    SeriesSet ss = storage.querier(Long.MIN_VALUE, Long.MAX_VALUE)
        .select(false, null, Matcher.re("__name__", ".+"));
    int n = 0;
    while (ss.next()) {
      SampleIterator it = ss.at().iterator(null);
      while (it.next() != ValueType.NONE) {
        n++;
      }
    }
    return n;
  }

  @Test
  void invalidHistogramsAre400WithTheValidPartKept() throws Exception {
    Histogram invalid = new Histogram();
    invalid.count = 1;
    invalid.positiveSpans = new int[] {0, 2};
    invalid.positiveBuckets = new long[] {1};
    byte[] req = PromPb.writeRequest(List.of(
        PromPb.Series.of(Labels.of("__name__", "bad"), new long[] {1}, new double[] {1})
            .withHistograms(List.of(PromPb.NativeHistogram.of(2, invalid))),
        PromPb.Series.of(Labels.of("__name__", "ok"), new long[] {1}, new double[] {1})
            .withHistograms(1)), List.of());
    HttpResponse<String> r = post(req);
    assertEquals(400, r.statusCode());
    assertEquals("1 histogram sample rejected; first: {__name__=\"bad\"}: positive side: spans"
        + " need 2 buckets, have 1 buckets: histogram spans specify different number of buckets"
        + " than provided\n", r.body());
    assertEquals(3, storedSamples());
    assertEquals(1, stats.histogramsRejected.sum());
    assertEquals(1, stats.histogramsAppended.sum());
    assertEquals(2, stats.samplesAppended.sum());
    assertEquals(0, stats.failedRequests.sum());
  }

  @Test
  void malformedHistogramMessageIs400ForTheWholeRequest() throws Exception {
    // A TimeSeries with a float sample and a Histogram whose packed doubles are cut short.
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    byte[] valid = PromPb.writeRequest(List.of(PromPb.Series.of(Labels.of("__name__", "m"),
        new long[] {1}, new double[] {1})), List.of());
    b.write(valid);
    byte[] series = {
        0x0a, 0x0b, 0x0a, 0x08, '_', '_', 'n', 'a', 'm', 'e', '_', '_', 0x12, 0x01, 'n', // name n
        0x22, 0x04, 0x6a, 0x02, 0x01, 0x02}; // a histogram: positive_counts of 2 bytes
    b.write(0x0a);
    b.write(series.length);
    b.write(series);
    HttpResponse<String> r = post(b.toByteArray());
    assertEquals(400, r.statusCode());
    assertTrue(r.body().startsWith("proto: cannot parse WriteRequest: "), r.body());
    assertEquals(0, storedSamples());
    assertEquals(1, stats.failedRequests.sum());
  }
}
