package jp.tsunagu.platform.account;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jp.tsunagu.api.client.CitizenApi;
import jp.tsunagu.api.invoker.ApiException;
import jp.tsunagu.api.model.Account;
import jp.tsunagu.api.model.ChangePasswordRequest;
import jp.tsunagu.api.model.EmailRequest;
import jp.tsunagu.api.model.PasswordConfirmation;
import jp.tsunagu.api.model.ResetPasswordRequest;
import jp.tsunagu.api.model.SignInRequest;
import jp.tsunagu.api.model.SignUpRequest;
import jp.tsunagu.api.model.TokenRequest;
import jp.tsunagu.platform.testing.Fixtures;
import jp.tsunagu.platform.testing.TestPlatform;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Citizen account life cycle through the generated API client against a real node. */
class AccountFlowIT {
  static TestPlatform node;
  static Fixtures fixtures;

  @BeforeAll
  static void start() {
    node = TestPlatform.start();
    fixtures = new Fixtures(node);
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  @Test
  void signUpVerifySignInAndReadMyAccount() throws Exception {
    CitizenApi api = new CitizenApi(node.client());
    Account created = api.signUp(new SignUpRequest().email(" Sakura@Example.JP ").password("a long passphrase 1").displayName("佐藤 さくら"));
    assertEquals("sakura@example.jp", created.getEmail());
    assertFalse(created.getEmailVerified());
    assertEquals(Account.AssuranceLevelEnum.NONE, created.getAssuranceLevel());

    ApiException unverified = assertThrows(ApiException.class,
        () -> api.signIn(new SignInRequest().email("sakura@example.jp").password("a long passphrase 1")));
    assertEquals(403, unverified.getCode());

    String token = Fixtures.tokenIn(fixtures.lastMailTo("sakura@example.jp"));
    api.confirmEmail(new TokenRequest().token(token));
    ApiException reused = assertThrows(ApiException.class, () -> api.confirmEmail(new TokenRequest().token(token)));
    assertEquals(410, reused.getCode());

    Account signedIn = api.signIn(new SignInRequest().email("SAKURA@example.jp").password("a long passphrase 1"));
    assertEquals(created.getId(), signedIn.getId());
    Account me = api.getMyAccount();
    assertEquals("佐藤 さくら", me.getDisplayName());
    assertEquals(Account.AssuranceLevelEnum.EMAIL, me.getAssuranceLevel());

    api.signOut();
    assertEquals(401, assertThrows(ApiException.class, api::getMyAccount).getCode());
  }

  @Test
  void duplicateEmailWeakPasswordAndBadInputAreRefusedWithProblems() {
    CitizenApi api = new CitizenApi(node.client());
    fixtures.verifiedCitizen("dup@example.jp");
    ApiException dup = assertThrows(ApiException.class,
        () -> api.signUp(new SignUpRequest().email("DUP@example.jp").password("another long one 2").displayName("x")));
    assertEquals(409, dup.getCode());
    assertTrue(dup.getResponseHeaders().firstValue("content-type").orElse("").startsWith("application/problem+json"));
    assertTrue(dup.getResponseBody().contains("/problems/email-taken"));

    ApiException weak = assertThrows(ApiException.class,
        () -> api.signUp(new SignUpRequest().email("weak@example.jp").password("password123").displayName("x")));
    assertEquals(422, weak.getCode());
    ApiException shortPw = assertThrows(ApiException.class,
        () -> api.signUp(new SignUpRequest().email("weak@example.jp").password("short").displayName("x")));
    assertEquals(422, shortPw.getCode());
    ApiException badEmail = assertThrows(ApiException.class,
        () -> api.signUp(new SignUpRequest().email("not-an-address").password("a long passphrase 1").displayName("x")));
    assertEquals(400, badEmail.getCode());
    // nothing was written for the refused sign-ups
    assertThrows(AssertionError.class, () -> fixtures.lastMailTo("weak@example.jp"));
  }

  @Test
  void wrongPasswordIsRateLimited() throws Exception {
    fixtures.verifiedCitizen("limited@example.jp");
    CitizenApi api = new CitizenApi(node.client());
    for (int i = 0; i < 10; i++) {
      ApiException e = assertThrows(ApiException.class,
          () -> api.signIn(new SignInRequest().email("limited@example.jp").password("wrong password!!")));
      assertEquals(401, e.getCode());
    }
    ApiException limited = assertThrows(ApiException.class,
        () -> api.signIn(new SignInRequest().email("limited@example.jp").password(Fixtures.PASSWORD)));
    assertEquals(429, limited.getCode());
    assertTrue(limited.getResponseHeaders().firstValue("retry-after").isPresent());
  }

  @Test
  void passwordResetChangesPasswordAndEndsOtherSessions() throws Exception {
    fixtures.verifiedCitizen("reset@example.jp");
    CitizenApi first = new CitizenApi(node.client());
    first.signIn(new SignInRequest().email("reset@example.jp").password(Fixtures.PASSWORD));
    CitizenApi anonymous = new CitizenApi(node.client());
    anonymous.requestPasswordReset(new EmailRequest().email("reset@example.jp"));
    anonymous.requestPasswordReset(new EmailRequest().email("nobody@example.jp")); // same answer, no mail
    String token = Fixtures.tokenIn(fixtures.lastMailTo("reset@example.jp"));
    anonymous.resetPassword(new ResetPasswordRequest().token(token).newPassword("a brand new secret 9"));

    assertEquals(401, assertThrows(ApiException.class, first::getMyAccount).getCode());
    ApiException old = assertThrows(ApiException.class,
        () -> anonymous.signIn(new SignInRequest().email("reset@example.jp").password(Fixtures.PASSWORD)));
    assertEquals(401, old.getCode());
    anonymous.signIn(new SignInRequest().email("reset@example.jp").password("a brand new secret 9"));
    assertEquals(410, assertThrows(ApiException.class,
        () -> anonymous.resetPassword(new ResetPasswordRequest().token(token).newPassword("yet another secret 8"))).getCode());
  }

  @Test
  void emailChangeIsConfirmedFromTheNewAddressAndTheOldOneIsTold() throws Exception {
    fixtures.verifiedCitizen("before@example.jp");
    fixtures.verifiedCitizen("taken@example.jp");
    CitizenApi api = new CitizenApi(node.client());
    api.signIn(new SignInRequest().email("before@example.jp").password(Fixtures.PASSWORD));
    assertEquals(403, assertThrows(ApiException.class, () -> api.requestEmailChange(
        new jp.tsunagu.api.model.ChangeEmailRequest().currentPassword("wrong password").newEmail("after@example.jp"))).getCode());
    assertEquals(409, assertThrows(ApiException.class, () -> api.requestEmailChange(
        new jp.tsunagu.api.model.ChangeEmailRequest().currentPassword(Fixtures.PASSWORD).newEmail("taken@example.jp"))).getCode());
    api.requestEmailChange(new jp.tsunagu.api.model.ChangeEmailRequest().currentPassword(Fixtures.PASSWORD).newEmail("after@example.jp"));
    assertEquals("before@example.jp", api.getMyAccount().getEmail(), "nothing changes before confirmation");

    new CitizenApi(node.client()).confirmEmail(new TokenRequest().token(Fixtures.tokenIn(fixtures.lastMailTo("after@example.jp"))));
    assertTrue(fixtures.lastMailTo("before@example.jp").getString("body").contains("after@example.jp"), "old address notified");
    assertEquals(401, assertThrows(ApiException.class, api::getMyAccount).getCode(), "sessions end with the change");
    CitizenApi again = new CitizenApi(node.client());
    assertEquals("after@example.jp", again.signIn(new SignInRequest().email("after@example.jp").password(Fixtures.PASSWORD)).getEmail());
  }

  @Test
  void changePasswordKeepsThisSessionAndDeleteErasesTheAccount() throws Exception {
    fixtures.verifiedCitizen("erase@example.jp");
    CitizenApi api = new CitizenApi(node.client());
    Account me = api.signIn(new SignInRequest().email("erase@example.jp").password(Fixtures.PASSWORD));
    assertEquals(403, assertThrows(ApiException.class, () -> api.changePassword(
        new ChangePasswordRequest().currentPassword("not the password").newPassword("a new long secret 7"))).getCode());
    api.changePassword(new ChangePasswordRequest().currentPassword(Fixtures.PASSWORD).newPassword("a new long secret 7"));
    assertEquals(me.getId(), api.getMyAccount().getId());

    api.deleteMyAccount(new PasswordConfirmation().currentPassword("a new long secret 7"));
    assertEquals(401, assertThrows(ApiException.class, api::getMyAccount).getCode());
    var row = Fixtures.await(node.platform().services().pool()
        .preparedQuery("SELECT email, password_hash, display_name, deleted_at FROM account WHERE id = $1")
        .execute(io.vertx.sqlclient.Tuple.of(me.getId()))).iterator().next();
    assertEquals(null, row.getString("email"));
    assertEquals(null, row.getString("password_hash"));
    assertEquals(null, row.getString("display_name"));
    assertNotEquals(null, row.getOffsetDateTime("deleted_at"));
    // the address is free again
    new CitizenApi(node.client()).signUp(new SignUpRequest().email("erase@example.jp").password("a long passphrase 1").displayName("new"));
  }
}
