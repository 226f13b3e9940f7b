package dev.tsdb.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tsdb.api.remote.PromPb;
import dev.tsdb.index.labels.Labels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web UI in a real headless Chromium against a real server holding remote-written series
 * and a firing alert. With -Dui.screenshots=DIR the pages are also saved as PNGs there (how the
 * README's screenshots in docs/ are made).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebUiIT {
  @TempDir
  static Path dir;
  static TestServer ts;
  static ChromeDriver browser;
  static WebDriverWait wait;

  @BeforeAll
  static void start() throws Exception {
    browser = Browser.start();
    wait = new WebDriverWait(browser, Duration.ofSeconds(15));
    Files.createDirectories(dir.resolve("rules"));
    Files.writeString(dir.resolve("rules/ui.yml"), """
        groups:
          - name: ui
            rules:
              - alert: UiAlwaysFiring
                expr: sum(ui_requests_total) > 0
                labels: {severity: page}
                annotations: {summary: "requests were seen"}
              - record: job:ui_requests:sum
                expr: sum by (job) (ui_requests_total)
        """);
    Files.writeString(dir.resolve("prometheus.yml"), """
        global:
          evaluation_interval: 1s
        rule_files: [rules/*.yml]
        """);
    ts = new TestServer(dir, "--web.page-title=UI test server");
    long now = System.currentTimeMillis();
    List<PromPb.Series> series = new ArrayList<>();
    for (String job : List.of("api", "web")) {
      long[] ts = new long[20];
      double[] vs = new double[20];
      for (int i = 0; i < 20; i++) {
        ts[i] = now - (19 - i) * 15_000L;
        vs[i] = i * (job.equals("api") ? 3 : 1);
      }
      series.add(PromPb.Series.of(Labels.of("__name__", "ui_requests_total", "job", job), ts,
          vs));
    }
    assertEquals(204, ts.write(PromPb.writeRequest(series, List.of())).statusCode());
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.quit();
    }
    if (ts != null) {
      ts.close();
    }
  }

  private static WebElement waitFor(String css) {
    return wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(css)));
  }

  private static void screenshot(String name) throws Exception {
    String to = System.getProperty("ui.screenshots");
    if (to != null) {
      Files.write(Path.of(to, name), browser.getScreenshotAs(OutputType.BYTES));
    }
  }

  @Test
  @Order(1)
  void queryWithAutocompletionThenTableThenGraph() throws Exception {
    browser.get(ts.base + "/");
    wait.until(ExpectedConditions.urlContains("/query"));
    assertEquals("UI test server", browser.getTitle());
    WebElement input = waitFor("textarea.expr-input");
    input.sendKeys("ui_req");
    WebElement item = waitFor(".completions li.selected");
    assertEquals("ui_requests_total", item.findElement(By.cssSelector(".completion-text"))
        .getText());
    input.sendKeys(Keys.TAB);
    assertEquals("ui_requests_total", input.getAttribute("value"));
    input.sendKeys(Keys.ENTER);
    wait.until(ExpectedConditions.numberOfElementsToBe(
        By.cssSelector(".result-table tbody tr"), 2));
    String table = browser.findElement(By.cssSelector(".result-table")).getText();
    assertTrue(table.contains("ui_requests_total{job=\"api\"}"), table);
    assertTrue(table.contains("57"), table); // the last api sample, 19 * 3
    assertTrue(browser.getCurrentUrl().contains("g0.expr=ui_requests_total"));
    assertTrue(waitFor(".stats").getText().contains("Result series: 2"));
    screenshot("ui-query-table.png");

    browser.findElement(By.cssSelector("button.tab[data-tab=graph]")).click();
    waitFor(".graph canvas");
    // uPlot draws series on its canvas: count pixels in the first series' colour (#1f77b4).
    Number drawn = (Number) browser.executeScript("""
        const c = document.querySelector('.graph canvas');
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let n = 0;
        for (let i = 0; i < d.length; i += 4) {
          if (Math.abs(d[i] - 31) < 40 && Math.abs(d[i + 1] - 119) < 40
              && Math.abs(d[i + 2] - 180) < 40 && d[i + 3] > 0) n++;
        }
        return n;""");
    assertTrue(drawn.intValue() > 50, "series pixels drawn: " + drawn);
    String legend = waitFor(".u-legend").getText();
    assertTrue(legend.contains("job=\"web\""), legend);
    assertTrue(browser.getCurrentUrl().contains("g0.tab=graph"));
    screenshot("ui-query-graph.png");
  }

  @Test
  @Order(2)
  void oldGraphLinkOpensTheTable() {
    browser.get(ts.base + "/graph?g0.expr=" + TestServer.enc("sum(ui_requests_total)")
        + "&g0.tab=1");
    wait.until(ExpectedConditions.urlContains("/query?"));
    wait.until(ExpectedConditions.numberOfElementsToBe(
        By.cssSelector(".result-table tbody tr"), 1));
    assertEquals("sum(ui_requests_total)",
        waitFor("textarea.expr-input").getAttribute("value"));
    assertTrue(browser.findElement(By.cssSelector(".result-table")).getText().contains("76"));
  }

  @Test
  @Order(3)
  void badExpressionShowsTheParseError() {
    browser.get(ts.base + "/query?g0.expr=" + TestServer.enc("sum(") + "&g0.tab=table");
    String error = waitFor(".notice.error").getText();
    assertTrue(error.contains("parse error"), error);
  }

  @Test
  @Order(4)
  void firingAlertOnAlertsPage() throws Exception {
    // The rule evaluates every second; reload until it has fired.
    wait.until(d -> {
      d.get(ts.base + "/alerts");
      return !d.findElements(By.cssSelector(".alert-rule[data-state=firing]")).isEmpty();
    });
    String text = waitFor(".alert-rule[data-state=firing]").getText();
    assertTrue(text.contains("UiAlwaysFiring"), text);
    assertTrue(text.contains("severity=page"), text);
    screenshot("ui-alerts.png");
  }

  @Test
  @Order(5)
  void ruleOnRulesPage() {
    browser.get(ts.base + "/rules");
    String text = waitFor(".group").getText();
    assertTrue(text.contains("record: job:ui_requests:sum"), text);
    assertTrue(text.contains("alert: UiAlwaysFiring"), text);
  }

  @Test
  @Order(6)
  void cardinalityOnTsdbStatus() throws Exception {
    browser.get(ts.base + "/tsdb-status");
    String text = waitFor(".cardinality").getText();
    assertTrue(text.contains("ui_requests_total"), text);
    screenshot("ui-tsdb-status.png");
    browser.get(ts.base + "/status");
    assertTrue(waitFor(".runtime").getText().contains("Storage retention"));
    screenshot("ui-status.png");
  }

  @Test
  @Order(7)
  void themeSwitchesAndTargetsExplainsNoScraping() {
    browser.get(ts.base + "/targets");
    assertTrue(waitFor(".notice.info").getText().contains("does not scrape"));
    String before = (String) browser.executeScript(
        "return document.documentElement.dataset.theme");
    browser.findElement(By.id("theme")).click();
    String after = (String) browser.executeScript(
        "return document.documentElement.dataset.theme");
    assertTrue(!before.equals(after), before + " -> " + after);
  }
}
