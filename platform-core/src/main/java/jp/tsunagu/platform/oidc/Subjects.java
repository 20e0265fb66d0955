package jp.tsunagu.platform.oidc;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Subject identifiers (OIDC Core §8): pairwise by default, HMAC-SHA256 under a platform secret of
 * the sector identifier and the account id, so services of different sectors cannot correlate a
 * citizen; the account id itself only for clients registered with a public subject.
 */
public final class Subjects {
  private final SecretKeySpec key;

  public Subjects(byte[] secret) {
    this.key = new SecretKeySpec(secret, "HmacSHA256");
  }

  public String of(Client client, UUID accountId) {
    return client.publicSubject() ? accountId.toString() : pairwise(client.sectorIdentifier(), accountId);
  }

  public String pairwise(String sector, UUID accountId) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      mac.update(sector.getBytes(StandardCharsets.UTF_8));
      mac.update((byte) 0);
      return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(accountId.toString().getBytes(StandardCharsets.US_ASCII)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }
}
