package dev.tsdb.api.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BoundedPoolTest {
  @Test
  void reusesTheLastReleasedAndKeepsAtMostMax() {
    AtomicInteger made = new AtomicInteger();
    BoundedPool<Object> pool = new BoundedPool<>(() -> {
      made.incrementAndGet();
      return new Object();
    }, 2);
    Object a = pool.borrow();
    Object b = pool.borrow();
    Object c = pool.borrow();
    assertEquals(3, made.get());
    pool.release(a);
    pool.release(b);
    pool.release(c); // beyond max: dropped
    assertEquals(2, pool.idleCount());
    assertSame(b, pool.borrow()); // last in, first out
    assertSame(a, pool.borrow());
    assertNotSame(a, pool.borrow()); // empty again: a new one
    assertEquals(4, made.get());
  }
}
