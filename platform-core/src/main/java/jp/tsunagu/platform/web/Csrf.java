package jp.tsunagu.platform.web;

import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.Session;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import jp.tsunagu.platform.http.ProblemException;

/**
 * Synchronizer tokens for the HTML forms. Each session holds a random nonce; a form carries
 * HMAC-SHA256(key, nonce), which is recomputed and compared in constant time on every POST. The key
 * is generated once per deployment and kept in {@code platform_secret}, so every node of the
 * cluster accepts a form rendered by any other node. The session store never holds a valid token.
 */
final class Csrf {
  static final String FIELD = "csrf";
  static final String SECRET_NAME = "web.csrf";
  private static final String NONCE = "csrf.nonce";
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  private final jp.tsunagu.platform.consentlink.PlatformSecrets secrets;
  private volatile Future<SecretKeySpec> key;

  Csrf(jp.tsunagu.platform.consentlink.PlatformSecrets secrets) {
    this.secrets = secrets;
    this.key = load();
  }

  /** The token for forms rendered in this session (creating the session's nonce if needed). */
  Future<String> token(RoutingContext ctx) {
    Session session = ctx.session();
    String nonce = session.get(NONCE);
    if (nonce == null) {
      nonce = random();
      session.put(NONCE, nonce);
    }
    String n = nonce;
    return key().map(k -> mac(k, n));
  }

  /** Route handler: lets a POST through only with the session's token in the form. */
  void verify(RoutingContext ctx) {
    Session session = ctx.session();
    String nonce = session == null ? null : session.get(NONCE);
    String sent = ctx.request().getFormAttribute(FIELD);
    if (nonce == null || sent == null) {
      ctx.fail(expired());
      return;
    }
    key().onComplete(ar -> {
      if (ar.failed()) {
        ctx.fail(ar.cause());
      } else if (MessageDigest.isEqual(mac(ar.result(), nonce).getBytes(StandardCharsets.US_ASCII),
          sent.getBytes(StandardCharsets.US_ASCII))) {
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

  private Future<SecretKeySpec> key() {
    Future<SecretKeySpec> current = key;
    if (current.failed()) {
      current = load();
      key = current;
    }
    return current;
  }

  /** Stores a fresh key unless one exists, then reads the one that won (on every node the same). */
  private Future<SecretKeySpec> load() {
    return secrets.getOrCreate(SECRET_NAME, () -> {
      byte[] fresh = new byte[32];
      RANDOM.nextBytes(fresh);
      return fresh;
    }).map(bytes -> new SecretKeySpec(bytes, "HmacSHA256"));
  }

  private static String mac(SecretKeySpec key, String nonce) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return B64.encodeToString(mac.doFinal(("csrf\0" + nonce).getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
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
