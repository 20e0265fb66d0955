package jp.tsunagu.search.page;

import org.apache.lucene.document.FieldType;
import org.apache.lucene.facet.FacetsConfig;
import org.apache.lucene.index.IndexOptions;

/** Field names and types of the page index. See {@code docs/search.md} for the table. */
public final class PageFields {

  private PageFields() {}

  /** tenant + '/' + id: the unique key every upsert and delete uses. */
  public static final String KEY = "key";
  public static final String TENANT = "tenant";
  public static final String ID = "id";
  public static final String URL = "url";

  public static final String TITLE = "title";
  public static final String SUMMARY = "summary";
  public static final String BODY = "body";
  public static final String TITLE_READING = "title_reading";
  public static final String SUMMARY_READING = "summary_reading";
  public static final String BODY_READING = "body_reading";
  public static final String TITLE_EN = "title_en";
  public static final String SUMMARY_EN = "summary_en";
  public static final String BODY_EN = "body_en";

  /** Prefix keys of the title (surface from each token on, and katakana reading) for suggestions. */
  public static final String SUGGEST = "suggest";

  public static final String CATEGORY = "category";
  public static final String DEPARTMENT = "department";
  public static final String TAG = "tag";
  public static final String DISTRICT = "district";
  public static final String LIFE_STAGE = "life_stage";
  public static final String LANGUAGE = "language";
  public static final String PUBLISHED = "published";
  public static final String UPDATED = "updated";

  /** Indexed with offsets, so highlighting needs no re-analysis; norms kept for BM25. */
  public static final FieldType TEXT_WITH_OFFSETS = textType(IndexOptions.DOCS_AND_FREQS_AND_POSITIONS_AND_OFFSETS);

  /** Reading twins: positions for phrases, no offsets. */
  public static final FieldType TEXT_READING = textType(IndexOptions.DOCS_AND_FREQS_AND_POSITIONS);

  private static FieldType textType(IndexOptions options) {
    FieldType type = new FieldType();
    type.setTokenized(true);
    type.setStored(false);
    type.setIndexOptions(options);
    type.freeze();
    return type;
  }

  /** Facet dimensions kept as sorted-set doc values. */
  public static FacetsConfig facetsConfig() {
    FacetsConfig config = new FacetsConfig();
    config.setMultiValued(TAG, true);
    config.setMultiValued(DISTRICT, true);
    config.setMultiValued(LIFE_STAGE, true);
    return config;
  }
}
