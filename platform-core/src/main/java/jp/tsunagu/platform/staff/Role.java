package jp.tsunagu.platform.staff;

import java.util.Locale;

/** What a staff member may do. Platform operators have no tenant; all other roles have one. */
public enum Role {
  PLATFORM_OPERATOR, TENANT_ADMIN, EDITOR, RESIDENT_CLERK, AUDITOR;

  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Role of(String id) {
    return valueOf(id.toUpperCase(Locale.ROOT));
  }
}
