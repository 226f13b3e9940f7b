package dev.tsdb.index.postings;

import dev.tsdb.index.labels.Matcher;
import dev.tsdb.index.storage.QueryCancellation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.roaringbitmap.FastAggregation;
import org.roaringbitmap.RoaringBitmap;

/**
 * Evaluates label matchers against a {@link PostingsReader} with Prometheus's semantics
 * (tsdb/querier.go PostingsForMatchers):
 *
 * <ul>
 *   <li>a matcher that accepts the empty string also selects series lacking the label, so it is
 *       applied by subtracting the series whose value it rejects, unless another matcher on the
 *       same name requires the label to be set;
 *   <li>negative matchers become set subtraction;
 *   <li>positive sets are intersected starting from the smallest;
 *   <li>with no positive set at all, the result starts from all series.
 * </ul>
 *
 * Fast paths: {@code =} and literal alternations look values up directly; {@code .*} is a no-op or
 * the set of series having the label; {@code .+} is the set of series having the label; literal
 * prefixes only test values in the prefix's range of the sorted value list.
 */
public final class PostingsForMatchers {
  private static final RoaringBitmap[] NO_MAPS = new RoaringBitmap[0];

  private PostingsForMatchers() {}

  /** Ids of the series matching all matchers, as a new bitmap owned by the caller. */
  public static RoaringBitmap select(PostingsReader ix, Matcher... matchers) {
    return select(ix, Arrays.asList(matchers));
  }

  public static RoaringBitmap select(PostingsReader ix, List<Matcher> matchers) {
    Set<String> mustBeSet = new HashSet<>();
    for (Matcher m : matchers) {
      if (!m.matchesEmpty()) {
        mustBeSet.add(m.name());
      }
    }
    List<RoaringBitmap> its = new ArrayList<>();
    List<RoaringBitmap> notIts = new ArrayList<>();
    for (Matcher m : matchers) {
      QueryCancellation.check();
      if (m.name().isEmpty() && m.value().isEmpty()) {
        continue; // the all-postings special case
      }
      boolean isNot = m.type().isNegative();
      if (mustBeSet.contains(m.name())) {
        if (isNot && m.matchesEmpty()) {
          // l!="foo" while l is required: drop the series whose value the positive form accepts.
          RoaringBitmap p = valuesAccepted(ix, m.name(), m, true);
          if (!p.isEmpty()) {
            notIts.add(p);
          }
        } else {
          // l="a", l=~"a|b", l!="" ...: the union over the values the matcher accepts.
          RoaringBitmap p = valuesAccepted(ix, m.name(), m, false);
          if (p.isEmpty()) {
            return new RoaringBitmap();
          }
          its.add(p);
        }
      } else {
        // Accepts "": keeps series without the label; subtract the values it rejects.
        if (m.isMatchAll() && m.type() == Matcher.Type.RE) {
          continue; // =~".*" rejects nothing
        }
        RoaringBitmap p = valuesAccepted(ix, m.name(), m, true);
        if (!p.isEmpty()) {
          notIts.add(p);
        }
      }
    }
    RoaringBitmap result;
    if (its.isEmpty()) {
      result = ix.allPostings().clone();
    } else {
      its.sort(Comparator.comparingLong(RoaringBitmap::getLongCardinality));
      result = its.size() == 1 ? its.get(0).clone() : RoaringBitmap.and(its.get(0), its.get(1));
      for (int i = 2; i < its.size() && !result.isEmpty(); i++) {
        result.and(its.get(i));
      }
    }
    for (int i = 0; i < notIts.size() && !result.isEmpty(); i++) {
      result.andNot(notIts.get(i));
    }
    return result;
  }

  /**
   * The union of the postings of every value of {@code name} for which {@code m.matches(v) !=
   * invert} (m's name is ignored). The result may be shared with the index: read-only.
   */
  static RoaringBitmap valuesAccepted(PostingsReader ix, String name, Matcher m, boolean invert) {
    Matcher.Type type = invert ? inverse(m.type()) : m.type();
    switch (type) {
      case EQ -> {
        if (m.value().isEmpty()) {
          return new RoaringBitmap(); // no series stores an empty value
        }
        RoaringBitmap p = ix.postings(name, m.value());
        return p == null ? new RoaringBitmap() : p;
      }
      case NEQ -> {
        if (m.value().isEmpty()) {
          return ix.postingsWithName(name);
        }
      }
      case RE -> {
        if (m.isMatchAll() || m.isMatchNonEmpty()) {
          return ix.postingsWithName(name);
        }
        List<String> set = m.setMatches();
        if (set != null) {
          RoaringBitmap[] maps = new RoaringBitmap[set.size()];
          int n = 0;
          int seen = 0;
          for (String v : set) {
            QueryCancellation.checkEvery(seen++);
            RoaringBitmap p = v.isEmpty() ? null : ix.postings(name, v);
            if (p != null && !p.isEmpty()) {
              maps[n++] = p;
            }
          }
          return union(maps, n);
        }
        return unionWhere(ix, name, prefixRange(ix.sortedValues(name), m.literalPrefix()), m,
            invert);
      }
      case NRE -> {
        if (m.isMatchAll() || m.isMatchNonEmpty()) {
          return new RoaringBitmap(); // rejects every non-empty value
        }
      }
      default -> throw new IllegalStateException();
    }
    return unionWhere(ix, name, ix.sortedValues(name), m, invert);
  }

  private static Matcher.Type inverse(Matcher.Type t) {
    return switch (t) {
      case EQ -> Matcher.Type.NEQ;
      case NEQ -> Matcher.Type.EQ;
      case RE -> Matcher.Type.NRE;
      case NRE -> Matcher.Type.RE;
    };
  }

  private static RoaringBitmap unionWhere(PostingsReader ix, String name, List<String> values,
      Matcher m, boolean invert) {
    List<RoaringBitmap> maps = new ArrayList<>();
    for (int i = 0, n = values.size(); i < n; i++) {
      // Matching a regular expression against millions of values is where a hostile selector
      // spends its time: stop there when the query's time is up.
      QueryCancellation.checkEvery(i);
      String v = values.get(i);
      if (m.matches(v) != invert) {
        RoaringBitmap p = ix.postings(name, v);
        if (p != null) {
          maps.add(p);
        }
      }
    }
    return union(maps.toArray(NO_MAPS), maps.size());
  }

  /** The sub-list of sorted values starting with prefix. */
  static List<String> prefixRange(List<String> sorted, String prefix) {
    if (prefix.isEmpty()) {
      return sorted;
    }
    int from = Collections.binarySearch(sorted, prefix);
    if (from < 0) {
      from = -from - 1;
    }
    int to = from;
    while (to < sorted.size() && sorted.get(to).startsWith(prefix)) {
      to++;
    }
    return sorted.subList(from, to);
  }

  /** Union of the first n bitmaps; a bitmap from the array itself when n == 1 (read-only). */
  public static RoaringBitmap union(RoaringBitmap[] maps, int n) {
    if (n == 0) {
      return new RoaringBitmap();
    }
    if (n == 1) {
      return maps[0];
    }
    return FastAggregation.or(Arrays.copyOf(maps, n));
  }
}
