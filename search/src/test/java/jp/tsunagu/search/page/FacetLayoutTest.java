package jp.tsunagu.search.page;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import jp.tsunagu.search.analysis.AnalysisRegistry;
import jp.tsunagu.search.corpus.MunicipalCorpus;
import jp.tsunagu.search.index.FacetedSearcher;
import org.apache.lucene.document.Document;
import org.apache.lucene.facet.FacetResult;
import org.apache.lucene.facet.FacetsCollector;
import org.apache.lucene.facet.FacetsCollectorManager;
import org.apache.lucene.facet.FacetsConfig;
import org.apache.lucene.facet.LabelAndValue;
import org.apache.lucene.facet.MultiLongValuesSource;
import org.apache.lucene.facet.range.LongRange;
import org.apache.lucene.facet.range.LongRangeFacetCounts;
import org.apache.lucene.facet.sortedset.DefaultSortedSetDocValuesReaderState;
import org.apache.lucene.facet.sortedset.SortedSetDocValuesFacetCounts;
import org.apache.lucene.facet.sortedset.SortedSetDocValuesFacetField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.IndexableField;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Facet counts are the same whichever layout the pages were written in: one doc values field per
 * dimension (now), Lucene's one facet field for every dimension (indexes written before), or both
 * in one index (an old index receiving new pages before its rebuild). The reference is Lucene's own
 * facet counting ({@code SortedSetDocValuesFacetCounts}, {@code LongRangeFacetCounts}) over the
 * old layout, as page search counted before; every index holds the same pages, some with several
 * districts and tags, over several segments with deleted pages.
 */
class FacetLayoutTest {

  private static final String[] ALL_FACETS = {"category", "department", "district", "life_stage", "tag", "language",
      "published"};

  @TempDir static Path dir;
  static AnalysisRegistry analysis;
  static Directory oldLayout;
  static Directory newLayout;
  static Directory mixed;
  /** Pages of a department of 300 and publication times on the bounds of the ranges, in both layouts. */
  static Directory manyOld;
  static Directory manyNew;
  /** The pages of {@link #newLayout} in one segment, so that a search counts more than a batch of them there. */
  static Directory oneSegment;

  @BeforeAll
  static void build() throws Exception {
    analysis = new AnalysisRegistry();
    List<Page> pages = new ArrayList<>();
    List<MunicipalCorpus.Generated> corpus = new MunicipalCorpus(23L, 200).generate(1_200);
    for (int i = 0; i < corpus.size(); i++) {
      Page p = corpus.get(i).page();
      if (i % 4 == 0) {
        // several values of the multi-valued dimensions
        List<String> districts = new ArrayList<>(p.districts());
        districts.add("district-extra-" + (i % 3));
        List<String> tags = new ArrayList<>(p.tags());
        tags.add("tag-extra-" + (i % 5));
        p = new Page(p.tenant(), p.id(), p.url(), p.title(), p.summary(), p.body(), p.category(), p.department(), tags,
            districts, p.lifeStages(), p.language(), p.published(), p.updated(), false);
      }
      pages.add(p);
    }
    for (int i = 0; i < 20; i++) {
      pages.add(Pages.en(MunicipalCorpus.TENANT, "en" + i, "Nursery application " + i, "How to apply for a nursery " + i));
    }
    PageDocuments documents = new PageDocuments(analysis);
    oldLayout = write("old", pages, documents, i -> true);
    newLayout = write("new", pages, documents, i -> false);
    mixed = write("mixed", pages, documents, i -> i % 3 != 1);
    java.time.Instant now = MunicipalCorpus.EPOCH;
    java.time.Instant[] bounds = new java.time.Instant[8];
    int b = 0;
    for (PublishedRange range : PublishedRange.values()) {
      if (range != PublishedRange.OLDER) {
        bounds[b++] = java.time.Instant.ofEpochMilli(range.from(now));
        bounds[b++] = java.time.Instant.ofEpochMilli(range.from(now) - 1);
      }
    }
    bounds[b++] = now;
    bounds[b] = now.plusMillis(1);
    List<Page> many = new ArrayList<>();
    for (int i = 0; i < corpus.size(); i++) {
      Page p = corpus.get(i).page();
      many.add(new Page(p.tenant(), p.id(), p.url(), p.title(), p.summary(), p.body(), p.category(), "課-" + (i % 300),
          p.tags(), p.districts(), p.lifeStages(), p.language(), i % 2 == 0 ? bounds[i % bounds.length] : p.published(),
          p.updated(), false));
    }
    manyOld = write("many-old", many, documents, i -> true);
    manyNew = write("many-new", many, documents, i -> false);
    oneSegment = write("one-segment", pages, documents, i -> false);
    try (IndexWriter writer = new IndexWriter(oneSegment, new IndexWriterConfig(analysis.english()))) {
      writer.forceMerge(1);
    }
  }

