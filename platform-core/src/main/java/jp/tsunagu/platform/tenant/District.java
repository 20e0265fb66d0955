package jp.tsunagu.platform.tenant;

import io.vertx.core.json.JsonObject;

/** A district of a municipality: a 町丁目 (chome) or a school district. */
public record District(String code, String kind, String nameJa, String nameKana, String nameEn) {
  public JsonObject toJson() {
    return new JsonObject().put("code", code).put("kind", kind).put("nameJa", nameJa)
        .put("nameKana", nameKana).put("nameEn", nameEn);
  }
}
