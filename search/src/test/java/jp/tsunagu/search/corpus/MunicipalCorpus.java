package jp.tsunagu.search.corpus;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import jp.tsunagu.search.page.Language;
import jp.tsunagu.search.page.LifeStage;
import jp.tsunagu.search.page.Page;

/**
 * A deterministic generator of municipal-style Japanese pages. Each page is about one topic of one
 * category and one action (申請, 日程, …); titles and bodies spell words in the variants real
 * municipal sites use (子ども/子供/こども, ごみ/ゴミ, 申し込み/申込み), and bodies mention unrelated
 * topics in passing (related links), so that ranking has to prefer pages about the query.
 */
public final class MunicipalCorpus {

  public static final Instant EPOCH = Instant.parse("2026-04-01T00:00:00Z");
  public static final String TENANT = "131016";

  /** A topic: canonical name, spelling variants used in titles and bodies, related words. */
  public record Topic(String category, String name, List<String> variants, List<String> related, LifeStage stage) {}

  /** A generated page with the topic and action it is about. */
  public record Generated(Page page, Topic topic, String action) {}

  static final List<String> ACTIONS = List.of("申請", "申し込み", "お知らせ", "手続き", "日程", "受付", "変更", "案内");

  public static final List<Topic> TOPICS = List.of(
      t("子育て", "保育園", List.of("保育園", "保育所"), List.of("入園", "待機児童", "保育料", "延長保育"), LifeStage.PRESCHOOL),
      t("子育て", "児童手当", List.of("児童手当"), List.of("支給日", "所得制限", "現況届", "口座"), LifeStage.SCHOOL_AGE),
      t("子育て", "子ども医療費助成", List.of("子ども医療費助成", "子供医療費助成", "こども医療費助成"), List.of("医療証", "通院", "入院", "自己負担"), LifeStage.INFANT),
      t("子育て", "乳幼児健診", List.of("乳幼児健診", "乳幼児健康診査"), List.of("3か月児", "1歳6か月児", "3歳児", "身体測定"), LifeStage.INFANT),
      t("子育て", "子育て支援センター", List.of("子育て支援センター", "子育てひろば"), List.of("親子", "遊び場", "育児相談", "交流"), LifeStage.PRESCHOOL),
      t("子育て", "学童保育", List.of("学童保育", "学童クラブ", "放課後児童クラブ"), List.of("放課後", "小学生", "定員", "おやつ"), LifeStage.SCHOOL_AGE),
      t("子育て", "母子健康手帳", List.of("母子健康手帳", "母子手帳"), List.of("妊娠届", "妊婦健診", "交付", "保健師"), LifeStage.PREGNANCY),
      t("子育て", "病児保育", List.of("病児保育", "病後児保育"), List.of("発熱", "登録", "看護師", "利用料"), LifeStage.PRESCHOOL),
      t("防災", "避難所", List.of("避難所", "指定避難所"), List.of("開設", "収容", "体育館", "避難経路"), null),
      t("防災", "ハザードマップ", List.of("ハザードマップ", "防災マップ"), List.of("浸水", "洪水", "想定区域", "配布"), null),
      t("防災", "防災訓練", List.of("防災訓練", "総合防災訓練"), List.of("消火器", "初期消火", "自主防災組織", "参加"), null),
      t("防災", "非常持ち出し品", List.of("非常持ち出し品", "非常持出品"), List.of("飲料水", "懐中電灯", "常備薬", "備蓄"), null),
      t("防災", "耐震診断", List.of("耐震診断", "耐震改修"), List.of("木造住宅", "補助金", "旧耐震基準", "専門家"), null),
      t("防災", "土砂災害", List.of("土砂災害", "がけ崩れ"), List.of("警戒区域", "大雨", "避難情報", "前兆"), null),
      t("ごみ", "粗大ごみ", List.of("粗大ごみ", "粗大ゴミ"), List.of("収集", "処理券", "戸別", "持ち込み"), null),
      t("ごみ", "資源ごみ", List.of("資源ごみ", "資源ゴミ", "資源物"), List.of("古紙", "びん", "缶", "ペットボトル"), null),
      t("ごみ", "ごみ収集日", List.of("ごみ収集日", "ゴミ収集日", "ごみカレンダー"), List.of("曜日", "地区", "年末年始", "集積所"), null),
      t("ごみ", "家電リサイクル", List.of("家電リサイクル"), List.of("エアコン", "冷蔵庫", "洗濯機", "リサイクル料金"), null),
      t("ごみ", "生ごみ処理機", List.of("生ごみ処理機", "生ゴミ処理機"), List.of("購入", "補助", "堆肥", "コンポスト"), null),
      t("税", "住民税", List.of("住民税", "市民税・県民税", "個人住民税"), List.of("納税通知書", "特別徴収", "普通徴収", "税額"), LifeStage.ADULT),
      t("税", "固定資産税", List.of("固定資産税"), List.of("土地", "家屋", "評価額", "縦覧"), LifeStage.ADULT),
      t("税", "軽自動車税", List.of("軽自動車税"), List.of("原付", "バイク", "廃車", "名義変更"), LifeStage.ADULT),
      t("税", "納税証明書", List.of("納税証明書", "課税証明書"), List.of("発行", "手数料", "窓口", "郵送"), LifeStage.ADULT),
      t("税", "ふるさと納税", List.of("ふるさと納税"), List.of("寄附", "返礼品", "ワンストップ特例", "控除"), LifeStage.ADULT),
      t("健康", "特定健診", List.of("特定健診", "特定健康診査"), List.of("国民健康保険", "40歳", "メタボ", "受診券"), LifeStage.ADULT),
      t("健康", "がん検診", List.of("がん検診"), List.of("胃がん", "大腸がん", "肺がん", "乳がん"), LifeStage.ADULT),
      t("健康", "予防接種", List.of("予防接種", "ワクチン接種"), List.of("接種券", "医療機関", "定期接種", "副反応"), LifeStage.INFANT),
      t("健康", "インフルエンザ", List.of("インフルエンザ", "ｲﾝﾌﾙｴﾝｻﾞ"), List.of("流行", "手洗い", "高齢者", "助成"), LifeStage.SENIOR),
      t("健康", "歯科健診", List.of("歯科健診", "歯の健康診査"), List.of("むし歯", "歯周病", "歯科医院", "無料"), null),
      t("健康", "健康相談", List.of("健康相談", "保健相談"), List.of("保健師", "栄養士", "生活習慣", "予約"), null),
      t("教育", "小学校入学", List.of("小学校入学", "就学"), List.of("入学通知書", "学区", "就学時健診", "ランドセル"), LifeStage.SCHOOL_AGE),
      t("教育", "就学援助", List.of("就学援助"), List.of("学用品", "給食費", "認定", "所得基準"), LifeStage.SCHOOL_AGE),
      t("教育", "学校給食", List.of("学校給食", "給食"), List.of("献立", "アレルギー", "給食費", "食育"), LifeStage.SCHOOL_AGE),
      t("教育", "図書館", List.of("図書館", "区立図書館"), List.of("貸出", "返却", "開館時間", "蔵書"), null),
      t("教育", "生涯学習講座", List.of("生涯学習講座", "市民講座"), List.of("受講", "教室", "講師", "定員"), LifeStage.SENIOR),
      t("イベント", "花火大会", List.of("花火大会"), List.of("打ち上げ", "交通規制", "観覧席", "雨天"), null),
      t("イベント", "夏祭り", List.of("夏祭り", "盆踊り"), List.of("屋台", "神輿", "町会", "浴衣"), null),
      t("イベント", "マラソン大会", List.of("マラソン大会", "市民マラソン"), List.of("ランナー", "コース", "エントリー", "給水"), null),
      t("イベント", "成人式", List.of("成人式", "二十歳のつどい"), List.of("新成人", "会場", "記念品", "振袖"), LifeStage.YOUTH),
      t("イベント", "朝市", List.of("朝市", "マルシェ"), List.of("地元野菜", "出店", "毎月", "広場"), null),
      t("福祉", "介護保険", List.of("介護保険"), List.of("要介護認定", "ケアマネジャー", "保険料", "サービス"), LifeStage.SENIOR),
      t("福祉", "障害者手帳", List.of("障害者手帳", "身体障害者手帳"), List.of("交付", "等級", "割引", "申請書"), null),
      t("福祉", "高齢者見守り", List.of("高齢者見守り", "見守りサービス"), List.of("一人暮らし", "緊急通報", "民生委員", "安否確認"), LifeStage.SENIOR),
      t("福祉", "地域包括支援センター", List.of("地域包括支援センター"), List.of("介護予防", "相談窓口", "高齢者", "権利擁護"), LifeStage.SENIOR),
      t("くらし", "転入届", List.of("転入届", "転入手続き"), List.of("引っ越し", "転出証明書", "14日以内", "住所変更"), null),
      t("くらし", "住民票", List.of("住民票", "住民票の写し"), List.of("コンビニ交付", "代理人", "委任状", "本人確認"), null),
      t("くらし", "マイナンバーカード", List.of("マイナンバーカード", "個人番号カード"), List.of("交付", "暗証番号", "電子証明書", "更新"), null),
      t("くらし", "印鑑登録", List.of("印鑑登録", "印鑑証明"), List.of("実印", "登録証", "本人", "廃止"), null),
      t("くらし", "パスポート", List.of("パスポート", "旅券"), List.of("申請書", "受け取り", "写真", "有効期間"), null));

