package jp.tsunagu.platform.oidc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which key signs, which are published and which may go, as a function of time alone. */
class KeySetTest {
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  static final Duration LIFETIME = Duration.ofMinutes(15);

  static KeySet.Key key(String kid, Instant created, Instant activates) throws Exception {
    return new KeySet.Key(kid, JWSAlgorithm.ES256, new ECKeyGenerator(Curve.P_256).keyID(kid).generate(), created, activates);
  }

  @Test
  void aNewKeyIsPublishedBeforeItSignsAndTheOldOneStaysUntilItsTokensExpire() throws Exception {
    KeySet.Key old = key("old", T0, T0);
    Instant rotated = T0.plus(Duration.ofDays(30));
    Instant activates = rotated.plus(Duration.ofDays(1));
    KeySet set = new KeySet(List.of(old, key("new", rotated, activates)));

    assertEquals("old", set.signing(JWSAlgorithm.ES256, rotated.plusSeconds(1)).orElseThrow().kid());
    assertEquals(2, set.publicSet(rotated.plusSeconds(1), LIFETIME).getKeys().size(), "the next key is published already");
    assertEquals("new", set.signing(JWSAlgorithm.ES256, activates).orElseThrow().kid());
    assertEquals(2, set.publicSet(activates.plus(LIFETIME), LIFETIME).getKeys().size(), "the old key stays while its tokens live");
    Instant later = activates.plus(LIFETIME).plusSeconds(1);
    assertEquals(List.of("old"), set.expired(later, LIFETIME).stream().map(KeySet.Key::kid).toList());
    assertEquals(1, set.publicSet(later, LIFETIME).getKeys().size());
    assertTrue(set.publicSet(later, LIFETIME).getKeys().get(0).isPrivate() == false);
  }

  @Test
  void rotationIsDueByAgeOfTheNewestKey() throws Exception {
    KeySet set = new KeySet(List.of(key("k", T0, T0)));
    Duration age = Duration.ofDays(30);
    assertFalse(set.needsRotation(JWSAlgorithm.ES256, T0.plus(Duration.ofDays(29)), age));
    assertTrue(set.needsRotation(JWSAlgorithm.ES256, T0.plus(age), age));
    assertTrue(set.needsRotation(JWSAlgorithm.RS256, T0, age), "no key at all for an algorithm");
    KeySet pending = new KeySet(List.of(key("k", T0, T0), key("next", T0.plus(age), T0.plus(age).plusSeconds(60))));
    assertFalse(pending.needsRotation(JWSAlgorithm.ES256, T0.plus(age).plusSeconds(10), age), "a pending key counts");
    assertFalse(new KeySet(List.of()).hasSigningKey(JWSAlgorithm.ES256, T0));
  }
}
