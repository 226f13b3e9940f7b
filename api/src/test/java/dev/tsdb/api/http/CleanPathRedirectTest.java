package dev.tsdb.api.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Go's cleanPath, as ServeMux applies it before routing. */
class CleanPathRedirectTest {
  @Test
  void cleansLikeGo() {
    assertEquals("/", CleanPathRedirect.cleanPath(""));
    assertEquals("/", CleanPathRedirect.cleanPath("/"));
    assertEquals("/a/b", CleanPathRedirect.cleanPath("/a//b"));
    assertEquals("/api/v1/label/values", CleanPathRedirect.cleanPath("/api/v1/label//values"));
    assertEquals("/a/", CleanPathRedirect.cleanPath("/a/./"));
    assertEquals("/b", CleanPathRedirect.cleanPath("/a/../b"));
    assertEquals("/", CleanPathRedirect.cleanPath("/../.."));
    assertEquals("/a/b/", CleanPathRedirect.cleanPath("/a/b/"));
    assertEquals("/x", CleanPathRedirect.cleanPath("x"));
  }
}
