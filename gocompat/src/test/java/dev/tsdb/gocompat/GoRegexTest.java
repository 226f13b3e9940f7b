package dev.tsdb.gocompat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Matching and error texts compared with Go. Expected values were taken from Prometheus 3.5
 * (promtool over label matchers, relabel configs and label_replace).
 */
class GoRegexTest {
  /** Values the matcher cases run over. */
  private static final String[] VALUES = {"abc", "ABC", "a\nb", "ä", "x1", "aaa", "a.c", "", "Ab"};

  /** Label-matcher regex and the indexes into VALUES that Prometheus selects. */
  private static final Object[][] MATCHER_CASES = {
      {"(?i)abc", List.of(0, 1)},
      {"a.b", List.of(2)}, // '.' matches a newline
      {"\\pL+", List.of(0, 1, 3, 5, 8)},
      {"[[:alpha:]]+", List.of(0, 1, 5, 8)},
      {"\\Qa.c\\E", List.of(6)},
      {"(?U)a+", List.of(5)},
      {"a+?", List.of(5)},
      {"[^a]*", List.of(1, 3, 4, 7, 8)},
      {"(?i)a(?-i)b", List.of(8)},
      {"\\w+", List.of(0, 1, 4, 5, 8)},
      {"[[:^alpha:]]*", List.of(3, 7)},
      {"\\p{Greek}|x\\d", List.of(4)},
      {"(?m)^b$", List.of()},
      {"a$|b", List.of()},
      {"^abc$", List.of(0)},
      {"a|ab|abc", List.of(0)},
      {"\\x{e4}", List.of(3)},
      {"(?s:.)*c", List.of(0, 6)},
  };

  @Test
  void labelMatchersMatchWholeValuesLikePrometheus() {
    for (Object[] c : MATCHER_CASES) {
      GoRegex re = GoRegex.compileLabelMatcher((String) c[0]);
      List<Integer> selected = new ArrayList<>();
      for (int i = 0; i < VALUES.length; i++) {
        if (re.matches(VALUES[i])) {
          selected.add(i);
        }
      }
      assertEquals(c[1], selected, (String) c[0]);
    }
  }

  @Test
  void plainCompileSearchesAnywhere() {
    GoRegex re = GoRegex.compile("b+");
    assertTrue(re.matches("abbc"));
    assertFalse(re.matches("ac"));
    assertFalse(GoRegex.compile("a.b").matches("a\nb")); // no (?s) here
    assertTrue(GoRegex.compile("^a").matches("ab"));
    assertFalse(GoRegex.compile("^b").matches("ab"));
  }

  @Test
  void anchoredPastesTheTextIntoTheAnchoring() {
    GoRegex re = GoRegex.compileAnchored("(.*)-(\\d+)");
    assertTrue(re.matches("a-b-12"));
    assertFalse(re.matches("x-12y"));
    assertEquals("a-b", re.find("a-b-12").group(1));
    // "a)|(b" only parses inside the anchoring: ^(?s:a)|(b)$ matches a leading a or a final b.
    GoRegex pasted = GoRegex.compileAnchored("a)|(b");
    assertTrue(pasted.matches("ax"));
    assertTrue(pasted.matches("xb"));
    assertFalse(pasted.matches("xa"));
    GoRegexMatch m = pasted.find("ab");
    assertEquals("a", m.group(0));
    assertNull(m.group(1));
  }

