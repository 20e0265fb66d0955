package jp.tsunagu.consent.jose;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;

/**
 * The platform's signing keys, supplied by the platform (which owns key storage and rotation).
 * Receipts and Security Event Tokens are signed with {@link #currentSigningKey()} and verified
 * against {@link #verificationKeys()}, which keeps retired public keys so old receipts still
 * verify.
 */
public interface SigningKeySource {
  /** The private key to sign with now; it must carry a {@code kid}. EC (P-256) or RSA. */
  JWK currentSigningKey();

  /** Public keys that signatures may have been made with (current and retired). */
  JWKSet verificationKeys();
}
