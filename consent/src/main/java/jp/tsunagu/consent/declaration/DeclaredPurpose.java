package jp.tsunagu.consent.declaration;

import java.util.Objects;

/** A purpose a service would use the items for, such as {@code circular_delivery}. */
public record DeclaredPurpose(String id, LocalizedText label) {
  public DeclaredPurpose {
    Declarations.requireId(id, "purpose id");
    Objects.requireNonNull(label, "label");
  }
}
