package jp.tsunagu.search.corpus;

import java.util.List;

/**
 * Japanese queries with their judgements against {@link MunicipalCorpus}: a page about the
 * query's topic is relevant (grade 1), and also about its action, very relevant (grade 2).
 * Queries are typed the way residents type: other spellings, kana, half-width, full-width spaces.
 */
public final class JudgedQueries {

  /** @param action the action the query asks for, or null when any action is fine */
  public record Judged(String text, String topic, String action) {

    public int grade(MunicipalCorpus.Generated page) {
      if (!page.topic().name().equals(topic)) {
        return 0;
      }
      return action != null && action.equals(page.action()) ? 2 : 1;
    }
  }

  private JudgedQueries() {}

  public static final List<Judged> ALL = List.of(
      new Judged("保育園 申し込み", "保育園", "申し込み"),
      new Judged("児童手当", "児童手当", null),
      new Judged("こどもの医療費", "子ども医療費助成", null),
      new Judged("子供 医療費 助成", "子ども医療費助成", null),
      new Judged("乳幼児 健診 日程", "乳幼児健診", "日程"),
      new Judged("ｿﾀﾞｲｺﾞﾐ", "粗大ごみ", null),
      new Judged("粗大ゴミ 申し込み", "粗大ごみ", "申し込み"),
      new Judged("ごみ　収集日", "ごみ収集日", null),
      new Judged("資源ゴミ", "資源ごみ", null),
      new Judged("避難所", "避難所", null),
      new Judged("ハザードマップ", "ハザードマップ", null),
      new Judged("防災訓練 日程", "防災訓練", "日程"),
      new Judged("住民税 変更", "住民税", "変更"),
      new Judged("ふるさと納税", "ふるさと納税", null),
      new Judged("がん検診 受付", "がん検診", "受付"),
      new Judged("ワクチン接種", "予防接種", null),
      new Judged("インフルエンザ", "インフルエンザ", null),
      new Judged("学童クラブ", "学童保育", null),
      new Judged("図書館 案内", "図書館", "案内"),
      new Judged("花火大会", "花火大会", null),
      new Judged("マイナンバーカード 手続き", "マイナンバーカード", "手続き"),
      new Judged("介護保険 申請", "介護保険", "申請"),
      new Judged("母子手帳", "母子健康手帳", null),
      new Judged("成人式", "成人式", null),
      new Judged("パスポート 申請", "パスポート", "申請"),
      new Judged("子育てひろば", "子育て支援センター", null),
      new Judged("健康相談 予約", "健康相談", null),
      new Judged("がけ崩れ", "土砂災害", null));
}
