package dev.tsdb.api.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ParamsTest {
  @Test
  void bodyValuesComeBeforeQueryValues() throws IOException {
    Params p = Params.parse("time=3&match[]=b", "application/x-www-form-urlencoded",
        new ByteArrayInputStream("query=up%7Bjob%3D%22a%22%7D&time=2&match%5B%5D=a+b"
            .getBytes(StandardCharsets.UTF_8)));
    assertEquals("up{job=\"a\"}", p.get("query"));
    assertEquals("2", p.get("time"));
    assertEquals(List.of("a b", "b"), p.getAll("match[]"));
    assertEquals("", p.get("missing"));
  }

  @Test
  void skipsUndecodablePairs() {
    Params p = Params.ofQuery("a=%zz&b=1&c=%e2%82%ac&d");
    assertEquals("", p.get("a"));
    assertEquals("1", p.get("b"));
    assertEquals("\u20ac", p.get("c"));
    assertEquals(List.of(""), p.getAll("d"));
  }

  @Test
  void rawNonAsciiFollowedByEscapesFits() {
    // Found by ApiFuzzTest: multi-byte characters overflowed the decode buffer.
    Params p = Params.ofQuery("q=label_repla\u00e9e(x,+\"a\")&r=\uffff\uffff+%41&s=\ud83d\ude00+");
    assertEquals("label_repla\u00e9e(x, \"a\")", p.get("q"));
    assertEquals("\uffff\uffff A", p.get("r"));
    assertEquals("\ud83d\ude00 ", p.get("s"));
  }
}
