package jp.tsunagu.platform.residence;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import jp.tsunagu.platform.account.AccountCache;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.Period;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import jp.tsunagu.platform.audit.AuditLog;
import jp.tsunagu.platform.http.ProblemException;
import jp.tsunagu.platform.ratelimit.RateLimiter;
import jp.tsunagu.platform.ratelimit.RateLimiter.Limit;
import jp.tsunagu.platform.security.Tokens;
import jp.tsunagu.platform.staff.Staff;
import jp.tsunagu.platform.tenant.CsvImport;
import jp.tsunagu.platform.tenant.Tenant;

/**
 * Residence verification (住民照合): clerks import resident records and issue one-time codes bound
 * to a record; a citizen who enters a valid code becomes resident-verified for that municipality.
 */
public final class ResidenceService {
  public static final Set<String> CSV_COLUMNS =
      Set.of("family_name", "given_name", "family_kana", "given_kana", "birth_date", "district", "household");
  private static final int ADULT_AGE = 18;

  private final Pool pool;
  private final RateLimiter limiter;
  private final Limit codePerAccount;
  private final Limit codePerAddress;
  private final int codeTtlDays;
  private final String publicUrl;
  private final Clock clock;
  /** A verified residence changes what every node's cached account says. */
  private final AccountCache accountCache;

  public ResidenceService(Pool pool, AccountCache accountCache, RateLimiter limiter, int attemptsPerHour, int codeTtlDays,
                          String publicUrl, Clock clock) {
    this.pool = pool;
    this.accountCache = accountCache;
    this.limiter = limiter;
    this.codePerAccount = new Limit("residence-code-account", attemptsPerHour, 3600);
    this.codePerAddress = new Limit("residence-code-ip", attemptsPerHour * 4, 3600);
    this.codeTtlDays = codeTtlDays;
    this.publicUrl = publicUrl;
    this.clock = clock;
  }

  /** The verified residence of an account. */
  public record Residence(String tenantCode, String tenantNameJa, String tenantNameEn, UUID recordId,
                          String districtCode, OffsetDateTime verifiedAt) {
    public JsonObject toJson() {
      return new JsonObject().put("tenantCode", tenantCode).put("tenantNameJa", tenantNameJa).put("tenantNameEn", tenantNameEn)
          .put("districtCode", districtCode).put("verifiedAt", verifiedAt.toString());
    }
  }

  /** A code just issued, with the letter to print. */
  public record IssuedCode(UUID id, String code, LocalDate expiresOn, String letter) {}

  public Future<ResidentRecord> addRecord(Staff clerk, ResidentRecord draft) {
    ResidentRecord record = validate(draft);
    return pool.withTransaction(tx -> checkDistricts(tx, record.tenantCode(), List.of(record))
        .compose(v -> insertAll(tx, List.of(record)))
        .compose(v -> AuditLog.record(tx, record.tenantCode(), clerk.id(), "resident_record.created", "resident_record",
            record.id().toString(), new JsonObject().put("household", record.householdId()))))
        .map(record);
  }

  /** Imports a resident CSV whole or not at all. */
  public Future<Integer> importCsv(Staff clerk, String tenantCode, String csv) {
    List<ResidentRecord> records = CsvImport.parse(csv, CSV_COLUMNS, row -> {
      LocalDate birth;
      try {
        birth = LocalDate.parse(CsvImport.required(row, "birth_date", 10));
      } catch (DateTimeParseException e) {
        throw new CsvImport.RowError("birth_date is not a date (YYYY-MM-DD)");
      }
      ResidentRecord r = new ResidentRecord(UUID.randomUUID(), tenantCode,
          CsvImport.required(row, "family_name", 100), CsvImport.required(row, "given_name", 100),
          CsvImport.required(row, "family_kana", 100), CsvImport.required(row, "given_kana", 100),
          birth, CsvImport.required(row, "district", 40), CsvImport.required(row, "household", 60));
      try {
        return validate(r);
      } catch (ProblemException e) {
        throw new CsvImport.RowError(e.detail());
      }
    });
    return pool.withTransaction(tx -> checkDistricts(tx, tenantCode, records)
        .compose(v -> insertAll(tx, records))
        .compose(v -> AuditLog.record(tx, tenantCode, clerk.id(), "resident_records.imported", "tenant", tenantCode,
            new JsonObject().put("count", records.size()))))
        .map(records.size());
  }

