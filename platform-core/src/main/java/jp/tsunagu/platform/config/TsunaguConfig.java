package jp.tsunagu.platform.config;

import static jp.tsunagu.platform.config.Setting.bool;
import static jp.tsunagu.platform.config.Setting.intBetween;
import static jp.tsunagu.platform.config.Setting.text;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The platform's typed configuration. Values come from the defaults below, then the configuration
 * file (a properties file, {@code config/tsunagu.properties} or the path in TSUNAGU_CONFIG), then
 * environment variables (TSUNAGU_ + the key in upper snake case). Everything is validated at start;
 * a bad or unknown key stops the start with a message that names it.
 */
public final class TsunaguConfig {

  private static final int CORES = Runtime.getRuntime().availableProcessors();

  public static final Setting<Integer> HTTP_PORT =
      new Setting<>("http.port", "8080", "TCP port of the HTTP server (0 picks a free port).", intBetween(0, 65535));
  public static final Setting<String> HTTP_HOST =
      new Setting<>("http.host", "0.0.0.0", "Address the HTTP server binds.", text());
  public static final Setting<String> HTTP_PUBLIC_URL =
      new Setting<>("http.publicUrl", "", "External base URL (scheme, host, port) used in mails, links and as the OpenID issuer; empty means http://localhost:<port>. An https URL makes cookies Secure.", TsunaguConfig::url);
  public static final Setting<Integer> HTTP_MAX_BODY_BYTES =
      new Setting<>("http.maxBodyBytes", "12582912", "Largest request body accepted (12 MiB: resident CSV files, circular attachments); larger bodies get 413. JSON bodies are further limited by the contract's schemas.", intBetween(1024, 64 * 1024 * 1024));
  public static final Setting<Integer> HTTP_INSTANCES =
      new Setting<>("http.instances", String.valueOf(CORES), "HTTP verticle instances (event loops serving requests); default: the number of cores.", intBetween(1, 256));
  public static final Setting<Integer> HTTP_REQUEST_TIMEOUT_SECONDS =
      new Setting<>("http.requestTimeoutSeconds", "60", "Longest a request may take, from the end of its body to the start of its answer, before it is answered 503 (the live notification stream excepted).", intBetween(1, 3600));
  public static final Setting<Integer> HTTP_SHUTDOWN_GRACE_SECONDS =
      new Setting<>("http.shutdownGraceSeconds", "10", "On shutdown, how long in-flight requests may take to finish.", intBetween(0, 600));

  public static final Setting<String> DB_URL =
      new Setting<>("db.url", "", "PostgreSQL URL (postgresql://user:password@host:port/database); empty starts an embedded PostgreSQL.", TsunaguConfig::postgresUrl);
  public static final Setting<Integer> DB_POOL_SIZE =
      new Setting<>("db.poolSize", "16", "Connections to PostgreSQL of each node, shared out over its event loops (at least 4 each).", intBetween(1, 500));
  public static final Setting<Integer> DB_WAIT_SECONDS =
      new Setting<>("db.waitSeconds", "10", "Longest a request waits for a free connection to PostgreSQL; then it is answered 503.", intBetween(1, 600));
  public static final Setting<String> DB_EMBEDDED_DATA_DIR =
      new Setting<>("db.embeddedDataDir", "data/pg", "Data folder of the embedded PostgreSQL (kept between starts).", text());

  public static final Setting<String> CLUSTER_NAME =
      new Setting<>("cluster.name", "tsunagu", "Hazelcast cluster name; nodes join only a cluster of the same name.", nonEmpty());
  public static final Setting<String> CLUSTER_HOST =
      new Setting<>("cluster.host", "127.0.0.1", "Address this node's Hazelcast member and event bus bind and announce.", nonEmpty());
  public static final Setting<Integer> CLUSTER_PORT =
      new Setting<>("cluster.port", "5701", "Hazelcast member port of this node.", intBetween(1, 65535));
  public static final Setting<String> CLUSTER_MEMBERS =
      new Setting<>("cluster.members", "", "Comma-separated host:port of the other members; empty for a single node.", text());

