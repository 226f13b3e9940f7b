package dev.tsdb.index.storage;

import dev.tsdb.index.labels.Labels;
import java.util.List;

/** The exemplars of one series in a time range, oldest first (/api/v1/query_exemplars). */
public record ExemplarSeries(Labels seriesLabels, List<Exemplar> exemplars) {}
