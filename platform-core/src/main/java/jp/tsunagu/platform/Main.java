package jp.tsunagu.platform;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import jp.tsunagu.platform.config.ConfigException;
import jp.tsunagu.platform.config.TsunaguConfig;

/**
 * Starts a platform node: {@code java -jar tsunagu.jar [--demo]}; {@code --config-doc} prints the
 * table of configuration keys (the one in docs/configuration.md).
 */
public final class Main {
  private Main() {}

  static String configTable() {
    StringBuilder out = new StringBuilder("| key | environment variable | default | meaning |\n|---|---|---|---|\n");
    for (var s : TsunaguConfig.ALL) {
      out.append("| `").append(s.key()).append("` | `").append(s.environmentVariable()).append("` | ")
          .append(s.defaultValue().isEmpty() ? "(empty)" : "`" + s.defaultValue() + "`").append(" | ")
          .append(s.description()).append(" |\n");
    }
    return out.toString();
  }

  public static void main(String[] args) throws Exception {
    if (Arrays.asList(args).contains("--config-doc")) {
      System.out.print(configTable());
      return;
    }
    TsunaguConfig config;
    try {
      config = TsunaguConfig.load();
    } catch (ConfigException e) {
      System.err.println("tsunagu: " + e.getMessage());
      System.exit(2);
      return;
    }
    if (Arrays.asList(args).contains("--demo")) {
      config = config.with(Map.of(TsunaguConfig.DEMO.key(), "true"));
    }
    if ("json".equals(config.get(TsunaguConfig.LOG_FORMAT))) {
      System.setProperty("logback.configurationFile", "logback-json.xml");
    }
    System.setProperty("vertx.logger-delegate-factory-class-name", "io.vertx.core.logging.SLF4JLogDelegateFactory");
    org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Main.class);
    long started = System.nanoTime();
    Platform platform;
    try {
      platform = Platform.start(config).toCompletionStage().toCompletableFuture().get(180, TimeUnit.SECONDS);
    } catch (Exception e) {
      log.error("start failed: {}", e.getCause() == null ? e.getMessage() : e.getCause().getMessage(), e);
      System.exit(1);
      return;
    }
    log.info("ready in {} ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("tsunagu-shutdown").unstarted(() -> {
      log.info("shutting down: finishing in-flight requests");
      try {
        platform.stop().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
      } catch (Exception e) {
        log.warn("shutdown did not finish cleanly: {}", e.getMessage());
      }
    }));
  }
}
