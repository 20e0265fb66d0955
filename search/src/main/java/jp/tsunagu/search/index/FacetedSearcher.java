package jp.tsunagu.search.index;

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
 * A searcher that carries the facet ordinal state of its reader, built once per refresh rather
 * than once per query.
 */
public final class FacetedSearcher extends IndexSearcher {

  private final SortedSetDocValuesReaderState facetState;
  private final FieldInfos fieldInfos;

  FacetedSearcher(IndexReader reader, FacetsConfig config) throws IOException {
    super(reader);
    this.fieldInfos = FieldInfos.getMergedFieldInfos(reader);
    FieldInfo info = fieldInfos.fieldInfo(FacetsConfig.DEFAULT_INDEX_FIELD_NAME);
    this.facetState = info == null || config == null ? null : new DefaultSortedSetDocValuesReaderState(reader, config);
  }

  /** True when some document of this reader has the field. */
  public boolean hasField(String field) {
    return fieldInfos.fieldInfo(field) != null;
  }

  /** The field's merged info over every segment of this reader, or null when no document has it. */
  public FieldInfo fieldInfo(String field) {
    return fieldInfos.fieldInfo(field);
  }

  /** Null while no document with facets has been indexed, and for a searcher made without a facet configuration. */
  public SortedSetDocValuesReaderState facetState() {
    return facetState;
  }

  /**
   * Creates a {@code FacetedSearcher} on every refresh.
   *
   * @param config the facet configuration whose ordinal state to build, or null for none (an index
   *     that counts its facets from its own doc values fields)
   */
  public static SearcherFactory factory(FacetsConfig config) {
    return new SearcherFactory() {
      @Override
      public IndexSearcher newSearcher(IndexReader reader, IndexReader previousReader) throws IOException {
        return new FacetedSearcher(reader, config);
      }
    };
  }
}
