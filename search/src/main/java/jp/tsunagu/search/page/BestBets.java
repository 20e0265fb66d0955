package jp.tsunagu.search.page;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import jp.tsunagu.search.TenantCode;

/**
 * Per-tenant best bets: a query, folded (NFKC, lower case, single spaces), mapped to the ids of
 * pages pinned above the results. The platform loads them from PostgreSQL and replaces a tenant's
 * set whenever staff edit it. Thread-safe.
 */
public final class BestBets {

  private final Map<String, Map<String, List<String>>> byTenant = new ConcurrentHashMap<>();

  /** Replaces every best bet of the tenant. */
  public void replace(String tenant, Map<String, List<String>> queryToPageIds) {
    TenantCode.require(tenant);
    Map<String, List<String>> folded = new ConcurrentHashMap<>();
    queryToPageIds.forEach((q, ids) -> folded.put(fold(q), List.copyOf(ids)));
    byTenant.put(tenant, folded);
  }

  /** Page keys ({@code tenant/id}) pinned for the typed text in any of the tenants, in order. */
  Set<String> pinnedKeys(Set<String> tenants, String typed) {
    if (typed == null || typed.isBlank()) {
      return Set.of();
    }
    String key = fold(typed);
    Set<String> keys = new LinkedHashSet<>();
    for (String tenant : tenants) {
      List<String> ids = byTenant.getOrDefault(tenant, Map.of()).getOrDefault(key, List.of());
      for (String id : ids) {
        keys.add(tenant + "/" + id);
      }
    }
    return keys;
  }

  static String fold(String text) {
    String n = Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT).strip();
    return String.join(" ", new ArrayList<>(List.of(n.split("\\s+"))));
  }
}
