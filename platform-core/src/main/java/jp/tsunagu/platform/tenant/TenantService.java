package jp.tsunagu.platform.tenant;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import jp.tsunagu.platform.account.AccountService;
import jp.tsunagu.platform.audit.AuditLog;
import jp.tsunagu.platform.http.ProblemException;

/** Municipalities and their districts. */
public final class TenantService {
  private static final Set<String> KINDS = Set.of("chome", "school");
  private final Pool pool;

  public TenantService(Pool pool) {
    this.pool = pool;
  }

  public Future<Tenant> create(UUID operatorId, Tenant tenant) {
    validate(tenant);
    return pool.withTransaction(tx -> tx.preparedQuery(
                "INSERT INTO tenant (code, name_ja, name_en, prefecture, branding) VALUES ($1, $2, $3, $4, $5)")
            .execute(Tuple.of(tenant.code(), tenant.nameJa(), tenant.nameEn(), tenant.prefecture(),
                tenant.branding() == null ? new JsonObject() : tenant.branding()))
            .compose(r -> AuditLog.record(tx, tenant.code(), operatorId, "tenant.created", "tenant", tenant.code(), tenant.toJson())))
        .recover(err -> AccountService.isUniqueViolation(err)
            ? Future.failedFuture(ProblemException.conflict("tenant-exists", "A municipality with code " + tenant.code() + " exists already"))
            : Future.failedFuture(err))
        .map(tenant);
  }

  public Future<Tenant> update(UUID staffId, Tenant tenant) {
    validate(tenant);
    return pool.withTransaction(tx -> tx.preparedQuery(
                "UPDATE tenant SET name_ja = $2, name_en = $3, prefecture = $4, branding = $5, updated_at = now() WHERE code = $1")
            .execute(Tuple.of(tenant.code(), tenant.nameJa(), tenant.nameEn(), tenant.prefecture(),
                tenant.branding() == null ? new JsonObject() : tenant.branding()))
            .compose(r -> r.rowCount() == 0 ? Future.failedFuture(ProblemException.notFound("Municipality " + tenant.code()))
                : AuditLog.record(tx, tenant.code(), staffId, "tenant.updated", "tenant", tenant.code(), tenant.toJson())))
        .map(tenant);
  }

  public Future<List<Tenant>> list() {
    return pool.query("SELECT * FROM tenant ORDER BY code").execute().map(rows -> {
      List<Tenant> out = new ArrayList<>();
      rows.forEach(r -> out.add(map(r)));
      return out;
    });
  }

  public Future<Optional<Tenant>> find(String code) {
    return pool.preparedQuery("SELECT * FROM tenant WHERE code = $1").execute(Tuple.of(code))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(map(rows.iterator().next())));
  }

  public Future<Tenant> require(String code) {
    return find(code).compose(t -> t.isPresent() ? Future.succeededFuture(t.get())
        : Future.failedFuture(ProblemException.notFound("Municipality " + code)));
  }

  public Future<List<District>> districts(String tenantCode) {
    return pool.preparedQuery("SELECT * FROM district WHERE tenant_code = $1 ORDER BY code").execute(Tuple.of(tenantCode))
        .map(rows -> {
          List<District> out = new ArrayList<>();
          for (Row r : rows) {
            out.add(new District(r.getString("code"), r.getString("kind"), r.getString("name_ja"),
                r.getString("name_kana"), r.getString("name_en")));
          }
          return out;
        });
  }

  /** Adds or replaces districts (by code) in one transaction. */
  public Future<Integer> upsertDistricts(UUID staffId, String tenantCode, List<District> districts) {
    districts.forEach(TenantService::validate);
    return pool.withTransaction(tx -> upsertAll(tx, tenantCode, districts)
        .compose(v -> AuditLog.record(tx, tenantCode, staffId, "districts.imported", "tenant", tenantCode,
            new JsonObject().put("count", districts.size()))))
        .map(districts.size());
  }

  /** Parses a district CSV (code,kind,name_ja[,name_kana,name_en]) and imports it whole or not at all. */
  public Future<Integer> importDistrictCsv(UUID staffId, String tenantCode, String csv) {
    List<District> rows = CsvImport.parse(csv, Set.of("code", "kind", "name_ja"), row -> {
      District d = new District(CsvImport.required(row, "code", 40), CsvImport.required(row, "kind", 10),
          CsvImport.required(row, "name_ja", 100), row.getOrDefault("name_kana", ""), row.getOrDefault("name_en", ""));
      try {
        validate(d);
      } catch (ProblemException e) {
        throw new CsvImport.RowError(e.detail());
      }
      return d;
    });
    return upsertDistricts(staffId, tenantCode, rows);
  }

  private static Future<Void> upsertAll(SqlClient tx, String tenantCode, List<District> districts) {
    List<Tuple> batch = new ArrayList<>();
    for (District d : districts) {
      batch.add(Tuple.of(tenantCode, d.code(), d.kind(), d.nameJa(), nz(d.nameKana()), nz(d.nameEn())));
    }
    return tx.preparedQuery("INSERT INTO district (tenant_code, code, kind, name_ja, name_kana, name_en) VALUES ($1, $2, $3, $4, $5, $6) "
            + "ON CONFLICT (tenant_code, code) DO UPDATE SET kind = EXCLUDED.kind, name_ja = EXCLUDED.name_ja, "
            + "name_kana = EXCLUDED.name_kana, name_en = EXCLUDED.name_en")
        .executeBatch(batch).mapEmpty();
  }

  static void validate(Tenant t) {
    if (!CheckDigit.valid(t.code())) {
      throw ProblemException.badRequest("invalid-tenant-code", "'" + t.code() + "' is not a valid 6-digit local government code (check digit)");
    }
    if (blank(t.nameJa()) || blank(t.nameEn()) || blank(t.prefecture())) {
      throw ProblemException.badRequest("invalid-tenant", "nameJa, nameEn and prefecture are required");
    }
  }

  static void validate(District d) {
    if (d.code() == null || !d.code().matches("[A-Za-z0-9_-]{1,40}")) {
      throw ProblemException.badRequest("invalid-district", "district code must be 1-40 letters, digits, '-' or '_'");
    }
    if (!KINDS.contains(d.kind())) {
      throw ProblemException.badRequest("invalid-district", "district kind must be chome or school");
    }
    if (blank(d.nameJa()) || d.nameJa().length() > 100) {
      throw ProblemException.badRequest("invalid-district", "district nameJa must be 1-100 characters");
    }
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }

  private static String nz(String s) {
    return s == null ? "" : s;
  }

  private static Tenant map(Row r) {
    return new Tenant(r.getString("code"), r.getString("name_ja"), r.getString("name_en"), r.getString("prefecture"),
        (JsonObject) r.getValue("branding"));
  }
}
