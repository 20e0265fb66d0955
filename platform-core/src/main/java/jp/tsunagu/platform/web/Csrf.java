package jp.tsunagu.platform.web;

import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.Session;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import jp.tsunagu.platform.http.ProblemException;
import jp.tsunagu.platform.http.SessionFlush;
import jp.tsunagu.platform.security.HmacSha256;

/**
 * Synchronizer tokens for the HTML forms. Each session holds a random nonce; a form carries
 * HMAC-SHA256(key, nonce), which is recomputed and compared in constant time on every POST. The key
 * is generated once per deployment and kept in {@code platform_secret}, so every node of the
 * cluster accepts a form rendered by any other node. The session store never holds a valid token.
 *
 * <p>The pages of an authorization flow carry HMAC-SHA256(key, the flow's binding) instead when the
 * session has no nonce: the binding is the secret of the flow's cookie (HttpOnly, SameSite=Lax,
 * sent only to the flow's own path), so a form of the flow verifies against the cookie its browser
 * presents, and showing a sign-in page to a browser without a session stores nothing.
 */
final class Csrf {
  static final String FIELD = "csrf";
  static final String SECRET_NAME = "web.csrf";
  private static final String NONCE = "csrf.nonce";
  /** Kept apart from session nonces (base64url, never containing a NUL). */
  private static final String FLOW = "flow\0";
  private static final String FLOW_BINDING = "tsunagu.csrf.flowBinding";
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  private final jp.tsunagu.platform.consentlink.PlatformSecrets secrets;
  private volatile Future<ThreadLocal<Mac>> key;

  Csrf(jp.tsunagu.platform.consentlink.PlatformSecrets secrets) {
    this.secrets = secrets;
    this.key = load();
  }

  /**
   * The token for forms rendered in this session (creating the session's nonce if needed), or, on a
   * page of an authorization flow ({@link #forFlow}) whose session has no nonce, the flow's token.
   */
  Future<String> token(RoutingContext ctx) {
    Session session = SessionFlush.existing(ctx);
    String nonce = session == null ? null : session.get(NONCE);
    if (nonce == null) {
      String binding = ctx.get(FLOW_BINDING);
      if (binding != null) {
        return key().map(k -> mac(k, FLOW + binding));
      }
      nonce = random();
      ctx.session().put(NONCE, nonce);
    }
    String n = nonce;
    return key().map(k -> mac(k, n));
  }

  /** Marks the page being rendered as one of the flow whose cookie holds {@code binding}. */
  static void forFlow(RoutingContext ctx, String binding) {
    ctx.put(FLOW_BINDING, binding);
  }

  /** Route handler: lets a POST through only with the session's token, or the token of the flow whose cookie came with it. */
  void verify(RoutingContext ctx) {
    Session session = SessionFlush.existing(ctx);
    String nonce = session == null ? null : session.get(NONCE);
    io.vertx.core.http.Cookie flow = ctx.request().getCookie(AuthorizePages.FLOW_COOKIE);
    String binding = flow == null ? null : flow.getValue();
    String sent = ctx.request().getFormAttribute(FIELD);
    if ((nonce == null && binding == null) || sent == null) {
      ctx.fail(expired());
      return;
    }
    byte[] presented = sent.getBytes(StandardCharsets.US_ASCII);
    key().onComplete(ar -> {
      if (ar.failed()) {
        ctx.fail(ar.cause());
      } else if ((nonce != null && MessageDigest.isEqual(mac(ar.result(), nonce).getBytes(StandardCharsets.US_ASCII), presented))
          || (binding != null && MessageDigest.isEqual(mac(ar.result(), FLOW + binding).getBytes(StandardCharsets.US_ASCII), presented))) {
        ctx.next();
      } else {
        ctx.fail(expired());
      }
    });
  }

  /** A new nonce after signing in or out, so tokens from before the change stop working. */
  static void rotate(RoutingContext ctx) {
    if (ctx.session() != null && !ctx.session().isDestroyed()) {
      ctx.session().remove(NONCE);
    }
  }

  private Future<ThreadLocal<Mac>> key() {
    Future<ThreadLocal<Mac>> current = key;
    if (current.failed()) {
      current = load();
      key = current;
    }
    return current;
  }

  /** Stores a fresh key unless one exists, then reads the one that won (on every node the same). */
  private Future<ThreadLocal<Mac>> load() {
    return secrets.getOrCreate(SECRET_NAME, () -> {
      byte[] fresh = new byte[32];
      RANDOM.nextBytes(fresh);
      return fresh;
    }).map(HmacSha256::perThread);
  }

  private static String mac(ThreadLocal<Mac> key, String nonce) {
    return B64.encodeToString(key.get().doFinal(("csrf\0" + nonce).getBytes(StandardCharsets.UTF_8)));
  }

  private static String random() {
    byte[] b = new byte[32];
    RANDOM.nextBytes(b);
    return B64.encodeToString(b);
  }

  static ProblemException expired() {
    return new ProblemException(403, "csrf", "Form expired",
        "The form has expired or did not come from this site; reload the page and try again");
  }
}
