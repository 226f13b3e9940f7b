package dev.tsdb.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The query page's checks over {@link UiTestData}, shared by the browser tests against our
 * server and against Prometheus (behind {@link UiProxy}): the same UI must show the same.
 */
final class UiChecks {
  final ChromeDriver browser;
  final WebDriverWait wait;
  final String base;
  final boolean screenshots;

  UiChecks(ChromeDriver browser, String base, boolean screenshots) {
    this.screenshots = screenshots;
    this.browser = browser;
    this.wait = new WebDriverWait(browser, Duration.ofSeconds(15));
    this.base = base;
  }

  WebElement waitFor(String css) {
    return wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(css)));
  }

  /** Saved to -Dui.screenshots=DIR when set (WebUiIT only: the README shows our server). */
  void screenshot(String name) throws Exception {
    String to = System.getProperty("ui.screenshots");
    if (!screenshots) {
      return;
    }
    if (to != null) {
      Files.write(Path.of(to, name), browser.getScreenshotAs(OutputType.BYTES));
    }
  }

  /** Opens the query page with one panel. */
  void open(String expr, String tab, String more) {
    browser.get(base + "/query?g0.expr=" + TestServer.enc(expr) + "&g0.tab=" + tab + more);
  }

  /** The table after Enter or a link: both series, the last api sample, the query's stats. */
  String tableOfRequests() {
    wait.until(ExpectedConditions.numberOfElementsToBe(
        By.cssSelector(".result-table tbody tr"), 2));
    String table = browser.findElement(By.cssSelector(".result-table")).getText();
    assertTrue(table.contains("ui_requests_total{job=\"api\"}"), table);
    assertTrue(table.contains("57"), table); // the last api sample, 19 * 3
    String stats = waitFor(".stats").getText();
    assertTrue(stats.contains("Result series: 2"), stats);
    // From the API's stats: both series' latest samples read.
    assertTrue(stats.contains("Samples: 2 ("), stats);
    return table;
  }

  /** Pixels of the n-th series colour (uPlot draws on a canvas), 0: #1f77b4. */
  long seriesPixels() {
    return ((Number) browser.executeScript("""
        const c = document.querySelector('.graph canvas');
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let n = 0;
        for (let i = 0; i < d.length; i += 4) {
          if (Math.abs(d[i] - 31) < 40 && Math.abs(d[i + 1] - 119) < 40
              && Math.abs(d[i + 2] - 180) < 40 && d[i + 3] > 0) n++;
        }
        return n;""")).longValue();
  }

  /** The graph tab drew the series and lists them in its legend. */
  String graphDrawn(String legendPart) {
    waitFor(".graph canvas");
    long drawn = seriesPixels();
    assertTrue(drawn > 50, "series pixels drawn: " + drawn);
    String legend = waitFor(".u-legend").getText();
    assertTrue(legend.contains(legendPart), legend);
    assertTrue(browser.getCurrentUrl().contains("g0.tab=graph"));
    return legend;
  }

  void parseError() {
    open("sum(", "table", "");
    String error = waitFor(".notice.error").getText();
    assertTrue(error.contains("parse error"), error);
  }

  /**
   * The histogram as a bucket chart: count and sum, a bar for the zero bucket and each of the
   * four buckets, and the x scale switching to linear.
   */
  void histogramChart() throws Exception {
    open("ui_latency_seconds", "table", "");
    String text = waitFor(".histogram").getText();
    assertTrue(text.contains("count: 209"), text);
    assertTrue(text.contains("sum: 275.5"), text);
    assertEquals(5, browser.findElements(By.cssSelector(".hist-chart .hist-bar")).size());
    // Exponential: heights are counts, (0.5,1] has the most. Linear: heights are counts per
    // unit of width, and the narrow zero bucket is by far the densest.
    assertEquals("exponential", waitFor(".hist-chart").getDomAttribute("data-scale"));
    assertEquals("(0.5, 1]: 76", tallestBar());
    screenshot("ui-query-histogram.png");
    browser.findElement(By.cssSelector(".hist-scale input[value=linear]")).click();
    assertEquals("linear", waitFor(".hist-chart").getDomAttribute("data-scale"));
    assertEquals("[-0.001, 0.001]: 19", tallestBar());
  }

  private String tallestBar() {
    return (String) browser.executeScript("""
        const bars = [...document.querySelectorAll('.hist-chart .hist-bar')];
        return bars.reduce((a, b) => parseFloat(b.style.height) > parseFloat(a.style.height)
            ? b : a).title;""");
  }

  /** The explain tab: a node per operator, and the selector's series counted. */
  void explain() throws Exception {
    open("sum by (job) (rate(ui_requests_total{job=~\"a.*\"}[5m])) > 1", "explain", "");
    String tree = waitFor(".explain-tree").getText();
    assertTrue(tree.contains("keeps only the samples where the comparison holds"), tree);
    assertTrue(tree.contains("per distinct value of job"), tree);
    assertTrue(tree.contains("Function rate(range-vector)"), tree);
    assertTrue(tree.contains("label job matches the regex \"a.*\""), tree);
    wait.until(ExpectedConditions.textToBePresentInElementLocated(
        By.cssSelector(".explain-node[data-type=matrixSelector] .explain-series"),
        "1 series match now"));
    assertTrue(tree.contains("the metric name is \"ui_requests_total\""), tree);
  }
}