  public static final Setting<String> SMTP_HOST =
      new Setting<>("mail.smtpHost", "", "SMTP server; empty keeps mail in the development outbox page (/dev/outbox).", text());
  public static final Setting<Integer> SMTP_PORT =
      new Setting<>("mail.smtpPort", "587", "SMTP port.", intBetween(1, 65535));
  public static final Setting<String> SMTP_USERNAME =
      new Setting<>("mail.smtpUsername", "", "SMTP user name (empty: no authentication).", text());
  public static final Setting<String> SMTP_PASSWORD =
      new Setting<>("mail.smtpPassword", "", "SMTP password; set it through the environment, never in a file in a repository.", text());
  public static final Setting<String> SMTP_TLS =
      new Setting<>("mail.smtpTls", "starttls", "none, starttls (required) or tls (implicit TLS).", oneOf("none", "starttls", "tls"));
  public static final Setting<String> MAIL_FROM =
      new Setting<>("mail.from", "Tsunagu <no-reply@localhost>", "Sender address of platform mail.", nonEmpty());

  public static final Setting<Integer> ARGON2_MEMORY_KIB =
      new Setting<>("security.argon2MemoryKib", "19456", "Argon2id memory cost in KiB (OWASP: 19456).", intBetween(1024, 4 * 1024 * 1024));
  public static final Setting<Integer> ARGON2_ITERATIONS =
      new Setting<>("security.argon2Iterations", "2", "Argon2id time cost (passes).", intBetween(1, 100));
  public static final Setting<Integer> ARGON2_PARALLELISM =
      new Setting<>("security.argon2Parallelism", "1", "Argon2id lanes.", intBetween(1, 64));
  public static final Setting<Integer> PASSWORD_WORKERS =
      new Setting<>("security.passwordWorkers", String.valueOf(CORES),
          "Threads of the password-hashing worker pool; each keeps the Argon2id memory (security.argon2MemoryKib) for its life.",
          intBetween(1, 256));
  public static final Setting<Integer> PASSWORD_QUEUE_LIMIT =
      new Setting<>("security.passwordQueueLimit", "64",
          "Password hashes and checks a node accepts at once, running and waiting for a password worker; one more is refused at once with 503 and Retry-After instead of waiting behind the others.",
          intBetween(1, 100000));
  public static final Setting<Integer> SESSION_TIMEOUT_MINUTES =
      new Setting<>("security.sessionTimeoutMinutes", "60", "Idle time after which a browser session ends.", intBetween(1, 60 * 24 * 30));
  public static final Setting<Integer> SIGN_IN_ATTEMPTS_PER_15_MIN =
      new Setting<>("security.signInAttemptsPer15Min", "10", "Failed sign-ins allowed per account and per client address in 15 minutes.", intBetween(1, 100000));
  public static final Setting<Integer> CODE_ATTEMPTS_PER_HOUR =
      new Setting<>("security.codeAttemptsPerHour", "5", "Residence-code entries allowed per account per hour.", intBetween(1, 100000));
  public static final Setting<Integer> ACCOUNT_CACHE_ENTRIES =
      new Setting<>("security.accountCacheEntries", "100000", "Signed-in accounts each node keeps in memory, so a request checks its session without a database read (0 keeps none).", intBetween(0, 10_000_000));
  public static final Setting<Integer> ACCOUNT_CACHE_MAX_AGE_SECONDS =
      new Setting<>("security.accountCacheMaxAgeSeconds", "300", "Longest time a cached account is used; changes reach every node at once, this only bounds a node that missed one.", intBetween(1, 86400));
  public static final Setting<Integer> RESIDENCE_CODE_TTL_DAYS =
      new Setting<>("residence.codeTtlDays", "30", "Days a residence verification code stays valid.", intBetween(1, 365));

