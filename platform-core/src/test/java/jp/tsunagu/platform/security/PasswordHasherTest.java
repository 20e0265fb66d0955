package jp.tsunagu.platform.security;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PasswordHasherTest {
  @Test
  void phcStringsVerifyOnlyTheirPassword() {
    PasswordHasher hasher = new PasswordHasher(null, 1024, 1, 1);
    String a = hasher.hashBlocking("パスワード with ünïcode");
    String b = hasher.hashBlocking("パスワード with ünïcode");
    assertTrue(a.startsWith("$argon2id$v=19$m=1024,t=1,p=1$"), a);
    assertNotEquals(a, b, "salted");
    assertTrue(PasswordHasher.verifyBlocking("パスワード with ünïcode", a));
    assertFalse(PasswordHasher.verifyBlocking("パスワード with unicode", a));
    assertFalse(PasswordHasher.verifyBlocking("x", "$argon2i$v=19$m=1024,t=1,p=1$AAAA$AAAA"));
    assertFalse(hasher.needsRehash(a));
    assertTrue(new PasswordHasher(null, 2048, 1, 1).needsRehash(a));
  }

  @Test
  void residenceCodesAreUnambiguousAndNormalised() {
    String code = Tokens.residenceCode();
    assertTrue(code.matches("[ACDEFGHJKMNPQRTUVWXY34679]{4}-[ACDEFGHJKMNPQRTUVWXY34679]{4}-[ACDEFGHJKMNPQRTUVWXY34679]{4}"), code);
    assertTrue(Tokens.normaliseCode(" ａｂｃｄ－ＥＦＧＨ ijkl ").equals("ABCDEFGHIJKL"));
  }
}
