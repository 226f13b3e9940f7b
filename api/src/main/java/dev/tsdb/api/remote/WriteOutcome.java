package dev.tsdb.api.remote;

import dev.tsdb.index.labels.Labels;
import dev.tsdb.index.storage.SampleRejectedException.Reason;
import java.util.ArrayList;
import java.util.List;

/**
 * What one remote-write request did: how much was appended and what was rejected, with the first
 * rejection of each kind kept for the error message. For remote write 2.0 it also collects one
 * line per rejection, worded as Prometheus's receiver words them ({@link #messages()}).
 */
public final class WriteOutcome {
  public long samplesAppended;
  public long exemplarsAppended;
  public long exemplarsRejected;
  public long metadataReceived;

  public long seriesRejected;
  /** Samples (and histograms) that belonged to rejected series. */
  public long samplesInRejectedSeries;
  public String firstRejectedSeries;
  public String firstSeriesProblem;

  public final long[] samplesRejectedByReason = new long[Reason.values().length];
  public long samplesRejected;
  public String firstRejectedSample;

  public long histogramsAppended;
  /** Invalid histograms and those the storage refused (see {@link #firstRejectedHistogram}). */
  public long histogramsRejected;
  /** The series and the reason of the first rejected histogram, e.g. {@code {..}: problem}. */
  public String firstRejectedHistogram;

  /** Lines listed in a 2.0 answer; more are counted, not kept (a bad batch can be huge). */
  static final int MAX_MESSAGES = 32;
  /** Prometheus-worded rejection lines (2.0 only; null for 1.0, which reports first ones). */
  private List<String> messages;
  private long messagesDropped;

  /** An outcome that also collects every rejection as a Prometheus-worded line (2.0). */
  static WriteOutcome withMessages() {
    WriteOutcome o = new WriteOutcome();
    o.messages = new ArrayList<>();
    return o;
  }

  void addMessage(String line) {
    if (messages == null) {
      return;
    }
    if (messages.size() < MAX_MESSAGES) {
      messages.add(line);
    } else {
      messagesDropped++;
    }
  }

  /** Whether a 2.0 answer must be 400 (some rejection was reported). */
  boolean hasMessages() {
    return messages != null && !messages.isEmpty();
  }

  /** The 2.0 answer body: one line per rejection (as Prometheus joins its errors). */
  String messages() {
    StringBuilder sb = new StringBuilder();
    for (String m : messages) {
      if (sb.length() > 0) {
        sb.append('\n');
      }
      sb.append(m);
    }
    if (messagesDropped > 0) {
      sb.append('\n').append("... and ").append(messagesDropped).append(" more");
    }
    return sb.toString();
  }

  void rejectSeries(String series, String problem, int samples) {
    if (seriesRejected == 0) {
      firstRejectedSeries = series;
      firstSeriesProblem = problem;
    }
    seriesRejected++;
    samplesInRejectedSeries += samples;
  }

  void rejectSample(Labels labels, long t, Reason reason) {
    if (samplesRejected == 0) {
      firstRejectedSample = reason.message() + " for series " + labels + " at timestamp " + t;
    }
    if (messages != null) {
      addMessage(reason.message() + " for series " + labels);
    }
    samplesRejected++;
    samplesRejectedByReason[reason.ordinal()]++;
  }

  void rejectHistogram(Labels labels, String problem) {
    if (histogramsRejected == 0) {
      firstRejectedHistogram = labels + ": " + problem;
    }
    if (messages != null) {
      addMessage(problem + " for series " + labels);
    }
    histogramsRejected++;
  }

  /**
   * An exemplar the storage refused. Like Prometheus, only an out-of-order one is reported to
   * a 2.0 sender; others are dropped quietly (exemplar storage is best effort).
   */
  void rejectExemplar(Labels labels, Reason reason) {
    exemplarsRejected++;
    if (messages != null && reason == Reason.EXEMPLAR_OUT_OF_ORDER) {
      addMessage(reason.message() + " for series " + labels);
    }
  }

  public boolean hasRejections() {
    return seriesRejected > 0 || samplesRejected > 0 || histogramsRejected > 0;
  }

  /** One line per kind of rejection, e.g. {@code 2 series rejected; first: {..}: reason}. */
  public String describeRejections() {
    StringBuilder sb = new StringBuilder();
    if (seriesRejected > 0) {
      sb.append(seriesRejected).append(seriesRejected == 1 ? " series" : " series")
          .append(" rejected; first: ").append(firstRejectedSeries).append(": ")
          .append(firstSeriesProblem);
    }
    if (samplesRejected > 0) {
      if (sb.length() > 0) {
        sb.append('\n');
      }
      sb.append(samplesRejected).append(samplesRejected == 1 ? " sample" : " samples")
          .append(" rejected; first: ").append(firstRejectedSample);
    }
    if (histogramsRejected > 0) {
      if (sb.length() > 0) {
        sb.append('\n');
      }
      sb.append(histogramsRejected)
          .append(histogramsRejected == 1 ? " histogram sample" : " histogram samples")
          .append(" rejected; first: ").append(firstRejectedHistogram);
    }
    return sb.toString();
  }
}
