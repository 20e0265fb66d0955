package jp.tsunagu.connectors.registry;

import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import jp.tsunagu.connectors.spi.Connector;
import jp.tsunagu.connectors.spi.ConnectorConfig;
import jp.tsunagu.connectors.spi.ConnectorContext;
import jp.tsunagu.connectors.spi.ConnectorFactory;

/**
 * The connector factories found on the class path, initialised once, and the connectors they
 * create per tenant (created on first use). Closing closes every connector, then every factory.
 */
public final class ConnectorRegistry implements AutoCloseable {
  private final Vertx vertx;
  private final Map<String, ConnectorFactory> factories;
  private final Map<String, Connector> connectors = new ConcurrentHashMap<>();

  public ConnectorRegistry(Vertx vertx, List<ConnectorFactory> factories, Function<String, ConnectorConfig> configFor) {
    this.vertx = vertx;
    Map<String, ConnectorFactory> byId = new LinkedHashMap<>();
    for (ConnectorFactory factory : factories) {
      if (byId.putIfAbsent(factory.id(), factory) != null) {
        throw new IllegalStateException("two connector factories for " + factory.id());
      }
    }
    List<ConnectorFactory> initialised = new ArrayList<>();
    try {
      for (ConnectorFactory factory : byId.values()) {
        factory.init(configFor.apply(factory.id()));
        initialised.add(factory);
      }
    } catch (RuntimeException e) {
      Collections.reverse(initialised);
      initialised.forEach(ConnectorFactory::close);
      throw e;
    }
    this.factories = Collections.unmodifiableMap(byId);
  }

  /** Factories discovered with {@link ServiceLoader} from {@code loader}. */
  public static ConnectorRegistry discover(Vertx vertx, ClassLoader loader, Function<String, ConnectorConfig> configFor) {
    List<ConnectorFactory> found = new ArrayList<>();
    ServiceLoader.load(ConnectorFactory.class, loader).forEach(found::add);
    return new ConnectorRegistry(vertx, found, configFor);
  }

  public Set<String> ids() {
    return factories.keySet();
  }

  /** The tenant's connector for {@code serviceId}, created on first use; empty if no factory. */
  public Optional<Connector> connector(String tenantId, String serviceId) {
    ConnectorFactory factory = factories.get(serviceId);
    if (factory == null) {
      return Optional.empty();
    }
    return Optional.of(connectors.computeIfAbsent(tenantId + "\u0000" + serviceId,
        k -> factory.create(new ConnectorContext(tenantId, serviceId, vertx))));
  }

  @Override
  public void close() {
    connectors.values().forEach(Connector::close);
    connectors.clear();
    List<ConnectorFactory> reverse = new ArrayList<>(factories.values());
    Collections.reverse(reverse);
    reverse.forEach(ConnectorFactory::close);
  }
}
