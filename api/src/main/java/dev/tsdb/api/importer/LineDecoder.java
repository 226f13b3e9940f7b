package dev.tsdb.api.importer;

/** Turns one line of an import body into samples (none for blank lines and comments). */
interface LineDecoder {
  void decode(String line, SampleSink sink) throws ImportSyntaxException;
}
