package jp.tsunagu.connectors.spi;

import java.util.Map;
import java.util.Optional;

/** A connector's settings (endpoints, credentials references), read by the platform's configuration. */
public record ConnectorConfig(Map<String, String> values) {
  public ConnectorConfig {
    values = Map.copyOf(values);
  }

  public static ConnectorConfig empty() {
    return new ConnectorConfig(Map.of());
  }

  public Optional<String> get(String key) {
    return Optional.ofNullable(values.get(key));
  }

  /** The value of {@code key}; fails naming the key when it is missing. */
  public String require(String key) {
    return get(key).orElseThrow(() -> new IllegalArgumentException("missing connector setting " + key));
  }
}
