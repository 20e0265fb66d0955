package jp.tsunagu.platform.http;

import io.vertx.ext.web.handler.SecurityPolicyHandler;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;

/**
 * Headers every response carries: no framing (clickjacking), a strict content security policy, no
 * MIME sniffing, no referrer (links carry one-time tokens), no caching of personal data; plus the
 * cross-site request check for the JSON API: an unsafe request whose Origin is not ours is refused.
 */
public final class SecurityHeaders implements SecurityPolicyHandler {
  private static final String CSP = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
      + "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

  private final String publicOrigin;
  private final boolean https;

  public SecurityHeaders(String publicUrl) {
    java.net.URI uri = java.net.URI.create(publicUrl);
    this.publicOrigin = uri.getScheme() + "://" + uri.getAuthority();
    this.https = "https".equals(uri.getScheme());
  }

  @Override
  public void handle(RoutingContext ctx) {
    MultiMap h = ctx.response().headers();
    h.set("X-Frame-Options", "DENY");
    h.set("Content-Security-Policy", CSP);
    h.set("X-Content-Type-Options", "nosniff");
    h.set("Referrer-Policy", "no-referrer");
    h.set("Cross-Origin-Opener-Policy", "same-origin");
    h.set("Permissions-Policy", "camera=(), microphone=(), geolocation=(self)");
    if (https) {
      h.set("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
    }
    if (!ctx.request().path().startsWith("/static/")) {
      h.set("Cache-Control", "no-store");
    }
    HttpMethod m = ctx.request().method();
    boolean unsafe = m != HttpMethod.GET && m != HttpMethod.HEAD && m != HttpMethod.OPTIONS;
    String origin = ctx.request().getHeader("Origin");
    // The OpenID endpoints under /oauth2/ are called cross-site by design (relying parties' pages post
    // to them) and authenticate the client, not the browser's cookies.
    boolean oauth = ctx.request().path().startsWith("/oauth2/");
    if (unsafe && !oauth && origin != null && !origin.equals(publicOrigin) && !sameHost(ctx, origin)) {
      ctx.fail(new ProblemException(403, "cross-site-request", "Cross-site request refused",
          "Requests that change data must come from " + publicOrigin));
      return;
    }
    ctx.next();
  }

  /**
   * The page policy, with redirects after a form post allowed to one more origin: the relying
   * party a sign-in or consent form sends the browser back to (CSP form-action covers redirects).
   */
  public static String policyAllowingFormTarget(String origin) {
    return CSP.replace("form-action 'self'", "form-action 'self' " + origin);
  }

  /** Also accept the origin the request was actually addressed to (a node reached directly). */
  private static boolean sameHost(RoutingContext ctx, String origin) {
    String host = ctx.request().authority() == null ? null : ctx.request().authority().toString();
    return host != null && (origin.equals("http://" + host) || origin.equals("https://" + host));
  }
}
