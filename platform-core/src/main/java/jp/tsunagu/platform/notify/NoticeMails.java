package jp.tsunagu.platform.notify;

import java.util.List;
import jp.tsunagu.platform.mail.MailTexts.Mail;

/** Subjects and bodies of notice mail, in Japanese or English. */
final class NoticeMails {
  private NoticeMails() {}

  /** One notice as a mail shows it. */
  record Item(String kind, String title, String url) {}

  static Mail optIn(String locale, String link) {
    return "en".equals(locale)
        ? new Mail("Confirm notices by e-mail",
            "Open this link within 24 hours and confirm to get your city's notices at this address:\n" + link
                + "\n\nIf you did not ask for this, ignore this mail; nothing will be sent.\n")
        : new Mail("メールでのお知らせ受け取りの確認",
            "24時間以内に次のリンクを開いて確認すると、このアドレスに市からのお知らせが届くようになります。\n" + link
                + "\n\nお心当たりのない場合は、このメールを破棄してください。何も送られません。\n");
  }

  /** One notice, or a digest of several. */
  static Mail notices(String locale, List<Item> items, String manageLink, String unsubscribeLink) {
    boolean en = "en".equals(locale);
    String subject = items.size() == 1 ? (en ? prefix(items.get(0).kind(), true) : prefix(items.get(0).kind(), false)) + items.get(0).title()
        : en ? "Tsunagu: " + items.size() + " notices from your city" : "つなぐ：市からのお知らせ " + items.size() + " 件";
    StringBuilder body = new StringBuilder(en ? "Notices matching your interests:\n\n" : "関心に合うお知らせです。\n\n");
    for (Item item : items) {
      body.append("・").append(prefix(item.kind(), en)).append(item.title()).append('\n').append("  ").append(item.url()).append("\n\n");
    }
    body.append(en ? "Change what you get (no sign-in needed; the link works once, for 14 days): "
        : "受け取る内容の変更（サインイン不要。リンクは14日間、1回使えます）：").append(manageLink).append('\n');
    body.append(en ? "Stop these e-mails: " : "メールの配信停止：").append(unsubscribeLink).append('\n');
    return new Mail(subject, body.toString());
  }

  private static String prefix(String kind, boolean en) {
    return switch (kind) {
      case "updated" -> en ? "[Updated] " : "【更新】";
      case "withdrawn" -> en ? "[Withdrawn] " : "【掲載終了】";
      default -> en ? "" : "";
    };
  }
}
