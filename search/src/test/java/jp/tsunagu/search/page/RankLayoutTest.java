package jp.tsunagu.search.page;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import jp.tsunagu.search.analysis.AnalysisRegistry;
import jp.tsunagu.search.corpus.MunicipalCorpus;
import jp.tsunagu.search.index.FacetedSearcher;
import jp.tsunagu.search.index.RebuildProgress;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.QueryVisitor;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The combined scoring fields ({@link PageFields#RANK}) change the ranking and nothing else, and
 * only on an index whose every page has them: an index written before them (or an old one that has
 * received new pages) is ranked by the per-field model, exactly as before, until a rebuild writes
 * every page with them. Every index here holds the same pages (Japanese, with synonyms and
 * readings, and English), over several segments.
 */
class RankLayoutTest {

  @TempDir static Path dir;
  static AnalysisRegistry analysis;
  static List<Page> pages;
  static Directory current;
  static Directory old;
  static Directory mixed;
  /** Pages written before they were matched on the combined fields ({@link EarlierLayouts#asBeforeMatchInRank}). */
  static Directory previous;
  /** Such an index after pages of the current layout were written into it. */
  static Directory upgraded;

  @BeforeAll
  static void build() throws Exception {
    analysis = new AnalysisRegistry();
    analysis.configure(MunicipalCorpus.TENANT, "", "保育園,保育所\n");
    pages = new ArrayList<>();
    for (MunicipalCorpus.Generated g : new MunicipalCorpus(31L, 200).generate(1_500)) {
      pages.add(g.page());
    }
    for (int i = 0; i < 20; i++) {
      pages.add(Pages.en(MunicipalCorpus.TENANT, "en" + i, "Nursery application " + i, "How to apply for a nursery " + i));
    }
    current = write("current", (i, doc) -> doc);
    old = write("old", (i, doc) -> EarlierLayouts.asBeforeRankFields(doc));
    mixed = write("mixed", (i, doc) -> i % 3 == 1 ? EarlierLayouts.asBeforeRankFields(doc) : doc);
    previous = write("previous", (i, doc) -> EarlierLayouts.asBeforeMatchInRank(doc));
    upgraded = write("upgraded", (i, doc) -> i % 3 == 1 ? doc : EarlierLayouts.asBeforeMatchInRank(doc));
  }

  /** How the page {@code i} is written. */
  interface Layout {
    Document apply(int i, Document doc);
  }

  private static Directory write(String name, Layout layout) throws Exception {
    Directory directory = FSDirectory.open(dir.resolve(name));
    writeTo(directory, layout);
    return directory;
  }

  private static void writeTo(Directory directory, Layout layout) throws Exception {
    PageDocuments documents = new PageDocuments(analysis);
    try (IndexWriter writer = new IndexWriter(directory, new IndexWriterConfig(analysis.english()))) {
      for (int i = 0; i < pages.size(); i++) {
        Document doc = documents.toDocument(pages.get(i));
        writer.addDocument(layout.apply(i, doc));
        if (i % 500 == 499) {
          writer.commit();
        }
      }
    }
  }

  @AfterAll
  static void close() throws Exception {
    for (Directory d : List.of(current, old, mixed, previous, upgraded)) {
      d.close();
    }
    analysis.close();
  }

  static List<PageQuery> requests() {
    List<PageQuery> all = new ArrayList<>();
    for (String text : List.of("保育園 申し込み", "子供 医療費 助成", "こどもの医療費", "\"粗大ごみ 収集\"", "防災訓練 -日程",
        "図書館 OR 花火大会", "マイナンバーカード 手続き", "申請", "nursery application", "かんだ")) {
      all.add(request(text, b -> {}));
      all.add(request(text, b -> b.page(20, 10)));
      all.add(request(text, b -> b.filter("category", "子育て", "ごみ")));
    }
    return all;
  }

  static PageQuery request(String text, Consumer<PageQuery.Builder> more) {
    PageQuery.Builder b = PageQuery.builder(MunicipalCorpus.TENANT).text(text).highlight(true)
        .facets("category", "department", "district", "published").now(MunicipalCorpus.EPOCH);
    more.accept(b);
    return b.build();
  }

  interface Check {
    void run(FacetedSearcher searcher) throws Exception;
  }

  static void on(Directory directory, Check check) throws Exception {
    try (DirectoryReader reader = DirectoryReader.open(directory)) {
      check.run((FacetedSearcher) FacetedSearcher.factory(PageFields.facetsConfig()).newSearcher(reader, null));
    }
  }

  /** Whether the query scores anything in the combined fields. */
  static boolean usesRankFields(Query q) {
    boolean[] found = {false};
    q.visit(new QueryVisitor() {
      @Override
      public QueryVisitor getSubVisitor(org.apache.lucene.search.BooleanClause.Occur occur, Query parent) {
        return this;
      }

      @Override
      public void consumeTerms(Query query, Term... terms) {
        for (Term t : terms) {
          found[0] |= t.field().equals(PageFields.RANK) || t.field().equals(PageFields.RANK_READING);
        }
      }
    });
    return found[0];
  }

  @Test
  void theIndexTellsWhetherEveryPageHasTheCombinedFields() throws Exception {
    on(current, s -> assertTrue(new IndexStats(s).hasRankFields()));
    on(old, s -> assertFalse(new IndexStats(s).hasRankFields()));
    on(mixed, s -> assertFalse(new IndexStats(s).hasRankFields()));
    on(previous, s -> assertTrue(new IndexStats(s).hasRankFields()));
    on(upgraded, s -> assertTrue(new IndexStats(s).hasRankFields()));
    for (Directory d : List.of(current, previous, upgraded)) {
      on(d, s -> {
        IndexStats stats = new IndexStats(s);
        assertTrue(stats.hasMatchFields());
        assertEquals(PageFields.RANK, stats.matchField(false));
        assertEquals(PageFields.RANK_READING, stats.matchField(true));
      });
    }
    on(old, s -> {
      IndexStats stats = new IndexStats(s);
      assertTrue(stats.hasMatchFields());
      assertEquals(PageFields.MATCH, stats.matchField(false));
      assertEquals(PageFields.MATCH_READING, stats.matchField(true));
    });
    // Pages from before the combined fields have no combined field, pages of now no matching-only
    // one: no one field holds every page's terms, so such an index is searched in one pass.
    on(mixed, s -> assertFalse(new IndexStats(s).hasMatchFields()));
    on(current, s -> assertTrue(new IndexStats(s).writtenAsCurrent()));
    for (Directory d : List.of(old, mixed, previous, upgraded)) {
      on(d, s -> assertFalse(new IndexStats(s).writtenAsCurrent()));
    }
  }

  /**
   * Pages written with the matching-only fields beside the combined ones, alone or mixed with
   * pages of now, are matched on the combined fields and answer exactly as pages of now: the same
   * totals, facet counts, hits, scores and snippets.
   */
  @Test
  void pagesWrittenWithTheMatchingOnlyFieldsAnswerAsPagesOfNow() throws Exception {
    PageSearch search = new PageSearch(analysis, new BestBets(), 0);
    Map<String, PageResults> now = new HashMap<>();
    on(current, s -> {
      for (PageQuery request : requests()) {
        now.put(request.text() + " " + request.filters() + " @" + request.offset(), search.run(s, request, true));
      }
    });
    for (Directory d : List.of(previous, upgraded)) {
      on(d, s -> {
        for (PageQuery request : requests()) {
          String what = request.text() + " " + request.filters() + " @" + request.offset();
          PageResults expected = now.get(what);
          PageResults actual = search.run(s, request, true);
          assertEquals(expected.total(), actual.total(), what);
          assertEquals(expected.facets(), actual.facets(), what);
          assertEquals(ids(expected), ids(actual), what);
          assertEquals(expected.hits().stream().map(PageHit::snippet).toList(),
              actual.hits().stream().map(PageHit::snippet).toList(), what);
        }
      });
    }
  }

  /**
   * Without the combined fields on every page, a search answers what the per-field model scoring
   * every match answers (the query built without index statistics, which knows no combined field).
   */
  @Test
  void anIndexWithoutTheCombinedFieldsIsRankedByThePerFieldModel() throws Exception {
    PageSearch search = new PageSearch(analysis, new BestBets(), 0);
    PageQueries queries = new PageQueries(analysis);
    for (Directory d : List.of(old, mixed)) {
      on(d, s -> {
        int found = 0;
        for (PageQuery request : requests()) {
          assertFalse(usesRankFields(queries.build(request, Set.of(), new IndexStats(s), true)), request.text());
          Query perField = queries.build(request, Set.of(), true);
          TopDocs reference = s.search(perField, request.offset() + request.limit());
          PageResults results = search.run(s, request, true);
          String what = request.text() + " @" + request.offset();
          assertEquals(s.count(perField), results.total(), what);
          ScoreDoc[] expected = java.util.Arrays.copyOfRange(reference.scoreDocs,
              Math.min(request.offset(), reference.scoreDocs.length), reference.scoreDocs.length);
          assertEquals(expected.length, results.hits().size(), what);
          for (int i = 0; i < expected.length; i++) {
            PageHit hit = results.hits().get(i);
            assertEquals(expected[i].score, hit.score(), Math.abs(expected[i].score) * 1e-5, what + " #" + i);
            if (i == 0 || expected[i].score != expected[i - 1].score) {
              assertEquals(s.storedFields().document(expected[i].doc).get(PageFields.ID), hit.id(), what + " #" + i);
            }
          }
          found += expected.length > 0 ? 1 : 0;
        }
        assertTrue(found > 20, "most requests find something: " + found);
      });
    }
  }

  /**
   * With them, the same pages match with the same totals and facet counts, a page found by both
   * gets the same snippet, and the order is the combined model's: it differs from the per-field
   * model's for some request.
   */
  @Test
  void theCombinedFieldsChangeTheRankingAndNothingElse() throws Exception {
    PageSearch search = new PageSearch(analysis, new BestBets(), 0);
    PageQueries queries = new PageQueries(analysis);
    Map<String, PageResults> perField = new HashMap<>();
    on(old, s -> {
      for (PageQuery request : requests()) {
        perField.put(request.text() + " " + request.filters() + " @" + request.offset(), search.run(s, request, true));
      }
    });
    on(current, s -> {
      int reordered = 0;
      int sameSnippet = 0;
      for (PageQuery request : requests()) {
        String what = request.text() + " " + request.filters() + " @" + request.offset();
        // A phrase needs positions: it is still scored in each field.
        assertEquals(!request.text().startsWith("\""), usesRankFields(queries.build(request, Set.of(), new IndexStats(s), true)),
            what);
        PageResults ranked = search.run(s, request, true);
        PageResults before = perField.get(what);
        assertEquals(before.total(), ranked.total(), what);
        assertEquals(before.facets(), ranked.facets(), what);
        assertEquals(before.hits().size(), ranked.hits().size(), what);
        Map<String, String> snippets = new HashMap<>();
        before.hits().forEach(h -> snippets.put(h.id(), h.snippet()));
        for (PageHit h : ranked.hits()) {
          if (snippets.containsKey(h.id())) {
            assertEquals(snippets.get(h.id()), h.snippet(), what + " " + h.id());
            sameSnippet++;
          }
        }
        if (!before.hits().stream().map(PageHit::id).toList().equals(ranked.hits().stream().map(PageHit::id).toList())) {
          reordered++;
        }
      }
      assertTrue(reordered > 0, "the combined model ranks some request differently");
      assertTrue(sameSnippet > 50, "pages found by both: " + sameSnippet);
    });
  }

  /**
   * An index of the old layout opened by {@link PageIndex} is searched with the per-field model;
   * a rebuild from the same pages (what the platform runs from PostgreSQL) moves it to the combined
   * fields, after which it answers as an index written with them.
   */
  @Test
  void aRebuildMovesAnOldIndexToTheCombinedFields() throws Exception {
    Path root = dir.resolve("live");
    try (FSDirectory first = FSDirectory.open(Files.createDirectories(root.resolve("gen-000001")))) {
      writeTo(first, (i, doc) -> EarlierLayouts.asBeforeRankFields(doc));
    }
    PageSearch search = new PageSearch(analysis, new BestBets());
    List<PageQuery> requests = requests();
    List<List<String>> oldAnswers = new ArrayList<>();
    List<List<String>> currentAnswers = new ArrayList<>();
    on(old, s -> {
      for (PageQuery r : requests) {
        oldAnswers.add(ids(search.run(s, r)));
      }
    });
    on(current, s -> {
      for (PageQuery r : requests) {
        currentAnswers.add(ids(search.run(s, r)));
      }
    });
    assertFalse(oldAnswers.equals(currentAnswers), "the layouts rank differently");
    try (PageIndex index = PageIndex.open(root, analysis)) {
      assertEquals(pages.size(), index.count());
      assertEquals(oldAnswers, answers(index, requests));
      assertFalse(ranksWithCombinedFields(index));
      assertFalse(index.writtenAsCurrent());
      // A page written now has the combined fields; the index still has pages without them.
      var token = index.upsert(pages.getFirst());
      assertTrue(index.awaitSearchable(token, Duration.ofSeconds(10)));
      assertFalse(ranksWithCombinedFields(index));
      assertFalse(index.writtenAsCurrent(), "one page of the new layout does not make the index current");
      index.rebuild(pages.stream(), 1, new RebuildProgress(pages.size()));
      assertEquals(2, index.generation());
      assertTrue(ranksWithCombinedFields(index));
      assertTrue(index.writtenAsCurrent());
      assertEquals(currentAnswers, answers(index, requests));
    }
  }

  private static boolean ranksWithCombinedFields(PageIndex index) throws Exception {
    java.lang.reflect.Field f = PageIndex.class.getDeclaredField("index");
    f.setAccessible(true);
    @SuppressWarnings("unchecked")
    var generational = (jp.tsunagu.search.index.GenerationalIndex<FacetedSearcher>) f.get(index);
    PageQueries queries = new PageQueries(analysis);
    return generational.search(s -> usesRankFields(queries.build(requests().getFirst(), Set.of(), new IndexStats(s), true)));
  }

  private static List<List<String>> answers(PageIndex index, List<PageQuery> requests) {
    List<List<String>> all = new ArrayList<>();
    for (PageQuery r : requests) {
      all.add(ids(index.search(r)));
    }
    return all;
  }

  /** The hits' ids with their scores, rounded so that float sums in another order compare equal. */
  private static List<String> ids(PageResults results) {
    List<String> out = new ArrayList<>();
    out.add("total " + results.total());
    for (PageHit h : results.hits()) {
      out.add(h.id() + " " + String.format("%.3f", h.score()));
    }
    return out;
  }
}
