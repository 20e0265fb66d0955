package jp.tsunagu.platform;

import io.vertx.core.Future;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.EnumSet;
import java.util.List;
import jp.tsunagu.platform.content.Author;
import jp.tsunagu.platform.content.ContentRepository.Term;
import jp.tsunagu.platform.content.PageDraft;
import jp.tsunagu.platform.sitesearch.ContentModule;
import jp.tsunagu.platform.staff.Role;
import jp.tsunagu.platform.staff.Staff;

/**
 * Demo pages, taxonomy, facilities and an editor for 島田市, created once (when the municipality
 * has no taxonomy yet) so that the first tour can search and publish.
 */
final class DemoContent {
  static final String EDITOR = "editor@shimada.example";
  static final String EDITOR_PASSWORD = "demo-editor-2026";
  private static final String SITE = "https://www.city.shimada.shizuoka.jp/";

  private static final List<Term> TERMS = List.of(
      new Term("category", "kosodate", "子育て", "Child raising", 1),
      new Term("category", "bousai", "防災", "Disaster preparedness", 2),
      new Term("category", "gomi", "ごみ・リサイクル", "Waste and recycling", 3),
      new Term("category", "zei", "税金", "Taxes", 4),
      new Term("category", "kenko", "健康・医療", "Health", 5),
      new Term("category", "kyoiku", "教育", "Education", 6),
      new Term("category", "event", "イベント", "Events", 7),
      new Term("department", "kodomo", "こども家庭課", "Children and Families Division", 1),
      new Term("department", "kikikanri", "危機管理課", "Crisis Management Division", 2),
      new Term("department", "kankyo", "環境課", "Environment Division", 3),
      new Term("department", "kazei", "課税課", "Taxation Division", 4),
      new Term("department", "kenko", "健康づくり課", "Health Promotion Division", 5));

  private static final String FACILITIES = """
      id,name,type,latitude,longitude,address,capacity,min_age_months,max_age_months,opening_hours,vacancies,district
      hoiku-honcho,島田本通保育園,nursery,34.8372,138.1772,島田市本通一丁目,90,6,71,7:00-19:00,3,honcho-1
      hoiku-rokugo,六合こども園,nursery,34.8455,138.1952,島田市六合,120,0,71,7:30-18:30,0,rokugo
      hoiku-kanaya,金谷ひまわり保育園,nursery,34.8205,138.1262,島田市金谷,60,3,35,7:00-18:00,2,kanaya
      lib-shimada,島田市立島田図書館,library,34.8349,138.1758,島田市本通二丁目,,,,9:00-19:00,,honcho-2
      clinic-kyukyu,島田市休日急患診療所,clinic,34.8390,138.1801,島田市本通一丁目,,,,9:00-17:00（休日）,,honcho-1
      shelter-daiichi,島田第一小学校 体育館,shelter,34.8381,138.1738,島田市本通二丁目,450,,,,450,shimada-es
      """;

  private final Services services;

  DemoContent(Services services) {
    this.services = services;
  }

  Future<Void> seedOnce(Staff operator) {
    return services.pool().preparedQuery("SELECT count(*) FROM content_taxonomy WHERE tenant_code = $1")
        .execute(Tuple.of(DemoSeeder.TENANT))
        .compose(rows -> rows.iterator().next().getLong(0) > 0 ? Future.succeededFuture() : seed(operator));
  }

  private Future<Void> seed(Staff operator) {
    ContentModule content = services.content();
    Author system = Author.system();
    Future<Void> chain = services.staff().byEmail(EDITOR).compose(found -> found.isPresent() ? Future.succeededFuture()
        : services.staff().create(operator, DemoSeeder.TENANT, EDITOR, "島田市 広報担当", EnumSet.of(Role.EDITOR), EDITOR_PASSWORD).mapEmpty());
    for (Term t : TERMS) {
      chain = chain.compose(v -> content.content().saveTerm(system, DemoSeeder.TENANT, t).mapEmpty());
    }
    for (PageDraft p : pages()) {
      chain = chain.compose(v -> content.content().upsert(system, DemoSeeder.TENANT, p, "demo").mapEmpty());
    }
    return chain.compose(v -> content.facilities().importCsv(system, DemoSeeder.TENANT, FACILITIES)).mapEmpty();
  }

