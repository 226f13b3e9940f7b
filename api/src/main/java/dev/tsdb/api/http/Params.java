package dev.tsdb.api.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Request parameters as Go's http.Request.Form sees them: values from an
 * application/x-www-form-urlencoded body come first, then the URL's query values. Pairs that do
 * not decode are skipped, as Go's url.ParseQuery does.
 */
public final class Params {
  /** Form bodies larger than this are refused (Go's ParseForm limit is 10 MB). */
  public static final int MAX_FORM_BYTES = 10 << 20;

  private final Map<String, List<String>> values = new LinkedHashMap<>();

  public static Params parse(String queryString, String contentType, InputStream body)
      throws IOException {
    Params p = new Params();
    if (body != null && contentType != null
        && contentType.toLowerCase().startsWith("application/x-www-form-urlencoded")) {
      p.addAll(readLimited(body));
    }
    if (queryString != null && !queryString.isEmpty()) {
      p.addAll(queryString);
    }
    return p;
  }

  public static Params ofQuery(String queryString) {
    Params p = new Params();
    if (queryString != null) {
      p.addAll(queryString);
    }
    return p;
  }

  private static String readLimited(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[8192];
    int n;
    while ((n = in.read(buf)) > 0) {
      if (out.size() + n > MAX_FORM_BYTES) {
        throw new BodyTooLargeException("http: POST too large");
      }
      out.write(buf, 0, n);
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  private void addAll(String encoded) {
    for (String pair : encoded.split("&")) {
      if (pair.isEmpty() || pair.indexOf(';') >= 0) {
        continue; // Go rejects semicolons as separators since 1.17
      }
      int eq = pair.indexOf('=');
      String k = eq < 0 ? pair : pair.substring(0, eq);
      String v = eq < 0 ? "" : pair.substring(eq + 1);
      String dk = unescape(k);
      String dv = unescape(v);
      if (dk == null || dv == null) {
        continue;
      }
      values.computeIfAbsent(dk, x -> new ArrayList<>()).add(dv);
    }
  }

  /** Go's url.QueryUnescape: '+' is a space, %XX must be two hex digits; null when invalid. */
  static String unescape(String s) {
    if (s.indexOf('%') < 0 && s.indexOf('+') < 0) {
      return s;
    }
    byte[] out = new byte[s.length() * 3]; // a UTF-16 unit is at most 3 bytes of UTF-8
    int n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%') {
        if (i + 2 >= s.length()) {
          return null;
        }
        int hi = Character.digit(s.charAt(i + 1), 16);
        int lo = Character.digit(s.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) {
          return null;
        }
        out[n++] = (byte) ((hi << 4) | lo);
        i += 2;
      } else if (c == '+') {
        out[n++] = ' ';
      } else if (c < 0x80) {
        out[n++] = (byte) c;
      } else {
        // Non-ASCII in a raw query: keep its UTF-8 bytes (a surrogate pair as one code point).
        int end = Character.isHighSurrogate(c) && i + 1 < s.length()
            && Character.isLowSurrogate(s.charAt(i + 1)) ? i + 2 : i + 1;
        byte[] b = s.substring(i, end).getBytes(StandardCharsets.UTF_8);
        System.arraycopy(b, 0, out, n, b.length);
        n += b.length;
        i = end - 1;
      }
    }
    return new String(out, 0, n, StandardCharsets.UTF_8);
  }

  /** Go's FormValue: the first value, or "" when absent. */
  public String get(String name) {
    List<String> v = values.get(name);
    return v == null || v.isEmpty() ? "" : v.get(0);
  }

  /** All values of a repeated parameter (Go's r.Form[name]). */
  public List<String> getAll(String name) {
    List<String> v = values.get(name);
    return v == null ? List.of() : v;
  }

  public boolean has(String name) {
    return values.containsKey(name);
  }

  public Map<String, List<String>> asMap() {
    return values;
  }
}
