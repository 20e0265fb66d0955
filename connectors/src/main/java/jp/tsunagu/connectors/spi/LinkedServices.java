package jp.tsunagu.connectors.spi;

/** Ids of the linked services (connector ids and consent service ids). */
public final class LinkedServices {
  /** Municipal library (circulation over SIP2). */
  public static final String LIBRARY = "library";
  /** School–parent contact (absence reports, rosters as OneRoster CSV). */
  public static final String SCHOOL_CONTACT = "school-contact";
  /** Neighbourhood association circulars (回覧板). */
  public static final String NEIGHBOURHOOD_CIRCULARS = "circulars";
  /** Parent handbook (母子健康手帳; records as FHIR R4). */
  public static final String PARENT_HANDBOOK = "parent-handbook";

  private LinkedServices() {}
}