  public static final Setting<String> SEARCH_DATA_DIR =
      new Setting<>("search.dataDir", "data/search", "Folder of this node's own search indexes (rebuilt from PostgreSQL when missing); each node needs its own.", nonEmpty());
  public static final Setting<Integer> SEARCH_WORKERS =
      new Setting<>("search.workers", String.valueOf(CORES), "Threads of the search worker pool (queries); index writes have one thread of their own.", intBetween(1, 256));
  public static final Setting<Integer> SEARCH_QUEUE_LIMIT =
      new Setting<>("search.queueLimit", "256", "Searches a node accepts at once, running and waiting for a search worker; one more is refused at once with 503 and Retry-After instead of waiting behind the others.", intBetween(1, 100000));
  public static final Setting<Integer> SEARCH_POLL_MILLIS =
      new Setting<>("search.pollMillis", "1000", "How often a node looks for content changes it was not told about (content events wake it at once).", intBetween(50, 60000));

  public static final Setting<Integer> SEARCH_COMMIT_SECONDS =
      new Setting<>("search.commitSeconds", "10", "Longest time between two commits of a node's search indexes while changes keep coming (a commit also follows a pause of one second; commits run on a thread of their own, so new pages become searchable without waiting for one); after a crash the node replays from PostgreSQL what came after its last commit.", intBetween(1, 3600));

  public static final Setting<Boolean> CRAWL_ENABLED =
      new Setting<>("crawl.enabled", "true", "Whether this node crawls due sitemaps and feeds on schedule (a lease keeps one node per source); a staff request to crawl now is served by the node that receives it.", bool());
  public static final Setting<Integer> CRAWL_CHECK_SECONDS =
      new Setting<>("crawl.checkSeconds", "60", "How often a node looks for crawl sources that are due.", intBetween(1, 3600));
  public static final Setting<Integer> CRAWL_HOST_DELAY_MILLIS =
      new Setting<>("crawl.hostDelayMillis", "1000", "Pause between two requests to one host, from the end of one answer to the next request, kept across all nodes of the cluster (a longer robots.txt Crawl-delay wins, up to 30 s).", intBetween(0, 60000));
  public static final Setting<Integer> CRAWL_MAX_BYTES =
      new Setting<>("crawl.maxBytes", "5242880", "Largest response the crawler reads (a sitemap, feed or page); a longer one is cut off and skipped.", intBetween(1024, 64 * 1024 * 1024));
  public static final Setting<Integer> CRAWL_TIMEOUT_SECONDS =
      new Setting<>("crawl.timeoutSeconds", "15", "Longest time one crawler request may take, from connecting to the last byte.", intBetween(1, 300));
  public static final Setting<Integer> CRAWL_MAX_REDIRECTS =
      new Setting<>("crawl.maxRedirects", "5", "Redirects the crawler follows for one address.", intBetween(0, 20));
  public static final Setting<Integer> CRAWL_MAX_PAGES_PER_RUN =
      new Setting<>("crawl.maxPagesPerRun", "500", "Pages fetched in one run of a source; the rest are reported as skipped.", intBetween(1, 100000));
  public static final Setting<Boolean> CRAWL_ALLOW_PRIVATE_ADDRESSES =
      new Setting<>("crawl.allowPrivateAddresses", "false", "Whether the crawler may fetch from loopback, private and link-local addresses (off: a source cannot make the platform read its internal network).", bool());
  public static final Setting<Integer> CRAWL_MAX_WITHDRAW_PERCENT =
      new Setting<>("crawl.maxWithdrawPercent", "20", "Share of a sitemap source's pages that one run may withdraw when they leave the sitemap (at least one page); when more are missing, none is withdrawn and the run's report says so. 0 never withdraws.", intBetween(0, 100));
  public static final Setting<String> CRAWL_USER_AGENT =
      new Setting<>("crawl.userAgent", "tsunagubot/0.1 (Tsunagu city platform crawler)", "User-Agent of the crawler; robots.txt rules for tsunagubot apply to it.", nonEmpty());
  public static final Setting<String> KEY_ENCRYPTION_KEY =
      new Setting<>("security.keyEncryptionKey", "", "Base64 of 32 random bytes; when set, private signing keys and the platform's own secrets (consent signing, pairwise subjects, VAPID, unsubscribe links) are sealed with AES-256-GCM before they are stored in PostgreSQL, and secrets stored unsealed before are sealed on first read (set it through the environment, the same on every node). Empty stores them unsealed.", TsunaguConfig::aesKey);

