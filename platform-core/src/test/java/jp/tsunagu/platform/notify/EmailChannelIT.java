package jp.tsunagu.platform.notify;

import static jp.tsunagu.platform.profile.DeliveryTesting.problem;
import static jp.tsunagu.platform.testing.Fixtures.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import jakarta.mail.internet.MimeMessage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jp.tsunagu.api.client.ContentApi;
import jp.tsunagu.api.client.DeliveryApi;
import jp.tsunagu.api.invoker.ApiClient;
import jp.tsunagu.api.model.Channel;
import jp.tsunagu.api.model.ConfirmEmailChannelRequest;
import jp.tsunagu.api.model.EmailChannel;
import jp.tsunagu.api.model.Frequency;
import jp.tsunagu.api.model.InterestProfileInput;
import jp.tsunagu.api.model.PageWrite;
import jp.tsunagu.api.model.ReportMailEventRequest;
import jp.tsunagu.platform.content.ContentTesting;
import jp.tsunagu.platform.profile.DeliveryTesting;
import jp.tsunagu.platform.staff.Role;
import jp.tsunagu.platform.testing.Fixtures;
import jp.tsunagu.platform.testing.Poll;
import jp.tsunagu.platform.testing.TestPlatform;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Notices by e-mail through a real SMTP server (GreenMail): double opt-in, immediate mail and
 * digests, RFC 8058 one-click unsubscribe that a link-opening scanner cannot trigger, bounces and
 * complaints, and a mail server that refuses.
 */
