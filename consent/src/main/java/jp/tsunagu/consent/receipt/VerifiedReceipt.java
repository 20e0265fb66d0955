package jp.tsunagu.consent.receipt;

import com.nimbusds.jwt.JWTClaimsSet;
import java.util.UUID;
import jp.tsunagu.consent.ledger.ConsentState;

/** A receipt whose signature and claims checked out. */
public record VerifiedReceipt(UUID jti, UUID recordId, int recordVersion, String citizenId,
    ConsentState state, JWTClaimsSet claims) {}
