package jp.tsunagu.platform.oidc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import java.util.Optional;
import java.util.UUID;
import jp.tsunagu.platform.security.Tokens;
import org.junit.jupiter.api.Test;

class RefreshTokensTest {
  private static byte[] secret(int fill) {
    byte[] b = new byte[32];
    java.util.Arrays.fill(b, (byte) fill);
    return b;
  }

  private final RefreshTokens tokens = new RefreshTokens(secret(7));
  private final UUID grant = UUID.fromString("6f1c9a52-0b7e-4d43-9a57-1f0f3c2de8a1");

  @Test
  void aTokenNamesItsGrantAndGeneration() {
    for (int generation : new int[] {0, 1, 255, 65_536, Integer.MAX_VALUE}) {
      String t = tokens.issue(grant, generation);
      assertEquals(RefreshTokens.LENGTH, t.length());
      assertTrue(t.matches("[A-Za-z0-9_-]+"), t);
      assertEquals(Optional.of(new RefreshTokens.Presented(grant, generation)), tokens.read(t));
    }
    assertNotEquals(tokens.issue(grant, 1), tokens.issue(grant, 2));
    assertNotEquals(tokens.issue(grant, 1), tokens.issue(UUID.randomUUID(), 1));
  }

  @Test
  void anyChangedCharacterOrAnotherSecretMakesItNothing() {
    String t = tokens.issue(grant, 3);
    for (int i = 0; i < t.length(); i++) {
      char c = t.charAt(i);
      String changed = t.substring(0, i) + (c == 'A' ? 'B' : 'A') + t.substring(i + 1);
      // the last character carries 2 bits of padding: a change there may decode to the same bytes
      if (!java.util.Arrays.equals(Base64.getUrlDecoder().decode(changed), Base64.getUrlDecoder().decode(t))) {
        assertEquals(Optional.empty(), tokens.read(changed), "changed at " + i);
      }
    }
    assertEquals(Optional.empty(), new RefreshTokens(secret(8)).read(t));
  }

  @Test
  void earlierFormatTokensAndGarbageAreNotOfThisFormat() throws Exception {
    String legacy = Tokens.urlToken();
    assertFalse(RefreshTokens.hasFormat(legacy));
    assertEquals(Optional.empty(), tokens.read(legacy));
    String t = tokens.issue(grant, 0);
    assertEquals(Optional.empty(), tokens.read("!".repeat(RefreshTokens.LENGTH)));
    assertEquals(Optional.empty(), tokens.read(t.substring(1)));
    assertEquals(Optional.empty(), tokens.read(t + "A"));
    assertEquals(Optional.empty(), tokens.read(null));
    // another version byte, with a valid MAC under the same secret, is not read as this version
    byte[] raw = Base64.getUrlDecoder().decode(t);
    raw[0] = 2;
    javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
    mac.init(new javax.crypto.spec.SecretKeySpec(secret(7), "HmacSHA256"));
    mac.update(raw, 0, 21);
    System.arraycopy(mac.doFinal(), 0, raw, 21, 32);
    assertEquals(Optional.empty(), tokens.read(Base64.getUrlEncoder().withoutPadding().encodeToString(raw)));
    raw[0] = 1; // and the same bytes as version 1 fail on the MAC
    assertEquals(Optional.empty(), tokens.read(Base64.getUrlEncoder().withoutPadding().encodeToString(raw)));
  }

  @Test
  void refusesWhatItCannotMake() {
    assertThrows(IllegalArgumentException.class, () -> tokens.issue(grant, -1));
    assertThrows(IllegalArgumentException.class, () -> new RefreshTokens(new byte[16]));
  }
}
