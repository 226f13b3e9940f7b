package dev.tsdb.api.handlers;

import dev.tsdb.api.AdminOps;
import dev.tsdb.api.ApiException;
import dev.tsdb.api.SelectorParser;
import dev.tsdb.api.http.ApiRequest;
import dev.tsdb.api.http.ApiResult;
import dev.tsdb.api.params.TimeParams;
import dev.tsdb.labels.Matcher;
import dev.tsdb.promql.ErrorType;
import dev.tsdb.promql.PromQLException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * /api/v1/admin/tsdb/{delete_series,clean_tombstones,snapshot} as Prometheus's web API serves
 * them: "admin APIs disabled" (unavailable) without --web.enable-admin-api, Prometheus's
 * parameter errors, 204 on success, {"name": ...} for a snapshot.
 */
public final class AdminApi {
  private static final DateTimeFormatter SNAPSHOT_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT);

  private final boolean enabled;
  private final Supplier<AdminOps> ops;
  private final SelectorParser parser;
  private final LongSupplier clock;
  private final SecureRandom random = new SecureRandom();

  public AdminApi(boolean enabled, Supplier<AdminOps> ops, SelectorParser parser,
      LongSupplier clock) {
    this.enabled = enabled;
    this.ops = ops;
    this.parser = parser;
    this.clock = clock;
  }

  private AdminOps ops(String what) {
    if (!enabled) {
      throw new ApiException(ErrorType.UNAVAILABLE, "admin APIs disabled");
    }
    AdminOps o = ops.get();
    if (o == null) {
      throw new ApiException(ErrorType.INTERNAL, what + " is not supported by this storage yet");
    }
    return o;
  }

  public ApiResult deleteSeries(ApiRequest r) throws IOException {
    AdminOps o = ops("delete_series");
    List<String> selectors = r.params("match[]");
    if (selectors.isEmpty()) {
      throw ApiException.badData("no match[] parameter provided");
    }
    long start = RequestParams.time(r, "start", TimeParams.MIN_TIME_MS);
    long end = RequestParams.time(r, "end", TimeParams.MAX_TIME_MS);
    List<List<Matcher>> sets = new ArrayList<>();
    for (String s : selectors) {
      try {
        sets.add(parser.parse(s));
      } catch (PromQLException e) {
        throw ApiException.invalidParam("match[]", e.getMessage());
      }
    }
    for (List<Matcher> ms : sets) {
      try {
        o.deleteSeries(start, end, ms);
      } catch (IOException e) {
        throw new ApiException(ErrorType.INTERNAL, String.valueOf(e.getMessage()));
      }
    }
    return new ApiResult(null, List.of(), List.of());
  }

  public ApiResult cleanTombstones(ApiRequest r) {
    AdminOps o = ops("clean_tombstones");
    try {
      o.cleanTombstones();
    } catch (IOException e) {
      throw new ApiException(ErrorType.INTERNAL, String.valueOf(e.getMessage()));
    }
    return new ApiResult(null, List.of(), List.of());
  }

  public ApiResult snapshot(ApiRequest r) throws IOException {
    AdminOps o = ops("snapshot");
    boolean skipHead = false;
    String sh = r.param("skip_head");
    if (!sh.isEmpty()) {
      skipHead = switch (sh) {
        case "1", "t", "T", "TRUE", "true", "True" -> true;
        case "0", "f", "F", "FALSE", "false", "False" -> false;
        default -> throw ApiException.invalidParam("skip_head",
            "unable to parse boolean: strconv.ParseBool: parsing \"" + sh + "\": invalid syntax");
      };
    }
    String name = SNAPSHOT_TIME.format(ZonedDateTime.ofInstant(
        java.time.Instant.ofEpochMilli(clock.getAsLong()), ZoneOffset.UTC))
        + "-" + String.format("%016x", random.nextLong() & Long.MAX_VALUE);
    Path dir = o.snapshotsDir().resolve(name);
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new ApiException(ErrorType.INTERNAL, "create snapshot directory: " + e.getMessage());
    }
    try {
      o.snapshot(dir, !skipHead);
    } catch (IOException e) {
      throw new ApiException(ErrorType.INTERNAL, "create snapshot: " + e.getMessage());
    }
    return ApiResult.of(g -> {
      g.writeStartObject();
      g.writeStringField("name", name);
      g.writeEndObject();
    });
  }
}
