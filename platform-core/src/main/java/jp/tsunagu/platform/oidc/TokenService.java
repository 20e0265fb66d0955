package jp.tsunagu.platform.oidc;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import jp.tsunagu.platform.security.Tokens;

/**
 * The token endpoint's grants (RFC 6749 §4.1.3, §6, §4.4). A code is exchanged once, within its
 * lifetime, by the client it was issued to, with the same redirect URI and the PKCE verifier; a
 * second use revokes the grant made from it. A refresh token is replaced on every use; presenting
 * a replaced one revokes its whole family ({@link RefreshTokens}: a token names its grant and
 * generation, so the family is the grant's row). Each exchange and each rotation is one SQL statement
 * (one round trip, atomic on its own), so a failure leaves nothing half-written; only the
 * revocation that follows a replay is a second statement. A refresh returns no new ID token unless
 * {@code oidc.idTokenOnRefresh} asks for one (OIDC Core §12.2).
 */
public final class TokenService {
  public static final JOSEObjectType ACCESS_TOKEN_TYPE = new JOSEObjectType("at+jwt");
  private static final Pattern VERIFIER = Pattern.compile("[A-Za-z0-9._~-]{43,128}");

  private final Pool pool;
  private final GrantRepository grants;
  private final SigningKeys keys;
  private final Subjects subjects;
  private final String issuer;
  private final Clock clock;
  private final Duration accessLifetime;
  private final Duration idLifetime;
  private final Duration refreshLifetime;
  private final boolean idTokenOnRefresh;
  private final ServiceConsent consent;
  private final RefreshTokens refreshTokens;

  TokenService(Pool pool, GrantRepository grants, SigningKeys keys, Subjects subjects, String issuer, Clock clock,
               Duration accessLifetime, Duration idLifetime, Duration refreshLifetime, boolean idTokenOnRefresh, ServiceConsent consent,
               RefreshTokens refreshTokens) {
    this.consent = consent;
    this.refreshTokens = refreshTokens;
    this.pool = pool;
    this.grants = grants;
    this.keys = keys;
    this.subjects = subjects;
    this.issuer = issuer;
    this.clock = clock;
    this.accessLifetime = accessLifetime;
    this.idLifetime = idLifetime;
    this.refreshLifetime = refreshLifetime;
    this.idTokenOnRefresh = idTokenOnRefresh;
  }

  /** What a grant hands back before it is written as JSON. */
  private record Issued(Grant grant, String refreshToken, String nonce) {}

  /**
   * @param jkt the thumbprint of the key of the request's DPoP proof, or null: the access token is bound to it and, for a
   *            public client, so is the grant's refresh token (RFC 9449 §5)
   */
  public Future<JsonObject> exchangeCode(Client client, Map<String, String> p, String jkt) {
    String code = required(p, "code");
    String redirect = p.get("redirect_uri");
    String verifier = p.get("code_verifier");
    if (verifier != null && !VERIFIER.matcher(verifier).matches()) {
      return Future.failedFuture(OAuthError.invalidRequest("code_verifier must be 43 to 128 unreserved characters"));
    }
    boolean withRefresh = client.allows(Client.REFRESH_TOKEN);
    return grants.redeemCode(Tokens.sha256(code), client.clientId(), redirect, verifier == null ? null : s256(verifier),
            withRefresh, clock.instant().plus(refreshLifetime), client.confidential() ? null : jkt, jkt)
        .compose(found -> {
          if (found.isEmpty()) {
            return Future.failedFuture(OAuthError.invalidGrant("The code is not valid"));
          }
          GrantRepository.Redemption row = found.get();
          if (row.used()) {
            // RFC 6749 §4.1.2 / RFC 9700 §4.5: a replayed code revokes what it was exchanged for
            return grants.revokeGrant(pool, row.grant().id()).compose(v -> Future.failedFuture(OAuthError.invalidGrant("The code has been used already")));
          }
          if (!row.issued()) {
            OAuthError wrong = checkCode(client, row, redirect, verifier, jkt);
            return Future.failedFuture(wrong != null ? wrong : OAuthError.invalidGrant("The code has expired"));
          }
          String refresh = withRefresh ? refreshTokens.issue(row.grant().id(), 0) : null;
          return released(client, new Issued(row.grant(), refresh, row.nonce())).map(issued -> response(client, issued, true, jkt));
        });
  }