  public static final Setting<Integer> OIDC_ACCESS_TOKEN_SECONDS =
      new Setting<>("oidc.accessTokenSeconds", "300", "Lifetime of access tokens (JWT, RFC 9068).", intBetween(30, 3600));
  public static final Setting<Integer> OIDC_ID_TOKEN_SECONDS =
      new Setting<>("oidc.idTokenSeconds", "600", "Lifetime of ID tokens.", intBetween(30, 86400));
  public static final Setting<Integer> OIDC_REFRESH_TOKEN_DAYS =
      new Setting<>("oidc.refreshTokenDays", "30", "Lifetime of a refresh token; each use returns a new one.", intBetween(1, 365));
  public static final Setting<Integer> OIDC_CODE_SECONDS =
      new Setting<>("oidc.codeSeconds", "60", "Lifetime of an authorization code (single use).", intBetween(10, 600));
  public static final Setting<Integer> OIDC_FLOW_MINUTES =
      new Setting<>("oidc.flowMinutes", "30", "How long a started authorization (sign-in and consent) may take.", intBetween(1, 1440));
  public static final Setting<Integer> OIDC_PAR_SECONDS =
      new Setting<>("oidc.parSeconds", "60", "Lifetime of a request_uri from the pushed authorization request endpoint (RFC 9126): how long a client has to send the browser to the authorization endpoint with it (single use).", intBetween(10, 600));
  public static final Setting<Boolean> OIDC_REQUIRE_PAR =
      new Setting<>("oidc.requirePushedAuthorizationRequests", "false", "Whether every client must push its authorization requests (RFC 9126; discovery's require_pushed_authorization_requests); false leaves it to each client's registration.", bool());
  public static final Setting<Integer> OIDC_KEY_ROTATION_DAYS =
      new Setting<>("oidc.keyRotationDays", "30", "Age at which a signing key is replaced on schedule.", intBetween(1, 3650));
  public static final Setting<Integer> OIDC_KEY_PREPUBLISH_SECONDS =
      new Setting<>("oidc.keyPrepublishSeconds", "86400", "How long a new signing key is published in the JWKS before it signs (relying parties' JWKS caches).", intBetween(0, 30 * 86400));
  public static final Setting<Integer> OIDC_CLIENT_AUTH_FAILURES_PER_15_MIN =
      new Setting<>("oidc.clientAuthFailuresPer15Min", "20", "Failed client authentications allowed per client id in 15 minutes at the token, revocation and introspection endpoints (five times as many per client address); more answer 429.", intBetween(1, 1000000));
  public static final Setting<Boolean> OIDC_NATIVE_SIGNATURES =
      new Setting<>("oidc.nativeSignatures", "true", "Sign tokens with the native RSA and ECDSA of Amazon Corretto Crypto Provider (AWS-LC; about four times the JDK's RSA speed) where its library loads on this machine; false, or a machine where it cannot load, uses the JDK's providers.", bool());
  public static final Setting<Boolean> OIDC_ID_TOKEN_ON_REFRESH =
      new Setting<>("oidc.idTokenOnRefresh", "false", "Whether a refresh-token grant returns a new ID token too (OIDC Core §12.2 makes it optional; each costs an RSA signature).", bool());
  public static final Setting<Integer> NOTIFY_POLL_MILLIS =
      new Setting<>("notify.pollMillis", "1000", "How often the node holding the matcher's lease looks for content changes it was not told about (content events wake it at once); also how soon another node takes over a lapsed lease.", intBetween(50, 60000));
  public static final Setting<Integer> NOTIFY_LEASE_SECONDS =
      new Setting<>("notify.leaseSeconds", "15", "How long the matcher's lease lasts without renewal; after a node stops or dies, another takes over matching within this time.", intBetween(2, 600));
  public static final Setting<Integer> NOTIFY_SENDER_POLL_MILLIS =
      new Setting<>("notify.senderPollMillis", "1000", "How often every node looks for due e-mail and webhook deliveries (a matched notice wakes them at once).", intBetween(50, 60000));
  public static final Setting<String> NOTIFY_MAIL_EVENT_SECRET =
      new Setting<>("notify.mailEventSecret", "", "Shared secret (Bearer) of the mail provider's bounce and complaint reports to /api/v1/mail-events; empty turns the endpoint off. Set it through the environment.", text());
  public static final Setting<Integer> NOTIFY_WEBHOOK_TIMEOUT_MILLIS =
      new Setting<>("notify.webhookTimeoutMillis", "5000", "How long a webhook endpoint may take to answer a delivery before it counts as failed and is retried.", intBetween(100, 120000));
  public static final Setting<Integer> NOTIFY_WEBHOOK_RETRY_BASE_MILLIS =
      new Setting<>("notify.webhookRetryBaseMillis", "10000", "Wait before the first retry of a failed webhook delivery; it doubles with each attempt (at most one hour).", intBetween(10, 3600000));
  public static final Setting<Integer> NOTIFY_WEBHOOK_MAX_ATTEMPTS =
      new Setting<>("notify.webhookMaxAttempts", "8", "Attempts of a webhook delivery before it is recorded as failed.", intBetween(1, 100));
  public static final Setting<Integer> NOTIFY_WEBHOOK_BREAKER_FAILURES =
      new Setting<>("notify.webhookBreakerFailures", "5", "Failures in a row after which a node leaves a webhook endpoint alone (circuit breaker open).", intBetween(1, 1000));
  public static final Setting<Integer> NOTIFY_WEBHOOK_BREAKER_OPEN_SECONDS =
      new Setting<>("notify.webhookBreakerOpenSeconds", "60", "How long an open circuit breaker keeps deliveries to its endpoint waiting before one is tried again.", intBetween(1, 86400));
  public static final Setting<Integer> NOTIFY_RETENTION_DAYS =
      new Setting<>("notify.retentionDays", "400", "Days notices (with every citizen's copy, deliveries and counters) are kept; older ones are purged hourly.", intBetween(1, 36500));
  public static final Setting<String> NOTIFY_VAPID_SUBJECT =
      new Setting<>("notify.vapidSubject", "mailto:no-reply@localhost", "Contact of the operator that push services see in every Web Push request (VAPID sub: a mailto: or https: URI).", TsunaguConfig::vapidSubject);

