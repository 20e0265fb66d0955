package jp.tsunagu.platform.security;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;
import org.junit.jupiter.api.Test;

class Argon2idTest {
  @Test
  void rfc9106TestVector() {
    // RFC 9106 section 5.3: Argon2id, m=32 KiB, t=3, p=4, password 32 x 0x01, salt 16 x 0x02, secret 8 x 0x03, associated
    // data 12 x 0x04, 32-byte tag
    byte[] tag = Argon2id.hash(filled(32, 1), filled(16, 2), filled(8, 3), filled(12, 4), 32, 3, 4, 32);
    assertEquals("0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659", HexFormat.of().formatHex(tag));
  }

  @Test
  void agreesWithBouncyCastleOnRandomInputsAndParameters() {
    SplittableRandom random = new SplittableRandom(20261201L);
    for (int n = 0; n < 150; n++) {
      int lanes = 1 + random.nextInt(4);
      int memory = 8 * lanes + random.nextInt(600); // not always a multiple of 4p: the memory is rounded down
      int passes = 1 + random.nextInt(4);
      int length = 4 + random.nextInt(140); // over 64 bytes the tag takes H' with several Blake2b outputs
      byte[] password = bytes(random, random.nextInt(40));
      byte[] salt = bytes(random, 8 + random.nextInt(25));
      byte[] secret = random.nextBoolean() ? new byte[0] : bytes(random, 1 + random.nextInt(32));
      byte[] associated = random.nextBoolean() ? new byte[0] : bytes(random, 1 + random.nextInt(32));
      byte[] ours = Argon2id.hash(password, salt, secret, associated, memory, passes, lanes, length);
      assertArrayEquals(bouncyCastle(password, salt, secret, associated, memory, passes, lanes, length), ours,
          "m=" + memory + " t=" + passes + " p=" + lanes + " tag " + length);
    }
  }

  @Test
  void reusedMemoryGivesTheSameTagAtTheProductionCost() {
    // the default cost, twice on one thread (the second run reuses the first's memory) and once after a smaller hash
    byte[] password = "correct horse battery staple".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    byte[] salt = filled(16, 7);
    byte[] expected = bouncyCastle(password, salt, new byte[0], new byte[0], 19456, 2, 1, 32);
    assertArrayEquals(expected, Argon2id.hash(password, salt, 19456, 2, 1, 32));
    assertArrayEquals(expected, Argon2id.hash(password, salt, 19456, 2, 1, 32));
    Argon2id.hash(password, salt, 64, 1, 1, 32);
    assertArrayEquals(expected, Argon2id.hash(password, salt, 19456, 2, 1, 32));
  }

  @Test
  void threadsDoNotShareMemory() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<byte[]>> tags = new ArrayList<>();
      List<byte[]> expected = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        byte[] password = ("password-" + i).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] salt = filled(16, i);
        expected.add(bouncyCastle(password, salt, new byte[0], new byte[0], 1024, 2, 1, 32));
        tags.add(pool.submit(() -> Argon2id.hash(password, salt, 1024, 2, 1, 32)));
      }
      for (int i = 0; i < tags.size(); i++) {
        assertArrayEquals(expected.get(i), tags.get(i).get(), "password " + i);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void refusesParametersOutsideTheStandard() {
    byte[] salt = filled(16, 1);
    assertThrows(IllegalArgumentException.class, () -> Argon2id.hash(new byte[1], salt, 7, 1, 1, 32)); // m < 8p
    assertThrows(IllegalArgumentException.class, () -> Argon2id.hash(new byte[1], salt, 64, 0, 1, 32)); // t < 1
    assertThrows(IllegalArgumentException.class, () -> Argon2id.hash(new byte[1], salt, 64, 1, 0, 32)); // p < 1
    assertThrows(IllegalArgumentException.class, () -> Argon2id.hash(new byte[1], filled(7, 1), 64, 1, 1, 32)); // salt < 8
    assertThrows(IllegalArgumentException.class, () -> Argon2id.hash(new byte[1], salt, 64, 1, 1, 3)); // tag < 4 bytes
  }

  private static byte[] bouncyCastle(byte[] password, byte[] salt, byte[] secret, byte[] associated, int memory, int passes,
      int lanes, int length) {
    Argon2BytesGenerator generator = new Argon2BytesGenerator();
    generator.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id).withVersion(Argon2Parameters.ARGON2_VERSION_13)
        .withMemoryAsKB(memory).withIterations(passes).withParallelism(lanes).withSalt(salt).withSecret(secret)
        .withAdditional(associated).build());
    byte[] out = new byte[length];
    generator.generateBytes(password, out);
    return out;
  }

  private static byte[] bytes(SplittableRandom random, int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

  private static byte[] filled(int n, int value) {
    byte[] b = new byte[n];
    java.util.Arrays.fill(b, (byte) value);
    return b;
  }
}