  interface Layout {
    boolean old(int i);
  }

  private static Directory write(String name, List<Page> pages, PageDocuments documents, Layout layout)
      throws Exception {
    Directory directory = FSDirectory.open(dir.resolve(name));
    try (IndexWriter writer = new IndexWriter(directory, new IndexWriterConfig(analysis.english()))) {
      for (int i = 0; i < pages.size(); i++) {
        Document doc = documents.toDocument(pages.get(i));
        writer.addDocument(layout.old(i) ? asBeforePerDimensionFields(doc, pages.get(i)) : doc);
        if (i % 400 == 399) {
          writer.commit();
        }
      }
      for (int i = 0; i < pages.size(); i += 9) {
        writer.deleteDocuments(PageDocuments.key(pages.get(i).tenant(), pages.get(i).id()));
      }
    }
    return directory;
  }

  /** The page's document as it was written before the per-dimension fields: every dimension in Lucene's facet field. */
  static Document asBeforePerDimensionFields(Document doc, Page page) throws Exception {
    Document old = new Document();
    for (IndexableField f : doc.getFields()) {
      if (!f.name().startsWith("facet_")) {
        old.add(f);
      }
    }
    addOld(old, PageFields.CATEGORY, page.category());
    addOld(old, PageFields.DEPARTMENT, page.department());
    page.tags().forEach(t -> addOld(old, PageFields.TAG, t));
    page.districts().forEach(d -> addOld(old, PageFields.DISTRICT, d));
    page.lifeStages().forEach(s -> addOld(old, PageFields.LIFE_STAGE, s.code()));
    addOld(old, PageFields.LANGUAGE, page.language().code());
    return PageFields.facetsConfig().build(old);
  }

  private static void addOld(Document doc, String dim, String value) {
    if (value != null && !value.isBlank()) {
      doc.add(new SortedSetDocValuesFacetField(dim, value));
    }
  }

  @AfterAll
  static void close() throws Exception {
    for (Directory d : List.of(oldLayout, newLayout, mixed, manyOld, manyNew, oneSegment)) {
      d.close();
    }
    analysis.close();
  }

  static List<PageQuery> requests() {
    List<PageQuery> all = new ArrayList<>();
    for (String text : List.of("保育園 申し込み", "ごみ", "防災訓練 -日程", "図書館 OR 花火大会", "nursery", "")) {
      all.add(request(text, b -> {}));
      all.add(request(text, b -> b.filter("category", "子育て", "ごみ")));
      all.add(request(text, b -> b.filter("published", "last_365_days")));
      all.add(request(text, b -> b.filter("district", "district-extra-1")));
    }
    all.add(PageQuery.builder(MunicipalCorpus.TENANT).text("ごみ").facets("tag").now(MunicipalCorpus.EPOCH).build());
    all.add(PageQuery.builder(MunicipalCorpus.TENANT).text("ごみ").facets("published").now(MunicipalCorpus.EPOCH).build());
    return all;
  }

  static PageQuery request(String text, Consumer<PageQuery.Builder> more) {
    PageQuery.Builder b = PageQuery.builder(MunicipalCorpus.TENANT).text(text).highlight(false).facets(ALL_FACETS)
        .now(MunicipalCorpus.EPOCH);
    more.accept(b);
    return b.build();
  }

  @Test
  void everyLayoutCountsWhatLuceneCountsOnTheOldLayout() throws Exception {
    PageSearch search = new PageSearch(analysis, new BestBets(), 0);
    int withValues = 0;
    try (DirectoryReader oldReader = DirectoryReader.open(oldLayout);
        DirectoryReader newReader = DirectoryReader.open(newLayout);
        DirectoryReader mixedReader = DirectoryReader.open(mixed)) {
      assertTrue(oldReader.leaves().size() > 1 && newReader.leaves().size() > 1, "several segments");
      assertTrue(oldReader.hasDeletions() && newReader.hasDeletions() && mixedReader.hasDeletions());
      for (PageQuery request : requests()) {
        Map<String, List<FacetCount>> expected = reference(searcher(oldReader), search, request);
        for (DirectoryReader reader : List.of(oldReader, newReader, mixedReader)) {
          for (boolean twoSteps : new boolean[] {true, false}) {
            PageResults results = search.run(searcher(reader), request, twoSteps);
            String what = request.text() + " " + request.filters() + " " + request.facets() + " two steps " + twoSteps
                + " on " + reader.directory();
            assertEquals(expected, results.facets(), what);
            assertEquals(expected.keySet().stream().toList(),
                results.facets().keySet().stream().toList(), "in the order of PageFacet: " + what);
          }
        }
        withValues += expected.values().stream().anyMatch(v -> !v.isEmpty()) ? 1 : 0;
      }
    }
    assertTrue(withValues > 15, "most requests count something: " + withValues);
  }

