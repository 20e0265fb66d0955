package jp.tsunagu.platform.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import jp.tsunagu.platform.testing.TestPlatform;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

/**
 * The demo service of {@code --demo} in headless Chromium: the demo citizen signs in to it through
 * the provider's sign-in and consent pages, the service shows who signed in (pairwise subject,
 * name, assurance), and signing out of it ends the session at the provider too.
 */
class DemoRelyingPartyIT {
  static TestPlatform node;

  @BeforeAll
  static void start() {
    int port = TestPlatform.freePort();
    node = TestPlatform.start(Map.of("demo", "true", "http.port", String.valueOf(port), "http.publicUrl", "http://127.0.0.1:" + port));
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  @Test
  void theDemoCitizenSignsInToTheDemoServiceAndOut() {
    try (PageDriver page = new PageDriver(node.baseUrl())) {
      page.open("/demo-rp/");
      page.find("#demo-sign-in").click();
      // the authorization request's own response is the sign-in page
      page.waitForPath("/oauth2/authorize");
      // the demo service pushed its request (RFC 9126): the browser's address names only the client and the request_uri
      String address = page.driver.getCurrentUrl();
      assertTrue(address.contains("request_uri=urn%3Aietf%3Aparams%3Aoauth%3Arequest_uri%3A") && !address.contains("scope="), address);
      assertTrue(page.text("#oidc-client").contains("デモサービス"));
      page.type("#email", "hanako@tsunagu.example");
      page.type("#password", "demo-hanako-2026");
      page.submit("#sign-in");
      assertTrue(page.driver.findElements(By.cssSelector("li[data-item='openid'] input[disabled]")).size() == 1,
          () -> "the sign-in itself is a required item, on " + page.driver.getCurrentUrl() + ":\n" + page.driver.getPageSource());
      assertFalse(page.find("#item-email").isSelected(), "optional items start unticked");
      assertFalse(page.find("#purpose-newsletter").isSelected(), "optional purposes start unticked");
      assertTrue(page.text("#oidc-notice").contains("デモサービス"), page.text("#oidc-notice"));
      page.screenshot("oidc-consent", 1280, 900);
      page.find("#item-profile").click(); // share the name, leave the e-mail address out
      page.submit("#approve");
      page.waitForPath("/demo-rp/");
      assertEquals("島田 花子", page.text("#demo-name"));
      // a pairwise identifier (43 base64url characters of an HMAC), not the account id (a UUID)
      assertTrue(page.text("#demo-sub").matches("[A-Za-z0-9_-]{43}"), page.text("#demo-sub"));
      assertTrue(page.text("#demo-assurance").contains("urn:tsunagu:acr:email-verified"));
      assertTrue(page.driver.findElements(By.id("demo-email")).isEmpty(), "the e-mail address was not shared");

      // My data names the service, what it holds and why, and its read of her data
      page.open("/my-data");
      assertTrue(page.text("tr.consent").contains("デモサービス"), page.text("tr.consent"));
      assertTrue(page.text("tr.consent").contains("表示名と言語"), page.text("tr.consent"));
      assertFalse(page.text("tr.consent").contains("メールアドレス"), "the e-mail address was left out");
      assertTrue(page.text("tr.access").contains("デモサービス"), "the service's read of her data is in the log");
      page.screenshot("my-data-oidc", 1280, 900);
      page.open("/demo-rp/");
      page.submit("#demo-sign-out");
      page.waitForPath("/demo-rp/");
      page.find("#demo-sign-in");
      page.open("/account");
      page.waitForPath("/sign-in");
    }
  }
}
