package jp.tsunagu.platform.tenant;

import io.vertx.core.json.JsonObject;

/** A municipality, keyed by its 6-digit local government code (全国地方公共団体コード). */
public record Tenant(String code, String nameJa, String nameEn, String prefecture, JsonObject branding) {
  public JsonObject toJson() {
    return new JsonObject().put("code", code).put("nameJa", nameJa).put("nameEn", nameEn)
        .put("prefecture", prefecture).put("branding", branding);
  }
}
