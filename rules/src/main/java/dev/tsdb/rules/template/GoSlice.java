package dev.tsdb.rules.template;

import java.util.List;

/** A Go slice as templates see it: ordered elements plus the Go type name for messages. */
public record GoSlice(List<?> elems, String typeName) {
  public GoSlice {
    elems = List.copyOf(elems);
  }
}
