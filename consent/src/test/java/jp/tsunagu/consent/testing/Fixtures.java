package jp.tsunagu.consent.testing;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import jp.tsunagu.consent.declaration.DeclaredItem;
import jp.tsunagu.consent.declaration.DeclaredPurpose;
import jp.tsunagu.consent.declaration.LocalizedText;
import jp.tsunagu.consent.declaration.ServiceDeclaration;
import jp.tsunagu.consent.ledger.Actor;
import jp.tsunagu.consent.ledger.Channel;
import jp.tsunagu.consent.ledger.ConsentRequest;

/** A neighbourhood-circular service in Chiyoda asking for name (required), kana and district. */
public final class Fixtures {
  public static final String TENANT = "131016";
  public static final String OTHER_TENANT = "141003";
  public static final String SERVICE = "circulars";
  public static final String CITIZEN = "citizen-0001";
  public static final String NAME = "name";
  public static final String KANA = "kana";
  public static final String DISTRICT = "district";
  public static final String DELIVERY = "circular_delivery";
  public static final String EVENTS = "event_invitations";

  private Fixtures() {}

  public static ServiceDeclaration declaration(int noticeVersion) {
    return declaration(TENANT, SERVICE, noticeVersion, Optional.of(URI.create("https://circulars.example.jp/set")));
  }

  public static ServiceDeclaration declaration(String tenant, String service, int noticeVersion, Optional<URI> endpoint) {
    return new ServiceDeclaration(tenant, service, noticeVersion,
        new LocalizedText("回覧板をお届けするために氏名と地区を使います（第" + noticeVersion + "版）",
            "We use your name and district to deliver circulars (version " + noticeVersion + ")"),
        List.of(
            new DeclaredItem(NAME, true, new LocalizedText("氏名", "Name")),
            new DeclaredItem(KANA, false, new LocalizedText("ふりがな", "Kana")),
            new DeclaredItem(DISTRICT, false, new LocalizedText("地区", "District"))),
        List.of(
            new DeclaredPurpose(DELIVERY, new LocalizedText("回覧板の配布", "Circular delivery")),
            new DeclaredPurpose(EVENTS, new LocalizedText("行事のご案内", "Event invitations"))),
        service + "-client", endpoint, Instant.parse("2026-04-01T00:00:00Z"));
  }

  public static ConsentRequest give(String citizen, int noticeVersion, Set<String> items, Set<String> purposes) {
    return new ConsentRequest(TENANT, citizen, SERVICE, noticeVersion, items, purposes,
        Actor.citizen(citizen, Channel.WEB), Optional.empty());
  }

  public static ConsentRequest giveAll(String citizen) {
    return give(citizen, 1, Set.of(NAME, KANA, DISTRICT), Set.of(DELIVERY, EVENTS));
  }
}