  public Future<List<ResidentRecord>> search(String tenantCode, String query, int limit) {
    String q = query == null ? "" : query.strip();
    return pool.preparedQuery("SELECT * FROM resident_record WHERE tenant_code = $1 AND ($2 = '' OR "
            + "family_name || given_name LIKE '%' || $2 || '%' OR family_kana || given_kana LIKE '%' || $2 || '%' OR household_id = $2) "
            + "ORDER BY family_kana, given_kana LIMIT $3")
        .execute(Tuple.of(tenantCode, Kana.normalise(q).replace(" ", "").replace("　", ""), limit))
        .map(ResidenceService::records);
  }

  public Future<ResidentRecord> record(String tenantCode, UUID id) {
    return pool.preparedQuery("SELECT * FROM resident_record WHERE tenant_code = $1 AND id = $2").execute(Tuple.of(tenantCode, id))
        .compose(rows -> rows.size() == 0 ? Future.failedFuture(ProblemException.notFound("Resident record " + id))
            : Future.succeededFuture(records(rows).get(0)));
  }

  /** Issues a one-time code for a record; earlier unused codes of the record stop working. */
  public Future<IssuedCode> issueCode(Staff clerk, Tenant tenant, UUID recordId) {
    String code = Tokens.residenceCode();
    LocalDate expires = LocalDate.now(clock).plusDays(codeTtlDays);
    OffsetDateTime expiresAt = expires.plusDays(1).atStartOfDay().atOffset(ZoneOffset.ofHours(9));
    UUID id = UUID.randomUUID();
    return record(tenant.code(), recordId).compose(record -> pool.withTransaction(tx -> tx.preparedQuery(
                "UPDATE residence_code SET revoked_at = now() WHERE record_id = $1 AND used_at IS NULL AND revoked_at IS NULL")
            .execute(Tuple.of(recordId))
            .compose(r -> tx.preparedQuery("INSERT INTO residence_code (id, tenant_code, record_id, code_hash, issued_by, expires_at) "
                    + "VALUES ($1, $2, $3, $4, $5, $6)")
                .execute(Tuple.of(id, tenant.code(), recordId, io.vertx.core.buffer.Buffer.buffer(Tokens.sha256(Tokens.normaliseCode(code))),
                    clerk.id(), expiresAt)))
            .compose(r -> AuditLog.record(tx, tenant.code(), clerk.id(), "residence_code.issued", "resident_record",
                recordId.toString(), new JsonObject().put("codeId", id.toString()).put("expiresOn", expires.toString()))))
        .map(v -> new IssuedCode(id, code, expires, ResidenceLetter.text(tenant.nameJa(), record, code, expires, publicUrl))));
  }

  /**
   * Verifies residence with a code: single use, unexpired, rate-limited per account and address.
   * A citizen is resident of one municipality at a time: a verified code for another municipality
   * ends the previous residence (a move).
   */
  public Future<Residence> verify(UUID accountId, String typedCode, String clientAddress) {
    String normalised = Tokens.normaliseCode(typedCode == null ? "" : typedCode);
    byte[] hash = Tokens.sha256(normalised);
    return limiter.hit(codePerAccount, accountId.toString())
        .compose(v -> limiter.hit(codePerAddress, clientAddress))
        .compose(v -> pool.withTransaction(tx -> tx.preparedQuery(
                "SELECT id, tenant_code, record_id, expires_at, used_at, revoked_at FROM residence_code WHERE code_hash = $1 FOR UPDATE")
            .execute(Tuple.of(io.vertx.core.buffer.Buffer.buffer(hash)))
            .compose(rows -> {
              if (rows.size() == 0 || normalised.length() != 12) {
                return Future.failedFuture(ProblemException.badRequest("invalid-code", "This code is not valid"));
              }
              Row row = rows.iterator().next();
              if (row.getOffsetDateTime("used_at") != null) {
                return Future.failedFuture(ProblemException.gone("code-used", "This code has been used already"));
              }
              if (row.getOffsetDateTime("revoked_at") != null) {
                return Future.failedFuture(ProblemException.gone("code-revoked", "This code was replaced by a newer one"));
              }
              if (row.getOffsetDateTime("expires_at").isBefore(OffsetDateTime.now(clock))) {
                return Future.failedFuture(ProblemException.gone("code-expired", "This code has expired; ask the municipality for a new one"));
              }
              return link(tx, accountId, row.getUUID("id"), row.getString("tenant_code"), row.getUUID("record_id"));
            })))
        .compose(v -> accountCache.invalidate(accountId))
        .compose(v -> current(accountId).map(Optional::orElseThrow));
  }