class EmailChannelIT {
  static final String SHIMADA = Fixtures.SHIMADA;
  static final Duration SOON = Duration.ofSeconds(15);
  static GreenMail smtp;
  static TestPlatform node;
  static ContentApi editor;
  static int pages;
  static final HttpClient plain = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    smtp = new GreenMail(new ServerSetup(TestPlatform.freePort(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    smtp.start();
    node = TestPlatform.start(Map.of("mail.smtpHost", "127.0.0.1", "mail.smtpPort", String.valueOf(smtp.getSmtp().getPort()),
        "mail.smtpTls", "none", "mail.from", "Tsunagu <no-reply@tsunagu.example>", "notify.senderPollMillis", "200",
        "notify.mailEventSecret", "provider-secret"));
    new Fixtures(node).tenantWithStaff(SHIMADA, "島田市", "editor@shimada.example", Role.EDITOR);
    editor = new ContentApi(ContentTesting.staff(node, "editor@shimada.example"));
    ContentTesting.taxonomy(editor, SHIMADA);
  }

  @AfterAll
  static void stop() {
    node.close();
    smtp.stop();
  }

  static PageWrite publish(String title) throws Exception {
    PageWrite w = editor.upsertPage(SHIMADA, ContentTesting.page("https://www.city.shimada.shizuoka.jp/gomi/" + (++pages) + ".html",
        title, "<p>" + title + "</p>", "gomi"));
    Poll.until(SOON, "matched", () -> await(node.platform().services().pool().query("SELECT last_change_id FROM notify_matcher")
        .execute()).iterator().next().getLong(0) >= w.getChangeId());
    return w;
  }

  static List<MimeMessage> mailsTo(String address) {
    return Arrays.stream(smtp.getReceivedMessages()).filter(m -> {
      try {
        return m.getAllRecipients()[0].toString().equals(address);
      } catch (jakarta.mail.MessagingException e) {
        throw new IllegalStateException(e);
      }
    }).toList();
  }

  /** The first mail to the address with the subject. */
  static MimeMessage awaitMail(String address, String subject) {
    Poll.until(SOON, "a mail '" + subject + "' to " + address, () -> withSubject(address, subject).size() >= 1);
    return withSubject(address, subject).get(0);
  }

  static List<MimeMessage> withSubject(String address, String subject) {
    return mailsTo(address).stream().filter(m -> {
      try {
        return subject.equals(m.getSubject());
      } catch (jakarta.mail.MessagingException e) {
        throw new IllegalStateException(e);
      }
    }).toList();
  }

  static String text(MimeMessage m) throws Exception {
    return m.getContent().toString();
  }

  /** A citizen following waste collection, with the e-mail channel confirmed. */
  static DeliveryApi subscriber(String email, Frequency frequency) throws Exception {
    ApiClient client = DeliveryTesting.citizen(node, email);
    DeliveryApi me = new DeliveryApi(client);
    me.saveMyProfile(new InterestProfileInput().tenantCode(SHIMADA).interests(List.of("gomi"))
        .channels(List.of(Channel.EMAIL)).frequency(frequency));
    assertEquals(EmailChannel.StateEnum.PENDING, me.requestEmailChannel(Map.of()).getState());
    String body = text(awaitMail(email, "メールでのお知らせ受け取りの確認"));
    Matcher link = Pattern.compile("(http://\\S+/notices/email/confirm\\?token=([A-Za-z0-9_-]+))").matcher(body);
    assertTrue(link.find(), body);
    // opening the link (as a mail scanner does) shows a question and confirms nothing
    HttpResponse<String> page = plain.send(HttpRequest.newBuilder(URI.create(node.baseUrl() + "/notices/email/confirm?token="
        + link.group(2))).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, page.statusCode());
    assertTrue(page.body().contains("id=\"ask-form\""));
    assertEquals(EmailChannel.StateEnum.PENDING, me.getMyEmailChannel().getState());
    me.confirmEmailChannel(new ConfirmEmailChannelRequest().token(link.group(2)));
    assertEquals(EmailChannel.StateEnum.ACTIVE, me.getMyEmailChannel().getState());
    problem(410, "invalid-token", () -> me.confirmEmailChannel(new ConfirmEmailChannelRequest().token(link.group(2))));
    return me;
  }

  @Test
  void immediateMailCarriesOneClickUnsubscribeThatOnlyAPostTriggers() throws Exception {
    DeliveryApi me = subscriber("yuki@example.jp", Frequency.IMMEDIATE);
    publish("粗大ごみの日程");
    MimeMessage mail = awaitMail("yuki@example.jp", "粗大ごみの日程");
    String header = mail.getHeader("List-Unsubscribe")[0];
    assertEquals("List-Unsubscribe=One-Click", mail.getHeader("List-Unsubscribe-Post")[0]);
    assertTrue(header.startsWith("<" + node.platform().config().publicUrl() + "/notices/unsubscribe?token="), header);
    String path = header.substring(header.indexOf("/notices/unsubscribe"), header.length() - 1);
    assertTrue(text(mail).contains(path), "the body links to it too");

    HttpResponse<String> opened = plain.send(HttpRequest.newBuilder(URI.create(node.baseUrl() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, opened.statusCode());
    assertEquals(EmailChannel.StateEnum.ACTIVE, me.getMyEmailChannel().getState(), "a GET unsubscribes nobody");

    HttpResponse<String> forged = plain.send(HttpRequest.newBuilder(URI.create(node.baseUrl() + "/notices/unsubscribe?token=AAAA"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString("List-Unsubscribe=One-Click")).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(400, forged.statusCode());
    // what a mail program sends: no cookie, no form token
    HttpResponse<String> oneClick = plain.send(HttpRequest.newBuilder(URI.create(node.baseUrl() + path))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString("List-Unsubscribe=One-Click")).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, oneClick.statusCode(), oneClick.body());
    EmailChannel state = me.getMyEmailChannel();
    assertEquals(EmailChannel.StateEnum.STOPPED, state.getState());
    assertEquals(EmailChannel.StopReasonEnum.UNSUBSCRIBED, state.getStopReason());

    PageWrite later = publish("資源ごみの出し方");
    assertEquals(0, count("SELECT count(*) FROM delivery d JOIN notice o ON o.id = d.notice_id WHERE o.change_id = $1 "
        + "AND d.channel = 'email'", later.getChangeId()), "no mail queued for a stopped channel");
    assertEquals(0, withSubject("yuki@example.jp", "資源ごみの出し方").size());
    long sent = count("SELECT sent FROM notice_stats s JOIN notice o ON o.id = s.notice_id WHERE o.title = '粗大ごみの日程' "
        + "AND s.channel = 'email' AND $1 > 0", 1);
    assertEquals(1, sent);
  }

  @Test
  void dailyDigestCollectsTheDaysNoticesIntoOneMailAndABounceStopsIt() throws Exception {
    DeliveryApi me = subscriber("digest@example.jp", Frequency.DAILY);
    publish("収集日カレンダー");
    publish("ごみ袋の販売店");
    List<Row> due = rows("SELECT d.due_at FROM delivery d JOIN account a ON a.id = d.account_id WHERE a.email = $1",
        "digest@example.jp");
    assertEquals(2, due.size());
    for (Row r : due) {
      ZonedDateTime at = r.getOffsetDateTime(0).atZoneSameInstant(ZoneId.of("Asia/Tokyo"));
      assertEquals(8, at.getHour(), "the digest goes at 08:00 JST");
      assertEquals(0, at.getMinute());
      assertTrue(at.toInstant().isAfter(java.time.Instant.now()));
    }
    assertEquals(0, withSubject("digest@example.jp", "つなぐ：市からのお知らせ 2 件").size(), "nothing before the morning");
    // the morning comes
    await(node.platform().services().pool().preparedQuery("UPDATE delivery d SET next_try_at = now() FROM account a "
        + "WHERE a.id = d.account_id AND a.email = $1").execute(Tuple.of("digest@example.jp")));
    MimeMessage digest = awaitMail("digest@example.jp", "つなぐ：市からのお知らせ 2 件");
    String text = text(digest);
    assertTrue(text.contains("収集日カレンダー") && text.contains("ごみ袋の販売店"), text);

    problem(401, "unauthenticated", () -> new DeliveryApi(node.client()).reportMailEvent(
        new ReportMailEventRequest().type(ReportMailEventRequest.TypeEnum.HARD_BOUNCE).address("digest@example.jp")));
    ApiClient provider = node.client();
    provider.setRequestInterceptor(b -> b.header("Authorization", "Bearer provider-secret"));
    assertEquals(1, new DeliveryApi(provider).reportMailEvent(new ReportMailEventRequest()
        .type(ReportMailEventRequest.TypeEnum.HARD_BOUNCE).address("DIGEST@example.jp")).getStopped());
    EmailChannel state = me.getMyEmailChannel();
    assertEquals(EmailChannel.StateEnum.STOPPED, state.getState());
    assertEquals(EmailChannel.StopReasonEnum.HARD_BOUNCE, state.getStopReason());
    assertEquals(0, new DeliveryApi(provider).reportMailEvent(new ReportMailEventRequest()
        .type(ReportMailEventRequest.TypeEnum.COMPLAINT).address("digest@example.jp")).getStopped(), "stopped already");
  }

  @Test
  void aMailServerThatRefusesLeavesTheMailQueuedWithTheReason() throws Exception {
    int closed = TestPlatform.freePort();
    try (TestPlatform refused = TestPlatform.start(Map.of("mail.smtpHost", "127.0.0.1", "mail.smtpPort", String.valueOf(closed),
        "mail.smtpTls", "none"))) {
      new Fixtures(refused).verifiedCitizen("nobody@example.jp");
      ApiClient client = DeliveryTesting.signedIn(refused, "nobody@example.jp");
      new DeliveryApi(client).requestEmailChannel(Map.of());
      Poll.until(SOON, "a recorded failure", () -> {
        Row r = await(refused.platform().services().pool().preparedQuery("SELECT attempts, sent_at, last_error FROM mail_outbox "
            + "WHERE to_address = $1").execute(Tuple.of("nobody@example.jp"))).iterator().next();
        return r.getInteger(0) >= 1 && r.getOffsetDateTime(1) == null && r.getString(2) != null;
      });
      Row r = await(refused.platform().services().pool().preparedQuery("SELECT next_try_at > now() FROM mail_outbox "
          + "WHERE to_address = $1").execute(Tuple.of("nobody@example.jp"))).iterator().next();
      assertTrue(r.getBoolean(0), "it waits for the next try");
    }
  }

  static long count(String sql, long arg) {
    return await(node.platform().services().pool().preparedQuery(sql).execute(Tuple.of(arg))).iterator().next().getLong(0);
  }

  static List<Row> rows(String sql, String arg) {
    List<Row> out = new java.util.ArrayList<>();
    await(node.platform().services().pool().preparedQuery(sql).execute(Tuple.of(arg))).forEach(out::add);
    return out;
  }
}
