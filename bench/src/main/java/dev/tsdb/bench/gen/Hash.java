package dev.tsdb.bench.gen;

/**
 * Stateless deterministic randomness: every generated value is a pure function of (seed, series,
 * round), so requests can be built in any order and in parallel and still be identical.
 */
final class Hash {
  private Hash() {}

  /** SplitMix64 finaliser: a well-mixed 64-bit value from any input. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  static long mix(long a, long b) {
    return mix(a * 0x9e3779b97f4a7c15L + mix(b));
  }

  static long mix(long a, long b, long c) {
    return mix(mix(a, b), c);
  }

  /** A uniform double in [0, 1). */
  static double unit(long h) {
    return (h >>> 11) * 0x1.0p-53;
  }
}
