package jp.tsunagu.search.page;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jp.tsunagu.search.InvalidSearchRequestException;
import jp.tsunagu.search.InvalidSearchRequestException.Reason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Requests that must be refused with a typed, readable error before touching the index. */
class BadRequestTest {

  static InvalidSearchRequestException refused(PageQuery.Builder builder) {
    return assertThrows(InvalidSearchRequestException.class, builder::build);
  }

  @ParameterizedTest
  @ValueSource(strings = {"\"保育園", "保育園\"の", "OR 保育園", "保育園 OR", "保育園 OR OR 幼稚園", "-", "-保育園",
      "\"\"", "保育園 OR -幼稚園"})
  void syntaxErrors(String text) {
    InvalidSearchRequestException e = refused(PageQuery.builder("131016").text(text));
    assertEquals(Reason.QUERY_SYNTAX, e.reason());
    assertTrue(e.getMessage().length() > 5);
  }

  @Test
  void hugeQueries() {
    assertEquals(Reason.QUERY_TOO_LONG, refused(PageQuery.builder("131016").text("保育園".repeat(1_000))).reason());
    assertEquals(Reason.QUERY_TOO_LONG, refused(PageQuery.builder("131016").text("あ ".repeat(17))).reason());
  }

  @Test
  void absurdPaging() {
    assertEquals(Reason.PAGE_SIZE, refused(PageQuery.builder("131016").page(0, 10_000)).reason());
    assertEquals(Reason.PAGE_SIZE, refused(PageQuery.builder("131016").page(0, 0)).reason());
    assertEquals(Reason.OFFSET, refused(PageQuery.builder("131016").page(-1, 10)).reason());
    assertEquals(Reason.OFFSET, refused(PageQuery.builder("131016").page(9_995, 10)).reason());
  }

  @Test
  void unknownFacetsAndFilters() {
    InvalidSearchRequestException e = refused(PageQuery.builder("131016").facets("category", "colour"));
    assertEquals(Reason.UNKNOWN_FACET, e.reason());
    assertTrue(e.getMessage().contains("colour") && e.getMessage().contains("department"), e.getMessage());
    assertEquals(Reason.UNKNOWN_FACET, refused(PageQuery.builder("131016").filter("tenant", "011002")).reason());
    assertEquals(Reason.BAD_ARGUMENT, refused(PageQuery.builder("131016").filter("published", "yesterday")).reason());
  }

  @Test
  void aDateRangeThatEndsBeforeOrWhereItStarts() {
    java.time.Instant day = java.time.Instant.parse("2024-04-01T00:00:00Z");
    assertEquals(Reason.DATE_RANGE, refused(PageQuery.builder("131016").publishedBetween(day, day.minusMillis(1))).reason());
    assertEquals(Reason.DATE_RANGE, refused(PageQuery.builder("131016").publishedBetween(day, day)).reason());
    assertEquals(day, PageQuery.builder("131016").publishedBetween(day, null).build().publishedFrom());
  }

  @Test
  void badTenants() {
    assertEquals(Reason.BAD_ARGUMENT, refused(PageQuery.builder()).reason());
    assertEquals(Reason.BAD_ARGUMENT, refused(PageQuery.builder("131017")).reason());
    assertEquals(Reason.BAD_ARGUMENT, refused(PageQuery.builder("13101")).reason());
  }

  @Test
  void luceneSyntaxIsPlainTextNotAnError() {
    UserQuery q = UserQuery.parse("tenant:011002 AND (保育園) *");
    assertEquals(4, q.groups().size());
  }

  @Test
  void fullWidthSyntaxIsFolded() {
    UserQuery q = UserQuery.parse("保育園　－幼稚園　＂入園 申し込み＂");
    assertEquals(2, q.groups().size());
    assertEquals(new UserQuery.Clause("入園 申し込み", true), q.groups().get(1).getFirst());
    assertEquals("幼稚園", q.excluded().getFirst().text());
  }
}
