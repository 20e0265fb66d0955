package jp.tsunagu.consent.receipt;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jwt.JWTClaimsSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import jp.tsunagu.consent.ConsentError;
import jp.tsunagu.consent.jose.JwsVerifier;
import jp.tsunagu.consent.jose.SigningKeySource;
import jp.tsunagu.consent.ledger.ConsentState;

/**
 * Checks a receipt offline: platform signature (accepted algorithms only), {@code typ}
 * {@code consent-receipt+jwt}, issuer, and well-formed claims. Anything else fails with
 * {@code RECEIPT_INVALID}. Ledger checks (issued by us, still current, presented once) are in
 * {@link ReceiptService}.
 */
public final class ReceiptVerifier {
  public static final JOSEObjectType TYPE = new JOSEObjectType("consent-receipt+jwt");

  private final JwsVerifier verifier;

  public ReceiptVerifier(SigningKeySource keys, String issuer) {
    this.verifier = new JwsVerifier(keys, TYPE, issuer,
        Set.of("iss", "iat", "jti", "sub", "version", ReceiptClaims.RECORD));
  }

  public VerifiedReceipt verify(String jws) {
    try {
      JWTClaimsSet claims = verifier.verify(jws);
      Map<String, Object> record = claims.getJSONObjectClaim(ReceiptClaims.RECORD);
      return new VerifiedReceipt(UUID.fromString(claims.getJWTID()),
          UUID.fromString((String) record.get("recordId")),
          ((Number) record.get("recordVersion")).intValue(),
          claims.getSubject(),
          ConsentState.fromDb((String) record.get("state")),
          claims);
    } catch (java.text.ParseException | RuntimeException e) {
      throw ConsentError.RECEIPT_INVALID.exception(String.valueOf(e.getMessage()));
    }
  }
}
