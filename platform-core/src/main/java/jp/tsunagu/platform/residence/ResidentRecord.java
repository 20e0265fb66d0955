package jp.tsunagu.platform.residence;

import io.vertx.core.json.JsonObject;
import java.time.LocalDate;
import java.util.UUID;

/** A person in the municipality's resident records (住民記録), as imported by a clerk. */
public record ResidentRecord(UUID id, String tenantCode, String familyName, String givenName, String familyKana,
                             String givenKana, LocalDate birthDate, String districtCode, String householdId) {
  public JsonObject toJson() {
    return new JsonObject().put("id", id.toString()).put("tenantCode", tenantCode).put("familyName", familyName)
        .put("givenName", givenName).put("familyKana", familyKana).put("givenKana", givenKana)
        .put("birthDate", birthDate.toString()).put("districtCode", districtCode).put("householdId", householdId);
  }

  public String fullName() {
    return familyName + " " + givenName;
  }
}
