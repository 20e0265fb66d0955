package jp.tsunagu.platform.web;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import jp.tsunagu.platform.testing.Browser;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/** A headless Chromium on one platform node, with the few moves page tests make. */
final class PageDriver implements AutoCloseable {
  final ChromeDriver driver = Browser.start();
  private final String base;
  private final WebDriverWait wait;

  PageDriver(String baseUrl) {
    this.base = baseUrl;
    this.wait = new WebDriverWait(driver, Duration.ofSeconds(20));
    wait.withMessage(() -> "on " + driver.getCurrentUrl() + " showing:\n" + driver.findElement(By.tagName("body")).getText());
    // A Japanese browser: the pages follow Accept-Language until the visitor picks a language.
    driver.executeCdpCommand("Network.enable", Map.of());
    driver.executeCdpCommand("Network.setExtraHTTPHeaders", Map.of("headers", Map.of("Accept-Language", "ja,en;q=0.5")));
  }

  void open(String path) {
    driver.get(base + path);
    waitForPage();
  }

  /** Waits until the page with the given path (without query) has loaded. */
  void waitForPath(String path) {
    wait.until(d -> {
      String url = d.getCurrentUrl();
      String p = url.substring(base.length()).split("\\?")[0];
      return p.equals(path);
    });
    waitForPage();
  }

  void waitForPage() {
    wait.until(d -> {
      try {
        return "complete".equals(driver.executeScript("return document.readyState"));
      } catch (WebDriverException navigating) {
        return false;
      }
    });
  }

  WebElement find(String css) {
    return wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(css)));
  }

  void type(String css, String text) {
    WebElement field = find(css);
    field.clear();
    field.sendKeys(text);
  }

  /**
   * Clicks a submit button and waits for the next page to replace this one. The current document
   * is marked first and the wait is for a document without the mark: asking whether the old button
   * went stale races the navigation, and Chromium may answer that race with an unknown error rather
   * than a stale-element one.
   */
  void submit(String css) {
    WebElement button = find(css);
    String mark = UUID.randomUUID().toString();
    driver.executeScript("document.documentElement.dataset.testPage = arguments[0]", mark);
    button.click();
    wait.until(d -> {
      try {
        return !mark.equals(driver.executeScript("return document.documentElement.dataset.testPage || null"));
      } catch (WebDriverException navigating) {
        return false;
      }
    });
    waitForPage();
  }

  String text(String css) {
    return find(css).getText();
  }

  String notice() {
    return text(".notice");
  }

  String error() {
    return text(".error");
  }

  String lang() {
    return driver.findElement(By.tagName("html")).getAttribute("lang");
  }

  /** A full-page PNG of the current page at the given window width. */
  Path screenshot(String name, int width, int height) {
    driver.manage().window().setSize(new Dimension(width, height));
    waitForPage();
    @SuppressWarnings("unchecked")
    Map<String, Object> metrics = driver.executeCdpCommand("Page.getLayoutMetrics", Map.of());
    @SuppressWarnings("unchecked")
    Map<String, Object> size = (Map<String, Object>) metrics.get("cssContentSize");
    double contentHeight = ((Number) size.get("height")).doubleValue();
    Map<String, Object> shot = driver.executeCdpCommand("Page.captureScreenshot", Map.of("format", "png",
        "captureBeyondViewport", true,
        "clip", Map.of("x", 0, "y", 0, "width", width, "height", Math.max(height, contentHeight), "scale", 1)));
    try {
      Path dir = Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir"), "tsunagu-screenshots"));
      Path file = dir.resolve(name + ".png");
      Files.write(file, Base64.getDecoder().decode((String) shot.get("data")));
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    driver.quit();
  }
}
