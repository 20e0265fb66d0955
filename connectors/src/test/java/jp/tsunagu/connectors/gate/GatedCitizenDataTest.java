package jp.tsunagu.connectors.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import jp.tsunagu.consent.ConsentError;
import jp.tsunagu.consent.ConsentException;
import org.junit.jupiter.api.Test;

class GatedCitizenDataTest {
  @Test
  void onlyTheFrameworkCanBuildOne() {
    assertFalse(Arrays.stream(GatedCitizenData.class.getDeclaredConstructors())
        .anyMatch(c -> Modifier.isPublic(c.getModifiers()) || Modifier.isProtected(c.getModifiers())));
    assertFalse(Arrays.stream(GatedCitizenData.class.getDeclaredMethods())
        .anyMatch(m -> Modifier.isStatic(m.getModifiers()) && Modifier.isPublic(m.getModifiers())));
  }

  @Test
  void anItemThatWasNotReleasedCannotBeRead() {
    var data = new GatedCitizenData("131016", "circulars", "sub-1", "circular_delivery", Set.of("name", "district"),
        Map.of("name", "山田 花子"), UUID.randomUUID(), 1);
    assertEquals(Optional.of("山田 花子"), data.string("name"));
    assertEquals(Optional.empty(), data.value("district"), "released, but the citizen has none");
    ConsentException e = assertThrows(ConsentException.class, () -> data.value("kana"));
    assertEquals(ConsentError.CONSENT_DENIED, e.error());
  }
}
