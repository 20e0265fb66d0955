package jp.tsunagu.platform.residence;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;

/** The printable letter a municipality posts to a resident with their verification code. */
public final class ResidenceLetter {
  private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy年M月d日");

  private ResidenceLetter() {}

  public static String text(String municipality, ResidentRecord r, String code, LocalDate expires, String publicUrl) {
    return String.join("\n",
        r.familyName() + " " + r.givenName() + " 様",
        "",
        municipality + "より、つなぐ（市民ID）の住民照合コードをお知らせします。",
        "",
        "　住民照合コード：" + code,
        "　有効期限：" + DATE.format(expires) + "まで",
        "",
        "【手順】",
        "1. " + publicUrl + "/account にサインインします（アカウントがない場合は新規登録）。",
        "2.「住民照合コードの入力」に上のコードを入力します。",
        "3. 照合が済むと、市からの個人宛のお知らせをアプリで受け取れます。",
        "",
        "このコードは一度だけ使えます。他の人に教えないでください。",
        "心当たりのない場合や、コードを紛失した場合は市役所までご連絡ください。",
        "");
  }
}
