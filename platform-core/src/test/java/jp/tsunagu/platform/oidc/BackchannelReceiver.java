package jp.tsunagu.platform.oidc;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A relying party's back-channel logout endpoint on loopback: records every logout token it is sent. */
final class BackchannelReceiver implements AutoCloseable {
  private final Vertx vertx = Vertx.vertx();
  private final LinkedBlockingQueue<String> tokens = new LinkedBlockingQueue<>();
  private final HttpServer server;
  private volatile int failuresLeft;

  BackchannelReceiver(int failFirst) throws Exception {
    this.failuresLeft = failFirst;
    Router router = Router.router(vertx);
    router.post("/logout").handler(BodyHandler.create()).handler(ctx -> {
      if (failuresLeft > 0) {
        failuresLeft--;
        ctx.response().setStatusCode(503).end();
        return;
      }
      tokens.add(ctx.request().getFormAttribute("logout_token"));
      ctx.response().setStatusCode(200).putHeader("Cache-Control", "no-store").end();
    });
    server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
  }

  String uri() {
    return "http://127.0.0.1:" + server.actualPort() + "/logout";
  }

  /** The next logout token received, waiting at most the given seconds. */
  String next(int seconds) throws InterruptedException {
    String t = tokens.poll(seconds, TimeUnit.SECONDS);
    if (t == null) {
      throw new AssertionError("no logout token within " + seconds + " s");
    }
    return t;
  }

  /** The next logout token for the given session (tokens of other sessions are passed over). */
  String nextFor(String sid, int seconds) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (true) {
      String t = tokens.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      if (t == null) {
        throw new AssertionError("no logout token for session " + sid + " within " + seconds + " s");
      }
      if (sid.equals(com.nimbusds.jwt.SignedJWT.parse(t).getJWTClaimsSet().getStringClaim("sid"))) {
        return t;
      }
    }
  }

  @Override
  public void close() {
    vertx.close();
  }
}
