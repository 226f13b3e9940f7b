package dev.tsdb.api.remote;

import dev.tsdb.index.labels.Labels;
import dev.tsdb.index.storage.SampleRejectedException.Reason;

/**
 * What one remote-write request did: how much was appended and what was rejected, with the first
 * rejection of each kind kept for the error message.
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
    samplesRejected++;
    samplesRejectedByReason[reason.ordinal()]++;
  }

  void rejectHistogram(Labels labels, String problem) {
    if (histogramsRejected == 0) {
      firstRejectedHistogram = labels + ": " + problem;
    }
    histogramsRejected++;
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
