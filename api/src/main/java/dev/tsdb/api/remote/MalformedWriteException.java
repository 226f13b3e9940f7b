package dev.tsdb.api.remote;

import java.io.IOException;

/**
 * A remote-write 2.0 request that parses as protobuf but cannot be interpreted (a symbol
 * reference past the symbols table, an odd number of label references, a first symbol that is
 * not empty). The whole request is refused with 400 and nothing of it is stored.
 */
final class MalformedWriteException extends IOException {
  MalformedWriteException(String message) {
    super(message);
  }
}
