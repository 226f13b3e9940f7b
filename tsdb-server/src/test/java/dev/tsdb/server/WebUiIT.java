package dev.tsdb.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
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
  static UiChecks ui;
  /** When the test data ends (its last points' time). */
  static long now;

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
    now = System.currentTimeMillis();
    assertEquals(204, ts.write(UiTestData.writeRequest(now)).statusCode());
    ui = new UiChecks(browser, ts.base, true);
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
    return ui.waitFor(css);
  }

  private static void screenshot(String name) throws Exception {
    ui.screenshot(name);
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
    ui.tableOfRequests();
    assertTrue(browser.getCurrentUrl().contains("g0.expr=ui_requests_total"));
    screenshot("ui-query-table.png");

    browser.findElement(By.cssSelector("button.tab[data-tab=graph]")).click();
    ui.graphDrawn("job=\"web\"");
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
    ui.parseError();
  }

  @Test
  @Order(4)
  void histogramAsBucketChartAndGraphedAsItsSum() throws Exception {
    ui.histogramChart();
    browser.findElement(By.cssSelector("button.tab[data-tab=graph]")).click();
    ui.graphDrawn("ui_latency_seconds");
  }

  @Test
  @Order(5)
  void explainTabExplainsEachNode() throws Exception {
    ui.explain();
    screenshot("ui-query-explain.png");
  }

  /** "2026-12-07T23:01:05": what a datetime-local input holds, here in UTC. */
  private static String utc(long ms) {
    return java.time.Instant.ofEpochMilli(ms).toString().substring(0, 19);
  }

  @Test
  @Order(6)
  void evaluationTimeFromTheDatePicker() {
    // Five seconds after the 5th point (api: 4 * 3 = 12); the URL keeps seconds only.
    long at = now - 15 * 15_000L + 5_000;
    ui.open("ui_requests_total{job=\"api\"}", "table", "&g0.moment_input="
        + TestServer.enc(utc(at).replace("T", " ")));
    wait.until(ExpectedConditions.textToBePresentInElementLocated(
        By.cssSelector(".result-table td.value"), "12"));
    WebElement picker = waitFor("input.moment-input");
    assertEquals("datetime-local", picker.getDomAttribute("type"));
    // Ten points later through the picker (as a user's choice arrives: value, then change).
    String later = utc(at + 150_000);
    browser.executeScript("arguments[0].value = arguments[1];"
        + "arguments[0].dispatchEvent(new Event('change'));", picker, later);
    wait.until(ExpectedConditions.textToBePresentInElementLocated(
        By.cssSelector(".result-table td.value"), "42"));
    assertTrue(browser.getCurrentUrl().contains("g0.moment_input="
        + TestServer.enc(later.replace("T", " "))), browser.getCurrentUrl());
    browser.findElement(By.cssSelector("button.now")).click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(
        By.cssSelector(".result-table td.value"), "57"));
  }

  @Test
  @Order(7)
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
  @Order(8)
  void ruleOnRulesPage() {
    browser.get(ts.base + "/rules");
    String text = waitFor(".group").getText();
    assertTrue(text.contains("record: job:ui_requests:sum"), text);
    assertTrue(text.contains("alert: UiAlwaysFiring"), text);
  }

  @Test
  @Order(9)
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
  @Order(10)
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
