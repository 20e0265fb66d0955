package jp.tsunagu.platform.web;

import static jp.tsunagu.platform.testing.Fixtures.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import jp.tsunagu.consent.declaration.DeclaredItem;
import jp.tsunagu.consent.declaration.DeclaredPurpose;
import jp.tsunagu.consent.declaration.LocalizedText;
import jp.tsunagu.consent.declaration.ServiceDeclaration;
import jp.tsunagu.consent.ledger.Actor;
import jp.tsunagu.consent.ledger.Channel;
import jp.tsunagu.consent.ledger.ConsentRequest;
import jp.tsunagu.platform.Services;
import jp.tsunagu.platform.account.Account;
import jp.tsunagu.platform.staff.Role;
import jp.tsunagu.platform.staff.Staff;
import jp.tsunagu.platform.testing.Fixtures;
import jp.tsunagu.platform.testing.TestPlatform;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A guardian's My data in headless Chromium: the consents given for a claimed child, and withdrawing one. */
class GuardianPagesIT {
  static TestPlatform node;

  @BeforeAll
  static void start() {
    node = TestPlatform.start();
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  @Test
  void aGuardianSeesAndWithdrawsTheirChildsConsent() {
    Fixtures fixtures = new Fixtures(node);
    Services services = node.platform().services();
    fixtures.tenantWithStaff(Fixtures.SHIMADA, "島田市", "clerk@shimada.example", Role.RESIDENT_CLERK);
    Staff clerk = await(services.staff().byEmail("clerk@shimada.example")).orElseThrow();
    int year = java.time.LocalDate.now().getYear();
    await(services.residence().importCsv(clerk, Fixtures.SHIMADA, "family_name,given_name,family_kana,given_kana,birth_date,district,household\n"
        + "焼津,光,ヤイヅ,ヒカル,1988-02-03,d1,H-Y\n焼津,蓮,ヤイヅ,レン," + (year - 2) + "-09-09,d1,H-Y\n"));
    UUID parentRecord = await(services.residence().search(Fixtures.SHIMADA, "ヤイヅヒカル", 1)).get(0).id();
    UUID childRecord = await(services.residence().search(Fixtures.SHIMADA, "ヤイヅレン", 1)).get(0).id();
    Account parent = fixtures.verifiedCitizen("hikaru@example.jp");
    var code = await(services.residence().issueCode(clerk, await(services.tenants().require(Fixtures.SHIMADA)), parentRecord));
    await(services.residence().verify(parent.id(), code.code(), "127.0.0.1"));
    await(services.residence().claimDependant(parent.id(), childRecord));
    var consent = services.consent();
    await(consent.declarations().publish(new ServiceDeclaration(Fixtures.SHIMADA, "parent-handbook", 1,
        new LocalizedText("親子手帳に健診の記録のため生年月日をお知らせします。", "The birth date goes to the parent handbook."),
        List.of(new DeclaredItem("birth_date", true, new LocalizedText("生年月日", "Birth date"))),
        List.of(new DeclaredPurpose("checkups", new LocalizedText("健診の記録", "Check-up records"))),
        "parent-handbook", Optional.empty(), Instant.now())));
    await(consent.consents().give(new ConsentRequest(Fixtures.SHIMADA, childRecord.toString(), "parent-handbook", 1,
        Set.of("birth_date"), Set.of("checkups"), Actor.guardian(parent.id().toString(), Channel.API), Optional.empty())));

    try (PageDriver page = new PageDriver(node.baseUrl())) {
      page.open("/sign-in");
      page.type("#email", "hikaru@example.jp");
      page.type("#password", Fixtures.PASSWORD);
      page.submit("form[action='/sign-in'] button[type=submit]");
      page.open("/my-data");
      String section = "section.dependant[data-child='" + childRecord + "']";
      assertTrue(page.text(section + " h2").contains("焼津 蓮"), page.text(section + " h2"));
      assertTrue(page.text(section + " tr.consent").contains("生年月日"), page.text(section + " tr.consent"));
      assertEquals("given", page.find(section + " tr.consent").getAttribute("data-state"));
      page.submit(section + " button.withdraw");
      page.waitForPath("/my-data");
      assertEquals("withdrawn", page.find(section + " tr.consent").getAttribute("data-state"));
    }
    assertFalse(await(consent.gate().decide(Fixtures.SHIMADA, childRecord.toString(), "parent-handbook", "birth_date", "checkups"))
        .permitted());
  }
}
