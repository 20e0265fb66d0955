package jp.tsunagu.platform.oidc;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals private signing keys and the platform's secrets before they are written to PostgreSQL:
 * AES-256-GCM under the key-encryption key from the configuration (never stored in the database),
 * with the key id (or the secret's name) as associated data so a sealed value cannot be moved to
 * another row. Without a key-encryption key the
 * bytes are stored as they are and {@link #sealing()} says so.
 */
public final class KeySealer {
  private static final SecureRandom RANDOM = new SecureRandom();
  private final SecretKeySpec kek;

  /** @param base64Key Base64 of 32 bytes, or empty for no sealing */
  public KeySealer(String base64Key) {
    this.kek = base64Key == null || base64Key.isEmpty() ? null : new SecretKeySpec(Base64.getDecoder().decode(base64Key), "AES");
  }

  public boolean sealing() {
    return kek != null;
  }

  public byte[] seal(String kid, byte[] plain) {
    if (kek == null) {
      return plain;
    }
    try {
      byte[] iv = new byte[12];
      RANDOM.nextBytes(iv);
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, kek, new GCMParameterSpec(128, iv));
      cipher.updateAAD(kid.getBytes(StandardCharsets.UTF_8));
      byte[] sealed = cipher.doFinal(plain);
      return ByteBuffer.allocate(iv.length + sealed.length).put(iv).put(sealed).array();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM unavailable", e);
    }
  }

  public byte[] open(String kid, byte[] stored, boolean sealed) {
    if (!sealed) {
      return stored;
    }
    if (kek == null) {
      throw new IllegalStateException("key " + kid + " is sealed, but no security.keyEncryptionKey is configured");
    }
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, kek, new GCMParameterSpec(128, stored, 0, 12));
      cipher.updateAAD(kid.getBytes(StandardCharsets.UTF_8));
      return cipher.doFinal(stored, 12, stored.length - 12);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("key " + kid + " cannot be opened with the configured security.keyEncryptionKey", e);
    }
  }
}
