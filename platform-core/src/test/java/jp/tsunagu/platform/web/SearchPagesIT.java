package jp.tsunagu.platform.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import jp.tsunagu.api.client.ContentApi;
import jp.tsunagu.platform.content.ContentTesting;
import jp.tsunagu.platform.staff.Role;
import jp.tsunagu.platform.testing.Fixtures;
import jp.tsunagu.platform.testing.Poll;
import jp.tsunagu.platform.testing.TestPlatform;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/** In Chromium: an editor publishes and withdraws a page in the console; a citizen finds it with a suggestion and a facet. */
class SearchPagesIT {
  static final String SHIMADA = Fixtures.SHIMADA;
  static TestPlatform node;
  PageDriver page;

  @BeforeAll
  static void start() throws Exception {
    node = TestPlatform.start();
    new Fixtures(node).tenantWithStaff(SHIMADA, "島田市", "editor@shimada.example", Role.EDITOR);
    ContentApi editor = new ContentApi(ContentTesting.staff(node, "editor@shimada.example"));
    ContentTesting.taxonomy(editor, SHIMADA);
    editor.upsertPage(SHIMADA, ContentTesting.page("https://www.city.shimada.shizuoka.jp/gomi/kosodate-bag.html",
        "子育て世帯へのごみ袋の配布", "<p>子育て中のご家庭に、紙おむつ用のごみ袋を配布します。</p>", "gomi"));
    editor.upsertPage(SHIMADA, ContentTesting.page("https://www.city.shimada.shizuoka.jp/bousai/kosodate-bichiku.html",
        "子育て家庭の防災備蓄（令和6年度）", "<p>子育て中のご家庭向けに、防災備蓄の手引きを配布しました。</p>", "bousai")
        .publishedAt(java.time.OffsetDateTime.parse("2024-04-10T10:00:00+09:00")));
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  @BeforeEach
  void browser() {
    page = new PageDriver(node.baseUrl());
  }

  @AfterEach
  void closeBrowser() {
    page.close();
  }

  @Test
  void editorPublishesCitizenFindsItBySuggestionAndFacetEditorWithdrawsIt() {
    page.open("/staff/sign-in");
    page.type("#email", "editor@shimada.example");
    page.type("#password", Fixtures.PASSWORD);
    page.submit("form.card button[type=submit]");
    page.waitForPath("/staff/t/" + SHIMADA);
    page.find("main a[href$='/pages']").click();
    page.waitForPath("/staff/t/" + SHIMADA + "/pages");
    page.type("#p-title", "子育て支援センターの利用");
    page.type("#p-url", "https://www.city.shimada.shizuoka.jp/kosodate/center.html");
    page.type("#p-body", "<p>子育て支援センターでは、親子で遊べる広場を開いています。</p>");
    new org.openqa.selenium.support.ui.Select(page.find("#p-category")).selectByValue("kosodate");
    page.find("input[name=lifeStages][value=infant]").click();
    page.submit("#publish-submit");
    assertTrue(page.notice().contains("公開しました"), page.notice());
    String editUrl = page.driver.getCurrentUrl();

    page.open("/search");
    page.find("#q").sendKeys("こそだ");
    Poll.until(Duration.ofSeconds(10), "a suggestion for こそだ", () -> page.driver.findElements(By.cssSelector("#q-suggestions option"))
        .stream().anyMatch(o -> "子育て支援センターの利用".equals(o.getAttribute("value"))));
    page.type("#q", "子育て");
    page.submit("form.search-box button[type=submit]");
    List<String> titles = titles();
    assertTrue(titles.containsAll(List.of("子育て支援センターの利用", "子育て世帯へのごみ袋の配布")), titles.toString());
    assertTrue(page.find("li.hit .snippet mark").getText().contains("子育て"));

    WebElement facet = page.find("ul.facet[data-facet=category] a[data-value=kosodate]");
    assertTrue(facet.getText().contains("子育て") && facet.getText().contains("(1)"), facet.getText());
    page.submit("ul.facet[data-facet=category] a[data-value=kosodate]");
    assertEquals(List.of("子育て支援センターの利用"), titles());
    assertEquals("true", page.find("ul.facet[data-facet=category] a[data-value=kosodate]").getAttribute("aria-current"));
    assertTrue(page.text("#hits-h").contains("1件"), page.text("#hits-h"));
    page.screenshot("search-phone", 390, 844);
    page.screenshot("search-desktop", 1280, 900);

    page.driver.get(editUrl);
    page.waitForPage();
    page.submit("#withdraw-submit");
    assertTrue(page.text("#page-state").contains("取り下げ"), page.text("#page-state"));
    Poll.until(Duration.ofSeconds(5), "the withdrawn page leaves the results", () -> {
      page.open("/search?q=" + java.net.URLEncoder.encode("子育て", java.nio.charset.StandardCharsets.UTF_8));
      return !titles().contains("子育て支援センターの利用");
    });
    assertTrue(titles().contains("子育て世帯へのごみ袋の配布"));
  }

  @Test
  void aCitizenNarrowsBySpanOfPublicationDatesAndABadDateIsExplained() {
    page.open("/search");
    page.type("#q", "子育て");
    // The date fields are filled as the browser's date picker fills them: with an ISO value.
    page.driver.executeScript("document.getElementById('from').value = '2024-04-01';"
        + "document.getElementById('to').value = '2024-04-30';");
    page.submit("form.search-box button[type=submit]");
    assertEquals(List.of("子育て家庭の防災備蓄（令和6年度）"), titles());
    // The hit shows the publication day the range selects on, and the later update apart.
    assertEquals("公開 2024-04-10", page.text("li.hit .meta time.published"));
    assertTrue(page.text("li.hit .meta time.updated").startsWith("更新 "), page.text("li.hit .meta"));
    assertEquals("2024-04-01", page.find("#from").getAttribute("value"));
    assertEquals("2024-04-30", page.find("#to").getAttribute("value"));
    page.screenshot("search-date-range", 1280, 900);
    String facetHref = page.find("ul.facet[data-facet=category] a[data-value=bousai]").getAttribute("href");
    assertTrue(facetHref.contains("from=2024-04-01") && facetHref.contains("to=2024-04-30"), "facets keep the range: " + facetHref);

    page.driver.executeScript("document.getElementById('from').value = '';");
    page.submit("form.search-box button[type=submit]");
    assertEquals(List.of("子育て家庭の防災備蓄（令和6年度）"), titles(), "only an end date: everything published until then");

    page.open("/search?q=" + java.net.URLEncoder.encode("子育て", java.nio.charset.StandardCharsets.UTF_8) + "&from=2024-02-30");
    assertTrue(page.error().contains("YYYY-MM-DD"), page.error());
    assertTrue(titles().isEmpty());
    page.open("/search?q=" + java.net.URLEncoder.encode("子育て", java.nio.charset.StandardCharsets.UTF_8)
        + "&from=2024-05-01&to=2024-04-01");
    assertFalse(page.error().isBlank());
  }

  @Test
  void aBadSearchIsExplainedOnThePageAndTheStaffSearchPageShowsTheIndex() {
    page.open("/search?q=" + java.net.URLEncoder.encode("\"保育園", java.nio.charset.StandardCharsets.UTF_8));
    assertFalse(page.error().isBlank());
    page.open("/lang/en?next=/search");
    assertEquals("en", page.lang());
    assertTrue(page.text("h1").contains("Search"));

    page.open("/staff/sign-in");
    page.type("#email", "editor@shimada.example");
    page.type("#password", Fixtures.PASSWORD);
    page.submit("form.card button[type=submit]");
    page.open("/staff/t/" + SHIMADA + "/search");
    assertTrue(page.text("#index-state").contains("1"), page.text("#index-state"));
    assertTrue(page.driver.findElements(By.cssSelector("form[action$='/search/rebuild']")).isEmpty(), "only operators rebuild");

    page.type("#st-dictionary", "粗大ごみ,粗大 ごみ\n");
    page.submit("form[action$='/search/settings'] button[type=submit]");
    assertFalse(page.text("#settings-h + .error").isBlank(), "a bad dictionary line is explained");
    page.type("#st-dictionary", "");
    page.type("#st-synonyms", "ごみ袋,指定袋");
    page.submit("form[action$='/search/settings'] button[type=submit]");
    assertTrue(page.notice().contains("settings are saved"), page.notice());
    Poll.until(Duration.ofSeconds(5), "the synonym finds the page", () -> {
      page.open("/search?q=" + java.net.URLEncoder.encode("指定袋", java.nio.charset.StandardCharsets.UTF_8));
      return titles().contains("子育て世帯へのごみ袋の配布");
    });
  }

  List<String> titles() {
    return page.driver.findElements(By.cssSelector("li.hit h3 a")).stream().map(WebElement::getText).toList();
  }
}
