package dev.tsdb.index.labels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tsdb.gocompat.GoRegex;
import java.util.List;
import org.junit.jupiter.api.Test;

class MatcherTest {
  private static final List<String> VALUES = List.of("", "a", "foo", "foobar", "bar", "FOO",
      "foo\nbar", "baz", "fo", "foofoo", "ä");

  /** The fast paths must decide exactly what the regex engine would. */
  @Test
  void fastPathsAgreeWithTheRegexEngine() {
    for (String re : List.of(".*", ".+", "foo", "foo|bar", "(foo|bar)", "(?:foo|bar|baz)",
        "foo.*", "fo.*", "", "foo|", "foo.+", "(?i)foo", "f.o", "fo+", "foo(bar)?", "[a-z]+",
        ".*bar", "\\pL", "a|foo.*", ".*oo.*", ".*o", ".*.*", ".*", ".*foo.*bar", ".*\\.*")) {
      GoRegex engine = GoRegex.compileLabelMatcher(re);
      Matcher m = Matcher.re("l", re);
      Matcher n = Matcher.nre("l", re);
      for (String v : VALUES) {
        assertEquals(engine.matches(v), m.matches(v), re + " on " + v);
        assertEquals(!engine.matches(v), n.matches(v), re + " on " + v);
      }
    }
  }

  @Test
  void fastPathShapes() {
    assertTrue(Matcher.re("l", ".*").isMatchAll());
    assertTrue(Matcher.re("l", ".+").isMatchNonEmpty());
    assertEquals(List.of("foo", "bar"), Matcher.re("l", "foo|bar").setMatches());
    assertEquals(List.of("foo", "foobar"), Matcher.re("l", "(?:foo|foobar)").setMatches());
    assertEquals("foo", Matcher.re("l", "(?:foo|foobar)").literalPrefix());
    assertEquals("foo", Matcher.re("l", "foo.*").literalPrefix());
    assertEquals("fo", Matcher.re("l", "foo?").literalPrefix());
    assertEquals("", Matcher.re("l", "(?i)foo").literalPrefix());
    assertNull(Matcher.re("l", "fo+").setMatches());
  }

  @Test
  void invalidRegexFailsWithGosText() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Matcher.re("l", "a)|(b"));
    assertEquals("error parsing regexp: unexpected ): `a)|(b`", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Matcher.nre("l", "x**"));
    assertEquals("error parsing regexp: invalid nested repetition operator: `**`",
        e.getMessage());
  }

  @Test
  void regexMatchesWholeValueAndDotMatchesNewline() {
    assertTrue(Matcher.re("l", "foo.bar").matches("foo\nbar"));
    assertFalse(Matcher.re("l", "oo").matches("foo"));
    assertTrue(Matcher.re("l", "").matchesEmpty());
  }
}
