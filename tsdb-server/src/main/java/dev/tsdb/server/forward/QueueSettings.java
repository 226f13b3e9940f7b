package dev.tsdb.server.forward;

import dev.tsdb.rules.config.RemoteWriteConfig;

/** The queue_config values a shard works with, plus the message version and URL. */
record QueueSettings(String url, boolean v2, int capacity, int maxSamplesPerSend,
    long batchSendDeadlineMs, long minBackoffMs, long maxBackoffMs, long sampleAgeLimitMs) {
  static QueueSettings of(RemoteWriteConfig c) {
    RemoteWriteConfig.QueueConfig q = c.queue();
    return new QueueSettings(c.url(), c.isV2(), Math.max(1, q.capacity()),
        Math.max(1, q.maxSamplesPerSend()), Math.max(1, q.batchSendDeadlineMs()),
        q.minBackoffMs(), q.maxBackoffMs(), q.sampleAgeLimitMs());
  }
}
