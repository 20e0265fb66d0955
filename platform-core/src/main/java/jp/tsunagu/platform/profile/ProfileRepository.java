package jp.tsunagu.platform.profile;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Profiles and subscriptions in PostgreSQL; all their SQL is here. */
public final class ProfileRepository {
  /** Writers of saved searches take this lock so that versions commit in the order they are drawn. */
  public static final long SEARCH_VERSION_LOCK = 0x7473_756e_6167_7540L;

  private final Pool pool;

  public ProfileRepository(Pool pool) {
    this.pool = pool;
  }

  public Pool pool() {
    return pool;
  }

  public Future<Optional<Profile>> find(UUID accountId) {
    return pool.preparedQuery("SELECT * FROM interest_profile WHERE account_id = $1").execute(Tuple.of(accountId))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(Profile.map(rows.iterator().next())));
  }

  Future<Profile> save(SqlClient tx, Profile p) {
    Tuple t = Tuple.of(p.accountId(), p.tenantCode())
        .addArrayOfString(p.interests().toArray(String[]::new))
        .addString(p.homeDistrict()).addString(p.workDistrict())
        .addArrayOfString(p.schoolDistricts().toArray(String[]::new))
        .addLocalDate(p.dueDate())
        .addArrayOfLocalDate(p.childBirthDates().toArray(LocalDate[]::new))
        .addString(p.language())
        .addArrayOfString(p.channels().toArray(String[]::new))
        .addLocalTime(p.quietStart()).addLocalTime(p.quietEnd())
        .addShort(p.frequency().rank());
    return tx.preparedQuery("INSERT INTO interest_profile (account_id, tenant_code, interests, home_district, work_district, "
            + "school_districts, due_date, child_birth_dates, language, channels, quiet_start, quiet_end, frequency) "
            + "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) ON CONFLICT (account_id) DO UPDATE SET "
            + "tenant_code = EXCLUDED.tenant_code, interests = EXCLUDED.interests, home_district = EXCLUDED.home_district, "
            + "work_district = EXCLUDED.work_district, school_districts = EXCLUDED.school_districts, "
            + "due_date = EXCLUDED.due_date, child_birth_dates = EXCLUDED.child_birth_dates, language = EXCLUDED.language, "
            + "channels = EXCLUDED.channels, quiet_start = EXCLUDED.quiet_start, quiet_end = EXCLUDED.quiet_end, "
            + "frequency = EXCLUDED.frequency, updated_at = now() RETURNING *")
        .execute(t).map(rows -> Profile.map(rows.iterator().next()));
  }

  Future<Void> delete(SqlClient tx, UUID accountId) {
    return tx.preparedQuery("DELETE FROM interest_profile WHERE account_id = $1").execute(Tuple.of(accountId)).mapEmpty();
  }

  Future<Boolean> tenantExists(SqlClient tx, String tenant) {
    return tx.preparedQuery("SELECT 1 FROM tenant WHERE code = $1").execute(Tuple.of(tenant)).map(rows -> rows.size() > 0);
  }

  /** Category codes of the list that the municipality's taxonomy lacks. */
  Future<List<String>> unknownCategories(SqlClient tx, String tenant, List<String> codes) {
    return missing(tx, "SELECT c FROM unnest($2::text[]) AS c WHERE NOT EXISTS (SELECT 1 FROM content_taxonomy t "
        + "WHERE t.tenant_code = $1 AND t.kind = 'category' AND t.code = c)", tenant, codes);
  }

  /** District codes of the list that the municipality does not have. */
  Future<List<String>> unknownDistricts(SqlClient tx, String tenant, List<String> codes) {
    return missing(tx, "SELECT c FROM unnest($2::text[]) AS c WHERE NOT EXISTS "
        + "(SELECT 1 FROM district d WHERE d.tenant_code = $1 AND d.code = c)", tenant, codes);
  }

  private static Future<List<String>> missing(SqlClient tx, String sql, String tenant, List<String> codes) {
    if (codes.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    return tx.preparedQuery(sql).execute(Tuple.of(tenant).addArrayOfString(codes.toArray(String[]::new)))
        .map(rows -> {
          List<String> out = new ArrayList<>();
          rows.forEach(r -> out.add(r.getString(0)));
          return out;
        });
  }

  Future<Boolean> pageExists(SqlClient tx, String tenant, UUID pageId) {
    return tx.preparedQuery("SELECT 1 FROM content_page WHERE tenant_code = $1 AND id = $2")
        .execute(Tuple.of(tenant, pageId)).map(rows -> rows.size() > 0);
  }

  public Future<List<Subscription>> subscriptions(UUID accountId) {
    return pool.preparedQuery("SELECT * FROM subscription WHERE account_id = $1 AND deleted_at IS NULL ORDER BY created_at, id")
        .execute(Tuple.of(accountId))
        .map(rows -> {
          List<Subscription> out = new ArrayList<>();
          rows.forEach(r -> out.add(Subscription.map(r)));
          return out;
        });
  }

  Future<Long> countSubscriptions(SqlClient tx, UUID accountId) {
    return tx.preparedQuery("SELECT count(*) FROM subscription WHERE account_id = $1 AND deleted_at IS NULL")
        .execute(Tuple.of(accountId)).map(rows -> rows.iterator().next().getLong(0));
  }

  Future<Subscription> insert(SqlClient tx, Subscription s) {
    JsonObject filters = null;
    if (s.kind() == Subscription.Kind.SEARCH) {
      filters = new JsonObject();
      for (var e : s.searchFilters().entrySet()) {
        filters.put(e.getKey(), new JsonArray(e.getValue()));
      }
    }
    Tuple t = Tuple.of(s.id(), s.accountId(), s.tenantCode(), s.kind().code())
        .addArrayOfString(s.categories().toArray(String[]::new)).addArrayOfString(s.tags().toArray(String[]::new))
        .addBoolean(s.matchAll()).addString(s.searchText()).addValue(filters).addUUID(s.pageId())
        .addShort(s.frequency().rank());
    Future<?> lock = s.kind() == Subscription.Kind.SEARCH ? searchVersionLock(tx) : Future.succeededFuture();
    return lock.compose(v -> tx.preparedQuery("INSERT INTO subscription (id, account_id, tenant_code, kind, categories, tags, "
            + "match_all, search_text, search_filters, page_id, frequency) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) "
            + "RETURNING *").execute(t))
        .map(rows -> Subscription.map(rows.iterator().next()));
  }

  /** Marks a subscription removed (a new version, so every matcher drops a saved search); true if it was there. */
  Future<Boolean> remove(SqlClient tx, UUID accountId, UUID id) {
    return searchVersionLock(tx).compose(v -> tx.preparedQuery("UPDATE subscription SET deleted_at = now(), "
            + "version = nextval('subscription_version') WHERE id = $1 AND account_id = $2 AND deleted_at IS NULL")
        .execute(Tuple.of(id, accountId))).map(rows -> rows.rowCount() > 0);
  }

  private static Future<?> searchVersionLock(SqlClient tx) {
    return tx.preparedQuery("SELECT pg_advisory_xact_lock($1)").execute(Tuple.of(SEARCH_VERSION_LOCK));
  }

  /** Counts for staff: profiles, by channel, and subscriptions by kind (never who). */
  public Future<JsonObject> statistics(String tenant) {
    return pool.preparedQuery("SELECT count(*), count(*) FILTER (WHERE 'email' = ANY(channels)), "
            + "count(*) FILTER (WHERE 'webhook' = ANY(channels)), count(*) FILTER (WHERE 'webpush' = ANY(channels)) "
            + "FROM interest_profile WHERE tenant_code = $1")
        .execute(Tuple.of(tenant))
        .compose(p -> pool.preparedQuery("SELECT kind, count(*) FROM subscription WHERE tenant_code = $1 AND deleted_at IS NULL "
                + "GROUP BY kind").execute(Tuple.of(tenant))
            .map(s -> {
              Row r = p.iterator().next();
              JsonObject kinds = new JsonObject().put("topics", 0L).put("search", 0L).put("page", 0L).put("tenant", 0L);
              s.forEach(k -> kinds.put(k.getString(0), k.getLong(1)));
              return new JsonObject().put("tenantCode", tenant).put("profiles", r.getLong(0))
                  .put("channels", new JsonObject().put("inbox", r.getLong(0)).put("email", r.getLong(1))
                      .put("webhook", r.getLong(2)).put("webpush", r.getLong(3)))
                  .put("subscriptions", kinds);
            }));
  }
}
