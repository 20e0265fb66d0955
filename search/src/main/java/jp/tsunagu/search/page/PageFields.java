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

  /**
   * Matching-only fields: every surface token of title, summary and body in one field (and every
   * reading, every English token likewise), documents only, no norms. A page search finds and
   * counts its matches on these, one posting list per word, and scores only the pages that can
   * reach the requested page of results on the weighted fields. A Japanese page is now matched on
   * its combined scoring fields instead ({@link #FORMAT_MATCH_IN_RANK}); {@link #MATCH} and
   * {@link #MATCH_READING} are read in pages written before, and {@link #MATCH_EN} is still written.
   */
  public static final String MATCH = "match";
  public static final String MATCH_READING = "match_reading";
  public static final String MATCH_EN = "match_en";
  /**
   * Marks a page indexed with the matching-only fields {@link #MATCH} and {@link #MATCH_READING}
   * (and {@link #MATCH_EN}), as pages were written before {@link #FORMAT_MATCH_IN_RANK}; read, no
   * longer written. An index where a page has neither marker (one written before the matching
   * fields existed) is searched with the full query until it is rebuilt.
   */
  public static final String FORMAT = "format";
  public static final String FORMAT_MATCH = "match-1";
  /**
   * Marks a page whose matching terms are those of its combined scoring fields: a Japanese page's
   * in {@link #RANK} and {@link #RANK_READING} (each distinct term once, as {@link #MATCH} held them;
   * a search without scores reads their documents and skips the frequencies), an English page's in
   * {@link #MATCH_EN}. {@link #MATCH} and {@link #MATCH_READING} would repeat those terms and are
   * not written.
   */
  public static final String FORMAT_MATCH_IN_RANK = "match-2";

  /**
   * Combined scoring fields: every distinct surface term of title, summary and body of a Japanese
   * page once (and every reading likewise), its term frequency the weighted sum of its counts
   * ({@link #RANK_WEIGHTS}: title ×4, summary ×2, body ×1), with a norm of the weighted length.
   * Ranking scores a word with one posting list (BM25 over the combined frequency) instead of one
   * per field; phrases and highlights still use the fields themselves.
   */
  public static final String RANK = "rank";
  public static final String RANK_READING = "rank_reading";
  /** Weights of title, summary and body in the combined scoring fields. */
  static final int[] RANK_WEIGHTS = {4, 2, 1};
  /**
   * Marks a page indexed with the combined scoring fields; an index where not every page has it
   * (one written before them) is ranked with the per-field model until it is rebuilt.
   */
  public static final String FORMAT_RANK = "rank-1";

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

  /** The combined scoring fields: documents and (weighted) frequencies, with norms; no positions. */
  public static final FieldType RANK_TEXT = textType(IndexOptions.DOCS_AND_FREQS);

  /** The matching-only fields: documents only, no frequencies, positions or norms. */
  public static final FieldType MATCH_ONLY = matchType();

  private static FieldType matchType() {
    FieldType type = new FieldType();
    type.setTokenized(true);
    type.setStored(false);
    type.setOmitNorms(true);
    type.setIndexOptions(IndexOptions.DOCS);
    type.freeze();
    return type;
  }

  private static FieldType textType(IndexOptions options) {
    FieldType type = new FieldType();
    type.setTokenized(true);
    type.setStored(false);
    type.setIndexOptions(options);
    type.freeze();
    return type;
  }

  /**
   * The doc values field holding a facet dimension's values ({@code facet_category}, ...): one
   * field per dimension, so a search reads only the dimensions it asks for. Single-valued
   * dimensions are sorted doc values, multi-valued ones ({@link #MULTI_VALUED}) sorted-set.
   */
  public static String facetValues(String dim) {
    return "facet_" + dim;
  }

  /** The dimensions a page may have several values of. */
  public static final java.util.Set<String> MULTI_VALUED = java.util.Set.of(TAG, DISTRICT, LIFE_STAGE);

  /**
   * Lucene's facet configuration of the page dimensions, as pages were written before the
   * per-dimension fields ({@link #facetValues}): all in one sorted-set field. Pages of that layout
   * are still counted (see {@code FacetTally}) until the index is rebuilt.
   */
  public static FacetsConfig facetsConfig() {
    FacetsConfig config = new FacetsConfig();
    config.setMultiValued(TAG, true);
    config.setMultiValued(DISTRICT, true);
    config.setMultiValued(LIFE_STAGE, true);
    return config;
  }
}
