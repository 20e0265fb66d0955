package jp.tsunagu.connectors.gate;

import io.vertx.core.Future;
import java.util.Set;

/**
 * Reads citizens' data items; implemented by the platform over its profile store. The framework
 * asks only for items the gate has permitted, so data that may not flow is never even read.
 */
@FunctionalInterface
public interface CitizenDataSource {
  Future<CitizenData> load(String tenantId, String citizenId, String serviceId, Set<String> items);
}
