package dev.tsdb.head.chunkenc;

import dev.tsdb.index.histogram.Histogram;
import java.util.Arrays;

/**
 * Whether a histogram can join an open histogram chunk, as the appenders'
 * {@code appendable}/{@code appendableGauge} decide it (Prometheus's rules):
 *
 * <ul>
 *   <li>{@link #fits()}: it can go into this chunk. Then {@link #needsRecode()} says the chunk
 *       must first be rewritten into a wider layout (buckets the histogram has and the chunk
 *       lacks; the appender's {@code recode} does it), and {@link #expandsHistogram()} that the
 *       histogram lacks buckets of the chunk and is filled in with empty ones when appended.
 *   <li>Otherwise a new chunk starts, and {@link #counterResetHeader()} says what its header
 *       records: a counter reset (a count or bucket went down, a bucket in use vanished, custom
 *       bounds changed, or the histogram's hint says so), or unknown (schema or zero threshold
 *       changed, or the chunk ended with a stale marker).
 * </ul>
 *
 * <p>The appender owns one instance and refills it on every check; read it before the next.
 */
public final class Appendability {
  boolean okToAppend;
  /** Counter chunks: what Prometheus's appendable reports (NOT_COUNTER_RESET when it fits). */
  CounterResetHeader hint = CounterResetHeader.NOT_COUNTER_RESET;
  boolean gauge;

  // Inserts as (pos, num) pairs: num empty buckets go before the pos'th bucket.
  int[] posForward = new int[8];
  int nPosForward;
  int[] negForward = new int[8];
  int nNegForward;
  int[] posBackward = new int[8];
  int nPosBackward;
  int[] negBackward = new int[8];
  int nNegBackward;

  // Canonical union of the chunk's and the histogram's buckets, per side.
  private int[] posUnion = new int[8];
  private int posUnionLen;
  private int[] negUnion = new int[8];
  private int negUnionLen;

  private final BucketCursor chunkCursor = new BucketCursor();
  private final BucketCursor histCursor = new BucketCursor();

  /** It goes into this chunk (after a recode if {@link #needsRecode()}). */
  public boolean fits() {
    return okToAppend && (gauge || hint == CounterResetHeader.NOT_COUNTER_RESET);
  }

  /** For a histogram that does not fit: the header of the new chunk it starts. */
  public CounterResetHeader counterResetHeader() {
    return hint;
  }

  /** The chunk must be recoded to a wider layout first. */
  public boolean needsRecode() {
    return nPosForward + nNegForward > 0;
  }

  /** The histogram lacks some of the chunk's (empty) buckets, which appending fills in. */
  public boolean expandsHistogram() {
    return nPosBackward + nNegBackward > 0;
  }

  void reset(boolean gauge) {
    this.gauge = gauge;
    okToAppend = false;
    hint = CounterResetHeader.NOT_COUNTER_RESET;
    nPosForward = nNegForward = nPosBackward = nNegBackward = 0;
    posUnionLen = negUnionLen = 0;
  }

  /**
   * The positive spans the chunk and the histogram get when a recode happens, as Prometheus
   * chooses them (which decides the recoded chunk's bytes): the histogram's own spans, unless the
   * chunk has buckets the histogram lacks; then the canonical union of both, for that side only
   * (counters) or for both sides (gauges).
   */
  int[] recodePositiveSpans(int[] histogramSpans) {
    if (!useUnion(nPosBackward)) {
      return histogramSpans;
    }
    return posUnionLen >= 0 ? Arrays.copyOf(posUnion, posUnionLen) : canonical(histogramSpans);
  }

  int[] recodeNegativeSpans(int[] histogramSpans) {
    if (!useUnion(nNegBackward)) {
      return histogramSpans;
    }
    return negUnionLen >= 0 ? Arrays.copyOf(negUnion, negUnionLen) : canonical(histogramSpans);
  }

  /** The spans in canonical form (for a side whose union was skipped: identical spans). */
  private int[] canonical(int[] spans) {
    int[] out = new int[spans.length];
    int len = 0;
    int last = 0;
    BucketCursor c = new BucketCursor().reset(spans);
    while (c.next()) {
      int bucket = c.index();
      if (len > 0 && bucket == last + 1) {
        out[len - 1]++;
      } else {
        out[len] = len == 0 ? bucket : bucket - last - 1;
        out[len + 1] = 1;
        len += 2;
      }
      last = bucket;
    }
    return Arrays.copyOf(out, len);
  }

  private boolean useUnion(int sideBackward) {
    return gauge ? expandsHistogram() : sideBackward > 0;
  }

