package jp.tsunagu.platform.mail;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.mail.MailClient;
import io.vertx.ext.mail.MailConfig;
import io.vertx.ext.mail.MailMessage;
import io.vertx.ext.mail.StartTLSOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import jp.tsunagu.platform.config.TsunaguConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the mail outbox over SMTP. Rows are claimed with a lease ({@code FOR UPDATE SKIP
 * LOCKED}), so several nodes share the work without sending a mail twice in normal operation; a
 * failed send is retried with exponential backoff up to 10 attempts. A round goes on batch after
 * batch while there is more, over up to 8 kept-alive SMTP connections (commands pipelined where
 * the server offers PIPELINING), and marks each batch's sent mail in one statement.
 */
public final class MailSender {
  private static final Logger LOG = LoggerFactory.getLogger(MailSender.class);
  private static final int BATCH = 200;
  private static final int MAX_ATTEMPTS = 10;

  private final Vertx vertx;
  private final Pool pool;
  private final MailClient client;
  private final String from;
  private long timer = -1;
  private io.vertx.core.eventbus.MessageConsumer<Object> queued;
  private boolean running;

  public MailSender(Vertx vertx, Pool pool, TsunaguConfig config) {
    this.vertx = vertx;
    this.pool = pool;
    this.from = config.get(TsunaguConfig.MAIL_FROM);
    MailConfig mail = new MailConfig()
        .setHostname(config.get(TsunaguConfig.SMTP_HOST))
        .setPort(config.get(TsunaguConfig.SMTP_PORT))
        .setKeepAlive(true)
        .setPipelining(true)
        .setMaxPoolSize(16);
    switch (config.get(TsunaguConfig.SMTP_TLS)) {
      case "none" -> mail.setStarttls(StartTLSOptions.DISABLED);
      case "tls" -> mail.setSsl(true).setStarttls(StartTLSOptions.DISABLED);
      default -> mail.setStarttls(StartTLSOptions.REQUIRED);
    }
    if (!config.get(TsunaguConfig.SMTP_USERNAME).isEmpty()) {
      mail.setUsername(config.get(TsunaguConfig.SMTP_USERNAME)).setPassword(config.get(TsunaguConfig.SMTP_PASSWORD));
    }
    this.client = MailClient.create(vertx, mail);
  }

  /** Drains every {@code periodMillis}, and at once when this node queues mail ({@link MailOutbox#QUEUED}). */
  public void start(long periodMillis) {
    timer = vertx.setPeriodic(periodMillis, id -> drain());
    queued = vertx.eventBus().localConsumer(MailOutbox.QUEUED, m -> drain());
  }

  /** Sends what is due now, batch after batch until one comes back short; several calls at once collapse into one run. */
  public Future<Integer> drain() {
    if (running) {
      return Future.succeededFuture(0);
    }
    running = true;
    return rounds(0).onComplete(ar -> running = false);
  }

  private Future<Integer> rounds(int sentSoFar) {
    return claim().compose(batch -> sendAll(batch)
        .compose(sent -> batch.size() == BATCH ? rounds(sentSoFar + sent) : Future.succeededFuture(sentSoFar + sent)));
  }

  private record Pending(long id, String to, String subject, String body, int attempts, io.vertx.core.json.JsonObject headers) {}

  private Future<List<Pending>> claim() {
    return pool.preparedQuery(
            "UPDATE mail_outbox SET attempts = attempts + 1, next_try_at = now() + interval '2 minutes' "
                + "WHERE id IN (SELECT id FROM mail_outbox WHERE sent_at IS NULL AND attempts < $1 AND next_try_at <= now() "
                + "ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED) RETURNING id, to_address, subject, body_text, attempts, headers")
        .execute(Tuple.of(MAX_ATTEMPTS, BATCH))
        .map(rows -> {
          List<Pending> out = new ArrayList<>();
          for (Row r : rows) {
            out.add(new Pending(r.getLong(0), r.getString(1), r.getString(2), r.getString(3), r.getInteger(4), r.getJsonObject(5)));
          }
          return out;
        });
  }

  /** Sends a batch over the pooled (kept-alive) SMTP connections; marks the sent ones in one statement. */
  private Future<Integer> sendAll(List<Pending> batch) {
    List<Future<Boolean>> sends = new ArrayList<>();
    for (Pending p : batch) {
      sends.add(send(p));
    }
    return Future.join(sends).transform(ar -> {
      Long[] sent = new Long[0];
      List<Long> ids = new ArrayList<>();
      for (int i = 0; i < batch.size(); i++) {
        if (sends.get(i).succeeded() && Boolean.TRUE.equals(sends.get(i).result())) {
          ids.add(batch.get(i).id());
        }
      }
      if (ids.isEmpty()) {
        return Future.succeededFuture(0);
      }
      return pool.preparedQuery("UPDATE mail_outbox SET sent_at = now(), last_error = NULL WHERE id = ANY($1)")
          .execute(Tuple.of(ids.toArray(sent))).map(ids.size());
    });
  }

  private Future<Boolean> send(Pending p) {
    MailMessage message = new MailMessage().setFrom(from).setTo(p.to()).setSubject(p.subject()).setText(p.body());
    if (p.headers() != null) {
      io.vertx.core.MultiMap headers = io.vertx.core.MultiMap.caseInsensitiveMultiMap();
      p.headers().forEach(e -> headers.add(e.getKey(), String.valueOf(e.getValue())));
      message.setHeaders(headers);
    }
    return client.sendMail(message)
        .map(true)
        .recover(err -> {
          long backoffSeconds = Math.min(3600, (long) Math.pow(2, p.attempts()) * 15);
          LOG.warn("mail {} not sent (attempt {}): {}", p.id(), p.attempts(), err.getMessage());
          return pool.preparedQuery("UPDATE mail_outbox SET last_error = $2, next_try_at = now() + make_interval(secs => $3) WHERE id = $1")
              .execute(Tuple.of(p.id(), String.valueOf(err.getMessage()), (double) backoffSeconds)).map(false);
        });
  }

  public void stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    if (queued != null) {
      queued.unregister();
    }
    client.close();
  }
}
