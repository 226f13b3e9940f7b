package dev.tsdb.promql.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * Natural ordering of label values for sort_by_label, as the natsort package Prometheus uses:
 * strings are split into runs of digits and non-digits; digit runs compare numerically.
 */
final class NaturalSort {
  private NaturalSort() {}

  static List<String> chunks(String s) {
    List<String> out = new ArrayList<>();
    int i = 0;
    while (i < s.length()) {
      boolean digit = isDigit(s.charAt(i));
      int j = i + 1;
      while (j < s.length() && isDigit(s.charAt(j)) == digit) {
        j++;
      }
      out.add(s.substring(i, j));
      i = j;
    }
    return out;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static Long atoi(String s) {
    if (s.isEmpty() || s.length() > 18) {
      return null;
    }
    for (int i = 0; i < s.length(); i++) {
      if (!isDigit(s.charAt(i))) {
        return null;
      }
    }
    return Long.parseLong(s);
  }

  /** Whether a sorts before b. */
  static boolean less(String a, String b) {
    List<String> ca = chunks(a);
    List<String> cb = chunks(b);
    int na = ca.size();
    int nb = cb.size();
    for (int i = 0; i < na; i++) {
      if (i >= nb) {
        return false;
      }
      Long ai = atoi(ca.get(i));
      Long bi = atoi(cb.get(i));
      if (ai != null && bi != null) {
        if (ai.longValue() == bi.longValue()) {
          if (i == na - 1) {
            return true;
          } else if (i == nb - 1) {
            return false;
          }
          continue;
        }
        return ai < bi;
      }
      if (ca.get(i).equals(cb.get(i))) {
        if (i == na - 1) {
          return true;
        } else if (i == nb - 1) {
          return false;
        }
        continue;
      }
      return ca.get(i).compareTo(cb.get(i)) < 0;
    }
    return false;
  }
}
