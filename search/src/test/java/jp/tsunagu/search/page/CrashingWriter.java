package jp.tsunagu.search.page;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import jp.tsunagu.search.analysis.AnalysisRegistry;

/**
 * Run in a child JVM by {@link CrashRecoveryIT}: writes, commits with checkpoint 42, writes more,
 * makes the extra writes searchable (so they reached segment files), then halts without closing.
 */
public final class CrashingWriter {

  public static void main(String[] args) throws Exception {
    PageIndex index = PageIndex.open(Path.of(args[0]), new AnalysisRegistry());
    for (int i = 0; i < 10; i++) {
      index.upsert(page("committed" + i));
    }
    index.commit(42);
    var last = index.upsert(page("lost0"));
    for (int i = 1; i < 5; i++) {
      last = index.upsert(page("lost" + i));
    }
    index.awaitSearchable(last, java.time.Duration.ofSeconds(30));
    System.out.println("halting");
    System.out.flush();
    Runtime.getRuntime().halt(0);
  }

  static Page page(String id) {
    return new Page("131016", id, "", "防災訓練 " + id, "", "避難所へ集合します。", "防災", "", List.of(), List.of(),
        Set.of(), Language.JA, Instant.parse("2026-01-01T00:00:00Z"), null, false);
  }
}
