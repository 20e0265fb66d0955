package jp.tsunagu.connectors.spi;

/**
 * Creates the connector of one linked service; discovered with {@link java.util.ServiceLoader}
 * (list implementations in {@code META-INF/services/jp.tsunagu.connectors.spi.ConnectorFactory}).
 * Lifecycle: {@link #init} once with the deployment's configuration, {@link #create} once per
 * tenant that uses the service, {@link #close} once at shutdown after every connector it created
 * has been closed.
 */
public interface ConnectorFactory {
  /** The service id, as used in consent declarations (see {@link LinkedServices}). */
  String id();

  void init(ConnectorConfig config);

  Connector create(ConnectorContext context);

  void close();
}
