package dev.tsdb.rules.querylog;

import java.util.Map;

/**
 * One executed query as the query log records it.
 *
 * @param query the PromQL text
 * @param startMs evaluation start (the time of an instant query)
 * @param endMs evaluation end (the time of an instant query)
 * @param stepMs range query step; 0 for instant queries
 * @param execNanos wall time of the execution
 * @param error the execution error's message, or null
 * @param origin who asked, as extra top-level fields: {@code httpRequest} (clientIP, method,
 *     path) for the HTTP API, {@code ruleGroup} (file, name) for rule evaluation
 */
public record QueryLogEntry(String query, long startMs, long endMs, long stepMs,
    long execNanos, String error, Map<String, Map<String, String>> origin) {}
