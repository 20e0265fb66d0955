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
  void hashesStoredByTheBouncyCastleVersionStillVerify() {
    // written by the earlier PasswordHasher (BouncyCastle's Argon2BytesGenerator), m=1024 KiB, t=1, p=1 and the default cost
    String small = bouncyCastlePhc("パスワード with ünïcode", 1024, 1, 1);
    String production = bouncyCastlePhc("correct horse battery staple", 19456, 2, 1);
    assertTrue(PasswordHasher.verifyBlocking("パスワード with ünïcode", small), small);
    assertFalse(PasswordHasher.verifyBlocking("パスワード with unicode", small));
    assertTrue(PasswordHasher.verifyBlocking("correct horse battery staple", production), production);
    assertFalse(new PasswordHasher(null, 19456, 2, 1).needsRehash(production));
  }

  private static String bouncyCastlePhc(String password, int m, int t, int p) {
    byte[] salt = new byte[16];
    new java.security.SecureRandom().nextBytes(salt);
    var generator = new org.bouncycastle.crypto.generators.Argon2BytesGenerator();
    generator.init(new org.bouncycastle.crypto.params.Argon2Parameters.Builder(org.bouncycastle.crypto.params.Argon2Parameters.ARGON2_id)
        .withVersion(org.bouncycastle.crypto.params.Argon2Parameters.ARGON2_VERSION_13).withMemoryAsKB(m).withIterations(t)
        .withParallelism(p).withSalt(salt).build());
    byte[] hash = new byte[32];
    generator.generateBytes(password.getBytes(java.nio.charset.StandardCharsets.UTF_8), hash);
    java.util.Base64.Encoder b64 = java.util.Base64.getEncoder().withoutPadding();
    return "$argon2id$v=19$m=" + m + ",t=" + t + ",p=" + p + "$" + b64.encodeToString(salt) + "$" + b64.encodeToString(hash);
  }

  @Test
  void residenceCodesAreUnambiguousAndNormalised() {
    String code = Tokens.residenceCode();
    assertTrue(code.matches("[ACDEFGHJKMNPQRTUVWXY34679]{4}-[ACDEFGHJKMNPQRTUVWXY34679]{4}-[ACDEFGHJKMNPQRTUVWXY34679]{4}"), code);
    assertTrue(Tokens.normaliseCode(" ａｂｃｄ－ＥＦＧＨ ijkl ").equals("ABCDEFGHIJKL"));
  }
}
