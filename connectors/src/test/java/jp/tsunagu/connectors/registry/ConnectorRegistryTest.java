package jp.tsunagu.connectors.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import java.util.List;
import java.util.Map;
import jp.tsunagu.connectors.spi.ConnectorConfig;
import jp.tsunagu.connectors.testing.RecordingConnectorFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ConnectorRegistryTest {
  private Vertx vertx;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    RecordingConnectorFactory.LIFECYCLE.clear();
  }

  @AfterEach
  void stop() {
    vertx.close().toCompletionStage().toCompletableFuture().join();
  }

  @Test
  void discoversFactoriesAndRunsTheirLifecycleInOrder() {
    var config = new ConnectorConfig(Map.of("endpoint", "https://circulars.example.jp"));
    try (var registry = ConnectorRegistry.discover(vertx, getClass().getClassLoader(), id -> config)) {
      assertEquals(java.util.Set.of("circulars"), registry.ids());
      var first = registry.connector("131016", "circulars").orElseThrow();
      assertSame(first, registry.connector("131016", "circulars").orElseThrow(), "one connector per tenant");
      registry.connector("141003", "circulars").orElseThrow();
      assertTrue(registry.connector("131016", "library").isEmpty());
    }
    assertEquals(List.of("init:https://circulars.example.jp", "create:131016", "create:141003"),
        RecordingConnectorFactory.LIFECYCLE.subList(0, 3));
    assertEquals("close", RecordingConnectorFactory.LIFECYCLE.getLast());
    assertEquals(java.util.Set.of("close-connector:131016", "close-connector:141003"),
        java.util.Set.copyOf(RecordingConnectorFactory.LIFECYCLE.subList(3, 5)), "connectors close before their factory");
    assertEquals(6, RecordingConnectorFactory.LIFECYCLE.size());
  }

  @Test
  void refusesTwoFactoriesForOneService() {
    assertThrows(IllegalStateException.class, () -> new ConnectorRegistry(vertx,
        List.of(new RecordingConnectorFactory(), new RecordingConnectorFactory()), id -> ConnectorConfig.empty()));
  }

  @Test
  void aFailingInitClosesTheFactoriesAlreadyInitialised() {
    var failing = new RecordingConnectorFactory() {
      @Override
      public String id() {
        return "library";
      }

      @Override
      public void init(ConnectorConfig config) {
        config.require("sip2-host");
      }
    };
    assertThrows(IllegalArgumentException.class, () -> new ConnectorRegistry(vertx,
        List.of(new RecordingConnectorFactory(), failing), id -> ConnectorConfig.empty()));
    assertEquals(List.of("init:", "close"), RecordingConnectorFactory.LIFECYCLE);
  }
}
