package jp.tsunagu.search.page;

import java.io.IOException;
import org.apache.lucene.facet.FacetsConfig;
import org.apache.lucene.facet.sortedset.DefaultSortedSetDocValuesReaderState;
import org.apache.lucene.facet.sortedset.SortedSetDocValuesReaderState;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.FieldInfos;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.SearcherFactory;

/**
 * A searcher of the page index that carries the facet ordinal state of its reader, built once per
 * refresh rather than once per query.
 */
final class PageSearcher extends IndexSearcher {

  private final SortedSetDocValuesReaderState facetState;

  PageSearcher(IndexReader reader, FacetsConfig config) throws IOException {
    super(reader);
    FieldInfo info = FieldInfos.getMergedFieldInfos(reader).fieldInfo(FacetsConfig.DEFAULT_INDEX_FIELD_NAME);
    this.facetState = info == null ? null : new DefaultSortedSetDocValuesReaderState(reader, config);
  }

  /** Null while no page has been indexed. */
  SortedSetDocValuesReaderState facetState() {
    return facetState;
  }

  static SearcherFactory factory() {
    FacetsConfig config = PageFields.facetsConfig();
    return new SearcherFactory() {
      @Override
      public IndexSearcher newSearcher(IndexReader reader, IndexReader previousReader) throws IOException {
        return new PageSearcher(reader, config);
      }
    };
  }
}
