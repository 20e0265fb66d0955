package jp.tsunagu.platform.cluster;

import com.hazelcast.config.Config;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.internal.util.ConcurrencyUtil;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.Arrays;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import jp.tsunagu.platform.config.TsunaguConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts this node's clustered Vert.x on a Hazelcast member. A single node needs no configuration;
 * more nodes list each other in {@code cluster.members} and join over TCP (multicast is off).
 */
public final class ClusterNode {

  /** Hazelcast map holding rate-limit buckets, shared by all nodes. */
  public static final String RATE_LIMIT_MAP = "tsunagu.rate-limits";
  /** Hazelcast map of the crawler's turns per host (the crawl package's Politeness), shared by all nodes. */
  public static final String CRAWL_HOSTS_MAP = "tsunagu.crawl-hosts";

  private static final Logger LOG = LoggerFactory.getLogger(ClusterNode.class);

  private final Vertx vertx;
  private final HazelcastClusterManager clusterManager;

  private ClusterNode(Vertx vertx, HazelcastClusterManager clusterManager) {
    this.vertx = vertx;
    this.clusterManager = clusterManager;
  }

  /**
   * Hazelcast completes every future it hands out (Vert.x's async map reads and writes among them)
   * on one JVM-wide executor. Its default is the common fork-join pool, except where that pool has
   * a parallelism below two — on a two-core machine — when it starts a new thread for every
   * callback: tens of thousands of threads a second under load. A small pool of its own instead.
   */
  private static final Executor HAZELCAST_CALLBACKS = Executors.newFixedThreadPool(
      Math.max(2, Runtime.getRuntime().availableProcessors()),
      Thread.ofPlatform().name("tsunagu-hazelcast-callback-", 0).daemon(true).factory());

  static {
    ConcurrencyUtil.setDefaultAsyncExecutor(HAZELCAST_CALLBACKS);
  }

  public static Future<ClusterNode> start(TsunaguConfig config, MeterRegistry registry) {
    HazelcastClusterManager manager = new HazelcastClusterManager(hazelcastConfig(config));
    VertxOptions options = new VertxOptions()
        .setPreferNativeTransport(true)
        .setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true).setJvmMetricsEnabled(true));
    options.getEventBusOptions().setHost(config.get(TsunaguConfig.CLUSTER_HOST)).setPort(0);
    return Vertx.builder()
        .with(options)
        .withMetrics(new MicrometerMetricsFactory(registry))
        .withClusterManager(manager)
        .buildClustered()
        .map(vertx -> {
          logTransport(vertx);
          return new ClusterNode(vertx, manager);
        });
  }

  /**
   * The event loops run on Netty's epoll transport where the platform has it (Linux on x86-64 or aarch64): fewer
   * system calls and thread wake-ups per request than Java's NIO selector. Elsewhere Vert.x falls back
   * to NIO, which works the same, and the log says why.
   */
  private static void logTransport(Vertx vertx) {
    if (vertx.isNativeTransportEnabled()) {
      LOG.info("Event loops on the native transport");
    } else {
      Throwable why = vertx.unavailableNativeTransportCause();
      LOG.info("Event loops on Java NIO; the native transport is unavailable here ({})", why == null ? "not found" : why.toString());
    }
  }

  static Config hazelcastConfig(TsunaguConfig config) {
    Config hz = ConfigUtil.loadConfig();
    hz.setClusterName(config.get(TsunaguConfig.CLUSTER_NAME));
    hz.setProperty("hazelcast.phone.home.enabled", "false");
    hz.setProperty("hazelcast.logging.type", "slf4j");
    hz.setProperty("hazelcast.shutdownhook.enabled", "false");
    hz.setProperty("hazelcast.wait.seconds.before.join", "0");
    NetworkConfig network = hz.getNetworkConfig();
    network.setPort(config.get(TsunaguConfig.CLUSTER_PORT)).setPortAutoIncrement(false);
    network.setPublicAddress(config.get(TsunaguConfig.CLUSTER_HOST) + ":" + config.get(TsunaguConfig.CLUSTER_PORT));
    network.getInterfaces().setEnabled(true).addInterface(config.get(TsunaguConfig.CLUSTER_HOST));
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true)
        .addMember(config.get(TsunaguConfig.CLUSTER_HOST) + ":" + config.get(TsunaguConfig.CLUSTER_PORT));
    Arrays.stream(config.get(TsunaguConfig.CLUSTER_MEMBERS).split(","))
        .map(String::trim)
        .filter(m -> !m.isEmpty())
        .forEach(m -> join.getTcpIpConfig().addMember(m));
    // Rate-limit buckets expire by themselves; one backup so a node leaving loses none.
    hz.addMapConfig(new MapConfig(RATE_LIMIT_MAP).setBackupCount(1).setTimeToLiveSeconds(3600));
    // Crawler turns per host: small, short-lived; one backup so a member leaving keeps the pauses.
    hz.addMapConfig(new MapConfig(CRAWL_HOSTS_MAP).setBackupCount(1).setTimeToLiveSeconds(3600));
    // Vert.x's clustered session map: one synchronous backup.
    hz.addMapConfig(new MapConfig("vertx-web.sessions").setBackupCount(1));
    return hz;
  }

  public Vertx vertx() {
    return vertx;
  }

  public HazelcastInstance hazelcast() {
    return clusterManager.getHazelcastInstance();
  }

  public Future<Void> close() {
    return vertx.close();
  }
}