  /** @param jkt as for {@link #exchangeCode}; a refresh token bound to a key is refused without a proof of that key */
  public Future<JsonObject> refresh(Client client, Map<String, String> p, String jkt) {
    String presented = required(p, "refresh_token");
    Set<String> asked = p.get("scope") == null ? null : Scopes.parse(p.get("scope"));
    if (p.get("scope") != null && (asked == null || asked.isEmpty())) {
      return Future.failedFuture(OAuthError.invalidScope("scope must be space-separated scope names"));
    }
    Instant nextExpiry = clock.instant().plus(refreshLifetime);
    Optional<RefreshTokens.Presented> family = refreshTokens.read(presented);
    if (family.isPresent()) {
      RefreshTokens.Presented t = family.get();
      // a public client's family is bound to the key of the first proof it comes with, if its exchange had none
      return grants.rotateFamily(t.grantId(), t.generation(), client.clientId(), asked, nextExpiry, jkt, client.confidential() ? null : jkt)
          .compose(found -> {
            GrantRepository.Family f = found.map(GrantRepository.FamilyRotation::family).orElse(null);
            if (f == null || f.generation() == null || f.grant().revoked() || !f.grant().clientId().equals(client.clientId())
                || t.generation() > f.generation()) {
              return Future.failedFuture(OAuthError.invalidGrant("The refresh token is not valid"));
            }
            if (found.get().rotated()) {
              return issue(client, f.grant(), asked, refreshTokens.issue(t.grantId(), f.generation()), jkt);
            }
            if (f.dpopJkt() != null && !f.dpopJkt().equals(jkt)) {
              // whoever sent it does not hold the key: refused, and the family stays as it was
              return Future.failedFuture(OAuthError.invalidGrant("The refresh token is bound to a DPoP key; send a proof signed with it"));
            }
            // not rotated: an earlier generation is a replay; the live one was refused for its expiry or scope, or a concurrent
            // rotation of the same token took it first (a replay too)
            boolean live = f.expiresAt().isAfter(clock.instant());
            if (t.generation() < f.generation() || live && (asked == null || f.grant().scopes().containsAll(asked))) {
              return replayed(f.grant());
            }
            return Future.failedFuture(live ? OAuthError.invalidScope("A refresh cannot widen the granted scope")
                : OAuthError.invalidGrant("The refresh token has expired"));
          });
    }
    if (RefreshTokens.hasFormat(presented)) {
      return Future.failedFuture(OAuthError.invalidGrant("The refresh token is not valid"));
    }
    // a token of the earlier format: rotated into its grant's family
    return grants.rotateRefresh(Tokens.sha256(presented), client.clientId(), asked, nextExpiry)
        .compose(found -> {
          if (found.isEmpty() || found.get().row().grant().revoked() || !found.get().row().grant().clientId().equals(client.clientId())) {
            return Future.failedFuture(OAuthError.invalidGrant("The refresh token is not valid"));
          }
          GrantRepository.RefreshRow row = found.get().row();
          if (row.used()) {
            return replayed(row.grant());
          }
          if (!found.get().rotated()) {
            boolean widens = asked != null && !row.grant().scopes().containsAll(asked) && row.expiresAt().isAfter(clock.instant());
            return Future.failedFuture(widens ? OAuthError.invalidScope("A refresh cannot widen the granted scope")
                : OAuthError.invalidGrant("The refresh token has expired"));
          }
          return issue(client, row.grant(), asked, refreshTokens.issue(row.grant().id(), found.get().generation()), jkt);
        });
  }

  /** A refresh token presented again: its whole family is revoked. */
  private Future<JsonObject> replayed(Grant grant) {
    return grants.revokeGrant(pool, grant.id())
        .compose(v -> Future.failedFuture(OAuthError.invalidGrant("The refresh token has been used already; its family is revoked")));
  }

  /** The response to a rotation: the grant narrowed to the scope asked for, with the successor token. */
  private Future<JsonObject> issue(Client client, Grant g, Set<String> asked, String next, String jkt) {
    Grant grant = asked == null ? g : new Grant(g.id(), g.clientId(), g.accountId(), g.sid(), asked, g.authTime(), g.acr(), g.accountStamp(), false);
    return released(client, new Issued(grant, next, null)).map(issued -> response(client, issued, idTokenOnRefresh, jkt));
  }

  /**
   * Narrows what a grant releases to what the citizen's consent permits now: items left out or
   * withdrawn since drop from the scope, and without consent to the sign-in itself nothing is issued.
   */
  private Future<Issued> released(Client client, Issued issued) {
    Grant g = issued.grant();
    if (g.accountId() == null) {
      return Future.succeededFuture(issued);
    }
    return consent.releasable(client, g.accountId(), g.scopes()).compose(allowed -> {
      if (allowed.size() == g.scopes().size()) {
        return Future.succeededFuture(issued);
      }
      if (allowed.isEmpty() || g.scopes().contains(Scopes.OPENID) && !allowed.contains(Scopes.OPENID)) {
        return Future.failedFuture(OAuthError.invalidGrant("The citizen's consent to this service is not in force"));
      }
      return Future.succeededFuture(new Issued(new Grant(g.id(), g.clientId(), g.accountId(), g.sid(), allowed, g.authTime(), g.acr(),
          g.accountStamp(), g.revoked()), issued.refreshToken(), issued.nonce()));
    });
  }

