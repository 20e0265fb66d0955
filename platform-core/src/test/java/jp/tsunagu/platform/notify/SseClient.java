package jp.tsunagu.platform.notify;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import jp.tsunagu.api.invoker.ApiClient;

/** A browser's EventSource in a test: reads the live inbox stream of a signed-in client, event by event. */
final class SseClient implements AutoCloseable {
  private final BlockingQueue<JsonObject> events = new LinkedBlockingQueue<>();
  private final CompletableFuture<HttpResponse<Stream<String>>> response;
  private final CompletableFuture<Void> ready = new CompletableFuture<>();
  private volatile int status;
  private volatile String contentType;

  SseClient(ApiClient client, String baseUrl, Long lastEventId) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + "/api/v1/me/notifications/stream"))
        .header("Accept", "text/event-stream").GET();
    if (lastEventId != null) {
      request.header("Last-Event-ID", String.valueOf(lastEventId));
    }
    response = client.getHttpClient().sendAsync(request.build(), HttpResponse.BodyHandlers.ofLines());
    response.thenAccept(r -> {
      status = r.statusCode();
      contentType = r.headers().firstValue("Content-Type").orElse("");
      if (status != 200) {
        ready.complete(null);
        return;
      }
      StringBuilder data = new StringBuilder();
      r.body().forEach(line -> {
        if (line.equals(": ready")) {
          ready.complete(null);
        } else if (line.startsWith("data: ")) {
          data.append(line.substring(6));
        } else if (line.isEmpty() && !data.isEmpty()) {
          events.add(new JsonObject(data.toString()));
          data.setLength(0);
        }
      });
    });
  }

  /** Waits until the server has subscribed the stream to the citizen's address; returns the HTTP status. */
  int awaitReady(Duration timeout) throws Exception {
    ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    return status;
  }

  String contentType() {
    return contentType;
  }

  /** The next event, or null when none comes in time. */
  JsonObject next(Duration timeout) throws InterruptedException {
    return events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    response.thenAccept(r -> r.body().close());
    response.cancel(true);
  }
}
