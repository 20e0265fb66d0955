package jp.tsunagu.platform.oidc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** Private signing keys sealed under the configured key-encryption key, bound to their key id. */
class KeySealerTest {
  static final String KEK = Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
  static final byte[] JWK = "{\"kty\":\"EC\",\"d\":\"secret\"}".getBytes(StandardCharsets.UTF_8);

  @Test
  void sealedKeysOpenOnlyWithTheSameKeyAndKeyId() {
    KeySealer sealer = new KeySealer(KEK);
    assertTrue(sealer.sealing());
    byte[] sealed = sealer.seal("rs256-1", JWK);
    assertFalse(new String(sealed, StandardCharsets.ISO_8859_1).contains("secret"));
    assertArrayEquals(JWK, sealer.open("rs256-1", sealed, true));
    assertThrows(IllegalStateException.class, () -> sealer.open("rs256-2", sealed, true), "moved to another row");
    KeySealer other = new KeySealer(Base64.getEncoder().encodeToString(new byte[32]));
    assertThrows(IllegalStateException.class, () -> other.open("rs256-1", sealed, true));
    assertThrows(IllegalStateException.class, () -> new KeySealer("").open("rs256-1", sealed, true), "no key configured");
  }

  @Test
  void withoutAKeyEncryptionKeyKeysAreStoredAsTheyAre() {
    KeySealer plain = new KeySealer("");
    assertFalse(plain.sealing());
    assertArrayEquals(JWK, plain.seal("k", JWK));
    assertArrayEquals(JWK, plain.open("k", JWK, false));
  }
}