  @Test
  void labelMatcherRejectsWhatOnlyParsesWhenPasted() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> GoRegex.compileLabelMatcher("a)|(b"));
    assertEquals("error parsing regexp: unexpected ): `a)|(b`", e.getMessage());
  }

  /** Regex and Go's error text for it as a label matcher (Prometheus 3.5 promtool check rules). */
  private static final String[][] ERRORS = {
      {"(", "missing closing ): `(`"},
      {")", "unexpected ): `)`"},
      {"(a))", "unexpected ): `(a))`"},
      {"x(a)|b)", "unexpected ): `x(a)|b)`"},
      {"((a)", "missing closing ): `((a)`"},
      {"x**", "invalid nested repetition operator: `**`"},
      {"a{2}{3}", "invalid nested repetition operator: `{2}{3}`"},
      {"*", "missing argument to repetition operator: `*`"},
      {"a|*", "missing argument to repetition operator: `*`"},
      {"a{3,2}", "invalid repeat count: `{3,2}`"},
      {"a{1001}", "invalid repeat count: `{1001}`"},
      {"(?P<n>a", "missing closing ): `(?P<n>a`"},
      {"(?P<>a)", "invalid named capture: `(?P<>`"},
      {"(?P<a-b>a)", "invalid named capture: `(?P<a-b>`"},
      {"(?P=n)", "invalid or unsupported Perl syntax: `(?P`"},
      {"(?=a)", "invalid or unsupported Perl syntax: `(?=`"},
      {"(?<=a)b", "invalid named capture: `(?<=a)b`"},
      {"(?z)", "invalid or unsupported Perl syntax: `(?z`"},
      {"(?i-)", "invalid or unsupported Perl syntax: `(?i-)`"},
      {"\\1", "invalid escape sequence: `\\1`"},
      {"\\8", "invalid escape sequence: `\\8`"},
      {"\\C", "invalid escape sequence: `\\C`"},
      {"\\Z", "invalid escape sequence: `\\Z`"},
      {"\\x{110000}", "invalid escape sequence: `\\x{110000`"},
      {"\\pX", "invalid character class range: `\\pX`"},
      {"\\p{Xx}", "invalid character class range: `\\p{Xx}`"},
      {"[[:foo:]]", "invalid character class range: `[:foo:]`"},
      {"[z-a]", "invalid character class range: `z-a`"},
      {"[a", "missing closing ]: `[a`"},
      {"a\\", "trailing backslash at end of expression: ``"},
  };

  @Test
  void errorTextsAreGos() {
    for (String[] c : ERRORS) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> GoRegex.compileLabelMatcher(c[0]), c[0]);
      assertEquals("error parsing regexp: " + c[1], e.getMessage(), c[0]);
    }
  }

  @Test
  void goSyntaxIsAccepted() {
    for (String re : List.of("(?<n>a)", "(?P<n>a)", "(?P<01>a)", "(?i-s:abc)", "(?U)a*?", "[]a]",
        "[^]a]", "[a-]", "[\\d-z]", "\\b\\B\\A\\z", "\\a\\f\\t\\n\\r\\v", "\\Qabc", "\\p{^Greek}",
        "\\PL", "[\\p{Greek}a]", "\\x{10FFFF}", "(a{500}){2}", "a{1000}b{1000}c{1000}")) {
      GoRegex.compileLabelMatcher(re);
    }
  }

  @Test
  void anchoredErrorsQuoteTheAnchoredText() {
    // Prometheus: relabel regex "(" -> error parsing regexp: missing closing ): `^(?s:()$`
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> GoRegex.compileAnchored("("));
    assertEquals("error parsing regexp: missing closing ): `^(?s:()$`", e.getMessage());
  }

  @Test
  void replaceAllIsGosReplaceAllString() {
    GoRegex axb = GoRegex.compile("a(x*)b");
    assertEquals("-T-T-", axb.replaceAll("-ab-axxb-", "T"));
    assertEquals("--xx-", axb.replaceAll("-ab-axxb-", "$1"));
    assertEquals("---", axb.replaceAll("-ab-axxb-", "$1W")); // the group named "1W"
    assertEquals("-W-xxW-", axb.replaceAll("-ab-axxb-", "${1}W"));
    // Empty matches: one between every code point, none right after a non-empty match.
    assertEquals("-a-b-c-", GoRegex.compile("x*").replaceAll("abc", "-"));
    assertEquals("-a-", GoRegex.compile("b*").replaceAll("abb", "-"));
    assertEquals("-\uD83D\uDE00-", GoRegex.compile("x*").replaceAll("\uD83D\uDE00", "-"));
    // An anchored regex replaces the whole input or nothing.
    assertEquals("x_y", GoRegex.compileAnchored("(.)-(.)").replaceAll("x-y", "${1}_$2"));
    assertEquals("x-yz", GoRegex.compileAnchored("(.)-(.)").replaceAll("x-yz", "$1"));
  }

  // ---- where re2j differs from Go (see the class comment of GoRegex) ----

  @Test
  void re2jUnicodeTablesPredateGos() {
    // Go 1.24 knows Adlam (Unicode 9); re2j 1.8 does not.
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> GoRegex.compileLabelMatcher("\\p{Adlam}"));
    assertEquals("error parsing regexp: invalid character class range: `\\p{Adlam}`",
        e.getMessage());
  }

  @Test
  void re2jRejectsDuplicateGroupNames() {
    // Go accepts this (Prometheus 3.5 parses it).
    assertThrows(IllegalArgumentException.class,
        () -> GoRegex.compileLabelMatcher("(?P<n>a)|(?P<n>b)"));
  }

  @Test
  void re2jDoesNotCheckGosLimitOnNestedRepeats() {
    // Go: "invalid repeat count: `{101}`"; re2j accepts.
    assertTrue(GoRegex.compileLabelMatcher("(a{10}){101}").matches("a".repeat(1010)));
  }

  @Test
  void nestingIsLimitedLikeGo() {
    String deepest = "(".repeat(1000) + "a" + ")".repeat(1000);
    assertTrue(GoRegex.compileLabelMatcher(deepest).matches("a"));
    // Parentheses in classes and quotes do not nest.
    assertTrue(GoRegex.compileLabelMatcher(deepest + "[(]*(?:\\Q((((\\E)?").matches("a"));
    for (int depth : new int[] {1001, 100_000}) {
      String deep = "(".repeat(depth) + "a" + ")".repeat(depth);
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> GoRegex.compileLabelMatcher(deep));
      assertEquals("error parsing regexp: expression nests too deeply: `" + deep + "`",
          e.getMessage());
    }
  }

  // ---- linear time ----

  @Test
  void catastrophicBacktrackingPatternsRunInLinearTime() {
    // A backtracking engine takes exponential time on these; generous bound for slow machines.
    assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
      assertFalse(GoRegex.compileLabelMatcher("(.*a){12}").matches("a".repeat(40) + "c"));
      assertTrue(GoRegex.compile("(.*a){12}").matches("a".repeat(40) + "c"));
      assertFalse(GoRegex.compileLabelMatcher("(a+)+b").matches("a".repeat(30)));
      assertFalse(GoRegex.compile("(a|aa)+$").matches("a".repeat(5000) + "b"));
    });
  }
}
