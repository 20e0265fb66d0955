package jp.tsunagu.consent.decision;

import io.vertx.core.json.JsonObject;

/** What cached decisions to drop. */
public sealed interface Invalidation {
  /** One citizen's link to one service changed (consent given, refused, withdrawn, expired). */
  record Link(ConsentKey key) implements Invalidation {}

  /** A service's declaration changed: every citizen's decisions for it. */
  record Service(String tenantId, String serviceId) implements Invalidation {}

  /** Everything (for operators, e.g. after restoring a backup). */
  record All() implements Invalidation {}

  default JsonObject toJson() {
    return switch (this) {
      case Link l -> new JsonObject().put("scope", "link").put("tenantId", l.key().tenantId())
          .put("citizenId", l.key().citizenId()).put("serviceId", l.key().serviceId());
      case Service s -> new JsonObject().put("scope", "service").put("tenantId", s.tenantId())
          .put("serviceId", s.serviceId());
      case All a -> new JsonObject().put("scope", "all");
    };
  }

  static Invalidation fromJson(JsonObject json) {
    return switch (json.getString("scope", "")) {
      case "link" -> new Link(new ConsentKey(json.getString("tenantId"), json.getString("citizenId"),
          json.getString("serviceId")));
      case "service" -> new Service(json.getString("tenantId"), json.getString("serviceId"));
      case "all" -> new All();
      default -> throw new IllegalArgumentException("unknown invalidation " + json.encode());
    };
  }
}
