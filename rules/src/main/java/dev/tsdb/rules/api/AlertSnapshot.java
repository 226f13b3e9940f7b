package dev.tsdb.rules.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * An active alert as /api/v1/alerts and the alerts of /api/v1/rules show it (web/api/v1 Alert).
 *
 * @param labels the alert's labels (sorted)
 * @param annotations expanded annotations (sorted)
 * @param state "pending" or "firing"
 * @param activeAt RFC 3339 time the alert became active
 * @param keepFiringSince RFC 3339 time keep_firing_for started, or null (omitted)
 * @param value the expression value, formatted like Go's {@code FormatFloat(v, 'e', -1, 64)}
 */
public record AlertSnapshot(Map<String, String> labels, Map<String, String> annotations,
    String state, String activeAt,
    @JsonInclude(JsonInclude.Include.NON_NULL) String keepFiringSince, String value) {}
