package jp.tsunagu.connectors.spi;

import io.vertx.core.Vertx;

/** What a connector is created with: its tenant and the platform's Vert.x instance (for HTTP clients, timers). */
public record ConnectorContext(String tenantId, String serviceId, Vertx vertx) {}
