package jp.tsunagu.platform.mail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.internet.MimeMessage;
import java.util.Map;
import jp.tsunagu.api.client.CitizenApi;
import jp.tsunagu.api.model.SignUpRequest;
import jp.tsunagu.platform.testing.Fixtures;
import jp.tsunagu.platform.testing.TestPlatform;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Account mail leaves through a real SMTP server (GreenMail on a loopback port) and is marked sent. */
class SmtpDeliveryIT {
  static GreenMail smtp;
  static TestPlatform node;

  @BeforeAll
  static void start() {
    smtp = new GreenMail(new ServerSetup(TestPlatform.freePort(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    smtp.start();
    node = TestPlatform.start(Map.of("mail.smtpHost", "127.0.0.1", "mail.smtpPort", String.valueOf(smtp.getSmtp().getPort()),
        "mail.smtpTls", "none", "mail.from", "Tsunagu <no-reply@tsunagu.example>"));
  }

  @AfterAll
  static void stop() {
    node.close();
    smtp.stop();
  }

  @Test
  void verificationMailIsDeliveredOverSmtpInTheAccountsLanguage() throws Exception {
    new CitizenApi(node.client()).signUp(new SignUpRequest().email("mail@example.jp").password("a long passphrase 1")
        .displayName("メール 太郎").locale(SignUpRequest.LocaleEnum.EN));
    assertTrue(smtp.waitForIncomingEmail(20_000, 1), "a mail arrived");
    MimeMessage message = smtp.getReceivedMessages()[0];
    assertEquals("mail@example.jp", message.getAllRecipients()[0].toString());
    assertEquals("Confirm your e-mail address", message.getSubject());
    String body = com.icegreen.greenmail.util.GreenMailUtil.getBody(message);
    assertTrue(body.contains("/verify-email?token="), body);
    // the outbox row is marked sent once the server accepted it
    long deadline = System.nanoTime() + 20_000_000_000L;
    boolean sent = false;
    while (!sent && System.nanoTime() < deadline) {
      sent = new Fixtures(node).lastMailTo("mail@example.jp").getBoolean("sent");
      java.util.concurrent.locks.LockSupport.parkNanos(50_000_000);
    }
    assertTrue(sent, "outbox row marked sent");
  }
}
