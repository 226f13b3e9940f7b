package dev.tsdb.api.importer;

/** A line of an import body that does not parse; the handler adds the line number. */
final class ImportSyntaxException extends Exception {
  ImportSyntaxException(String message) {
    super(message, null, false, false);
  }
}