  public static final Setting<String> LOG_FORMAT =
      new Setting<>("log.format", "text", "text for people, json for log collectors.", oneOf("text", "json"));
  public static final Setting<Boolean> DEMO =
      new Setting<>("demo", "false", "Create the demo municipality, staff and citizen at start (./tsunagu start sets it).", bool());

  public static final List<Setting<?>> ALL = List.of(
      HTTP_PORT, HTTP_HOST, HTTP_PUBLIC_URL, HTTP_MAX_BODY_BYTES, HTTP_INSTANCES, HTTP_REQUEST_TIMEOUT_SECONDS, HTTP_SHUTDOWN_GRACE_SECONDS,
      DB_URL, DB_POOL_SIZE, DB_WAIT_SECONDS, DB_EMBEDDED_DATA_DIR,
      CLUSTER_NAME, CLUSTER_HOST, CLUSTER_PORT, CLUSTER_MEMBERS,
      SMTP_HOST, SMTP_PORT, SMTP_USERNAME, SMTP_PASSWORD, SMTP_TLS, MAIL_FROM,
      ARGON2_MEMORY_KIB, ARGON2_ITERATIONS, ARGON2_PARALLELISM, PASSWORD_WORKERS, PASSWORD_QUEUE_LIMIT,
      SESSION_TIMEOUT_MINUTES, SIGN_IN_ATTEMPTS_PER_15_MIN, CODE_ATTEMPTS_PER_HOUR, RESIDENCE_CODE_TTL_DAYS,
      ACCOUNT_CACHE_ENTRIES, ACCOUNT_CACHE_MAX_AGE_SECONDS,
      SEARCH_DATA_DIR, SEARCH_WORKERS, SEARCH_QUEUE_LIMIT, SEARCH_POLL_MILLIS, SEARCH_COMMIT_SECONDS,
      CRAWL_ENABLED, CRAWL_CHECK_SECONDS, CRAWL_HOST_DELAY_MILLIS, CRAWL_MAX_BYTES, CRAWL_TIMEOUT_SECONDS, CRAWL_MAX_REDIRECTS,
      CRAWL_MAX_PAGES_PER_RUN, CRAWL_ALLOW_PRIVATE_ADDRESSES, CRAWL_MAX_WITHDRAW_PERCENT, CRAWL_USER_AGENT,
      KEY_ENCRYPTION_KEY, OIDC_ACCESS_TOKEN_SECONDS, OIDC_ID_TOKEN_SECONDS, OIDC_REFRESH_TOKEN_DAYS, OIDC_CODE_SECONDS,
      OIDC_FLOW_MINUTES, OIDC_PAR_SECONDS, OIDC_REQUIRE_PAR, OIDC_KEY_ROTATION_DAYS, OIDC_KEY_PREPUBLISH_SECONDS, OIDC_CLIENT_AUTH_FAILURES_PER_15_MIN,
      OIDC_NATIVE_SIGNATURES, OIDC_ID_TOKEN_ON_REFRESH,
      NOTIFY_POLL_MILLIS, NOTIFY_LEASE_SECONDS, NOTIFY_SENDER_POLL_MILLIS, NOTIFY_MAIL_EVENT_SECRET,
      NOTIFY_WEBHOOK_TIMEOUT_MILLIS, NOTIFY_WEBHOOK_RETRY_BASE_MILLIS, NOTIFY_WEBHOOK_MAX_ATTEMPTS,
      NOTIFY_WEBHOOK_BREAKER_FAILURES, NOTIFY_WEBHOOK_BREAKER_OPEN_SECONDS, NOTIFY_RETENTION_DAYS,
      NOTIFY_VAPID_SUBJECT,
      LOG_FORMAT, DEMO);

