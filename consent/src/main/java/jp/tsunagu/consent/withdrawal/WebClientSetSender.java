package jp.tsunagu.consent.withdrawal;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.WebClient;
import java.net.URI;
import java.time.Duration;

/**
 * Push delivery of Security Event Tokens (RFC 8935): POST with {@code application/secevent+jwt};
 * 202 (or any 2xx) is delivered, 400 is a rejection by the receiver, 429 and 5xx and network
 * failures are retried, other statuses are rejections.
 */
public final class WebClientSetSender implements SetSender {
  private final WebClient client;
  private final long timeoutMillis;

  public WebClientSetSender(WebClient client, Duration timeout) {
    this.client = client;
    this.timeoutMillis = timeout.toMillis();
  }

  @Override
  public Future<SetDelivery> deliver(URI endpoint, String setJws) {
    return client.requestAbs(io.vertx.core.http.HttpMethod.POST, endpoint.toString())
        .putHeader("Content-Type", "application/secevent+jwt")
        .putHeader("Accept", "application/json")
        .timeout(timeoutMillis)
        .sendBuffer(Buffer.buffer(setJws))
        .map(response -> classify(response.statusCode(), response.bodyAsString()))
        .recover(failure -> Future.succeededFuture(new SetDelivery.Retry(String.valueOf(failure.getMessage()))));
  }

  static SetDelivery classify(int status, String body) {
    if (status >= 200 && status < 300) {
      return new SetDelivery.Delivered();
    }
    String reason = "HTTP " + status + (body == null || body.isBlank() ? "" : ": " + abbreviate(body));
    if (status == 429 || status >= 500) {
      return new SetDelivery.Retry(reason);
    }
    return new SetDelivery.Rejected(reason);
  }

  private static String abbreviate(String body) {
    return body.length() <= 300 ? body : body.substring(0, 300);
  }
}
