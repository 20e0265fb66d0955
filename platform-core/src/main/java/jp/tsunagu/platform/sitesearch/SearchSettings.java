package jp.tsunagu.platform.sitesearch;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A municipality's search settings.
 *
 * @param userDictionary Kuromoji user dictionary CSV (local place and facility names kept whole);
 *     changing it changes tokenisation, so every node rebuilds its index after a change
 * @param synonyms Solr synonym rules, applied at query time (no rebuild)
 * @param bestBets query → page ids pinned above the results
 */
public record SearchSettings(String tenantCode, String userDictionary, String synonyms, Map<String, List<String>> bestBets) {

  public static SearchSettings empty(String tenantCode) {
    return new SearchSettings(tenantCode, "", "", Map.of());
  }

  JsonArray bestBetsJson() {
    JsonArray out = new JsonArray();
    bestBets.forEach((q, ids) -> out.add(new JsonObject().put("query", q).put("pageIds", new JsonArray(ids))));
    return out;
  }

  static Map<String, List<String>> bestBets(JsonArray json) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    if (json != null) {
      for (Object o : json) {
        JsonObject b = (JsonObject) o;
        out.put(b.getString("query"), b.getJsonArray("pageIds", new JsonArray()).stream().map(String::valueOf).toList());
      }
    }
    return out;
  }

  public JsonObject toJson() {
    return new JsonObject().put("userDictionary", userDictionary).put("synonyms", synonyms).put("bestBets", bestBetsJson());
  }
}
