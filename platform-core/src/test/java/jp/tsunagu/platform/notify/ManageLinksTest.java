package jp.tsunagu.platform.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Manage links name one account for one purpose and a limited time; anything else is no link. */
class ManageLinksTest {
  static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");
  final ManageLinks links = new ManageLinks(null, KEY, "https://tsunagu.example", Clock.fixed(NOW, ZoneOffset.UTC));
  final UUID account = UUID.randomUUID();

  @Test
  void aGenuineTokenNamesItsAccountUntilItExpires() {
    assertEquals(Optional.of(account), links.peek(links.issue(account, NOW.plusSeconds(60))));
    assertEquals(Optional.empty(), links.peek(links.issue(account, NOW.minusSeconds(1))), "expired");
    String link = links.link(account);
    assertTrue(link.startsWith("https://tsunagu.example/notices/manage?token="));
    assertEquals(Optional.of(account), links.peek(link.substring(link.indexOf('=') + 1)));
  }

  @Test
  void forgedOtherKeyAndOtherPurposeTokensAreRefused() {
    String token = links.issue(account, NOW.plusSeconds(60));
    char[] chars = token.toCharArray();
    chars[3] = chars[3] == 'A' ? 'B' : 'A';
    assertEquals(Optional.empty(), links.peek(new String(chars)), "tampered");
    assertEquals(Optional.empty(), new ManageLinks(null, "another key, thirty-two bytes!!!".getBytes(), "x",
        Clock.fixed(NOW, ZoneOffset.UTC)).peek(token), "another deployment's key");
    assertEquals(Optional.empty(), links.peek(new UnsubscribeTokens(KEY).issue(account)), "an unsubscribe token, same key");
    assertEquals(Optional.empty(), links.peek(null));
    assertEquals(Optional.empty(), links.peek("not base64 !"));
  }
}
