package dev.tsdb.rules.config;

/** {@code authorization}: header "TYPE CREDENTIALS"; type defaults to Bearer. */
public record Authorization(String type, String credentials, String credentialsFile) {}
