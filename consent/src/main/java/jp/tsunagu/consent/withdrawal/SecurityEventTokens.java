package jp.tsunagu.consent.withdrawal;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jwt.JWTClaimsSet;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import jp.tsunagu.consent.jose.JwsIssuer;
import jp.tsunagu.consent.ledger.ConsentRecord;

/** Security Event Tokens (RFC 8417) telling a service that a citizen withdrew consent. */
public final class SecurityEventTokens {
  public static final JOSEObjectType TYPE = new JOSEObjectType("secevent+jwt");
  public static final String CONSENT_WITHDRAWN = "https://schemas.tsunagu.jp/secevent/consent/withdrawn";

  private final JwsIssuer issuer;

  public SecurityEventTokens(JwsIssuer issuer) {
    this.issuer = issuer;
  }

  /**
   * A SET for {@code audience} (the service's client id) about {@code withdrawn}; the citizen is
   * named by {@code subject}, the service's own (pairwise) identifier, in RFC 9493 opaque format.
   */
  public String consentWithdrawn(ConsentRecord withdrawn, String subject, String audience, UUID jti, Instant now) {
    Map<String, Object> event = new LinkedHashMap<>();
    event.put("subject", Map.of("format", "opaque", "id", subject));
    event.put("consent_id", withdrawn.id().toString());
    event.put("tenant", withdrawn.tenantId());
    event.put("items", withdrawn.items().stream().sorted().toList());
    event.put("purposes", withdrawn.purposes().stream().sorted().toList());
    event.put("notice_version", withdrawn.noticeVersion());
    event.put("event_timestamp", withdrawn.stateChangedAt().getEpochSecond());
    JWTClaimsSet claims = new JWTClaimsSet.Builder()
        .jwtID(jti.toString())
        .issueTime(Date.from(now))
        .audience(audience)
        .claim("events", Map.of(CONSENT_WITHDRAWN, event))
        .build();
    return issuer.sign(TYPE, claims);
  }
}
