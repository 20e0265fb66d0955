package jp.tsunagu.search.alert;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import jp.tsunagu.search.TenantCode;

/**
 * A citizen's saved search: the words they typed and the facet filters they chose, in one
 * tenant. New pages matching it are to be pushed to them.
 *
 * @param id the subscription id (unique across tenants)
 * @param text query text in the citizen query language ({@code UserQuery}); may be blank
 * @param filters facet API name to accepted values, as for page searches (not "published")
 */
public record SavedSearch(String id, String tenant, String text, Map<String, List<String>> filters) {

  public SavedSearch {
    Objects.requireNonNull(id, "id");
    TenantCode.require(tenant);
    text = Objects.requireNonNullElse(text, "");
    filters = Map.copyOf(Objects.requireNonNullElse(filters, Map.of()));
  }
}
