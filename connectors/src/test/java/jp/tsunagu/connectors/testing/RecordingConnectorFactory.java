package jp.tsunagu.connectors.testing;

import io.vertx.core.Future;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import jp.tsunagu.connectors.gate.GatedCitizenData;
import jp.tsunagu.connectors.spi.Connector;
import jp.tsunagu.connectors.spi.ConnectorConfig;
import jp.tsunagu.connectors.spi.ConnectorContext;
import jp.tsunagu.connectors.spi.ConnectorFactory;
import jp.tsunagu.connectors.spi.LinkedServices;

/** A neighbourhood-circulars connector that records what it was given instead of sending it. */
public class RecordingConnectorFactory implements ConnectorFactory {
  /** Every delivery to any instance, in order. */
  public static final List<GatedCitizenData> DELIVERED = new CopyOnWriteArrayList<>();
  /** Lifecycle calls, e.g. "init", "create:131016", "close-connector:131016", "close". */
  public static final List<String> LIFECYCLE = new CopyOnWriteArrayList<>();

  @Override
  public String id() {
    return LinkedServices.NEIGHBOURHOOD_CIRCULARS;
  }

  @Override
  public void init(ConnectorConfig config) {
    LIFECYCLE.add("init:" + config.get("endpoint").orElse(""));
  }

  @Override
  public Connector create(ConnectorContext context) {
    LIFECYCLE.add("create:" + context.tenantId());
    return new Connector() {
      @Override
      public Future<Void> deliver(GatedCitizenData data) {
        DELIVERED.add(data);
        return Future.succeededFuture();
      }

      @Override
      public void close() {
        LIFECYCLE.add("close-connector:" + context.tenantId());
      }
    };
  }

  @Override
  public void close() {
    LIFECYCLE.add("close");
  }
}
