package jp.tsunagu.platform.content;

import java.util.List;
import jp.tsunagu.api.client.ContentApi;
import jp.tsunagu.api.client.StaffApi;
import jp.tsunagu.api.invoker.ApiClient;
import jp.tsunagu.api.invoker.ApiException;
import io.vertx.core.json.JsonObject;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import jp.tsunagu.api.model.PageInput;
import jp.tsunagu.api.model.SearchResults;
import jp.tsunagu.api.model.SignInRequest;
import jp.tsunagu.api.model.TaxonomyTermInput;
import jp.tsunagu.platform.testing.Fixtures;
import jp.tsunagu.platform.testing.TestPlatform;

/** Shared moves of the content tests: signed-in clients, a taxonomy, pages, searches. */
public final class ContentTesting {
  private ContentTesting() {}

  public static ApiClient staff(TestPlatform node, String email) throws ApiException {
    ApiClient client = node.client();
    new StaffApi(client).staffSignIn(new SignInRequest().email(email).password(Fixtures.PASSWORD));
    return client;
  }

  /** Categories kosodate (子育て), bousai (防災), gomi (ごみ) and the department kodomo (こども課). */
  public static void taxonomy(ContentApi editor, String tenant) throws ApiException {
    editor.saveTaxonomyTerm(tenant, "category", "kosodate", new TaxonomyTermInput().nameJa("子育て").nameEn("Child raising").position(1));
    editor.saveTaxonomyTerm(tenant, "category", "bousai", new TaxonomyTermInput().nameJa("防災").nameEn("Disaster preparedness").position(2));
    editor.saveTaxonomyTerm(tenant, "category", "gomi", new TaxonomyTermInput().nameJa("ごみ").nameEn("Waste").position(3));
    editor.saveTaxonomyTerm(tenant, "department", "kodomo", new TaxonomyTermInput().nameJa("こども課").nameEn("Children's Division"));
  }

  public static PageInput page(String url, String title, String bodyHtml, String category) {
    return new PageInput().url(url).title(title).bodyHtml(bodyHtml).category(category).summary("");
  }

  /** Searches one municipality for the text, without filters, counting the category facet. */
  public static SearchResults search(ContentApi api, String tenant, String q) throws ApiException {
    return api.searchPages(q, tenant == null ? null : List.of(tenant), null, null, null, null, null, null, null,
        List.of("category"), 0, 10, null, null);
  }

  public static boolean finds(ContentApi api, String tenant, String q, String url) throws ApiException {
    return search(api, tenant, q).getHits().stream().anyMatch(h -> h.getUrl().equals(url));
  }

  /** A call that may throw. */
  public interface Call {
    void run() throws Exception;
  }

  /** Asserts the call fails with an RFC 9457 problem of the status and type, without internals. */
  public static void assertProblem(int status, String type, Call call) {
    ApiException e = assertThrows(ApiException.class, call::run);
    assertEquals(status, e.getCode(), e.getResponseBody());
    assertEquals("/problems/" + type, new JsonObject(e.getResponseBody()).getString("type"), e.getResponseBody());
    assertFalse(e.getResponseBody().contains("Exception"), "no internals: " + e.getResponseBody());
  }
}
