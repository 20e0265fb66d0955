package jp.tsunagu.search.bench;

import java.util.List;
import jp.tsunagu.search.corpus.MunicipalCorpus;
import jp.tsunagu.search.page.Page;

/** The benchmark corpus: generated municipal pages of about 2,000 characters, fixed seed. */
final class BenchCorpus {

  static final int BODY_CHARS = 2_000;
  static final long SEED = 20_260_401L;

  /** 2–3-word queries residents type, the same for Lucene and PostgreSQL. */
  static final List<String> QUERIES = List.of(
      "保育園 申し込み", "粗大ごみ 収集", "防災訓練 日程", "住民税 変更", "がん検診 受付", "図書館 案内",
      "介護保険 申請", "パスポート 申請", "乳幼児 健診 日程", "子供 医療費 助成", "マイナンバーカード 手続き",
      "避難所 開設", "児童手当 支給日", "花火大会 交通規制", "ごみ 収集日 年末年始", "学童保育 定員");

  private BenchCorpus() {}

  static List<Page> pages(int count) {
    return new MunicipalCorpus(SEED, BODY_CHARS).generate(count).stream().map(MunicipalCorpus.Generated::page).toList();
  }
}
