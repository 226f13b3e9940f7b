package dev.tsdb.index.postings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tsdb.index.labels.Labels;
import dev.tsdb.index.labels.Matcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.roaringbitmap.RoaringBitmap;

class MemPostingsTest {
  private final List<Labels> series = new ArrayList<>();
  private final MemPostings p = new MemPostings();

  private void add(String... nv) {
    Labels ls = Labels.of(nv);
    p.add(series.size(), ls);
    series.add(ls);
  }

  private RoaringBitmap bruteForce(Matcher... ms) {
    RoaringBitmap out = new RoaringBitmap();
    outer:
    for (int i = 0; i < series.size(); i++) {
      Labels ls = series.get(i);
      if (ls == null) {
        continue;
      }
      for (Matcher m : ms) {
        if (!m.matches(ls.get(m.name()))) {
          continue outer;
        }
      }
      out.add(i);
    }
    return out;
  }

  private void check(Matcher... ms) {
    assertEquals(bruteForce(ms), p.select(ms), () -> java.util.Arrays.toString(ms));
  }

  private void fixture() {
    add("__name__", "up", "job", "api", "instance", "a:1");
    add("__name__", "up", "job", "api", "instance", "a:2", "env", "prod");
    add("__name__", "up", "job", "db", "instance", "b:1", "env", "");
    add("__name__", "http_requests_total", "job", "api", "code", "200", "env", "dev");
    add("__name__", "http_requests_total", "job", "api", "code", "500");
    add("__name__", "http_requests_total", "job", "web", "code", "404", "env", "prod");
    add("__name__", "node_cpu", "job", "node", "mode", "idle\nx");
  }

  @Test
  void prometheusSemantics() {
    fixture();
    check(Matcher.eq("__name__", "up"));
    check(Matcher.eq("__name__", "up"), Matcher.eq("env", "")); // series lacking env
    check(Matcher.eq("__name__", "up"), Matcher.neq("env", "prod"));
    check(Matcher.eq("__name__", "up"), Matcher.neq("env", ""));
    check(Matcher.re("job", "api|db"));
    check(Matcher.re("job", "(api|db)"), Matcher.nre("env", "prod|dev"));
    check(Matcher.re("job", ".*"), Matcher.eq("code", "200"));
    check(Matcher.re("env", ".+"));
    check(Matcher.re("env", ".*"), Matcher.eq("job", "web"));
    check(Matcher.nre("env", ".*"), Matcher.eq("job", "web")); // nothing
    check(Matcher.nre("env", ".+"), Matcher.eq("job", "api"));
    check(Matcher.re("__name__", "http_.*"));
    check(Matcher.re("__name__", "http_.*_total"), Matcher.neq("code", "500"));
    check(Matcher.re("instance", "a:.|"), Matcher.re("job", ".+"));
    check(Matcher.re("env", "|prod"), Matcher.neq("job", "node"));
    check(Matcher.eq("job", "nope"));
    check(Matcher.neq("job", "api"));
    check(Matcher.nre("job", "a.*"));
    check(Matcher.re("mode", "idle.x")); // '.' matches a newline
    check(Matcher.re("job", "API"));
    check(Matcher.re("job", "(?i)API"));
    check(Matcher.eq("nolabel", ""));
    check(Matcher.re("nolabel", ".*"));
    check(Matcher.neq("nolabel", "x"), Matcher.eq("job", "api"));
    check(Matcher.eq("job", "api"), Matcher.eq("job", "db"));
    check(Matcher.eq("job", "api"), Matcher.re("job", "a.i"), Matcher.neq("code", ""));
  }

  @Test
  void randomAgainstBruteForce() {
    Random r = new Random(3);
    String[] names = {"__name__", "job", "instance", "env", "code", "path"};
    String[] values = {"a", "b", "ab", "abc", "ba", "x1", "x2", "x10", "", "prod", "dev"};
    for (int i = 0; i < 2000; i++) {
      List<String> nv = new ArrayList<>();
      for (String n : names) {
        if (r.nextInt(4) != 0) {
          nv.add(n);
          nv.add(values[r.nextInt(values.length)]);
        }
      }
      add(nv.toArray(new String[0]));
    }
    String[] regexes = {".*", ".+", "a.*", "a|b", "x.", "x1|x10|", "(a|ab)c?", "[a-c]+", "",
        "prod", ".*b", "x[0-9]+"};
    for (int q = 0; q < 3000; q++) {
      int k = 1 + r.nextInt(3);
      Matcher[] ms = new Matcher[k];
      for (int j = 0; j < k; j++) {
        String n = names[r.nextInt(names.length)];
        Matcher.Type t = Matcher.Type.values()[r.nextInt(4)];
        String v = t.isRegex() ? regexes[r.nextInt(regexes.length)] : values[r.nextInt(values.length)];
        ms[j] = Matcher.of(t, n, v);
      }
      check(ms);
    }
  }

  @Test
  void listingsAndInterning() {
    fixture();
    assertEquals(List.of("__name__", "code", "env", "instance", "job", "mode"), p.labelNames());
    assertEquals(List.of("api", "db", "node", "web"), p.labelValues("job"));
    RoaringBitmap up = p.select(Matcher.eq("__name__", "up"));
    assertEquals(List.of("api", "db"), p.labelValues("job", up));
    assertEquals(List.of("__name__", "env", "instance", "job"), p.labelNames(up));
    assertEquals(List.of(), p.labelValues("missing"));

    Labels a = p.add(100, Labels.of("__name__", new String("up"), "job", new String("api")));
    Labels b = p.add(101, Labels.of("__name__", new String("up"), "job", new String("api")));
    assertSame(a.value(0), b.value(0));
    assertSame(a.value(1), b.value(1));
    assertSame(a.name(1), b.name(1));
    assertSame(series.get(0).value(0), a.value(0));
  }

  @Test
  void deleteRemovesEmptyValuesAndNames() {
    fixture();
    p.delete(new int[] {6}, new Labels[] {series.get(6)}, 1);
    series.set(6, null);
    assertTrue(!p.labelNames().contains("mode"));
    assertEquals(List.of("api", "db", "web"), p.labelValues("job"));
    check(Matcher.re("job", ".+"));
    check(Matcher.neq("job", "api"));
    assertEquals(6, p.numSeries());
  }
}
