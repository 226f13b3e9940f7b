package dev.tsdb.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tsdb.testkit.reference.Prometheus;
import dev.tsdb.testkit.reference.PrometheusRelease;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * Our web UI against Prometheus 3.5's API (issue 16: "the UI talks only to the public HTTP API,
 * so it works against Prometheus too"): the UI's files served by {@link UiProxy}, the API
 * answered by a real Prometheus holding {@link UiTestData}, and the same browser checks as
 * {@link WebUiIT}.
 */
class PrometheusUiIT {
  @TempDir
  static Path dir;
  static Prometheus prometheus;
  static UiProxy proxy;
  static ChromeDriver browser;
  static UiChecks ui;

  @BeforeAll
  static void start() throws Exception {
    browser = Browser.start();
    // Prometheus 3.5 answered 500 to the histogram samples without this feature.
    prometheus = Prometheus.in(PrometheusRelease.V3_5, dir)
        .flags("--enable-feature=native-histograms").start();
    var written = prometheus.write(UiTestData.writeRequest(System.currentTimeMillis()));
    assertEquals(204, written.statusCode(), written.body());
    proxy = new UiProxy(prometheus.base(), "UI on Prometheus");
    ui = new UiChecks(browser, proxy.base, false);
  }

  @AfterAll
  static void stop() throws Exception {
    if (browser != null) {
      browser.quit();
    }
    if (proxy != null) {
      proxy.close();
    }
    if (prometheus != null) {
      prometheus.close();
    }
  }

  @Test
  void tableGraphHistogramExplainAndParseError() throws Exception {
    ui.open("ui_requests_total", "table", "");
    ui.tableOfRequests();
    browser.findElement(By.cssSelector("button.tab[data-tab=graph]")).click();
    ui.graphDrawn("job=\"web\"");
    ui.histogramChart();
    ui.explain();
    ui.parseError();
  }
}
