package jp.tsunagu.platform.sitesearch;

import static jp.tsunagu.platform.http.Api.body;
import static jp.tsunagu.platform.http.Api.path;
import static jp.tsunagu.platform.http.Api.respond;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import jp.tsunagu.platform.content.ContentAccess;

/** HTTP adapter of a municipality's search settings; one method per operationId. */
public final class SearchSettingsHandlers {
  private final SearchSettingsService settings;
  private final ContentAccess access;

  public SearchSettingsHandlers(SearchSettingsService settings, ContentAccess access) {
    this.settings = settings;
    this.access = access;
  }

  public void getSearchSettings(RoutingContext ctx) {
    String tenant = path(ctx, "tenantCode");
    respond(ctx, 200, access.editor(ctx, tenant).compose(a -> settings.get(tenant))
        .map(s -> s.toJson().put("rebuildRequested", false)));
  }

  public void saveSearchSettings(RoutingContext ctx) {
    String tenant = path(ctx, "tenantCode");
    JsonObject b = body(ctx);
    SearchSettings next = new SearchSettings(tenant, b.getString("userDictionary", ""), b.getString("synonyms", ""),
        SearchSettings.bestBets(b.getJsonArray("bestBets")));
    respond(ctx, 200, access.editor(ctx, tenant).compose(a -> settings.save(a, next)));
  }
}
