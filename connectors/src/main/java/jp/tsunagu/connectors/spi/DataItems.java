package jp.tsunagu.connectors.spi;

/** Ids of the citizen data items services may declare. */
public final class DataItems {
  public static final String NAME = "name";
  public static final String KANA = "kana";
  public static final String DISTRICT = "district";
  public static final String CHILDREN_NAMES = "children_names";
  public static final String CHILDREN_BIRTH_DATES = "children_birth_dates";
  public static final String LIBRARY_CARD_NUMBER = "library_card_number";
  public static final String EMAIL = "email";

  private DataItems() {}
}
