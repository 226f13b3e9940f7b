package dev.tsdb.promql.parser;

import dev.tsdb.promql.ast.PosRange;
import java.util.List;

/**
 * A series description uses native-histogram values ({@code {{...}}}), which this parser does
 * not build yet; callers (the test-script runner) can skip such series.
 */
public final class NativeHistogramException extends ParseException {
  public NativeHistogramException(String input, int pos) {
    super(input, List.of(new ParseError(new PosRange(pos, pos + 2),
        "native histogram values are not supported")));
  }
}
