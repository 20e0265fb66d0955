package jp.tsunagu.consent.accesslog;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jwt.JWTClaimsSet;
import io.vertx.core.Future;
import java.time.Clock;
import java.util.Date;
import java.util.HexFormat;
import java.util.Set;
import java.util.UUID;
import jp.tsunagu.consent.ConsentError;
import jp.tsunagu.consent.jose.JwsIssuer;
import jp.tsunagu.consent.jose.JwsVerifier;

/**
 * Signed checkpoints of a citizen's chain: a JWS ({@code typ: access-log-checkpoint+jwt}) of the
 * head's seq and hash. Kept outside the database (by the citizen with their receipts, or by an
 * auditor), a checkpoint lets a later check detect a chain rewritten consistently or cut back,
 * which the hashes alone cannot.
 */
public final class AccessLogCheckpoints {
  public static final JOSEObjectType TYPE = new JOSEObjectType("access-log-checkpoint+jwt");

  private final AccessLogService log;
  private final JwsIssuer issuer;
  private final JwsVerifier verifier;
  private final Clock clock;

  public AccessLogCheckpoints(AccessLogService log, JwsIssuer issuer, Clock clock) {
    this.log = log;
    this.issuer = issuer;
    this.verifier = new JwsVerifier(issuer.keys(), TYPE, issuer.issuer(), Set.of("iss", "iat", "jti", "sub", "seq", "head"));
    this.clock = clock;
  }

  /** A signed checkpoint of the citizen's chain as it is now. */
  public Future<String> checkpoint(String citizenId) {
    return log.head(citizenId).map(head -> issuer.sign(TYPE, new JWTClaimsSet.Builder()
        .jwtID(UUID.randomUUID().toString())
        .subject(citizenId)
        .issueTime(Date.from(clock.instant()))
        .claim("seq", head.seq())
        .claim("head", HexFormat.of().formatHex(head.headHash()))
        .build()));
  }

  /** Verifies the checkpoint's signature, then the chain against it; {@code RECEIPT_INVALID} if forged. */
  public Future<ChainVerification> verify(String checkpointJws) {
    ChainHead checkpoint;
    try {
      JWTClaimsSet claims = verifier.verify(checkpointJws);
      checkpoint = new ChainHead(claims.getSubject(), claims.getLongClaim("seq"),
          HexFormat.of().parseHex(claims.getStringClaim("head")));
    } catch (java.text.ParseException | RuntimeException e) {
      return Future.failedFuture(ConsentError.RECEIPT_INVALID.exception("checkpoint: " + e.getMessage()));
    }
    return log.verify(checkpoint);
  }
}
