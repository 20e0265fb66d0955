package jp.tsunagu.platform.oidc;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The provider's signing keys as one node sees them. Whether a key is pending, signing or retired
 * follows from the times alone, so every node holding the same rows makes the same choice at the
 * same moment: a key is published from its creation, signs from its activation until the next key
 * of its algorithm activates, and is kept published until everything it signed has expired.
 */
public record KeySet(List<Key> keys) {

  /** One key with its private part. */
  public record Key(String kid, JWSAlgorithm alg, JWK jwk, Instant createdAt, Instant activatesAt) {}

  public KeySet {
    keys = keys.stream().sorted(Comparator.comparing(Key::activatesAt).reversed()).toList();
  }

  /** The key that signs with {@code alg} now: the newest one already active. */
  public Optional<Key> signing(JWSAlgorithm alg, Instant now) {
    return keys.stream().filter(k -> k.alg().equals(alg) && !k.activatesAt().isAfter(now)).findFirst();
  }

  /** When the key stopped signing (its successor's activation), if it has. */
  public Optional<Instant> retiredAt(Key key, Instant now) {
    return keys.stream()
        .filter(k -> k.alg().equals(key.alg()) && k.activatesAt().isAfter(key.activatesAt()) && !k.activatesAt().isAfter(now))
        .map(Key::activatesAt).min(Comparator.naturalOrder());
  }

  /** Keys that nothing valid can depend on any longer: retired longer ago than the longest token lifetime. */
  public List<Key> expired(Instant now, Duration longestLifetime) {
    return keys.stream().filter(k -> retiredAt(k, now).map(r -> r.plus(longestLifetime).isBefore(now)).orElse(false)).toList();
  }

  /** The public keys relying parties may see: pending, signing and retired but still needed. */
  public JWKSet publicSet(Instant now, Duration longestLifetime) {
    List<Key> gone = expired(now, longestLifetime);
    List<JWK> out = new ArrayList<>();
    for (Key k : keys) {
      if (!gone.contains(k)) {
        out.add(k.jwk().toPublicJWK());
      }
    }
    return new JWKSet(out);
  }

  public Optional<Key> byKid(String kid) {
    return keys.stream().filter(k -> k.kid().equals(kid)).findFirst();
  }

  /** Whether {@code alg} needs a new key: none at all, or the newest one is older than the rotation age. */
  public boolean needsRotation(JWSAlgorithm alg, Instant now, Duration rotationAge) {
    return keys.stream().filter(k -> k.alg().equals(alg)).findFirst()
        .map(newest -> !newest.createdAt().plus(rotationAge).isAfter(now))
        .orElse(true);
  }

  public boolean hasSigningKey(JWSAlgorithm alg, Instant now) {
    return signing(alg, now).isPresent();
  }
}
