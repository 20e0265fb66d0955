package jp.tsunagu.platform.profile;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * A citizen's interest profile in one municipality: interests (category codes of its taxonomy),
 * districts (home, work, children's schools), children's birth dates or a due date, language,
 * channels, quiet hours (JST) and how often profile matches are delivered.
 */
public record Profile(
    UUID accountId,
    String tenantCode,
    List<String> interests,
    String homeDistrict,
    String workDistrict,
    List<String> schoolDistricts,
    LocalDate dueDate,
    List<LocalDate> childBirthDates,
    String language,
    List<String> channels,
    LocalTime quietStart,
    LocalTime quietEnd,
    Frequency frequency,
    OffsetDateTime updatedAt) {

  /** Every district code the profile names. */
  public List<String> districts() {
    List<String> out = new ArrayList<>();
    if (homeDistrict != null) {
      out.add(homeDistrict);
    }
    if (workDistrict != null) {
      out.add(workDistrict);
    }
    out.addAll(schoolDistricts);
    return out.stream().distinct().toList();
  }

  public JsonObject toJson(LocalDate today) {
    JsonArray births = new JsonArray();
    childBirthDates.forEach(d -> births.add(d.toString()));
    JsonObject json = new JsonObject().put("tenantCode", tenantCode).put("interests", new JsonArray(interests))
        .put("homeDistrict", homeDistrict).put("workDistrict", workDistrict)
        .put("schoolDistricts", new JsonArray(schoolDistricts))
        .put("dueDate", dueDate == null ? null : dueDate.toString()).put("childBirthDates", births)
        .put("lifeStages", new JsonArray(LifeStages.on(today, dueDate, childBirthDates)))
        .put("language", language).put("channels", new JsonArray(channels)).put("frequency", frequency.apiName())
        .put("updatedAt", updatedAt == null ? null : updatedAt.toString());
    json.put("quietHours", quietStart == null ? null
        : new JsonObject().put("start", hhmm(quietStart)).put("end", hhmm(quietEnd)));
    return json;
  }

  private static String hhmm(LocalTime t) {
    return String.format("%02d:%02d", t.getHour(), t.getMinute());
  }

  static Profile map(Row r) {
    LocalDate[] births = r.getArrayOfLocalDates("child_birth_dates");
    return new Profile(r.getUUID("account_id"), r.getString("tenant_code"), List.of(r.getArrayOfStrings("interests")),
        r.getString("home_district"), r.getString("work_district"), List.of(r.getArrayOfStrings("school_districts")),
        r.getLocalDate("due_date"), births == null ? List.of() : Arrays.asList(births), r.getString("language"),
        List.of(r.getArrayOfStrings("channels")), r.getLocalTime("quiet_start"), r.getLocalTime("quiet_end"),
        Frequency.ofRank(r.getShort("frequency")), r.getOffsetDateTime("updated_at"));
  }
}
