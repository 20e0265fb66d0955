package jp.tsunagu.consent.receipt;

import com.nimbusds.jwt.JWTClaimsSet;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import jp.tsunagu.consent.ledger.ConsentRecord;

/**
 * The claims of a consent receipt: the Kantara Consent Receipt v1.1 fields at the top level, and
 * the ISO/IEC TS 27560 record (state, version, actor, notice) under {@code consentRecord}.
 */
final class ReceiptClaims {
  static final String KANTARA_VERSION = "KI-CR-v1.1.0";
  static final String RECORD = "consentRecord";

  private ReceiptClaims() {}

  static JWTClaimsSet of(ConsentRecord r, UUID jti, Instant issuedAt) {
    List<Object> purposes = r.purposes().stream().sorted().<Object>map(p -> Map.of(
        "purpose", p,
        "consentType", "EXPLICIT",
        "purposeCategory", List.of(p),
        "piiCategory", r.items().stream().sorted().toList(),
        "primaryPurpose", true,
        "termination", r.expiresAt().map(e -> "withdrawal or " + e).orElse("withdrawal"),
        "thirdPartyDisclosure", true,
        "thirdPartyName", r.serviceId()))
        .toList();
    Map<String, Object> record = new LinkedHashMap<>();
    record.put("recordId", r.id().toString());
    record.put("recordVersion", r.version());
    record.put("state", r.state().dbValue());
    record.put("tenant", r.tenantId());
    record.put("service", r.serviceId());
    record.put("noticeVersion", r.noticeVersion());
    record.put("items", r.items().stream().sorted().toList());
    record.put("purposes", r.purposes().stream().sorted().toList());
    record.put("actor", actor(r));
    record.put("createdAt", r.createdAt().toString());
    record.put("stateChangedAt", r.stateChangedAt().toString());
    r.expiresAt().ifPresent(e -> record.put("expiresAt", e.toString()));
    r.supersededBy().ifPresent(s -> record.put("supersededBy", s.toString()));
    return new JWTClaimsSet.Builder()
        .jwtID(jti.toString())
        .subject(r.citizenId())
        .issueTime(Date.from(issuedAt))
        .claim("version", KANTARA_VERSION)
        .claim("jurisdiction", "JP")
        .claim("consentTimestamp", r.createdAt().getEpochSecond())
        .claim("collectionMethod", r.actor().kind().dbValue() + " via " + r.actor().channel().dbValue())
        .claim("consentReceiptID", jti.toString())
        .claim("language", "ja")
        .claim("piiPrincipalId", r.citizenId())
        .claim("piiControllers", List.of(Map.of("piiController", r.tenantId(), "onBehalf", false)))
        .claim("services", List.of(Map.of("service", r.serviceId(), "purposes", purposes)))
        .claim("sensitive", false)
        .claim("spiCat", List.of())
        .claim(RECORD, record)
        .build();
  }

  private static Map<String, Object> actor(ConsentRecord r) {
    Map<String, Object> actor = new LinkedHashMap<>();
    actor.put("kind", r.actor().kind().dbValue());
    actor.put("id", r.actor().id());
    actor.put("channel", r.actor().channel().dbValue());
    r.actor().evidenceRef().ifPresent(e -> actor.put("evidenceRef", e));
    return actor;
  }
}
