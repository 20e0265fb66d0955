package jp.tsunagu.search.facility;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import jp.tsunagu.search.TenantCode;
import jp.tsunagu.search.analysis.AnalysisRegistry;
import jp.tsunagu.search.analysis.TenantAnalysis;
import jp.tsunagu.search.index.FacetedSearcher;
import jp.tsunagu.search.index.GenerationalIndex;
import jp.tsunagu.search.index.RebuildProgress;
import jp.tsunagu.search.index.WriteToken;
import org.apache.lucene.document.IntPoint;
import org.apache.lucene.document.LatLonDocValuesField;
import org.apache.lucene.document.LatLonPoint;
import org.apache.lucene.facet.FacetResult;
import org.apache.lucene.facet.FacetsCollectorManager;
import org.apache.lucene.facet.LabelAndValue;
import org.apache.lucene.facet.sortedset.SortedSetDocValuesFacetCounts;
import org.apache.lucene.index.IndexableField;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.FieldDoc;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.QueryBuilder;

/**
 * The facility index of every tenant (nurseries, libraries, clinics, shelters …): the one owner of
 * its Lucene writer, searcher manager and reopen thread. Searches are by distance from a point,
 * nearest first. Thread-safe.
 */
public final class FacilityIndex implements AutoCloseable {

  private final AnalysisRegistry analysis;
  private final FacilityDocuments documents;
  private final GenerationalIndex<FacetedSearcher> index;

  private FacilityIndex(Path root, AnalysisRegistry analysis) {
    this.analysis = analysis;
    this.documents = new FacilityDocuments(analysis);
    this.index = new GenerationalIndex<>(root, analysis.english(), FacetedSearcher.factory(FacilityDocuments.config()));
  }

  /** Opens the index under {@code root}, creating it if absent. */
  public static FacilityIndex open(Path root, AnalysisRegistry analysis) {
    return new FacilityIndex(root, analysis);
  }

  /** Adds or replaces one facility. */
  public WriteToken upsert(Facility facility) {
    return index.update(FacilityDocuments.key(facility.tenant(), facility.id()), () -> documents.toDocument(facility));
  }

  /** Removes one facility; removing an absent one succeeds. */
  public WriteToken delete(String tenant, String id) {
    TenantCode.require(tenant);
    return index.delete(FacilityDocuments.key(tenant, id));
  }

  /**
   * Makes the write behind the token (and every write before it) searchable at the next turn of
   * the reopen thread instead of its next periodic reopen; returns at once.
   */
  public void requestSearchable(WriteToken token) {
    index.requestSearchable(token);
  }

  /**
   * Replaces all of a tenant's facilities at once (a CSV import): searches see the old list or
   * the new one, never a mix.
   */
  public WriteToken replaceTenant(String tenant, List<Facility> facilities) {
    TenantCode.require(tenant);
    for (Facility f : facilities) {
      if (!f.tenant().equals(tenant)) {
        throw new IllegalArgumentException("facility " + f.id() + " belongs to tenant " + f.tenant());
      }
    }
    return index.replaceAll(new Term(FacilityDocuments.TENANT, tenant),
        () -> facilities.stream().map(documents::toDocument).toList());
  }

  public boolean awaitSearchable(WriteToken token, Duration timeout) throws InterruptedException {
    return index.awaitSearchable(token, timeout);
  }

  /** Facilities near the point, nearest first, with counts per type. */
  public FacilityResults search(FacilityQuery q) {
    Query query = toLucene(q);
    Sort byDistance = new Sort(LatLonDocValuesField.newDistanceSort(FacilityDocuments.LOCATION, q.latitude(), q.longitude()));
    return index.search(searcher -> {
      FacetsCollectorManager.FacetsResult found =
          FacetsCollectorManager.search(searcher, query, q.limit(), byDistance, new FacetsCollectorManager());
      TopDocs top = found.topDocs();
      List<FacilityHit> hits = new ArrayList<>();
      StoredFields stored = searcher.storedFields();
      for (ScoreDoc sd : top.scoreDocs) {
        double metres = (Double) ((FieldDoc) sd).fields[0];
        hits.add(new FacilityHit(FacilityDocuments.fromStored(stored.document(sd.doc)), metres));
      }
      Map<String, Long> types = new LinkedHashMap<>();
      if (searcher.facetState() != null && top.totalHits.value() > 0) {
        FacetResult counts = new SortedSetDocValuesFacetCounts(searcher.facetState(), found.facetsCollector())
            .getTopChildren(FacilityType.values().length, FacilityDocuments.TYPE);
        if (counts != null) {
          for (LabelAndValue lv : counts.labelValues) {
            types.put(lv.label, lv.value.longValue());
          }
        }
      }
      return new FacilityResults(top.totalHits.value(), List.copyOf(hits), types);
    });
  }

  private Query toLucene(FacilityQuery q) {
    BooleanQuery.Builder b = new BooleanQuery.Builder();
    b.add(LatLonPoint.newDistanceQuery(FacilityDocuments.LOCATION, q.latitude(), q.longitude(), q.radiusMetres()), Occur.FILTER);
    b.add(new TermInSetQuery(FacilityDocuments.TENANT, q.tenants().stream().map(BytesRef::new).toList()), Occur.FILTER);
    if (!q.types().isEmpty()) {
      b.add(new TermInSetQuery(FacilityDocuments.TYPE, q.types().stream().map(t -> new BytesRef(t.code())).toList()), Occur.FILTER);
    }
    if (q.ageMonths() != null) {
      b.add(IntPoint.newRangeQuery(FacilityDocuments.MIN_AGE, Integer.MIN_VALUE, q.ageMonths()), Occur.FILTER);
      b.add(IntPoint.newRangeQuery(FacilityDocuments.MAX_AGE, q.ageMonths(), Integer.MAX_VALUE), Occur.FILTER);
    }
    if (q.withVacancies()) {
      b.add(IntPoint.newRangeQuery(FacilityDocuments.VACANCIES, 1, Integer.MAX_VALUE), Occur.FILTER);
    }
    if (!q.name().isBlank()) {
      TenantAnalysis tenant = analysis.forTenant(q.tenants().iterator().next());
      Query surface = new QueryBuilder(tenant.querySurface()).createBooleanQuery(FacilityDocuments.NAME, q.name(), Occur.MUST);
      Query reading = new QueryBuilder(tenant.queryReading()).createBooleanQuery(FacilityDocuments.NAME_READING, q.name(), Occur.MUST);
      BooleanQuery.Builder any = new BooleanQuery.Builder();
      if (surface != null) {
        any.add(surface, Occur.SHOULD);
      }
      if (reading != null) {
        any.add(new BoostQuery(reading, 0.5f), Occur.SHOULD);
      }
      b.add(any.build(), Occur.MUST);
    }
    return b.build();
  }

  /** Rebuilds from {@code facilities} into a new generation and swaps it in; see {@link GenerationalIndex#rebuild}. */
  public void rebuild(Stream<Facility> facilities, long sequence, RebuildProgress progress) {
    index.rebuild(facilities.map(f -> new GenerationalIndex.Rebuilt(FacilityDocuments.key(f.tenant(), f.id()),
        () -> (Iterable<? extends IndexableField>) documents.toDocument(f))), sequence, progress);
  }

  public void commit(long sequence) {
    index.commit(sequence);
  }

  public long committedSequence() {
    return index.committedSequence();
  }

  /** Closes reopen thread, searcher manager, writer, directory, in that order. */
  @Override
  public void close() throws IOException {
    index.close();
  }
}
