package jp.tsunagu.consent.declaration;

import java.util.Objects;

/** A data item a service asks for, such as {@code name} or {@code library_card_number}. */
public record DeclaredItem(String id, boolean required, LocalizedText label) {
  public DeclaredItem {
    Declarations.requireId(id, "item id");
    Objects.requireNonNull(label, "label");
  }
}
