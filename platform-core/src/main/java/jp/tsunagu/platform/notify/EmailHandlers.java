package jp.tsunagu.platform.notify;

import static jp.tsunagu.platform.http.Api.body;
import static jp.tsunagu.platform.http.Api.respond;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import jp.tsunagu.platform.http.Auth;
import jp.tsunagu.platform.http.ProblemException;

/** HTTP adapter of the e-mail channel and of the mail provider's bounce and complaint reports. */
public final class EmailHandlers {
  private final EmailChannel channel;
  private final Auth auth;
  private final String mailEventSecret;

  EmailHandlers(EmailChannel channel, Auth auth, String mailEventSecret) {
    this.channel = channel;
    this.auth = auth;
    this.mailEventSecret = mailEventSecret;
  }

  public void getMyEmailChannel(RoutingContext ctx) {
    respond(ctx, 200, auth.citizen(ctx).compose(a -> channel.state(a.id())));
  }

  public void requestEmailChannel(RoutingContext ctx) {
    respond(ctx, 202, auth.citizen(ctx).compose(channel::request));
  }

  public void stopEmailChannel(RoutingContext ctx) {
    respond(ctx, 204, auth.citizen(ctx).compose(a -> channel.stop(a.id(), "unsubscribed")));
  }

  public void confirmEmailChannel(RoutingContext ctx) {
    respond(ctx, 200, channel.confirm(body(ctx).getString("token")).map(v -> new JsonObject().put("state", "active")));
  }

  /** A hard bounce or complaint from the mail provider, authenticated by the shared secret (Bearer). */
  public void reportMailEvent(RoutingContext ctx) {
    JsonObject b = body(ctx);
    respond(ctx, 200, authorised(ctx)
        .compose(v -> channel.stopAddress(b.getString("address"), b.getString("type")))
        .map(n -> new JsonObject().put("stopped", n)));
  }

  private Future<Void> authorised(RoutingContext ctx) {
    if (mailEventSecret.isEmpty()) {
      return Future.failedFuture(new ProblemException(404, "not-found", "Not found", "Mail events are not enabled on this platform"));
    }
    String header = ctx.request().getHeader("Authorization");
    String sent = header != null && header.startsWith("Bearer ") ? header.substring(7).strip() : "";
    boolean ok = MessageDigest.isEqual(sent.getBytes(StandardCharsets.UTF_8), mailEventSecret.getBytes(StandardCharsets.UTF_8));
    return ok ? Future.succeededFuture() : Future.failedFuture(ProblemException.unauthorized("A valid mail-event secret is required"));
  }
}
