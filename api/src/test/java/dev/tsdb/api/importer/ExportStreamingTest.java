package dev.tsdb.api.importer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tsdb.api.export.ExportHandler;
import dev.tsdb.api.export.JsonLines;
import dev.tsdb.index.labels.Labels;
import dev.tsdb.index.labels.Matcher;
import dev.tsdb.index.storage.Querier;
import dev.tsdb.index.storage.Queryable;
import dev.tsdb.index.storage.SampleIterator;
import dev.tsdb.index.storage.SelectHints;
import dev.tsdb.index.storage.Series;
import dev.tsdb.index.storage.SeriesSet;
import dev.tsdb.index.storage.ValueType;
import io.undertow.Undertow;
import io.undertow.server.handlers.BlockingHandler;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The export streams: with many series, the client reads the first lines while the storage is
 * still being iterated. The storage stops after a fifth of the series until the client has seen
 * output; an export that held the result in memory would never send any, and wait out the
 * timeout.
 */
class ExportStreamingTest {
  private static final int SERIES = 50_000;
  private static final int PAUSE_AT = SERIES / 5;

  /** Series made on demand, each with 10 samples; pauses at PAUSE_AT until released. */
  private static final class LazyStorage implements Queryable {
    final AtomicInteger made = new AtomicInteger();
    final CountDownLatch clientSawOutput = new CountDownLatch(1);
    volatile boolean timedOut;

    @Override
    public Querier querier(long mint, long maxt) {
      return new Querier() {
        @Override
        public SeriesSet select(boolean sorted, SelectHints hints, Matcher... ms) {
          return new SeriesSet() {
            private Series current;

            @Override
            public boolean next() {
              int i = made.get();
              if (i == SERIES) {
                return false;
              }
              if (i == PAUSE_AT) {
                try {
                  timedOut = !clientSawOutput.await(20, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              }
              made.incrementAndGet();
              Labels l = Labels.of("__name__", "m", "i", Integer.toString(i));
              current = new Series() {
                @Override
                public Labels labels() {
                  return l;
                }

                @Override
                public SampleIterator iterator(SampleIterator reuse) {
                  return new TenSamples();
                }
              };
              return true;
            }

            @Override
            public Series at() {
              return current;
            }
          };
        }

        @Override
        public List<String> labelValues(String name, Matcher... matchers) {
          return List.of();
        }

        @Override
        public List<String> labelNames(Matcher... matchers) {
          return List.of();
        }

        @Override
        public void close() {}
      };
    }
  }

  private static final class TenSamples implements SampleIterator {
    private int n = -1;

    @Override
    public ValueType next() {
      return ++n < 10 ? ValueType.FLOAT : ValueType.NONE;
    }

    @Override
    public ValueType seek(long t) {
      while (n < 0 || (n < 10 && t() < t)) {
        next();
      }
      return n < 10 ? ValueType.FLOAT : ValueType.NONE;
    }

    @Override
    public long t() {
      return 1000L * n;
    }

    @Override
    public double v() {
      return n;
    }
  }

  @Test
  void outputStartsLongBeforeTheStorageIsRead() throws Exception {
    LazyStorage storage = new LazyStorage();
    ExportHandler h = new ExportHandler(storage, ImportExportHttp.PARSER, () -> 100_000,
        new JsonLines());
    Undertow undertow = Undertow.builder().addHttpListener(0, "127.0.0.1")
        .setHandler(new BlockingHandler(ex -> h.handle(ex, Map.of()))).build();
    undertow.start();
    try {
      int port = ((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort();
      HttpResponse<InputStream> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
              URI.create("http://127.0.0.1:" + port + "/api/v1/export?match[]=m")).build(),
          HttpResponse.BodyHandlers.ofInputStream());
      assertEquals(200, r.statusCode());
      try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(),
          StandardCharsets.UTF_8))) {
        String first = in.readLine();
        int madeWhenFirstArrived = storage.made.get();
        storage.clientSawOutput.countDown();
        assertEquals("{\"metric\":{\"__name__\":\"m\",\"i\":\"0\"},\"values\":[0,1,2,3,4,5,6,7,8,9],"
            + "\"timestamps\":[0,1000,2000,3000,4000,5000,6000,7000,8000,9000]}", first);
        assertTrue(madeWhenFirstArrived <= PAUSE_AT, "first line after " + madeWhenFirstArrived);
        long lines = 1 + in.lines().count();
        assertEquals(SERIES, lines);
      }
      assertFalse(storage.timedOut, "the export sent nothing until the storage was read whole");
    } finally {
      undertow.stop();
    }
  }
}
