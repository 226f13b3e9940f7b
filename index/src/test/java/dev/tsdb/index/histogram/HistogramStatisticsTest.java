package dev.tsdb.index.histogram;

import static dev.tsdb.index.histogram.TestHistograms.assertAlmost;
import static dev.tsdb.index.histogram.TestHistograms.assertExact;
import static dev.tsdb.index.histogram.TestHistograms.h;

import org.junit.jupiter.api.Test;

/** Cases and expected values from Prometheus's native_histograms.test. */
class HistogramStatisticsTest {
  private static final String SPREAD = "schema:3 count:7 sum:62 z_bucket:1 buckets:[0 0 0 0 0 0 0 0 0 0 0 0 0 1 0 0 0 0 0 0 0 0 0 0 1 0 1 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 1] n_buckets:[0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 1 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 1]";

  @Test
  void countSumAvg() {
    FloatHistogram h = h("schema:0 sum:5 count:4 buckets:[1 2 1]");
    assertExact(4, HistogramStatistics.count(h));
    assertExact(5, HistogramStatistics.sum(h));
    assertExact(1.25, HistogramStatistics.avg(h));
    assertExact(-1.25, HistogramStatistics.avg(h("schema:0 sum:-5 count:4 n_buckets:[1 2 1]")));
    assertExact(0, HistogramStatistics.count(h("")));
    assertExact(0, HistogramStatistics.sum(h("schema:-53 custom_values:[-2 3]")));
    assertExact(Double.NaN, HistogramStatistics.avg(h("")));
  }

  @Test
  void stddevAndStdvarUseGeometricMeansOfExponentialBuckets() {
    FloatHistogram one = h("schema:2 count:4 sum:10 buckets:[1 0 0 0 1 0 0 1 1]");
    assertExact(1.0787993180043811, HistogramStatistics.stddev(one));
    assertExact(1.163807968526718, HistogramStatistics.stdvar(one));
    FloatHistogram fine = h("schema:8 count:10 sum:10 buckets:[1 2 3 4]");
    assertExact(0.0048960313898237465, HistogramStatistics.stddev(fine));
    assertExact(2.3971123370139447e-05, HistogramStatistics.stdvar(fine));
  }

  @Test
  void stddevAndStdvarWithZeroAndNegativeBuckets() {
    FloatHistogram spread = h(SPREAD);
    assertAlmost(42.94723640026, HistogramStatistics.stddev(spread));
    assertExact(1844.4651144196398, HistogramStatistics.stdvar(spread));
    FloatHistogram negative = h("schema:0 count:10 sum:-112946 z_bucket:0"
        + " n_buckets:[0 0 1 1 1 0 1 1 0 0 3 0 0 0 1 0 0 1]");
    assertAlmost(27556.344499842, HistogramStatistics.stddev(negative));
    assertExact(759352122.1939945, HistogramStatistics.stdvar(negative));
    FloatHistogram tens = h("schema:0 count:10 sum:-100 z_bucket:0 n_buckets:[0 0 0 0 10]");
    assertAlmost(1.3137084989848, HistogramStatistics.stddev(tens));
    assertExact(1.725830020304794, HistogramStatistics.stdvar(tens));
  }

  @Test
  void nanAndInfiniteSums() {
    assertExact(Double.NaN, HistogramStatistics.stddev(h(SPREAD.replace("sum:62", "sum:NaN"))));
    assertExact(Double.NaN, HistogramStatistics.stdvar(h(SPREAD.replace("sum:62", "sum:NaN"))));
    assertExact(Double.POSITIVE_INFINITY,
        HistogramStatistics.stddev(h(SPREAD.replace("sum:62", "sum:Inf"))));
    assertExact(Double.POSITIVE_INFINITY,
        HistogramStatistics.stdvar(h(SPREAD.replace("sum:62", "sum:Inf"))));
  }
}
