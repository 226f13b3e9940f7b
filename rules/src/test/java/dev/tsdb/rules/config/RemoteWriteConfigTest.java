package dev.tsdb.rules.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** remote_write entries: defaults, every setting, and promtool 3.5's messages. */
class RemoteWriteConfigTest {
  private static PrometheusConfig parse(String yaml) throws ConfigException {
    return ConfigLoader.parse(yaml, "p.yml");
  }

  private static String error(String yaml) {
    return assertThrows(ConfigException.class, () -> parse(yaml)).getMessage();
  }

  @Test
  void defaultsAsPrometheus() throws ConfigException {
    PrometheusConfig c = parse("remote_write:\n  - url: http://r:9090/api/v1/write\n");
    assertEquals(List.of(), c.ignoredSections());
    RemoteWriteConfig rw = c.remoteWrite().get(0);
    assertEquals("http://r:9090/api/v1/write", rw.url());
    assertEquals("", rw.name());
    assertEquals(30_000, rw.remoteTimeoutMs());
    assertEquals(RemoteWriteConfig.PROTO_V1, rw.protobufMessage());
    assertFalse(rw.sendExemplars());
    assertFalse(rw.sendNativeHistograms());
    assertEquals(RemoteWriteConfig.QueueConfig.DEFAULT, rw.queue());
    assertEquals(RemoteWriteConfig.MetadataConfig.DEFAULT, rw.metadata());
    assertEquals(new RemoteWriteConfig.QueueConfig(10_000, 50, 1, 2000, 5000, 30, 5000, false,
        0), rw.queue());
  }

  @Test
  void readsEverySetting() throws ConfigException {
    RemoteWriteConfig rw = parse("""
        remote_write:
          - url: https://mimir/api/v1/push
            name: mimir
            remote_timeout: 10s
            headers: {X-Scope-OrgID: tenant}
            send_exemplars: true
            send_native_histograms: true
            protobuf_message: io.prometheus.write.v2.Request
            basic_auth: {username: u, password: p}
            tls_config: {insecure_skip_verify: true, server_name: m}
            proxy_url: http://proxy:3128
            write_relabel_configs:
              - source_labels: [__name__]
                regex: go_.*
                action: drop
            queue_config:
              capacity: 500
              min_shards: 2
              max_shards: 8
              max_samples_per_send: 100
              batch_send_deadline: 1s
              min_backoff: 10ms
              max_backoff: 1s
              retry_on_http_429: true
              sample_age_limit: 5m
            metadata_config: {send: false, send_interval: 30s, max_samples_per_send: 10}
            follow_redirects: true
        """).remoteWrite().get(0);
    assertEquals("mimir", rw.name());
    assertEquals(10_000, rw.remoteTimeoutMs());
    assertEquals(Map.of("X-Scope-OrgID", "tenant"), rw.headers());
    assertTrue(rw.sendExemplars() && rw.sendNativeHistograms() && rw.isV2());
    assertEquals("u", rw.basicAuth().username());
    assertNull(rw.authorization());
    assertTrue(rw.tls().insecureSkipVerify());
    assertEquals("http://proxy:3128", rw.proxyUrl());
    assertEquals(1, rw.writeRelabelConfigs().size());
    assertEquals(new RemoteWriteConfig.QueueConfig(500, 8, 2, 100, 1000, 10, 1000, true,
        300_000), rw.queue());
    assertEquals(new RemoteWriteConfig.MetadataConfig(false, 30_000, 10), rw.metadata());
  }