  /**
   * Walks one side's buckets of the chunk (a) and the histogram (b), recording forward and
   * backward inserts and the union. Counts are absolute, as longs ({@code aL}/{@code bL}) or
   * doubles ({@code aD}/{@code bD}); with {@code checkResets}, a decrease or a vanished bucket in
   * use returns false (a counter reset).
   */
  boolean merge(boolean positive, int[] aSpans, int[] bSpans, long[] aL, long[] bL,
      double[] aD, double[] bD, boolean checkResets) {
    if (Arrays.equals(aSpans, bSpans)) {
      // The common case, same layout: only the counts need checking, nothing moves.
      if (positive) {
        posUnionLen = -1;
      } else {
        negUnionLen = -1;
      }
      int n = checkResets ? Histogram.bucketsCovered(aSpans) : 0;
      for (int i = 0; i < n; i++) {
        if (greater(aL, aD, i, bL, bD, i)) {
          return false;
        }
      }
      return true;
    }
    BucketCursor ac = chunkCursor.reset(aSpans);
    BucketCursor bc = histCursor.reset(bSpans);
    boolean aOk = ac.next();
    boolean bOk = bc.next();
    int ai = 0; // buckets of a consumed
    int bi = 0;
    int fwdPos = 0;
    int fwdNum = 0;
    int backPos = 0;
    int backNum = 0;
    unionStart(positive);
    while (aOk || bOk) {
      if (aOk && bOk && ac.index() == bc.index()) {
        if (checkResets && greater(aL, aD, ai, bL, bD, bi)) {
          return false;
        }
        if (fwdNum > 0) {
          addForward(positive, fwdPos, fwdNum);
          fwdNum = 0;
        }
        if (backNum > 0) {
          addBackward(positive, backPos, backNum);
          backNum = 0;
        }
        unionAdd(positive, ac.index());
        ai++;
        bi++;
        aOk = ac.next();
        bOk = bc.next();
      } else if (aOk && (!bOk || ac.index() < bc.index())) {
        // Only the chunk has this bucket: fine for gauges, or when it is empty.
        if (checkResets && !isZero(aL, aD, ai)) {
          return false;
        }
        if (backNum == 0) {
          backPos = bi;
        }
        backNum++;
        if (fwdNum > 0) {
          addForward(positive, fwdPos, fwdNum);
          fwdNum = 0;
        }
        unionAdd(positive, ac.index());
        ai++;
        aOk = ac.next();
      } else {
        // Only the histogram has this bucket: the chunk needs it inserted.
        if (fwdNum == 0) {
          fwdPos = ai;
        }
        fwdNum++;
        if (backNum > 0) {
          addBackward(positive, backPos, backNum);
          backNum = 0;
        }
        unionAdd(positive, bc.index());
        bi++;
        bOk = bc.next();
      }
    }
    if (fwdNum > 0) {
      addForward(positive, fwdPos, fwdNum);
    }
    if (backNum > 0) {
      addBackward(positive, backPos, backNum);
    }
    return true;
  }

  private static boolean greater(long[] aL, double[] aD, int ai, long[] bL, double[] bD, int bi) {
    return aL != null ? aL[ai] > bL[bi] : aD[ai] > bD[bi];
  }

  private static boolean isZero(long[] aL, double[] aD, int ai) {
    return aL != null ? aL[ai] == 0 : aD[ai] == 0;
  }

  private void addForward(boolean positive, int pos, int num) {
    if (positive) {
      posForward = put(posForward, nPosForward++, pos, num);
    } else {
      negForward = put(negForward, nNegForward++, pos, num);
    }
  }

  private void addBackward(boolean positive, int pos, int num) {
    if (positive) {
      posBackward = put(posBackward, nPosBackward++, pos, num);
    } else {
      negBackward = put(negBackward, nNegBackward++, pos, num);
    }
  }

  private static int[] put(int[] arr, int i, int pos, int num) {
    if (2 * i + 2 > arr.length) {
      arr = Arrays.copyOf(arr, arr.length * 2 + 4);
    }
    arr[2 * i] = pos;
    arr[2 * i + 1] = num;
    return arr;
  }

  // Union spans in canonical form: a new span only after a gap, the first offset absolute.
  private int lastBucket;

  private void unionStart(boolean positive) {
    lastBucket = 0;
    if (positive) {
      posUnionLen = 0;
    } else {
      negUnionLen = 0;
    }
  }

  private void unionAdd(boolean positive, int bucket) {
    int[] u = positive ? posUnion : negUnion;
    int len = positive ? posUnionLen : negUnionLen;
    if (len > 0 && bucket == lastBucket + 1) {
      u[len - 1]++;
    } else {
      if (len + 2 > u.length) {
        u = Arrays.copyOf(u, u.length * 2 + 4);
      }
      u[len] = len == 0 ? bucket : bucket - lastBucket - 1;
      u[len + 1] = 1;
      len += 2;
    }
    lastBucket = bucket;
    if (positive) {
      posUnion = u;
      posUnionLen = len;
    } else {
      negUnion = u;
      negUnionLen = len;
    }
  }

  /** Prometheus's insert for delta-encoded buckets: inserted buckets are empty, later deltas adjusted. */
  static long[] insertDeltas(long[] in, int[] inserts, int n, int outLen) {
    long[] out = new long[outLen];
    int oi = 0;
    int ii = 0;
    long v = 0; // absolute count of the last bucket written
    for (int i = 0; i < in.length; i++) {
      if (ii < n && inserts[2 * ii] == i) {
        out[oi++] = -v; // back to zero
        oi += inserts[2 * ii + 1] - 1; // the rest stay zero deltas
        ii++;
        out[oi++] = in[i] + v;
      } else {
        out[oi++] = in[i];
      }
      v += in[i];
    }
    if (ii < n) {
      out[oi] = -v;
    }
    return out;
  }

  /** The same for absolute (float) counts: inserted buckets are 0. */
  static double[] insertAbsolute(double[] in, int[] inserts, int n, int outLen) {
    double[] out = new double[outLen];
    int oi = 0;
    int ii = 0;
    for (int i = 0; i < in.length; i++) {
      if (ii < n && inserts[2 * ii] == i) {
        oi += inserts[2 * ii + 1];
        ii++;
      }
      out[oi++] = in[i];
    }
    return out;
  }
}
