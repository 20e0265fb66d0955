package jp.tsunagu.connectors.spi;

import io.vertx.core.Future;
import jp.tsunagu.connectors.gate.GatedCitizenData;

/**
 * One tenant's link to a service. A connector only ever receives a citizen's data as
 * {@link GatedCitizenData}, which the framework builds after the consent gate permitted each item
 * for the purpose and after the release was appended to the citizen's access log.
 */
public interface Connector extends AutoCloseable {
  /** Sends the released data to the service (push direction). */
  Future<Void> deliver(GatedCitizenData data);

  @Override
  default void close() {}
}
