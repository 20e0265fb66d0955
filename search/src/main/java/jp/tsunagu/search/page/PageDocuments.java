package jp.tsunagu.search.page;

import java.text.Normalizer;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import jp.tsunagu.search.analysis.AnalysisRegistry;
import jp.tsunagu.search.analysis.AnalyzedText;
import jp.tsunagu.search.analysis.TenantAnalysis;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.LongField;
import org.apache.lucene.document.SortedDocValuesField;
import org.apache.lucene.document.SortedSetDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.Term;
import org.apache.lucene.util.BytesRef;

/** Turns a {@link Page} into its Lucene document, analysed with the page tenant's analysis. */
public final class PageDocuments {

  static final int SUGGEST_KEY_LENGTH = 24;

  private final AnalysisRegistry analysis;

  public PageDocuments(AnalysisRegistry analysis) {
    this.analysis = analysis;
  }

  public static Term key(String tenant, String id) {
    return new Term(PageFields.KEY, tenant + "/" + id);
  }

  public Document toDocument(Page page) {
    Document doc = new Document();
    doc.add(new StringField(PageFields.KEY, page.tenant() + "/" + page.id(), Field.Store.NO));
    doc.add(new StringField(PageFields.TENANT, page.tenant(), Field.Store.YES));
    doc.add(new StringField(PageFields.ID, page.id(), Field.Store.YES));
    doc.add(new StoredField(PageFields.URL, page.url()));
    doc.add(new StringField(PageFields.FORMAT, PageFields.FORMAT_MATCH_IN_RANK, Field.Store.NO));
    doc.add(new StringField(PageFields.FORMAT, PageFields.FORMAT_RANK, Field.Store.NO));
    addText(doc, page);
    addKeyword(doc, PageFields.CATEGORY, page.category());
    addKeyword(doc, PageFields.DEPARTMENT, page.department());
    page.tags().forEach(t -> addKeyword(doc, PageFields.TAG, t));
    page.districts().forEach(d -> addKeyword(doc, PageFields.DISTRICT, d));
    page.lifeStages().forEach(s -> addKeyword(doc, PageFields.LIFE_STAGE, s.code()));
    addKeyword(doc, PageFields.LANGUAGE, page.language().code());
    doc.add(new LongField(PageFields.PUBLISHED, page.published().toEpochMilli(), Field.Store.YES));
    doc.add(new LongField(PageFields.UPDATED, page.updated().toEpochMilli(), Field.Store.YES));
    return doc;
  }

  private void addText(Document doc, Page page) {
    if (page.language() == Language.EN) {
      addEnglish(doc, PageFields.TITLE_EN, page.title());
      addEnglish(doc, PageFields.SUMMARY_EN, page.summary());
      addEnglish(doc, PageFields.BODY_EN, page.body());
      addSuggestKeys(doc, page.title(), null);
      return;
    }
    TenantAnalysis tenant = analysis.forTenant(page.tenant());
    AnalyzedText title = addJapanese(doc, tenant, PageFields.TITLE, PageFields.TITLE_READING, page.title());
    AnalyzedText summary = addJapanese(doc, tenant, PageFields.SUMMARY, PageFields.SUMMARY_READING, page.summary());
    AnalyzedText body = addJapanese(doc, tenant, PageFields.BODY, PageFields.BODY_READING, page.body());
    // The same tokens once more (no second analysis), for ranking and matching: each distinct term
    // of the page once, with the weighted sum of its counts as frequency.
    doc.add(new Field(PageFields.RANK, AnalyzedText.weightedTerms(PageFields.RANK_WEIGHTS, title, summary, body),
        PageFields.RANK_TEXT));
    doc.add(new Field(PageFields.RANK_READING,
        AnalyzedText.weightedReadings(PageFields.RANK_WEIGHTS, title, summary, body), PageFields.RANK_TEXT));
    addSuggestKeys(doc, page.title(), title);
  }

  private static AnalyzedText addJapanese(Document doc, TenantAnalysis tenant, String field, String readingField, String text) {
    // The body in UTF-16 (StoredBody); the short texts as strings.
    doc.add(PageFields.BODY.equals(field) ? StoredBody.field(text) : new StoredField(field, text));
    AnalyzedText analyzed = AnalyzedText.analyze(tenant.indexSurface(), field, text);
    doc.add(new Field(field, analyzed.surfaceStream(), PageFields.TEXT_WITH_OFFSETS));
    doc.add(new Field(readingField, analyzed.readingStream(), PageFields.TEXT_READING));
    return analyzed;
  }

  private static void addEnglish(Document doc, String field, String text) {
    doc.add(new StoredField(field, text));
    doc.add(new Field(field, text, PageFields.TEXT_WITH_OFFSETS));
    doc.add(new Field(PageFields.MATCH_EN, text, PageFields.MATCH_ONLY));
  }

  /**
   * Suggestion keys: the normalised title from the start and from every later token, and the
   * katakana reading likewise, each cut to {@value #SUGGEST_KEY_LENGTH} characters. A prefix
   * query on them finds 子育て支援 from 子育, こそだ or しえん.
   */
  private static void addSuggestKeys(Document doc, String title, AnalyzedText analyzed) {
    Set<String> keys = new LinkedHashSet<>();
    String normalized = normalizeForSuggest(title);
    keys.add(cut(normalized));
    if (analyzed != null) {
      List<String> readings = analyzed.readings();
      List<String> terms = analyzed.terms();
      for (int i = 0; i < terms.size(); i++) {
        StringBuilder surface = new StringBuilder();
        StringBuilder reading = new StringBuilder();
        for (int j = i; j < terms.size() && reading.length() < SUGGEST_KEY_LENGTH; j++) {
          surface.append(terms.get(j));
          reading.append(readings.get(j));
        }
        keys.add(cut(normalizeForSuggest(surface.toString())));
        keys.add(cut(normalizeForSuggest(reading.toString())));
      }
    } else {
      for (String word : normalized.split("\\s+")) {
        keys.add(cut(word));
      }
    }
    for (String key : keys) {
      if (!key.isEmpty()) {
        doc.add(new StringField(PageFields.SUGGEST, key, Field.Store.NO));
      }
    }
  }

  /** NFKC, lower case, hiragana to katakana: the same folding the typed prefix gets. */
  static String normalizeForSuggest(String text) {
    String folded = Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
    return jp.tsunagu.search.analysis.Readings.toKatakana(folded).strip();
  }

  private static String cut(String key) {
    return key.length() <= SUGGEST_KEY_LENGTH ? key : key.substring(0, SUGGEST_KEY_LENGTH);
  }

  private static void addKeyword(Document doc, String field, String value) {
    if (value == null || value.isBlank()) {
      return;
    }
    doc.add(new StringField(field, value, Field.Store.YES));
    // One doc values field per dimension, counted by FacetTally.
    BytesRef bytes = new BytesRef(value);
    doc.add(PageFields.MULTI_VALUED.contains(field)
        ? new SortedSetDocValuesField(PageFields.facetValues(field), bytes)
        : new SortedDocValuesField(PageFields.facetValues(field), bytes));
  }

}
