package jp.tsunagu.platform.content;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import jp.tsunagu.search.facility.Facility;
import jp.tsunagu.search.facility.FacilityType;

/** Facilities in PostgreSQL; all SQL of facilities is here. */
public final class FacilityRepository {
  private final Pool pool;

  public FacilityRepository(Pool pool) {
    this.pool = pool;
  }

  /** Replaces every facility of the municipality (inside the caller's transaction). */
  Future<Void> replace(SqlClient tx, String tenant, List<Facility> facilities) {
    List<Tuple> batch = new ArrayList<>();
    for (Facility f : facilities) {
      batch.add(Tuple.from(new Object[] {tenant, f.id(), f.name(), f.type().code(), f.latitude(), f.longitude(), f.address(),
          f.capacity(), f.minAgeMonths(), f.maxAgeMonths(), f.openingHours(), f.vacancies(), f.district()}));
    }
    return tx.preparedQuery("DELETE FROM facility WHERE tenant_code = $1").execute(Tuple.of(tenant))
        .compose(r -> tx.preparedQuery("INSERT INTO facility (tenant_code, id, name, type, latitude, longitude, address, capacity, "
                + "min_age_months, max_age_months, opening_hours, vacancies, district) "
                + "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)")
            .executeBatch(batch))
        .mapEmpty();
  }

  public Future<List<Facility>> all(String tenant) {
    return pool.preparedQuery("SELECT * FROM facility WHERE tenant_code = $1 ORDER BY id").execute(Tuple.of(tenant))
        .map(FacilityRepository::map);
  }

  /** Every facility of every municipality, for a rebuild. */
  public Future<List<Facility>> everything() {
    return pool.query("SELECT * FROM facility ORDER BY tenant_code, id").execute().map(FacilityRepository::map);
  }

  /**
   * Facilities in one district of a municipality, by name, with the same filters as the distance
   * search: types, a child's age in months (unknown ages accept every age), free places.
   */
  public Future<List<Facility>> inDistrict(String tenant, String district, List<String> types, Integer ageMonths,
                                           boolean withVacancies, int limit) {
    return pool.preparedQuery("SELECT * FROM facility WHERE tenant_code = $1 AND district = $2 "
            + "AND (cardinality($3::text[]) = 0 OR type = ANY($3)) "
            + "AND ($4::int IS NULL OR ((min_age_months IS NULL OR min_age_months <= $4) AND (max_age_months IS NULL OR max_age_months >= $4))) "
            + "AND (NOT $5 OR vacancies > 0) ORDER BY name, id LIMIT $6")
        .execute(Tuple.of(tenant, district, types.toArray(String[]::new), ageMonths, withVacancies, limit))
        .map(FacilityRepository::map);
  }

  private static List<Facility> map(RowSet<Row> rows) {
    List<Facility> out = new ArrayList<>();
    for (Row r : rows) {
      out.add(new Facility(r.getString("tenant_code"), r.getString("id"), r.getString("name"),
          FacilityType.ofCode(r.getString("type")), r.getDouble("latitude"), r.getDouble("longitude"), r.getString("address"),
          r.getInteger("capacity"), r.getInteger("min_age_months"), r.getInteger("max_age_months"),
          r.getString("opening_hours"), r.getInteger("vacancies"), r.getString("district")));
    }
    return out;
  }
}
