package dev.tsdb.rules.config;

/** {@code basic_auth}: password inline or read from {@code password_file} at request time. */
public record BasicAuth(String username, String password, String passwordFile) {}
