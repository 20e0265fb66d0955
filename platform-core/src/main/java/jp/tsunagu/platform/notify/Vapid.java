package jp.tsunagu.platform.notify;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;

/**
 * The platform's VAPID identity (RFC 8292): one P-256 key for every node (kept in
 * {@code platform_secret}), an ES256 JWT per push service origin in the {@code Authorization:
 * vapid t=…, k=…} header, valid 12 hours, naming the operator's contact as {@code sub}. A token is
 * signed once per origin and reused for the first half of its life (RFC 8292 lets a token be used
 * until it expires), so signing costs one ECDSA signature per push service every 6 hours rather
 * than one per message.
 */
public final class Vapid {
  private final ECKey key;
  private final String subject;
  private final String publicKey;
  private final java.util.concurrent.ConcurrentHashMap<String, Signed> signed = new java.util.concurrent.ConcurrentHashMap<>();

  /** A header signed for an origin, and until when it is handed out again. */
  private record Signed(String header, Instant reuseUntil) {}

  private static final long LIFETIME_SECONDS = 12 * 3600;

  Vapid(ECKey key, String subject) {
    this.key = key;
    this.subject = subject;
    try {
      this.publicKey = Base64.getUrlEncoder().withoutPadding().encodeToString(WebPushCrypto.encode(key.toECPublicKey()));
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  static byte[] generate() {
    try {
      return new ECKeyGenerator(Curve.P_256).generate().toJSONString().getBytes(StandardCharsets.UTF_8);
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  static Vapid of(byte[] stored, String subject) {
    try {
      return new Vapid(ECKey.parse(new String(stored, StandardCharsets.UTF_8)), subject);
    } catch (ParseException e) {
      throw new IllegalStateException("the stored VAPID key is unreadable", e);
    }
  }

  /** The application server key browsers subscribe with (base64url, uncompressed point). */
  public String publicKey() {
    return publicKey;
  }

  /** The Authorization header value for a push endpoint: the origin's token while it is fresh, else a new one. */
  String authorization(String endpoint, Instant now) {
    URI uri = URI.create(endpoint);
    String audience = uri.getScheme() + "://" + uri.getRawAuthority();
    Signed cached = signed.get(audience);
    if (cached != null && now.isBefore(cached.reuseUntil())) {
      return cached.header();
    }
    String header = sign(audience, now);
    if (signed.size() > 1_000) {
      signed.clear(); // push services are few; this only bounds a flood of made-up origins
    }
    signed.put(audience, new Signed(header, now.plusSeconds(LIFETIME_SECONDS / 2)));
    return header;
  }

  /** A freshly signed header for an origin (every call signs). */
  String sign(String audience, Instant now) {
    JWTClaimsSet claims = new JWTClaimsSet.Builder().audience(audience).expirationTime(Date.from(now.plusSeconds(LIFETIME_SECONDS)))
        .subject(subject).build();
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).type(JOSEObjectType.JWT).build(), claims);
    try {
      jwt.sign(new ECDSASigner(key));
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
    return "vapid t=" + jwt.serialize() + ", k=" + publicKey;
  }
}