  private Future<Void> link(SqlClient tx, UUID accountId, UUID codeId, String tenantCode, UUID recordId) {
    return tx.preparedQuery("SELECT account_id FROM residence WHERE record_id = $1 AND ended_at IS NULL").execute(Tuple.of(recordId))
        .compose(rows -> rows.size() > 0 && !accountId.equals(rows.iterator().next().getUUID(0))
            ? Future.failedFuture(ProblemException.conflict("record-linked", "This resident record is linked to another account"))
            : Future.succeededFuture())
        .compose(v -> tx.preparedQuery("UPDATE residence_code SET used_at = now(), used_by = $2 WHERE id = $1").execute(Tuple.of(codeId, accountId)))
        .compose(v -> tx.preparedQuery("UPDATE residence SET ended_at = now() WHERE account_id = $1 AND ended_at IS NULL").execute(Tuple.of(accountId)))
        .compose(v -> tx.preparedQuery("INSERT INTO residence (id, account_id, tenant_code, record_id) VALUES ($1, $2, $3, $4)")
            .execute(Tuple.of(UUID.randomUUID(), accountId, tenantCode, recordId)))
        .compose(v -> tx.preparedQuery("INSERT INTO audit_log (tenant_code, actor_id, actor_kind, action, target_type, target_id) "
            + "VALUES ($1, $2, 'citizen', 'residence.verified', 'resident_record', $3)").execute(Tuple.of(tenantCode, accountId, recordId.toString())))
        .mapEmpty();
  }

  public Future<Optional<Residence>> current(UUID accountId) {
    return pool.preparedQuery("SELECT r.tenant_code, t.name_ja, t.name_en, r.record_id, rr.district_code, r.verified_at "
            + "FROM residence r JOIN tenant t ON t.code = r.tenant_code JOIN resident_record rr ON rr.id = r.record_id "
            + "WHERE r.account_id = $1 AND r.ended_at IS NULL")
        .execute(Tuple.of(accountId))
        .map(rows -> {
          if (rows.size() == 0) {
            return Optional.empty();
          }
          Row r = rows.iterator().next();
          return Optional.of(new Residence(r.getString(0), r.getString(1), r.getString(2), r.getUUID(3), r.getString(4),
              r.getOffsetDateTime(5)));
        });
  }

  /** A child in the citizen's household and whether the citizen has claimed guardianship. */
  public record HouseholdChild(ResidentRecord record, boolean claimed) {
    public JsonObject toJson() {
      return new JsonObject().put("recordId", record.id().toString()).put("familyName", record.familyName())
          .put("givenName", record.givenName()).put("familyKana", record.familyKana()).put("givenKana", record.givenKana())
          .put("birthDate", record.birthDate().toString()).put("claimed", claimed);
    }
  }

  /** Children under 18 recorded in the verified citizen's household. */
  public Future<List<HouseholdChild>> household(UUID accountId) {
    LocalDate adultBorn = LocalDate.now(clock).minus(Period.ofYears(ADULT_AGE));
    return requireResidence(accountId).compose(res -> pool.preparedQuery(
            "SELECT c.*, g.guardian_id IS NOT NULL AS claimed FROM resident_record me "
                + "JOIN resident_record c ON c.tenant_code = me.tenant_code AND c.household_id = me.household_id AND c.id <> me.id "
                + "LEFT JOIN guardianship g ON g.child_record_id = c.id AND g.guardian_id = $2 "
                + "WHERE me.id = $1 AND c.birth_date > $3 ORDER BY c.birth_date")
        .execute(Tuple.of(res.recordId(), accountId, adultBorn))
        .map(rows -> {
          List<HouseholdChild> out = new ArrayList<>();
          for (Row r : rows) {
            out.add(new HouseholdChild(record(r), r.getBoolean("claimed")));
          }
          return out;
        }));
  }

