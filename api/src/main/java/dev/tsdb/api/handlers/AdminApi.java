package dev.tsdb.api.handlers;

import dev.tsdb.api.ApiException;
import dev.tsdb.api.SelectorParser;
import dev.tsdb.api.TsdbAdmin;
import dev.tsdb.api.http.ApiRequest;
import dev.tsdb.api.http.ApiResult;
import dev.tsdb.api.params.TimeParams;
import dev.tsdb.gocompat.GoNumbers;
import dev.tsdb.index.labels.Matcher;
import dev.tsdb.promql.ErrorType;
import dev.tsdb.promql.PromQLException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * /api/v1/admin/tsdb/{delete_series,clean_tombstones,snapshot}, with Prometheus's parameter
 * checks and messages (web/api/v1/api.go). Without --web.enable-admin-api every one answers
 * "admin APIs disabled" (503, type unavailable).
 */
public final class AdminApi {
  private final boolean enabled;
  private final TsdbAdmin admin; // null: the storage has no admin operations
  private final SelectorParser parser;

  public AdminApi(boolean enabled, TsdbAdmin admin, SelectorParser parser) {
    this.enabled = enabled;
    this.admin = admin;
    this.parser = parser;
  }

  private TsdbAdmin admin(String op) {
    if (!enabled) {
      throw new ApiException(ErrorType.UNAVAILABLE, "admin APIs disabled");
    }
    if (admin == null) {
      throw new ApiException(ErrorType.INTERNAL, op + " is not supported by this storage");
    }
    return admin;
  }

  /** 204 on success; data is gone from queries at once, from disk after clean_tombstones. */
  public ApiResult deleteSeries(ApiRequest r) throws IOException {
    TsdbAdmin a = admin("delete_series");
    List<String> match = r.params("match[]");
    if (match.isEmpty()) {
      throw ApiException.badData("no match[] parameter provided");
    }
    long start = RequestParams.time(r, "start", TimeParams.MIN_TIME_MS);
    long end = RequestParams.time(r, "end", TimeParams.MAX_TIME_MS);
    // Parse every selector before deleting anything: a bad one fails the request untouched.
    List<List<Matcher>> sets = new ArrayList<>();
    for (String s : match) {
      try {
        sets.add(parser.parse(s));
      } catch (PromQLException e) {
        throw ApiException.invalidParam("match[]", e.getMessage());
      }
    }
    for (List<Matcher> ms : sets) {
      try {
        a.deleteSeries(start, end, ms);
      } catch (IOException | RuntimeException e) {
        throw new ApiException(ErrorType.INTERNAL, String.valueOf(e.getMessage()));
      }
    }
    return ApiResult.of(null);
  }

  public ApiResult cleanTombstones(ApiRequest r) {
    TsdbAdmin a = admin("clean_tombstones");
    try {
      a.cleanTombstones();
    } catch (IOException | RuntimeException e) {
      throw new ApiException(ErrorType.INTERNAL, String.valueOf(e.getMessage()));
    }
    return ApiResult.of(null);
  }

  /** {"name": "<snapshot dir name>"}; skip_head=true leaves out the in-memory head. */
  public ApiResult snapshot(ApiRequest r) throws IOException {
    TsdbAdmin a = admin("snapshot");
    boolean skipHead = false;
    String v = r.param("skip_head");
    if (!v.isEmpty()) {
      try {
        skipHead = GoNumbers.parseBool(v);
      } catch (IllegalArgumentException e) {
        throw ApiException.invalidParam("skip_head", "unable to parse boolean: "
            + e.getMessage());
      }
    }
    String name;
    try {
      name = a.snapshot(skipHead);
    } catch (IOException | RuntimeException e) {
      throw new ApiException(ErrorType.INTERNAL, "create snapshot: " + e.getMessage());
    }
    return ApiResult.of(g -> {
      g.writeStartObject();
      g.writeStringField("name", name);
      g.writeEndObject();
    });
  }
}
