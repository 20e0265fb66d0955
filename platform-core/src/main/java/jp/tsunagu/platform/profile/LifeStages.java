package jp.tsunagu.platform.profile;

import java.time.LocalDate;
import java.time.Period;
import java.util.List;
import java.util.TreeSet;

/**
 * A household's life stages on a given day, computed from the due date and the children's birth
 * dates, so they change as the children grow: pregnancy until the due date, then infant (under 1),
 * preschool (1–5), school_age (6–11), youth (12–17); adult always. The SQL function
 * {@code life_stages} in V40__profiles.sql applies the same rules when matching.
 */
public final class LifeStages {
  private LifeStages() {}

  public static List<String> on(LocalDate today, LocalDate dueDate, List<LocalDate> birthDates) {
    TreeSet<String> stages = new TreeSet<>();
    if (dueDate != null && !dueDate.isBefore(today)) {
      stages.add("pregnancy");
    }
    for (LocalDate birth : birthDates) {
      if (birth.isAfter(today)) {
        continue;
      }
      int age = Period.between(birth, today).getYears();
      if (age < 1) {
        stages.add("infant");
      } else if (age < 6) {
        stages.add("preschool");
      } else if (age < 12) {
        stages.add("school_age");
      } else if (age < 18) {
        stages.add("youth");
      }
    }
    stages.add("adult");
    return List.copyOf(stages);
  }
}
