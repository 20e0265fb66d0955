package jp.tsunagu.platform.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.SessionHandler;
import io.vertx.ext.web.sstore.LocalSessionStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import jp.tsunagu.platform.consentlink.PlatformSecrets;
import jp.tsunagu.platform.testing.TestPlatform;
import org.junit.jupiter.api.Test;

/** The pages' failure handler when the error page itself cannot be rendered. */
class PageErrorsIT {

  @Test
  void aFailingErrorPageAnswersAPlain500OnceInsteadOfFailingAgain() throws Exception {
    try (TestPlatform node = TestPlatform.start()) {
      Vertx vertx = Vertx.vertx();
      try {
        Csrf csrf = new Csrf(PlatformSecrets.of(node.platform().services().pool(), node.platform().services().config()));
        PageErrors errors = new PageErrors(new View(vertx, csrf, false), "broken-error-page");
        AtomicInteger handled = new AtomicInteger();
        Router router = Router.router(vertx);
        router.route().handler(SessionHandler.create(LocalSessionStore.create(vertx)));
        router.get("/fails").handler(ctx -> ctx.fail(new IllegalStateException("a page failed")));
        router.route().failureHandler(ctx -> {
          handled.incrementAndGet();
          errors.handle(ctx);
        });
        HttpServer server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1")
            .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + server.actualPort() + "/fails")).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofString());
        assertEquals(500, r.statusCode());
        assertEquals("500 Internal Server Error\n", r.body());
        assertEquals("text/plain; charset=utf-8", r.headers().firstValue("Content-Type").orElse(""));
        assertEquals(1, handled.get(), "the failure handler ran once");
      } finally {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      }
    }
  }
}