  /** Claims a child of the household as the citizen's dependant (guardianship); claiming twice is fine. */
  public Future<Void> claimDependant(UUID accountId, UUID childRecordId) {
    return household(accountId).compose(children -> {
      if (children.stream().noneMatch(c -> c.record().id().equals(childRecordId))) {
        return Future.failedFuture(ProblemException.notFound("Child " + childRecordId + " in your household"));
      }
      return pool.withTransaction(tx -> tx.preparedQuery(
              "INSERT INTO guardianship (guardian_id, child_record_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
          .execute(Tuple.of(accountId, childRecordId))
          .compose(r -> current(accountId))
          .compose(res -> tx.preparedQuery("INSERT INTO audit_log (tenant_code, actor_id, actor_kind, action, target_type, target_id) "
                  + "VALUES ($1, $2, 'citizen', 'guardianship.claimed', 'resident_record', $3)")
              .execute(Tuple.of(res.map(Residence::tenantCode).orElse(null), accountId, childRecordId.toString())))
          .mapEmpty());
    });
  }

  private Future<Residence> requireResidence(UUID accountId) {
    return current(accountId).compose(r -> r.isPresent() ? Future.succeededFuture(r.get())
        : Future.failedFuture(ProblemException.forbidden("Verify your residence first")));
  }

  private static Future<Void> checkDistricts(SqlClient tx, String tenantCode, List<ResidentRecord> records) {
    return tx.preparedQuery("SELECT code FROM district WHERE tenant_code = $1").execute(Tuple.of(tenantCode)).compose(rows -> {
      Set<String> known = new java.util.HashSet<>();
      rows.forEach(r -> known.add(r.getString(0)));
      List<String> unknown = records.stream().map(ResidentRecord::districtCode).filter(d -> !known.contains(d)).distinct().toList();
      return unknown.isEmpty() ? Future.succeededFuture()
          : Future.failedFuture(ProblemException.unprocessable("unknown-district", "Unknown district code(s): "
              + String.join(", ", unknown.subList(0, Math.min(10, unknown.size())))));
    });
  }

  private static Future<Void> insertAll(SqlClient tx, List<ResidentRecord> records) {
    List<Tuple> batch = new ArrayList<>();
    for (ResidentRecord r : records) {
      batch.add(Tuple.of(r.id(), r.tenantCode(), r.familyName(), r.givenName(), r.familyKana(), r.givenKana())
          .addLocalDate(r.birthDate()).addString(r.districtCode()).addString(r.householdId()));
    }
    return tx.preparedQuery("INSERT INTO resident_record (id, tenant_code, family_name, given_name, family_kana, given_kana, "
        + "birth_date, district_code, household_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)").executeBatch(batch).mapEmpty();
  }

  private ResidentRecord validate(ResidentRecord draft) {
    ResidentRecord r = new ResidentRecord(draft.id(), draft.tenantCode(), draft.familyName().strip(), draft.givenName().strip(),
        Kana.normalise(draft.familyKana()), Kana.normalise(draft.givenKana()), draft.birthDate(), draft.districtCode(),
        draft.householdId().strip());
    if (r.birthDate().isAfter(LocalDate.now(clock)) || r.birthDate().isBefore(LocalDate.of(1880, 1, 1))) {
      throw ProblemException.badRequest("invalid-birth-date", "birth_date " + r.birthDate() + " is impossible");
    }
    if (!r.familyKana().concat(r.givenKana()).matches("[\\p{InHiragana}\\p{InKatakana}ー・\\s　]+")) {
      throw ProblemException.badRequest("invalid-kana", "kana must be written in hiragana or katakana");
    }
    return r;
  }

  private static List<ResidentRecord> records(io.vertx.sqlclient.RowSet<Row> rows) {
    List<ResidentRecord> out = new ArrayList<>();
    rows.forEach(r -> out.add(record(r)));
    return out;
  }

  private static ResidentRecord record(Row r) {
    return new ResidentRecord(r.getUUID("id"), r.getString("tenant_code"), r.getString("family_name"), r.getString("given_name"),
        r.getString("family_kana"), r.getString("given_kana"), r.getLocalDate("birth_date"), r.getString("district_code"),
        r.getString("household_id"));
  }
}
