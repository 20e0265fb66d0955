package jp.tsunagu.search.facility;

import java.io.IOException;
import java.io.UncheckedIOException;
import jp.tsunagu.search.analysis.AnalysisRegistry;
import jp.tsunagu.search.analysis.AnalyzedText;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.FieldType;
import org.apache.lucene.document.IntPoint;
import org.apache.lucene.document.LatLonDocValuesField;
import org.apache.lucene.document.LatLonPoint;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.facet.FacetsConfig;
import org.apache.lucene.facet.sortedset.SortedSetDocValuesFacetField;
import org.apache.lucene.index.Term;

/** Fields of the facility index and the mapping of a {@link Facility} to its document. */
final class FacilityDocuments {

  static final String KEY = "key";
  static final String TENANT = "tenant";
  static final String ID = "id";
  static final String NAME = "name";
  static final String NAME_READING = "name_reading";
  static final String TYPE = "type";
  static final String LOCATION = "location";
  static final String LATITUDE = "latitude";
  static final String LONGITUDE = "longitude";
  static final String ADDRESS = "address";
  static final String CAPACITY = "capacity";
  static final String MIN_AGE = "min_age_months";
  static final String MAX_AGE = "max_age_months";
  static final String OPENING_HOURS = "opening_hours";
  static final String VACANCIES = "vacancies";
  static final String DISTRICT = "district";

  /** Indexed value of an unknown vacancy count: never matches "with vacancies". */
  static final int UNKNOWN_VACANCIES = -1;

  private static final FieldType NAME_TYPE = new FieldType(TextField.TYPE_NOT_STORED);

  private final AnalysisRegistry analysis;
  private final FacetsConfig facets = config();

  FacilityDocuments(AnalysisRegistry analysis) {
    this.analysis = analysis;
  }

  static FacetsConfig config() {
    return new FacetsConfig();
  }

  static Term key(String tenant, String id) {
    return new Term(KEY, tenant + "/" + id);
  }

  Document toDocument(Facility f) {
    Document doc = new Document();
    doc.add(new StringField(KEY, f.tenant() + "/" + f.id(), Field.Store.NO));
    doc.add(new StringField(TENANT, f.tenant(), Field.Store.YES));
    doc.add(new StringField(ID, f.id(), Field.Store.YES));
    doc.add(new StoredField(NAME, f.name()));
    AnalyzedText name = AnalyzedText.analyze(analysis.forTenant(f.tenant()).indexSurface(), NAME, f.name());
    doc.add(new Field(NAME, name.surfaceStream(), NAME_TYPE));
    doc.add(new Field(NAME_READING, name.readingStream(), NAME_TYPE));
    doc.add(new StringField(TYPE, f.type().code(), Field.Store.YES));
    doc.add(new SortedSetDocValuesFacetField(TYPE, f.type().code()));
    doc.add(new LatLonPoint(LOCATION, f.latitude(), f.longitude()));
    doc.add(new LatLonDocValuesField(LOCATION, f.latitude(), f.longitude()));
    doc.add(new StoredField(LATITUDE, f.latitude()));
    doc.add(new StoredField(LONGITUDE, f.longitude()));
    doc.add(new StoredField(ADDRESS, f.address()));
    doc.add(new StoredField(OPENING_HOURS, f.openingHours()));
    doc.add(new StringField(DISTRICT, f.district(), Field.Store.YES));
    doc.add(new IntPoint(MIN_AGE, f.minAgeMonths() == null ? 0 : f.minAgeMonths()));
    doc.add(new IntPoint(MAX_AGE, f.maxAgeMonths() == null ? Integer.MAX_VALUE : f.maxAgeMonths()));
    doc.add(new IntPoint(VACANCIES, f.vacancies() == null ? UNKNOWN_VACANCIES : f.vacancies()));
    storeOptional(doc, CAPACITY, f.capacity());
    storeOptional(doc, MIN_AGE, f.minAgeMonths());
    storeOptional(doc, MAX_AGE, f.maxAgeMonths());
    storeOptional(doc, VACANCIES, f.vacancies());
    try {
      return facets.build(doc);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void storeOptional(Document doc, String field, Integer value) {
    if (value != null) {
      doc.add(new StoredField(field, value));
    }
  }

  static Facility fromStored(Document doc) {
    return new Facility(doc.get(TENANT), doc.get(ID), doc.get(NAME), FacilityType.ofCode(doc.get(TYPE)),
        doc.getField(LATITUDE).numericValue().doubleValue(), doc.getField(LONGITUDE).numericValue().doubleValue(),
        doc.get(ADDRESS), optional(doc, CAPACITY), optional(doc, MIN_AGE), optional(doc, MAX_AGE),
        doc.get(OPENING_HOURS), optional(doc, VACANCIES), doc.get(DISTRICT));
  }

  private static Integer optional(Document doc, String field) {
    var f = doc.getField(field);
    return f == null ? null : f.numericValue().intValue();
  }
}
