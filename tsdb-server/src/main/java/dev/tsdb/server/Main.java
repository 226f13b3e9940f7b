package dev.tsdb.server;

/** Entry point; the server is wired here. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.err.println("tsdb: server not wired yet");
    System.exit(1);
  }
}