  /**
   * A dimension of more values than a byte holds is counted by ordinal, and publication times
   * exactly on a range's bounds (and one millisecond off) fall in the ranges Lucene puts them in.
   */
  @Test
  void aLargeDimensionAndTimesOnTheRangeBoundsCountAsLuceneCounts() throws Exception {
    PageSearch search = new PageSearch(analysis, new BestBets(), 0);
    try (DirectoryReader oldReader = DirectoryReader.open(manyOld);
        DirectoryReader newReader = DirectoryReader.open(manyNew)) {
      for (PageQuery request : requests()) {
        Map<String, List<FacetCount>> expected = reference(searcher(oldReader), search, request);
        for (DirectoryReader reader : List.of(oldReader, newReader)) {
          assertEquals(expected, search.run(searcher(reader), request, true).facets(),
              request.text() + " " + request.filters() + " on " + reader.directory());
        }
      }
      PageResults all = search.run(searcher(newReader), request("", b -> {}), true);
      assertEquals(PageSearch.MAX_FACET_VALUES, all.facets().get("department").size());
      Map<String, Long> published = new LinkedHashMap<>();
      all.facets().get("published").forEach(c -> published.put(c.value(), c.count()));
      assertTrue(published.values().stream().allMatch(c -> c > 0), published.toString());
      assertEquals(all.total(), published.get("last_365_days") + published.get("older"), published.toString());
    }
  }

  /**
   * Where every asked dimension is kept in bytes and the publication time in ranks, a segment's
   * pages are counted in batches ({@link FacetTally#BATCH}): with more matches than a batch in one
   * segment, and a number that is no multiple of it, every page is still counted once.
   */
  @Test
  void pagesCountedInBatchesCountAsLuceneCounts() throws Exception {
    PageSearch search = new PageSearch(analysis, new BestBets(), 0);
    try (DirectoryReader oldReader = DirectoryReader.open(oldLayout);
        DirectoryReader oneReader = DirectoryReader.open(oneSegment)) {
      assertEquals(1, oneReader.leaves().size());
      int beyondABatch = 0;
      for (String text : List.of("", "ごみ", "保育園 申し込み", "図書館 OR 花火大会", "防災訓練 -日程")) {
        for (String[] facets : List.of(new String[] {"category", "department", "published"},
            new String[] {"category", "language"}, new String[] {"published"})) {
          for (int cut = 0; cut < 2; cut++) {
            PageQuery.Builder b = PageQuery.builder(MunicipalCorpus.TENANT).text(text).highlight(false).facets(facets)
                .now(MunicipalCorpus.EPOCH);
            if (cut == 1) {
              b.filter("published", "last_365_days");
            }
            PageQuery request = b.build();
            Map<String, List<FacetCount>> expected = reference(searcher(oldReader), search, request);
            for (boolean twoSteps : new boolean[] {true, false}) {
              PageResults results = search.run(searcher(oneReader), request, twoSteps);
              assertEquals(expected, results.facets(), text + " " + List.of(facets) + " cut " + cut + " two steps " + twoSteps);
              beyondABatch += results.total() > FacetTally.BATCH && results.total() % FacetTally.BATCH != 0 ? 1 : 0;
            }
          }
        }
      }
      assertTrue(beyondABatch >= 6, "searches with more matches than a batch: " + beyondABatch);
    }
  }

  @Test
  void ranksCompareAsTheirValues() {
    SegmentValues.Ranks ranks = new SegmentValues.Ranks(new int[0], new long[] {-5, 0, 7, 100});
    assertEquals(1, ranks.atLeast(Long.MIN_VALUE));
    assertEquals(1, ranks.atLeast(-5));
    assertEquals(2, ranks.atLeast(-4));
    assertEquals(3, ranks.atLeast(7));
    assertEquals(5, ranks.atLeast(101));
    assertEquals(0, ranks.atMost(-6));
    assertEquals(1, ranks.atMost(-5));
    assertEquals(2, ranks.atMost(6));
    assertEquals(4, ranks.atMost(Long.MAX_VALUE));
    assertEquals(7, ranks.value(3));
  }