  /** Service-to-platform calls: a token for the client itself, with API scopes only. */
  public Future<JsonObject> clientCredentials(Client client, Map<String, String> p, String jkt) {
    Set<String> asked = p.get("scope") == null ? new LinkedHashSet<>(client.scopes()) : Scopes.parse(p.get("scope"));
    if (asked == null) {
      return Future.failedFuture(OAuthError.invalidScope("scope must be space-separated scope names"));
    }
    asked.removeIf(s -> p.get("scope") == null && Scopes.CITIZEN.contains(s));
    for (String s : asked) {
      if (Scopes.CITIZEN.contains(s) || !client.scopes().contains(s)) {
        return Future.failedFuture(OAuthError.invalidScope("Not available to client credentials: " + s));
      }
    }
    Instant now = clock.instant();
    Claims at = accessClaims(now, client, client.clientId(), asked, null, jkt);
    JsonObject out = new JsonObject().put("access_token", keys.sign(JWSAlgorithm.RS256, ACCESS_TOKEN_TYPE, at))
        .put("token_type", tokenType(jkt)).put("expires_in", accessLifetime.toSeconds());
    if (!asked.isEmpty()) {
      out.put("scope", Scopes.join(asked));
    }
    return Future.succeededFuture(out);
  }

  private OAuthError checkCode(Client client, GrantRepository.Redemption row, String redirect, String verifier, String jkt) {
    if (!row.grant().clientId().equals(client.clientId())) {
      return OAuthError.invalidGrant("The code was issued to another client");
    }
    if (!row.codeExpiresAt().isAfter(clock.instant())) {
      return OAuthError.invalidGrant("The code has expired");
    }
    if (redirect == null || !redirect.equals(row.redirectUri())) {
      return OAuthError.invalidGrant("redirect_uri does not match the authorization request");
    }
    String challenge = row.codeChallenge();
    if (challenge == null && verifier != null) {
      return OAuthError.invalidGrant("code_verifier sent, but the request had no code_challenge");
    }
    if (challenge != null && verifier == null) {
      return OAuthError.invalidGrant("code_verifier is required");
    }
    if (challenge != null
        && !MessageDigest.isEqual(s256(verifier).getBytes(StandardCharsets.US_ASCII), challenge.getBytes(StandardCharsets.US_ASCII))) {
      return OAuthError.invalidGrant("code_verifier does not match the code_challenge");
    }
    // RFC 9449 §10: a code of a request that named a key is exchanged only with a proof of that key
    return row.dpopJkt() != null && !row.dpopJkt().equals(jkt)
        ? OAuthError.invalidDpopProof("The authorization request bound the code to a DPoP key; send a proof signed with it") : null;
  }

  private JsonObject response(Client client, Issued issued, boolean withIdToken, String jkt) {
    Instant now = clock.instant();
    Grant g = issued.grant();
    String sub = subjects.of(client, g.accountId());
    Claims at = accessClaims(now, client, sub, g.scopes(), g, jkt).put("gid", g.id().toString());
    String accessToken = keys.sign(JWSAlgorithm.RS256, ACCESS_TOKEN_TYPE, at);
    JsonObject out = new JsonObject().put("access_token", accessToken).put("token_type", tokenType(jkt))
        .put("expires_in", accessLifetime.toSeconds()).put("scope", Scopes.join(g.scopes()));
    if (issued.refreshToken() != null) {
      out.put("refresh_token", issued.refreshToken());
    }
    if (withIdToken && g.scopes().contains(Scopes.OPENID)) {
      Claims id = new Claims().put("iss", issuer).put("sub", sub).put("aud", client.clientId())
          .time("iat", now).time("exp", now.plus(idLifetime))
          .time("auth_time", g.authTime()).put("acr", g.acr()).put("amr", List.of("pwd"))
          .put("azp", client.clientId()).put("at_hash", halfHash(accessToken))
          .put("sid", g.sid()).put("nonce", issued.nonce());
      out.put("id_token", keys.sign(client.idTokenAlg(), JOSEObjectType.JWT, id));
    }
    return out;
  }

  /** The claims of an RFC 9068 access token (§2.2); the platform is its audience. */
  private Claims accessClaims(Instant now, Client client, String sub, Set<String> scopes, Grant g, String jkt) {
    Claims b = new Claims().put("iss", issuer).put("sub", sub).put("aud", issuer)
        .put("client_id", client.clientId()).time("iat", now).time("exp", now.plus(accessLifetime))
        .put("jti", UUID.randomUUID().toString()).confirmation(jkt);
    if (!scopes.isEmpty()) {
      b.put("scope", Scopes.join(scopes));
    }
    if (g != null && g.authTime() != null) {
      b.time("auth_time", g.authTime()).put("acr", g.acr());
    }
    return b;
  }

  /** DPoP for a token bound to a key (RFC 9449 §5), else Bearer. */
  private static String tokenType(String jkt) {
    return jkt == null ? "Bearer" : "DPoP";
  }

  /** The S256 code challenge of a verifier (RFC 7636 §4.2). */
  static String s256(String verifier) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(Tokens.sha256(verifier));
  }

  /** at_hash (OIDC Core §3.1.3.6): the left half of the SHA-256 of the access token, base64url. */
  static String halfHash(String token) {
    byte[] digest = Tokens.sha256(token);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, digest.length / 2));
  }

  private static String required(Map<String, String> p, String name) {
    String v = p.get(name);
    if (v == null || v.isEmpty()) {
      throw OAuthError.invalidRequest(name + " is required");
    }
    return v;
  }
}