  static final List<String> DEPARTMENTS = List.of("子育て支援課", "防災課", "清掃事務所", "税務課", "健康推進課",
      "教育委員会", "文化振興課", "福祉課", "区民課");
  static final List<String> DISTRICTS = List.of("神田", "麹町", "番町", "九段", "富士見", "飯田橋", "秋葉原", "大手町");

  static final List<String> BOILERPLATE = List.of(
      "詳しくは担当窓口までお問い合わせください。",
      "受付時間は平日の午前8時30分から午後5時15分までです。",
      "土曜日・日曜日・祝日は休みです。",
      "必要な書類を事前にご確認ください。",
      "区役所1階の総合窓口でも受け付けています。",
      "郵送での手続きもできます。",
      "電子申請サービスからも申し込みができます。",
      "内容は変更になる場合があります。",
      "ご不明な点は電話でご相談ください。",
      "本人確認書類をお持ちください。",
      "外国語での案内もあります。",
      "混雑が予想されますので、時間に余裕をもってお越しください。");

  private static Topic t(String category, String name, List<String> variants, List<String> related, LifeStage stage) {
    return new Topic(category, name, variants, related, stage);
  }

  private final Random random;
  private final int bodyChars;

  /**
   * @param seed fixes the whole corpus
   * @param bodyChars approximate body length in characters (about 400 for tests, 2,000 for benchmarks)
   */
  public MunicipalCorpus(long seed, int bodyChars) {
    this.random = new Random(seed);
    this.bodyChars = bodyChars;
  }

