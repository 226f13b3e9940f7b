package dev.tsdb.api.importer;

import dev.tsdb.api.http.BodyTooLargeException;
import java.io.BufferedReader;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;

/**
 * The lines of an import body, read as they arrive (never the whole body at once), gunzipped
 * when the request says {@code Content-Encoding: gzip}, and cut off past a limit on the
 * decompressed size.
 */
final class BodyLines {
  private BodyLines() {}

  static BufferedReader open(InputStream body, boolean gzip, long maxBytes) throws IOException {
    InputStream in = gzip ? new GZIPInputStream(body, 64 << 10) : body;
    return new BufferedReader(new InputStreamReader(new Limited(in, maxBytes),
        StandardCharsets.UTF_8), 64 << 10);
  }

  /** Fails the read that would pass the limit. */
  private static final class Limited extends FilterInputStream {
    private final long max;
    private long read;

    Limited(InputStream in, long max) {
      super(in);
      this.max = max;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count(1);
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        count(n);
      }
      return n;
    }

    private void count(int n) throws BodyTooLargeException {
      read += n;
      if (read > max) {
        throw new BodyTooLargeException("import body larger than " + max
            + " bytes (decompressed); split it, or build blocks with promtool tsdb"
            + " create-blocks-from and place them in the data directory");
      }
    }
  }
}
