package jp.tsunagu.search.page;

import static jp.tsunagu.search.page.Pages.CHIYODA;
import static jp.tsunagu.search.page.Pages.NOW;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import jp.tsunagu.search.analysis.AnalysisRegistry;
import jp.tsunagu.search.index.WriteToken;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Writers and readers on separate pools, as the platform runs them. */
class ConcurrencyTest {

  @TempDir Path dir;

  @Test
  void concurrentWritersAndReadersSeeConsistentResults() throws Exception {
    int writers = 4;
    int perWriter = 100;
    try (AnalysisRegistry analysis = new AnalysisRegistry(); PageIndex index = PageIndex.open(dir, analysis)) {
      ExecutorService writePool = Executors.newFixedThreadPool(writers);
      ExecutorService readPool = Executors.newFixedThreadPool(3);
      AtomicBoolean writing = new AtomicBoolean(true);
      List<Future<WriteToken>> writes = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        int writer = w;
        writes.add(writePool.submit(() -> {
          WriteToken last = null;
          for (int i = 0; i < perWriter; i++) {
            String id = "w" + writer + "-" + i;
            last = index.upsert(Pages.ja(CHIYODA, id, "防災のお知らせ " + id, "避難所の開設について。", "防災"));
            if (i % 10 == 0) {
              index.upsert(Pages.ja(CHIYODA, id, "防災のお知らせ（更新） " + id, "避難所の開設について。", "防災"));
            }
          }
          return last;
        }));
      }
      List<Future<Long>> reads = new ArrayList<>();
      for (int r = 0; r < 3; r++) {
        reads.add(readPool.submit(() -> {
          long searches = 0;
          while (writing.get()) {
            PageResults results = index.search(PageQuery.builder(CHIYODA).text("避難所").facets("category").now(NOW).build());
            long counted = results.facets().get("category").stream().mapToLong(FacetCount::count).sum();
            assertEquals(results.total(), counted);
            searches++;
          }
          return searches;
        }));
      }
      for (Future<WriteToken> f : writes) {
        assertTrue(index.awaitSearchable(f.get(), Duration.ofSeconds(60)));
      }
      writing.set(false);
      for (Future<Long> f : reads) {
        assertTrue(f.get() > 0);
      }
      writePool.shutdown();
      readPool.shutdown();
      assertEquals(writers * perWriter, index.count());
      assertEquals(writers * perWriter, index.search(PageQuery.builder(CHIYODA).text("避難所").now(NOW).build()).total());
    }
  }
}