  @Test
  void multiValuedDimensionsCountEveryValueOfAPage() throws Exception {
    try (DirectoryReader reader = DirectoryReader.open(newLayout)) {
      PageResults results = new PageSearch(analysis, new BestBets()).run(searcher(reader),
          request("", b -> b.filter("district", "district-extra-2")), true);
      List<FacetCount> districts = results.facets().get("district");
      // every page with the extra district has one more district as well
      assertEquals("district-extra-2", districts.get(0).value());
      assertEquals(results.total(), districts.get(0).count());
      assertEquals(results.total(), districts.stream().skip(1).mapToLong(FacetCount::count).sum());
    }
  }

  @Test
  void newPagesCarryOneFieldPerDimensionAndNoLuceneFacetField() throws Exception {
    Page page = new MunicipalCorpus(1L, 10).generate(1).get(0).page();
    Document doc = new PageDocuments(analysis).toDocument(page);
    assertNull(doc.getField(FacetsConfig.DEFAULT_INDEX_FIELD_NAME));
    assertNotNull(doc.getField(PageFields.facetValues(PageFields.CATEGORY)));
    assertEquals(page.districts().size(), doc.getFields(PageFields.facetValues(PageFields.DISTRICT)).length);
    try (DirectoryReader reader = DirectoryReader.open(newLayout)) {
      FacetedSearcher searcher = searcher(reader);
      assertFalse(searcher.hasField(FacetsConfig.DEFAULT_INDEX_FIELD_NAME));
      assertNull(searcher.facetState(), "no Lucene facet state is built for the page index");
    }
  }

  @Test
  void theArraysOfASegmentAreDroppedWhenItCloses() throws Exception {
    int before = SegmentValues.size();
    int leaves;
    try (DirectoryReader reader = DirectoryReader.open(FSDirectory.open(dir.resolve("new")))) {
      leaves = reader.leaves().size();
      PageResults results = new PageSearch(analysis, new BestBets()).run(searcher(reader), request("ごみ", b -> {}), true);
      assertTrue(results.total() > 0);
      // at least category, department, language and the publication time of every segment
      assertTrue(SegmentValues.size() >= before + 4 * leaves, SegmentValues.size() + " arrays");
    }
    assertEquals(before, SegmentValues.size());
  }

  static FacetedSearcher searcher(DirectoryReader reader) throws Exception {
    return (FacetedSearcher) FacetedSearcher.factory(null).newSearcher(reader, null);
  }

  /** The counts as page search took them before, with Lucene's facet counting on the old layout. */
  static Map<String, List<FacetCount>> reference(IndexSearcher searcher, PageSearch search, PageQuery request)
      throws Exception {
    Query query = search.queries().build(request, Set.of(), searcher, true);
    FacetsCollector collected = searcher.search(query, new FacetsCollectorManager());
    SortedSetDocValuesFacetCounts counts = new SortedSetDocValuesFacetCounts(
        new DefaultSortedSetDocValuesReaderState(searcher.getIndexReader(), PageFields.facetsConfig()), collected);
    Map<String, List<FacetCount>> out = new LinkedHashMap<>();
    for (PageFacet facet : PageFacet.values()) {
      if (!request.facets().contains(facet)) {
        continue;
      }
      List<FacetCount> values = new ArrayList<>();
      if (facet == PageFacet.PUBLISHED) {
        PublishedRange[] ranges = PublishedRange.values();
        LongRange[] longRanges = new LongRange[ranges.length];
        for (int i = 0; i < ranges.length; i++) {
          longRanges[i] = new LongRange(ranges[i].code(), ranges[i].from(request.now()), true,
              ranges[i].to(request.now()), true);
        }
        FacetResult result = new LongRangeFacetCounts(PageFields.PUBLISHED,
            MultiLongValuesSource.fromLongField(PageFields.PUBLISHED), collected, longRanges)
            .getAllChildren(PageFields.PUBLISHED);
        for (LabelAndValue lv : result.labelValues) {
          values.add(new FacetCount(lv.label, lv.value.longValue()));
        }
      } else {
        FacetResult result;
        try {
          result = counts.getTopChildren(PageSearch.MAX_FACET_VALUES, facet.apiName());
        } catch (IllegalArgumentException noValues) {
          result = null;
        }
        if (result != null) {
          for (LabelAndValue lv : result.labelValues) {
            values.add(new FacetCount(lv.label, lv.value.longValue()));
          }
        }
      }
      out.put(facet.apiName(), List.copyOf(values));
    }
    return out;
  }
}
