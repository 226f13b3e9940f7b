package dev.tsdb.api.http;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;

/** Writes one JSON value (the response's "data"). */
@FunctionalInterface
public interface JsonBody {
  void write(JsonGenerator g) throws IOException;
}
