package dev.tsdb.index.storage;

/**
 * The time range one select reads: the querier's own [mint, maxt] narrowed to the hints'
 * [start, end]. Every querier (head, head chunks, block, block chunks) derives it here, so the
 * parts of a merged query agree on what a select covers. All bounds are inclusive.
 *
 * <p>Narrowed, never widened: a querier's range is a promise to its caller (the database opens
 * the head querier above the newest block, so reading below it would return block data twice).
 * Prometheus's block querier takes the hints' range as is, but there the querier's range equals
 * the query's and the hints lie inside it, so both read the same samples.
 *
 * <p>Hints with start and end both 0 give no range (a remote-read {@code ReadHints} message
 * whose times were left unset decodes that way) and leave the querier's range as it is. Hints
 * whose end is before their start select nothing.
 */
public record SelectRange(long mint, long maxt) {
  /** The range a querier over [mint, maxt] reads for {@code hints} (may be null). */
  public static SelectRange of(long mint, long maxt, SelectHints hints) {
    if (hints == null || (hints.start() == 0 && hints.end() == 0)) {
      return new SelectRange(mint, maxt);
    }
    return new SelectRange(Math.max(mint, hints.start()), Math.min(maxt, hints.end()));
  }

  /** True when no timestamp lies in the range. */
  public boolean isEmpty() {
    return mint > maxt;
  }
}
