package jp.tsunagu.connectors.gate;

import java.util.Map;

/**
 * Values read from the platform's profile store.
 *
 * @param serviceSubject the id under which the service knows the citizen (pairwise subject)
 * @param values         item id to value: strings, or lists/maps of them (JSON-shaped)
 */
public record CitizenData(String serviceSubject, Map<String, Object> values) {
  public CitizenData {
    values = Map.copyOf(values);
  }
}
