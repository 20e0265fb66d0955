package jp.tsunagu.search.page;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import jp.tsunagu.search.analysis.AnalysisRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An index whose writer died without closing reopens at its last commit, checkpoint included. */
class CrashRecoveryIT {

  @TempDir Path dir;

  @Test
  void indexAbandonedByAHaltedJvmReopensAtTheLastCommit() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        CrashingWriter.class.getName(), dir.toString())
        .redirectErrorStream(true)
        .start();
    assertTrue(child.waitFor(120, TimeUnit.SECONDS), "child JVM did not finish");
    String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(output.contains("halting"), output);

    try (AnalysisRegistry analysis = new AnalysisRegistry(); PageIndex index = PageIndex.open(dir, analysis)) {
      assertEquals(42, index.committedSequence());
      assertEquals(10, index.count());
      // Replaying the changes after the checkpoint restores the rest; the index takes writes again.
      var token = index.upsert(CrashingWriter.page("lost0"));
      assertTrue(index.awaitSearchable(token, Duration.ofSeconds(30)));
      assertEquals(11, index.search(PageQuery.builder("131016").text("防災訓練").build()).total());
      index.commit(43);
      assertEquals(43, index.committedSequence());
    }
  }
}
