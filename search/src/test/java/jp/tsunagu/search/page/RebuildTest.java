package jp.tsunagu.search.page;

import static jp.tsunagu.search.page.Pages.CHIYODA;
import static jp.tsunagu.search.page.Pages.NOW;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import jp.tsunagu.search.SearchException;
import jp.tsunagu.search.analysis.AnalysisRegistry;
import jp.tsunagu.search.index.RebuildProgress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RebuildTest {

  @TempDir Path dir;
  AnalysisRegistry analysis;
  PageIndex index;

  @BeforeEach
  void open() {
    analysis = new AnalysisRegistry();
    index = PageIndex.open(dir, analysis);
  }

  @AfterEach
  void close() throws Exception {
    index.close();
    analysis.close();
  }

  long count(String text) {
    return index.search(PageQuery.builder(CHIYODA).text(text).now(NOW).build()).total();
  }

  static Page page(String id, String title) {
    return Pages.ja(CHIYODA, id, title, "本文です。", "くらし");
  }

  @Test
  void searchesAnswerFromTheOldGenerationUntilTheSwapAndLiveWritesSurvive() throws Exception {
    for (int i = 0; i < 5; i++) {
      index.upsert(page("old" + i, "旧ページ"));
    }
    assertTrue(index.awaitSearchable(index.upsert(page("a", "旧ページ")), Duration.ofSeconds(30)));
    assertEquals(1, index.generation());

    CountDownLatch halfway = new CountDownLatch(1);
    CountDownLatch resume = new CountDownLatch(1);
    Stream<Page> source = IntStream.range(0, 100).mapToObj(i -> {
      if (i == 50) {
        halfway.countDown();
        await(resume);
      }
      return i == 0 ? page("a", "再構築ページ（古い版）") : page("new" + i, "再構築ページ");
    });
    RebuildProgress progress = new RebuildProgress(100);
    CompletableFuture<Void> rebuild = CompletableFuture.runAsync(() -> index.rebuild(source, 77, progress));
    assertTrue(halfway.await(30, TimeUnit.SECONDS));

    assertEquals(50, progress.done());
    assertEquals(6, count("旧ページ"));
    assertEquals(0, count("再構築"));
    // A live write while the rebuild runs: visible now, and kept after the swap.
    assertTrue(index.awaitSearchable(index.upsert(page("a", "最新の版")), Duration.ofSeconds(30)));
    assertEquals(1, count("最新"));

    resume.countDown();
    rebuild.get(60, TimeUnit.SECONDS);

    assertTrue(progress.finished());
    assertEquals(100, progress.done());
    assertEquals(2, index.generation());
    assertEquals(0, count("旧ページ"));
    assertEquals(99, count("再構築"));
    assertEquals(List.of("a"), index.search(PageQuery.builder(CHIYODA).text("最新").now(NOW).build())
        .hits().stream().map(PageHit::id).toList());
    assertEquals(77, index.committedSequence());
  }

  @Test
  void theNewGenerationIsTheOneReopened() throws Exception {
    index.upsert(page("old", "旧ページ"));
    index.rebuild(Stream.of(page("new", "新ページ")), 5, new RebuildProgress(1));
    index.close();
    index = PageIndex.open(dir, analysis);
    assertEquals(2, index.generation());
    assertEquals(1, count("新ページ"));
    assertEquals(0, count("旧ページ"));
    try (Stream<Path> children = Files.list(dir)) {
      assertEquals(Set.of("CURRENT", "gen-000002"),
          Set.copyOf(children.map(p -> p.getFileName().toString()).toList()));
    }
  }

  @Test
  void severalThreadsRebuildEveryPageAndTheLaterCopyOfAPageWins() throws Exception {
    Stream<Page> pages = Stream.concat(
        IntStream.range(0, 300).mapToObj(i -> page("p" + i, i == 7 ? "古い題名" : "防災ページ")),
        Stream.of(page("p7", "新しい題名")));
    RebuildProgress progress = new RebuildProgress(301);
    index.rebuild(pages, 3, progress, 3);
    assertEquals(301, progress.done());
    assertEquals(300, index.count());
    assertEquals(299, count("防災ページ"));
    assertEquals(1, count("新しい題名"));
    assertEquals(0, count("古い題名"));
    assertTrue(index.awaitSearchable(index.upsert(page("later", "後の題名")), Duration.ofSeconds(30)));
    assertEquals(1, count("後の題名"));
  }

  @Test
  void aFailedParallelRebuildLeavesTheLiveGenerationServing() throws Exception {
    assertTrue(index.awaitSearchable(index.upsert(page("old", "旧ページ")), Duration.ofSeconds(30)));
    Stream<Page> broken = IntStream.range(0, 100).mapToObj(i -> {
      if (i == 60) {
        throw new IllegalStateException("database went away");
      }
      return page("n" + i, "新ページ");
    });
    assertThrows(SearchException.class, () -> index.rebuild(broken, 9, new RebuildProgress(100), 2));
    assertEquals(1, index.generation());
    assertEquals(1, count("旧ページ"));
  }

  @Test
  void aFailedRebuildLeavesTheLiveGenerationServing() throws Exception {
    assertTrue(index.awaitSearchable(index.upsert(page("old", "旧ページ")), Duration.ofSeconds(30)));
    Stream<Page> broken = Stream.of(1, 2, 3).map(i -> {
      if (i == 3) {
        throw new IllegalStateException("database went away");
      }
      return page("n" + i, "新ページ");
    });
    assertThrows(SearchException.class, () -> index.rebuild(broken, 9, new RebuildProgress(3)));
    assertEquals(1, index.generation());
    assertEquals(1, count("旧ページ"));
    index.rebuild(Stream.of(page("n", "新ページ")), 10, new RebuildProgress(1));
    assertEquals(1, count("新ページ"));
  }

  @Test
  void checkpointIsKeptAcrossReopenAndNeverGoesBack() throws Exception {
    assertEquals(-1, index.committedSequence());
    index.upsert(page("p", "ページ"));
    index.commit(41);
    index.commit(40);
    assertEquals(41, index.committedSequence());
    index.close();
    index = PageIndex.open(dir, analysis);
    assertEquals(41, index.committedSequence());
    assertEquals(1, index.count());
  }

  private static void await(CountDownLatch latch) {
    try {
      if (!latch.await(60, TimeUnit.SECONDS)) {
        throw new IllegalStateException("test latch timed out");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
