package jp.tsunagu.consent.receipt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.PlainHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import jp.tsunagu.consent.ConsentError;
import jp.tsunagu.consent.ConsentException;
import jp.tsunagu.consent.jose.JwsIssuer;
import jp.tsunagu.consent.jose.StaticSigningKeySource;
import jp.tsunagu.consent.ledger.Actor;
import jp.tsunagu.consent.ledger.Channel;
import jp.tsunagu.consent.ledger.ConsentRecord;
import jp.tsunagu.consent.ledger.ConsentState;
import org.junit.jupiter.api.Test;

class ReceiptVerifierTest {
  private static final String ISSUER = "https://id.tsunagu.example.jp";
  private static final StaticSigningKeySource KEYS = StaticSigningKeySource.generateEc();
  private static final StaticSigningKeySource OTHER_KEYS = StaticSigningKeySource.generateEc();
  private static final ConsentRecord RECORD = ConsentRecord.decided(UUID.randomUUID(), "131016", "c1", "library", 3,
      Set.of("name", "library_card_number"), Set.of("lending"), true,
      Actor.guardian("parent-1", Channel.MOBILE_APP), Instant.parse("2026-05-01T00:00:00Z"), Optional.empty());

  private final ReceiptVerifier verifier = new ReceiptVerifier(KEYS, ISSUER);

  private static String receipt(JwsIssuer issuer) {
    return issuer.sign(ReceiptVerifier.TYPE, ReceiptClaims.of(RECORD, UUID.randomUUID(), Instant.now()));
  }

  private void assertRejected(String jws) {
    ConsentException e = assertThrows(ConsentException.class, () -> verifier.verify(jws));
    assertEquals(ConsentError.RECEIPT_INVALID, e.error());
  }

  @Test
  void acceptsAGenuineReceiptAndReadsTheRecordFromIt() {
    VerifiedReceipt r = verifier.verify(receipt(new JwsIssuer(KEYS, ISSUER)));
    assertEquals(RECORD.id(), r.recordId());
    assertEquals(1, r.recordVersion());
    assertEquals("c1", r.citizenId());
    assertEquals(ConsentState.GIVEN, r.state());
    assertEquals("KI-CR-v1.1.0", r.claims().getClaim("version"));
  }

  @Test
  void rejectsAReceiptSignedWithAnotherKey() {
    assertRejected(receipt(new JwsIssuer(OTHER_KEYS, ISSUER)));
  }

  @Test
  void rejectsAReceiptFromAnotherIssuer() {
    assertRejected(receipt(new JwsIssuer(KEYS, "https://evil.example")));
  }

  @Test
  void rejectsAnAlteredPayload() throws Exception {
    String[] parts = receipt(new JwsIssuer(KEYS, ISSUER)).split("\\.");
    String payload = new String(Base64URL.from(parts[1]).decode(), StandardCharsets.UTF_8)
        .replace("\"lending\"", "\"marketing\"");
    assertRejected(parts[0] + "." + Base64URL.encode(payload) + "." + parts[2]);
  }

  @Test
  void rejectsUnsignedAndHmacTokensAndOtherTypes() throws Exception {
    JWTClaimsSet claims = ReceiptClaims.of(RECORD, UUID.randomUUID(), Instant.now());
    claims = new JWTClaimsSet.Builder(claims).issuer(ISSUER).build();
    assertRejected(new PlainJWT(new PlainHeader.Builder().type(ReceiptVerifier.TYPE).build(), claims).serialize());

    SignedJWT hmac = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(ReceiptVerifier.TYPE)
        .keyID(KEYS.currentSigningKey().getKeyID()).build(), claims);
    hmac.sign(new MACSigner(KEYS.verificationKeys().toString().getBytes(StandardCharsets.UTF_8)));
    assertRejected(hmac.serialize());

    assertRejected(new JwsIssuer(KEYS, ISSUER).sign(new JOSEObjectType("secevent+jwt"), claims));
    assertRejected("not.a.jwt");
  }
}
