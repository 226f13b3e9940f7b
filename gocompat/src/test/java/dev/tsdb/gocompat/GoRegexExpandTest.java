package dev.tsdb.gocompat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/**
 * Go's Regexp.Expand. Expected values from Prometheus 3.5's label_replace (a result of "" means
 * Prometheus dropped the label).
 */
class GoRegexExpandTest {
  /** Template, regex, input, expansion. */
  private static final String[][] CASES = {
      {"$1", "(a)(b)", "ab", "a"},
      {"${1}x", "(a)(b)", "ab", "ax"},
      {"$1x", "(a)(b)", "ab", ""}, // the group named "1x"
      {"$1x", "(?P<1x>a)(b)", "ab", "a"},
      {"$$1", "(a)(b)", "ab", "$1"},
      {"$", "(a)(b)", "ab", "$"},
      {"a$", "(a)(b)", "ab", "a$"},
      {"${", "(a)(b)", "ab", "${"},
      {"${1", "(a)(b)", "ab", "${1"},
      {"${}", "(a)(b)", "ab", "${}"},
      {"${a b}", "(?P<a>a)(b)", "ab", "${a b}"},
      {"$01", "(a)(b)", "ab", ""}, // leading zero: a name, not group 1
      {"${01}", "(?P<01>a)(b)", "ab", "a"},
      {"$name-$2", "(?P<name>a)(b)", "ab", "a-b"},
      {"$0", "(a)(b)", "ab", "ab"},
      {"$3", "(a)(b)", "ab", ""},
      {"$.", "(a)(b)", "ab", "$."},
      {"$-1", "(a)(b)", "ab", "$-1"},
      {"$100000000", "(a)(b)", "ab", ""},
      {"${n}${n}", "(?P<n>a)b", "ab", "aa"},
      {"[$1|$2]", "(a)|(b)", "b", "[|b]"}, // a group outside the match inserts nothing
      {"$1 $nope", "(a)", "a", "a "},
      {"ü${1}ü", "(.)", "ä", "üäü"},
      {"$1ü", "(.)", "ä", ""}, // names are Unicode letters and digits: "1ü"
  };

  @Test
  void expandsLikeGo() {
    for (String[] c : CASES) {
      GoRegexMatch m = GoRegex.compileAnchored(c[1]).find(c[2]);
      assertEquals(c[3], m.expand(c[0]), c[0] + " with " + c[1]);
    }
  }

  @Test
  void groupsOfAMatch() {
    GoRegexMatch m = GoRegex.compileAnchored("(?P<x>a)|(b)").find("b");
    assertEquals(2, m.groupCount());
    assertNull(m.group(1));
    assertEquals("b", m.group(2));
    assertEquals(1, m.groupIndex("x"));
    assertEquals(-1, m.groupIndex("y"));
    assertEquals("b", m.input());
  }
}
