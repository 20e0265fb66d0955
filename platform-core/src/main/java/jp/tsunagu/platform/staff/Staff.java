package jp.tsunagu.platform.staff;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Set;
import java.util.UUID;

/** A staff account of one municipality, or a platform operator (tenantCode null). */
public record Staff(UUID id, String tenantCode, String email, String displayName, Set<Role> roles, String passwordHash,
                    boolean disabled) {

  /** The platform itself acting (start-up seeding): recorded in the audit log as "system". */
  public static final Staff SYSTEM = new Staff(null, null, "system", "system", Set.of(Role.PLATFORM_OPERATOR), null, false);

  public boolean has(Role role) {
    return roles.contains(role);
  }

  public boolean operator() {
    return roles.contains(Role.PLATFORM_OPERATOR);
  }

  public JsonObject toJson() {
    JsonArray r = new JsonArray();
    roles.stream().map(Role::id).sorted().forEach(r::add);
    return new JsonObject().put("id", id.toString()).put("tenantCode", tenantCode).put("email", email)
        .put("displayName", displayName).put("roles", r).put("disabled", disabled);
  }
}