  public List<Generated> generate(int count) {
    List<Generated> pages = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      pages.add(next(i));
    }
    return pages;
  }

  /** The page with sequence number {@code n} (the generator is sequential: call in order). */
  public Generated next(int n) {
    Topic topic = TOPICS.get(random.nextInt(TOPICS.size()));
    String action = ACTIONS.get(random.nextInt(ACTIONS.size()));
    String name = pick(topic.variants());
    String title = switch (random.nextInt(4)) {
      case 0 -> name + "の" + action;
      case 1 -> name + "について（" + action + "）";
      case 2 -> "【" + year() + "年度】" + name + "の" + action;
      default -> pick(topic.related()) + "と" + name + "の" + action;
    };
    String summary = name + "の" + action + "についてご案内します。";
    String body = body(topic, name, action);
    Instant published = EPOCH.minus(Duration.ofHours(random.nextInt(24 * 900)));
    Set<LifeStage> stages = topic.stage() == null ? Set.of() : Set.of(topic.stage());
    String department = DEPARTMENTS.get(Math.floorMod(topic.category().hashCode(), DEPARTMENTS.size()));
    Page page = new Page(TENANT, "p" + n, "https://www.city.example.jp/page/" + n + ".html", title, summary, body,
        topic.category(), department, List.of(topic.name()), List.of(pick(DISTRICTS)), stages, Language.JA,
        published, published.plus(Duration.ofHours(random.nextInt(24 * 30))), false);
    return new Generated(page, topic, action);
  }

  private String body(Topic topic, String name, String action) {
    StringBuilder b = new StringBuilder();
    b.append(name).append("の").append(action).append("についてお知らせします。");
    while (b.length() < bodyChars) {
      int kind = random.nextInt(10);
      if (kind < 4) {
        String word = pick(topic.related());
        b.append(switch (random.nextInt(4)) {
          case 0 -> name + "の" + word + "については、" + pick(DISTRICTS) + "地区の窓口でも相談できます。";
          case 1 -> word + "に関する" + action + "は、" + month() + "月" + day() + "日から受け付けます。";
          case 2 -> "対象となる方には、" + word + "の案内を郵送します。";
          default -> name + "の" + word + "について、よくある質問をまとめました。";
        });
      } else if (kind < 8) {
        b.append(pick(BOILERPLATE));
      } else {
        Topic other = TOPICS.get(random.nextInt(TOPICS.size()));
        b.append("関連情報：").append(pick(other.variants())).append("の").append(pick(ACTIONS)).append("もご覧ください。");
      }
    }
    return b.toString();
  }

  private String pick(List<String> list) {
    return list.get(random.nextInt(list.size()));
  }

  private int year() {
    return 2024 + random.nextInt(3);
  }

  private int month() {
    return 1 + random.nextInt(12);
  }

  private int day() {
    return 1 + random.nextInt(28);
  }
}
