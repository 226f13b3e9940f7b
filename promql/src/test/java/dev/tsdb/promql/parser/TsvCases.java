package dev.tsdb.promql.parser;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.provider.Arguments;

/** Reads test tables: a JSON-quoted input, a tab, the expected output. */
final class TsvCases {
  private TsvCases() {}

  static List<Arguments> load(String resource) throws IOException {
    List<Arguments> cases = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(
        TsvCases.class.getResourceAsStream(resource), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        if (line.isEmpty() || line.startsWith("#")) {
          continue;
        }
        int tab = line.indexOf('\t');
        cases.add(Arguments.of(unjson(line.substring(0, tab)), line.substring(tab + 1)));
      }
    }
    return cases;
  }

  /** Decodes a JSON string literal (the subset json.dumps produces). */
  static String unjson(String s) {
    StringBuilder b = new StringBuilder();
    for (int i = 1; i < s.length() - 1; i++) {
      char c = s.charAt(i);
      if (c != '\\') {
        b.append(c);
        continue;
      }
      char n = s.charAt(++i);
      switch (n) {
        case 'n' -> b.append('\n');
        case 't' -> b.append('\t');
        case 'r' -> b.append('\r');
        case 'b' -> b.append('\b');
        case 'f' -> b.append('\f');
        case 'u' -> {
          b.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16));
          i += 4;
        }
        default -> b.append(n);
      }
    }
    return b.toString();
  }
}
