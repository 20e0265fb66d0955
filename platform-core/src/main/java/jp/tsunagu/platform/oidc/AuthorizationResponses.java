package jp.tsunagu.platform.oidc;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The redirects that end an authorization request at the client's redirect URI: the code (RFC 6749
 * §4.1.2) or the error (§4.1.2.1), each with the request's {@code state} and the issuer as {@code iss}
 * against mix-up (RFC 9207).
 */
public final class AuthorizationResponses {
  private final String issuer;

  AuthorizationResponses(String issuer) {
    this.issuer = issuer;
  }

  String code(Flow flow, String code) {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("code", code);
    if (flow.request().state() != null) {
      p.put("state", flow.request().state());
    }
    p.put("iss", issuer);
    return append(flow.request().redirectUri(), p);
  }

  String error(String redirect, String error, String description, String state) {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("error", error);
    p.put("error_description", description);
    if (state != null) {
      p.put("state", state);
    }
    p.put("iss", issuer);
    return append(redirect, p);
  }

  static String append(String uri, Map<String, String> params) {
    StringBuilder out = new StringBuilder(uri).append(uri.contains("?") ? '&' : '?');
    boolean first = true;
    for (Map.Entry<String, String> e : params.entrySet()) {
      if (!first) {
        out.append('&');
      }
      first = false;
      out.append(e.getKey()).append('=').append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
    }
    return out.toString();
  }

  /** The origin (scheme and authority) of a redirect URI, which the pages' forms may post towards. */
  public static String origin(String uri) {
    URI u = URI.create(uri);
    return u.getScheme() + "://" + u.getRawAuthority();
  }
}