  @Test
  void oauth2ClientCredentials() throws ConfigException {
    PrometheusConfig c = parse("remote_write:\n  - url: http://a/\n    oauth2:\n"
        + "      client_id: id\n      client_secret_file: /s/secret\n"
        + "      scopes: [a, b]\n      token_url: https://t/token\n"
        + "      endpoint_params: {audience: x}\n      proxy_url: http://p:3128\n"
        + "      tls_config: {insecure_skip_verify: true}\n"
        + "  - url: http://b/\n    sigv4: {region: eu}\n");
    assertEquals(new OAuth2Config("id", "", "/s/secret", List.of("a", "b"), "https://t/token",
        Map.of("audience", "x"), new TlsConfig(null, null, null, null, true), "http://p:3128"),
        c.remoteWrite().get(0).oauth2());
    assertEquals(List.of("remote_write[].sigv4"), c.unsupportedSettings());
    String p = "parsing YAML file p.yml: ";
    assertEquals(p + "oauth2 client_id must be configured",
        error("remote_write:\n  - url: http://a/\n    oauth2: {token_url: http://t/}\n"));
    assertEquals(p + "oauth2 token_url must be configured",
        error("remote_write:\n  - url: http://a/\n    oauth2: {client_id: a}\n"));
    assertEquals(p + "at most one of oauth2 client_secret, client_secret_file &"
        + " client_secret_ref must be configured using grant-type=client_credentials",
        error("remote_write:\n  - url: http://a/\n    oauth2: {client_id: a, token_url: t,"
            + " client_secret: s, client_secret_file: f}\n"));
    assertEquals(p + "at most one of basic_auth, oauth2 & authorization must be configured",
        error("remote_write:\n  - url: http://a/\n    basic_auth: {username: u}\n"
            + "    oauth2: {client_id: a, token_url: t}\n"));
  }

  /** Each message as promtool 3.5's check config prints it. */
  @Test
  void promtoolMessages() {
    String p = "parsing YAML file p.yml: ";
    assertEquals(p + "url for remote_write is empty", error("remote_write:\n  - name: x\n"));
    assertEquals(p + "empty or null remote write config section", error("remote_write:\n  -\n"));
    assertEquals(p + "authorization header must be changed via the basic_auth, authorization,"
        + " oauth2, or sigv4 parameter",
        error("remote_write:\n  - url: http://a/\n    headers:\n      Authorization: x\n"));
    assertEquals(p + "User-Agent is a reserved header. It must not be changed",
        error("remote_write:\n  - url: http://a/\n    headers:\n      User-Agent: x\n"));
    assertEquals(p + "invalid protobuf_message value: unknown remote write protobuf message"
        + " foo, supported: prometheus.WriteRequest, io.prometheus.write.v2.Request",
        error("remote_write:\n  - url: http://a/\n    protobuf_message: foo\n"));
    assertEquals(p + "found multiple remote write configs with job name \"n\"",
        error("remote_write:\n  - url: http://a/\n    name: n\n  - url: http://b/\n"
            + "    name: n\n"));
    assertEquals(p + "at most one of basic_auth, oauth2 & authorization must be configured",
        error("remote_write:\n  - url: http://a/\n    basic_auth: {username: u}\n"
            + "    authorization: {credentials: c}\n"));
    assertEquals(p + "at most one of basic_auth, authorization, oauth2, or sigv4 must be"
        + " configured. Currently configured: [basic_auth sigv4]",
        error("remote_write:\n  - url: http://a/\n    basic_auth: {username: u}\n"
            + "    sigv4: {region: x}\n"));
    assertEquals(p + "empty or null relabeling rule in remote write config",
        error("remote_write:\n  - url: http://a/\n    write_relabel_configs:\n      -\n"));
    assertEquals(p + "yaml: unmarshal errors:\n  line 4: field bogus not found in type"
        + " config.QueueConfig",
        error("remote_write:\n  - url: http://a/\n    queue_config:\n      bogus: 1\n"));
    assertEquals(p + "yaml: unmarshal errors:\n  line 4: field bogus not found in type"
        + " config.MetadataConfig",
        error("remote_write:\n  - url: http://a/\n    metadata_config:\n      bogus: 1\n"));
    assertEquals(p + "yaml: unmarshal errors:\n  line 3: field bogus not found in type"
        + " config.plain", error("remote_write:\n  - url: http://a/\n    bogus: 1\n"));
  }
}
