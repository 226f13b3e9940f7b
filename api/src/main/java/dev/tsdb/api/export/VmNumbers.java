package dev.tsdb.api.export;

import dev.tsdb.gocompat.GoFloat;

/**
 * Sample values the way VictoriaMetrics's export writes them: whole numbers as integers, others
 * as Go's shortest non-exponent form ("0.0000001", "1000000000000000000000"), NaN as
 * {@code NaN} and the infinities as {@code +Inf} and {@code -Inf} (bare, which its importer
 * and ours read back; strict JSON parsers do not).
 */
final class VmNumbers {
  private VmNumbers() {}

  static void appendValue(StringBuilder sb, double v) {
    if (v == 0) {
      sb.append('0'); // also -0, as VictoriaMetrics's integer fast path prints it
    } else {
      GoFloat.appendF(sb, v);
    }
  }
}
