package jp.tsunagu.platform.mail;

/** Subjects and bodies of the platform's account mails, in Japanese or English. */
public final class MailTexts {
  private MailTexts() {}

  /** A mail ready for the outbox. */
  public record Mail(String subject, String body) {}

  public static Mail verifyEmail(String locale, String link) {
    return "en".equals(locale)
        ? new Mail("Confirm your e-mail address",
            "Welcome to Tsunagu.\n\nOpen this link within 24 hours to confirm your e-mail address:\n" + link
                + "\n\nIf you did not sign up, ignore this mail.\n")
        : new Mail("メールアドレスの確認",
            "つなぐへのご登録ありがとうございます。\n\n24時間以内に次のリンクを開いて、メールアドレスを確認してください。\n" + link
                + "\n\nお心当たりのない場合は、このメールを破棄してください。\n");
  }

  public static Mail resetPassword(String locale, String link) {
    return "en".equals(locale)
        ? new Mail("Reset your password",
            "Open this link within 1 hour to choose a new password:\n" + link
                + "\n\nIf you did not ask for this, ignore this mail; your password stays as it is.\n")
        : new Mail("パスワードの再設定",
            "1時間以内に次のリンクを開いて、新しいパスワードを設定してください。\n" + link
                + "\n\nお心当たりのない場合は、このメールを破棄してください。パスワードは変更されません。\n");
  }

  public static Mail changeEmail(String locale, String link) {
    return "en".equals(locale)
        ? new Mail("Confirm your new e-mail address",
            "Open this link within 24 hours to make this your sign-in address:\n" + link + "\n")
        : new Mail("新しいメールアドレスの確認",
            "24時間以内に次のリンクを開くと、このアドレスがサインイン用のアドレスになります。\n" + link + "\n");
  }

  public static Mail emailChangedNotice(String locale, String newEmail) {
    return "en".equals(locale)
        ? new Mail("Your sign-in address was changed",
            "The sign-in address of your Tsunagu account is now " + newEmail + ".\nIf this was not you, contact your municipality.\n")
        : new Mail("サインイン用メールアドレスが変更されました",
            "つなぐのサインイン用メールアドレスは " + newEmail + " に変更されました。\nお心当たりのない場合は、お住まいの自治体にご連絡ください。\n");
  }
}
