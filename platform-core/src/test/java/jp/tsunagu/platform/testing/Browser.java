package jp.tsunagu.platform.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/** Headless Debian Chromium driven through chromedriver, for page tests. */
public final class Browser {
  private Browser() {}

  public static ChromeDriver start() {
    try {
      ChromeOptions options = new ChromeOptions();
      options.setBinary(binary("TSUNAGU_CHROMIUM", "/usr/bin/chromium"));
      options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
          "--disable-background-networking", "--disable-component-update", "--disable-sync",
          "--disable-dev-shm-usage", "--window-size=1280,900", "--lang=ja",
          "--user-data-dir=" + Files.createTempDirectory("tsunagu-chromium"));
      ChromeDriverService service = new ChromeDriverService.Builder()
          .usingDriverExecutable(Path.of(binary("TSUNAGU_CHROMEDRIVER", "/usr/bin/chromedriver")).toFile())
          .usingAnyFreePort()
          .build();
      ChromeDriver driver = new ChromeDriver(service, options);
      driver.manage().timeouts().implicitlyWait(Duration.ZERO);
      return driver;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static String binary(String env, String fallback) {
    String value = System.getenv(env);
    return value == null || value.isBlank() ? fallback : value;
  }
}