  private static List<PageDraft> pages() {
    OffsetDateTime now = OffsetDateTime.now();
    return List.of(
        page("kosodate/hoikuen-moushikomi.html", "保育園・認定こども園の入園申し込み", "来年4月の入園の申し込みを受け付けます。",
            "<p>令和8年4月に保育園・認定こども園への入園を希望する方の申し込みを、こども家庭課で受け付けます。</p>"
                + "<p>申し込みには就労証明書が必要です。オンラインでも申し込めます。</p>",
            "kosodate", "kodomo", List.of("preschool", "infant"), List.of(), now.minusDays(3)),
        page("kosodate/shien-center.html", "子育て支援センターの利用", "親子で遊べる広場と子育ての相談。",
            "<p>子育て支援センターでは、乳幼児と保護者が自由に遊べる広場を開いています。保育士による子育て相談もできます。</p>",
            "kosodate", "kodomo", List.of("infant", "preschool"), List.of("honcho-1"), now.minusDays(20)),
        page("kosodate/jidou-teate.html", "児童手当の申請", "児童手当の対象と申請の方法。",
            "<p>高校生年代までの子どもを養育している方に児童手当を支給します。出生や転入から15日以内に申請してください。</p>",
            "kosodate", "kodomo", List.of("infant", "preschool", "school_age"), List.of(), now.minusDays(60)),
        page("bousai/hazard-map.html", "洪水・土砂災害ハザードマップ", "大井川の浸水想定区域と避難所。",
            "<p>大井川が氾濫した場合の浸水想定区域と、土砂災害警戒区域、指定避難所を地図で確認できます。</p>",
            "bousai", "kikikanri", List.of(), List.of(), now.minusDays(10)),
        page("bousai/sougou-kunren.html", "総合防災訓練を行います", "9月の総合防災訓練のお知らせ。",
            "<p>地震を想定した総合防災訓練を、島田第一小学校を会場に行います。自主防災会の皆さんの参加をお願いします。</p>",
            "bousai", "kikikanri", List.of(), List.of("shimada-es", "honcho-1", "honcho-2"), now.minusDays(2)),
        page("gomi/wakekata.html", "ごみの分け方・出し方", "燃やすごみ、資源ごみ、粗大ごみの出し方。",
            "<p>燃やすごみは週2回、資源ごみは月2回の収集です。粗大ごみは電話かインターネットで予約してください。</p>",
            "gomi", "kankyo", List.of(), List.of(), now.minusDays(90)),
        page("zei/keijidousha.html", "軽自動車税の納付", "5月末までに納めてください。",
            "<p>軽自動車税（種別割）の納期限は5月31日です。コンビニやスマートフォン決済でも納付できます。</p>",
            "zei", "kazei", List.of("adult"), List.of(), now.minusDays(200)),
        page("kenko/yobousesshu.html", "子どもの予防接種", "定期予防接種の種類と受け方。",
            "<p>生後2か月から受けられる定期予防接種のワクチンの種類と、指定医療機関での受け方を案内します。</p>",
            "kenko", "kenko", List.of("infant", "preschool"), List.of(), now.minusDays(30)),
        page("event/ochamatsuri.html", "島田お茶まつり", "新茶の試飲と茶摘み体験。",
            "<p>緑茶のまち島田で、新茶の試飲や茶摘み体験、お茶の淹れ方教室を開きます。どなたでも参加できます。</p>",
            "event", null, List.of(), List.of(), now.minusDays(5)),
        new PageDraft(SITE + "foreign/en/garbage.html", "How to sort and put out garbage", "Collection days and rules in English.",
            "<p>Burnable garbage is collected twice a week. Book large items by phone or online.</p>", "gomi", "kankyo",
            List.of(), List.of(), List.of("adult"), "en", now.minusDays(40)));
  }

  private static PageDraft page(String path, String title, String summary, String html, String category, String department,
                                List<String> lifeStages, List<String> districts, OffsetDateTime published) {
    return new PageDraft(SITE + path, title, summary, html, category, department, List.of(), districts, lifeStages, "ja", published);
  }
}
