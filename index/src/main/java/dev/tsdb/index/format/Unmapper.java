package dev.tsdb.index.format;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;

/**
 * Frees a file mapping eagerly through sun.misc.Unsafe.invokeCleaner when the JDK offers it,
 * instead of waiting for the garbage collector (which keeps deleted block files on disk).
 * Callers must guarantee that nothing touches the buffer afterwards: that would crash the JVM.
 */
public final class Unmapper {
  private static final Object UNSAFE;
  private static final Method INVOKE_CLEANER;

  static {
    Object unsafe;
    Method m;
    try {
      Class<?> c = Class.forName("sun.misc.Unsafe");
      Field f = c.getDeclaredField("theUnsafe");
      f.setAccessible(true);
      unsafe = f.get(null);
      m = c.getMethod("invokeCleaner", ByteBuffer.class);
    } catch (ReflectiveOperationException | RuntimeException e) {
      unsafe = null;
      m = null;
    }
    UNSAFE = unsafe;
    INVOKE_CLEANER = m;
  }

  private Unmapper() {}

  public static void unmap(ByteBuffer b) {
    if (INVOKE_CLEANER == null || !(b instanceof MappedByteBuffer) || !b.isDirect()) {
      return;
    }
    try {
      INVOKE_CLEANER.invoke(UNSAFE, b);
    } catch (ReflectiveOperationException | RuntimeException e) {
      // Not unmappable (e.g. a slice or duplicate): the GC will release it.
    }
  }
}
