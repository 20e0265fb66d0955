package jp.tsunagu.platform.consentlink;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Consent records of a municipality counted per service and state: counts only, never a citizen. */
public final class ConsentStatistics {
  private ConsentStatistics() {}

  /** One service's counts by state ({@code given}, {@code refused}, {@code withdrawn}, {@code expired}, {@code superseded}). */
  public record ServiceCounts(String serviceId, Map<String, Long> states) {
    public long count(String state) {
      return states.getOrDefault(state, 0L);
    }
  }

  public static Future<List<ServiceCounts>> byService(Pool pool, String tenantCode) {
    return pool.preparedQuery("SELECT service_id, state, count(*) FROM consent.consent_record WHERE tenant_id = $1 "
            + "GROUP BY service_id, state ORDER BY service_id, state").execute(Tuple.of(tenantCode))
        .map(rows -> {
          Map<String, Map<String, Long>> services = new LinkedHashMap<>();
          for (Row r : rows) {
            services.computeIfAbsent(r.getString(0), k -> new LinkedHashMap<>()).put(r.getString(1).toLowerCase(Locale.ROOT), r.getLong(2));
          }
          List<ServiceCounts> out = new ArrayList<>();
          services.forEach((id, states) -> out.add(new ServiceCounts(id, states)));
          return out;
        });
  }
}
