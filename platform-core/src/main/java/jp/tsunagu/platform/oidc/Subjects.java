package jp.tsunagu.platform.oidc;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;
import javax.crypto.Mac;

/**
 * Subject identifiers (OIDC Core §8): pairwise by default, HMAC-SHA256 under a platform secret of
 * the sector identifier and the account id, so services of different sectors cannot correlate a
 * citizen; the account id itself only for clients registered with a public subject.
 */
public final class Subjects {
  /** One initialised MAC per thread: {@code doFinal} leaves it ready for the next subject. */
  private final ThreadLocal<Mac> macs;

  public Subjects(byte[] secret) {
    this.macs = jp.tsunagu.platform.security.HmacSha256.perThread(secret);
  }

  public String of(Client client, UUID accountId) {
    return client.publicSubject() ? accountId.toString() : pairwise(client.sectorIdentifier(), accountId);
  }

  public String pairwise(String sector, UUID accountId) {
    Mac mac = macs.get();
    mac.update(sector.getBytes(StandardCharsets.UTF_8));
    mac.update((byte) 0);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(accountId.toString().getBytes(StandardCharsets.US_ASCII)));
  }
}
