package dev.tsdb.index.storage;

/**
 * Stored data does not follow its format: an index, chunk segment, block or WAL segment with a
 * bad checksum, magic, offset or length, or a record whose payload does not decode. The base of
 * every corruption the storage layers detect, so code that handles corruption as such (moving a
 * block aside, cutting a WAL at the damage) catches this type; the subclasses say where the damage
 * is (a file, a block directory, a WAL segment and offset).
 *
 * <p>Unchecked, for every kind: corruption is found deep inside lazy reads (iterators over mapped
 * index sections and chunks, record decoders called from replay handlers) whose interfaces cannot
 * declare checked exceptions, and no caller can retry its way out of it the way it might after an
 * {@link java.io.IOException} from the file system. The few places that act on it catch it by name.
 */
public class CorruptionException extends RuntimeException {
  public CorruptionException(String message) {
    super(message);
  }

  public CorruptionException(String message, Throwable cause) {
    super(message, cause);
  }
}