  private final Map<String, Object> values;

  private TsunaguConfig(Map<String, Object> values) {
    this.values = values;
  }

  @SuppressWarnings("unchecked")
  public <T> T get(Setting<T> setting) {
    return (T) values.get(setting.key());
  }

  /** The public base URL without a trailing slash. */
  public String publicUrl() {
    String url = get(HTTP_PUBLIC_URL);
    return url.isEmpty() ? "http://localhost:" + get(HTTP_PORT) : url;
  }

  public boolean secureCookies() {
    return publicUrl().startsWith("https://");
  }

  /** Loads the configuration from the process environment and the configuration file. */
  public static TsunaguConfig load() {
    Map<String, String> env = System.getenv();
    String file = env.getOrDefault("TSUNAGU_CONFIG", "config/tsunagu.properties");
    Path path = Path.of(file);
    Map<String, String> fromFile = Files.exists(path) ? readFile(path) : Map.of();
    if (env.containsKey("TSUNAGU_CONFIG") && !Files.exists(path)) {
      throw new ConfigException("configuration file " + file + " (TSUNAGU_CONFIG) does not exist");
    }
    return of(fromFile, env);
  }

  /** Builds a configuration from explicit file values and environment (used by tests). */
  public static TsunaguConfig of(Map<String, String> fileValues, Map<String, String> env) {
    Map<String, Setting<?>> known = new HashMap<>();
    for (Setting<?> s : ALL) {
      known.put(s.key(), s);
    }
    for (String key : fileValues.keySet()) {
      if (!known.containsKey(key)) {
        throw new ConfigException("unknown configuration key '" + key + "'");
      }
    }
    Map<String, Object> values = new LinkedHashMap<>();
    for (Setting<?> s : ALL) {
      String text = env.getOrDefault(s.environmentVariable(), fileValues.getOrDefault(s.key(), s.defaultValue()));
      values.put(s.key(), s.parse(text));
    }
    return new TsunaguConfig(values);
  }

  /** Returns a copy with some keys replaced (used by tests and the demo flag). */
  public TsunaguConfig with(Map<String, String> overrides) {
    Map<String, String> file = new HashMap<>();
    for (Setting<?> s : ALL) {
      Object v = values.get(s.key());
      file.put(s.key(), String.valueOf(v));
    }
    file.putAll(overrides);
    return of(file, Map.of());
  }

  private static Map<String, String> readFile(Path path) {
    Properties props = new Properties();
    try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
      props.load(reader);
    } catch (IOException e) {
      throw new ConfigException("cannot read configuration file " + path + ": " + e.getMessage());
    }
    Map<String, String> out = new HashMap<>();
    props.forEach((k, v) -> out.put(k.toString(), v.toString()));
    return out;
  }

  private static String url(String text) {
    String t = text.trim();
    if (t.isEmpty()) {
      return t;
    }
    try {
      URI uri = URI.create(t);
      if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
        throw new IllegalArgumentException("'" + t + "' is not an http(s) URL");
      }
      if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
        throw new IllegalArgumentException("'" + t + "' must not have a query or fragment");
      }
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("'" + t + "' is not a valid URL");
    }
    return t.endsWith("/") ? t.substring(0, t.length() - 1) : t;
  }

  private static String aesKey(String text) {
    String t = text.trim();
    if (t.isEmpty()) {
      return t;
    }
    byte[] key;
    try {
      key = java.util.Base64.getDecoder().decode(t);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("is not Base64 (the value is not shown)");
    }
    if (key.length != 32) {
      throw new IllegalArgumentException("must be 32 bytes, Base64-encoded (the value is not shown)");
    }
    return t;
  }

  private static String postgresUrl(String text) {
    String t = text.trim();
    if (t.isEmpty()) {
      return t;
    }
    if (!t.startsWith("postgresql://") && !t.startsWith("postgres://")) {
      throw new IllegalArgumentException("must be a postgresql:// URL");
    }
    try {
      URI uri = URI.create(t);
      if (uri.getHost() == null) {
        throw new IllegalArgumentException("the URL has no host");
      }
    } catch (IllegalArgumentException e) {
      // the text may hold a password: never echo it
      throw new IllegalArgumentException("not a valid postgresql:// URL");
    }
    return t;
  }

  private static java.util.function.Function<String, String> nonEmpty() {
    return text -> {
      if (text.isBlank()) {
        throw new IllegalArgumentException("must not be empty");
      }
      return text.trim();
    };
  }

  private static java.util.function.Function<String, String> oneOf(String... allowed) {
    return text -> {
      String t = text.trim();
      for (String a : allowed) {
        if (a.equals(t)) {
          return t;
        }
      }
      throw new IllegalArgumentException("'" + t + "' is not one of " + String.join(", ", allowed));
    };
  }

  private static String vapidSubject(String value) {
    if (!value.startsWith("mailto:") && !value.startsWith("https://")) {
      throw new IllegalArgumentException("'" + value + "' is neither a mailto: nor an https: URI");
    }
    return value;
  }
}
