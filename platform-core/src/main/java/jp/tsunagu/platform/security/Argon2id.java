package jp.tsunagu.platform.security;

import java.util.Arrays;
import org.bouncycastle.crypto.digests.Blake2bDigest;

/**
 * Argon2id (RFC 9106, version 0x13) whose memory is kept per thread and reused from one hash to the next.
 *
 * <p>Why not BouncyCastle's {@code Argon2BytesGenerator} directly: it allocates its memory anew for every hash, as one
 * object per 1 KiB block (19,456 objects, 19 MiB for the default cost), and those blocks are alive while the hash runs. On
 * the node's password workers that is the bulk of the heap's allocation during sign-ins (about 1 GiB/s at 50 sign-ins/s):
 * a collector either copies the blocks of the hashes in flight or, as ZGC did, lets the heap grow towards its maximum
 * between cycles (about 5 GiB before most of its cycles in a sign-in benchmark, against 1.6 GiB with this class). No
 * library on Maven Central reuses its memory between hashes (Password4j and the
 * JNA binding to the reference C code allocate per hash too), so this class fills the blocks itself, in one flat
 * {@code long[]} per thread that stays allocated for the thread's life (one per password worker, the size of the
 * configured memory cost). The memory is wiped after every hash, as BouncyCastle does, so no password-derived block stays
 * behind. Blake2b (the initial hash H0 and the variable-length hash H') is BouncyCastle's.
 *
 * <p>Agrees with RFC 9106's Argon2id test vector and with BouncyCastle on random inputs and parameters
 * ({@code Argon2idTest}), so the stored PHC strings of either verify with the other.
 */
final class Argon2id {
  private static final int VERSION = 0x13;
  private static final int TYPE_ID = 2;
  private static final int SYNC_POINTS = 4;
  private static final int BLOCK_LONGS = 128;
  private static final int BLOCK_BYTES = 1024;
  private static final int ADDRESSES_IN_BLOCK = 128;
  private static final long MASK32 = 0xFFFFFFFFL;

  /** Per thread: the memory (grown to the largest cost seen on this thread, never shrunk) and 1 KiB scratch blocks. */
  private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

  private Argon2id() {}

  /** The Argon2id tag of {@code password} with the given salt and cost, no secret and no associated data. */
  static byte[] hash(byte[] password, byte[] salt, int memoryKib, int passes, int lanes, int length) {
    return hash(password, salt, new byte[0], new byte[0], memoryKib, passes, lanes, length);
  }

  /** The Argon2id tag with an optional secret key K and associated data X (RFC 9106 section 3.1). */
  static byte[] hash(byte[] password, byte[] salt, byte[] secret, byte[] associated, int memoryKib, int passes, int lanes,
      int length) {
    if (lanes < 1 || lanes > 0xFFFFFF || passes < 1 || length < 4 || salt.length < 8
        || memoryKib < 2 * SYNC_POINTS * lanes || memoryKib > (Integer.MAX_VALUE / BLOCK_LONGS)) {
      throw new IllegalArgumentException("Argon2id parameters out of range: m=" + memoryKib + ", t=" + passes + ", p=" + lanes
          + ", salt " + salt.length + " bytes, tag " + length + " bytes");
    }
    Scratch s = SCRATCH.get();
    int segmentLength = memoryKib / (SYNC_POINTS * lanes);
    int laneLength = segmentLength * SYNC_POINTS;
    int blocks = laneLength * lanes;
    Instance in = new Instance(s.memory(blocks * BLOCK_LONGS), s, blocks, passes, lanes, laneLength, segmentLength);
    try {
      byte[] h0 = initialHash(password, salt, secret, associated, memoryKib, passes, lanes, length);
      in.firstBlocks(h0);
      for (int pass = 0; pass < passes; pass++) {
        for (int slice = 0; slice < SYNC_POINTS; slice++) {
          for (int lane = 0; lane < lanes; lane++) {
            in.fillSegment(pass, lane, slice);
          }
        }
      }
      return in.tag(length);
    } finally {
      Arrays.fill(in.memory, 0, blocks * BLOCK_LONGS, 0L);
      s.wipe();
    }
  }

  /** H0: Blake2b-512 over the parameters, the password, the salt, the secret and the associated data. */
  private static byte[] initialHash(byte[] password, byte[] salt, byte[] secret, byte[] associated, int memoryKib, int passes,
      int lanes, int length) {
    Blake2bDigest d = new Blake2bDigest(512);
    for (int v : new int[] {lanes, length, memoryKib, passes, VERSION, TYPE_ID}) {
      updateInt(d, v);
    }
    for (byte[] field : new byte[][] {password, salt, secret, associated}) {
      updateInt(d, field.length);
      d.update(field, 0, field.length);
    }
    byte[] h0 = new byte[64];
    d.doFinal(h0, 0);
    return h0;
  }

  /** H' (RFC 9106 section 3.3): Blake2b of any output length, built from 64-byte Blake2b outputs for lengths over 64. */
  static byte[] variableHash(byte[] input, int length) {
    byte[] out = new byte[length];
    if (length <= 64) {
      Blake2bDigest d = new Blake2bDigest(length * 8);
      updateInt(d, length);
      d.update(input, 0, input.length);
      d.doFinal(out, 0);
      return out;
    }
    Blake2bDigest d = new Blake2bDigest(512);
    byte[] v = new byte[64];
    updateInt(d, length);
    d.update(input, 0, input.length);
    d.doFinal(v, 0);
    int r = (length + 31) / 32 - 2;
    int pos = 0;
    for (int i = 1; i < r; i++) {
      System.arraycopy(v, 0, out, pos, 32);
      pos += 32;
      d.update(v, 0, 64);
      d.doFinal(v, 0);
    }
    System.arraycopy(v, 0, out, pos, 32);
    pos += 32;
    Blake2bDigest last = new Blake2bDigest((length - 32 * r) * 8);
    last.update(v, 0, 64);
    byte[] tail = new byte[length - 32 * r];
    last.doFinal(tail, 0);
    System.arraycopy(tail, 0, out, pos, tail.length);
    return out;
  }

  private static void updateInt(Blake2bDigest d, int v) {
    d.update((byte) v);
    d.update((byte) (v >>> 8));
    d.update((byte) (v >>> 16));
    d.update((byte) (v >>> 24));
  }

  /** One hash's memory layout and block filling; blocks are {@value #BLOCK_LONGS} longs at {@code index * 128}. */
  private record Instance(long[] memory, Scratch s, int blocks, int passes, int lanes, int laneLength, int segmentLength) {
    /** B[l][0] = H'(H0 || 0 || l), B[l][1] = H'(H0 || 1 || l). */
    void firstBlocks(byte[] h0) {
      byte[] seed = Arrays.copyOf(h0, 72);
      for (int lane = 0; lane < lanes; lane++) {
        for (int column = 0; column < 2; column++) {
          putInt(seed, 64, column);
          putInt(seed, 68, lane);
          byte[] block = variableHash(seed, BLOCK_BYTES);
          int base = (lane * laneLength + column) * BLOCK_LONGS;
          for (int i = 0; i < BLOCK_LONGS; i++) {
            memory[base + i] = getLong(block, i * 8);
          }
        }
      }
      Arrays.fill(seed, (byte) 0);
    }

    void fillSegment(int pass, int lane, int slice) {
      boolean independent = pass == 0 && slice < SYNC_POINTS / 2; // Argon2id: Argon2i addressing for the first half pass
      long[] address = s.address;
      long[] input = s.input;
      int start = pass == 0 && slice == 0 ? 2 : 0;
      if (independent) {
        Arrays.fill(input, 0L);
        input[0] = pass;
        input[1] = lane;
        input[2] = slice;
        input[3] = blocks;
        input[4] = passes;
        input[5] = TYPE_ID;
        if (start == 2) {
          nextAddresses();
        }
      }
      int cur = lane * laneLength + slice * segmentLength + start;
      int prev = cur % laneLength == 0 ? cur + laneLength - 1 : cur - 1;
      for (int i = start; i < segmentLength; i++, cur++, prev++) {
        if (cur % laneLength == 1) {
          prev = cur - 1;
        }
        long pseudoRandom;
        if (independent) {
          if (i % ADDRESSES_IN_BLOCK == 0) {
            nextAddresses();
          }
          pseudoRandom = address[i % ADDRESSES_IN_BLOCK];
        } else {
          pseudoRandom = memory[prev * BLOCK_LONGS];
        }
        int refLane = pass == 0 && slice == 0 ? lane : (int) ((pseudoRandom >>> 32) % lanes);
        int refIndex = referenceIndex(pass, slice, i, pseudoRandom & MASK32, refLane == lane);
        fillBlock(memory, prev * BLOCK_LONGS, memory, (refLane * laneLength + refIndex) * BLOCK_LONGS, memory,
            cur * BLOCK_LONGS, pass != 0);
      }
    }

    /** The reference block's column in its lane (RFC 9106 section 3.4.1.2), from the low 32 bits J1. */
    private int referenceIndex(int pass, int slice, int index, long j1, boolean sameLane) {
      long area;
      if (pass == 0) {
        if (slice == 0) {
          area = index - 1;
        } else {
          area = (long) slice * segmentLength + (sameLane ? index - 1 : (index == 0 ? -1 : 0));
        }
      } else {
        area = laneLength - segmentLength + (sameLane ? index - 1 : (index == 0 ? -1 : 0));
      }
      long x = (j1 * j1) >>> 32;
      long relative = area - 1 - ((area * x) >>> 32);
      long startPosition = pass == 0 || slice == SYNC_POINTS - 1 ? 0 : (long) (slice + 1) * segmentLength;
      return (int) ((startPosition + relative) % laneLength);
    }

    /** The next 128 addresses of a data-independent segment: G(0, G(0, input)) with input's counter advanced. */
    private void nextAddresses() {
      s.input[6]++;
      fillBlock(s.zero, 0, s.input, 0, s.address, 0, false);
      fillBlock(s.zero, 0, s.address, 0, s.address, 0, false);
    }

    /** The final block (XOR of every lane's last block) through H'. */
    byte[] tag(int length) {
      long[] last = s.r;
      System.arraycopy(memory, (laneLength - 1) * BLOCK_LONGS, last, 0, BLOCK_LONGS);
      for (int lane = 1; lane < lanes; lane++) {
        int base = (lane * laneLength + laneLength - 1) * BLOCK_LONGS;
        for (int i = 0; i < BLOCK_LONGS; i++) {
          last[i] ^= memory[base + i];
        }
      }
      byte[] bytes = new byte[BLOCK_BYTES];
      for (int i = 0; i < BLOCK_LONGS; i++) {
        putLong(bytes, i * 8, last[i]);
      }
      byte[] tag = variableHash(bytes, length);
      Arrays.fill(bytes, (byte) 0);
      return tag;
    }

    /**
     * The compression function G (RFC 9106 section 3.5): next = P(X xor Y) xor X xor Y, xor-ed into next's old value
     * after the first pass.
     */
    private void fillBlock(long[] xs, int x, long[] ys, int y, long[] out, int o, boolean withXor) {
      long[] r = s.r;
      long[] keep = s.keep;
      for (int i = 0; i < BLOCK_LONGS; i++) {
        r[i] = xs[x + i] ^ ys[y + i];
      }
      if (withXor) {
        for (int i = 0; i < BLOCK_LONGS; i++) {
          keep[i] = r[i] ^ out[o + i];
        }
      } else {
        System.arraycopy(r, 0, keep, 0, BLOCK_LONGS);
      }
      for (int i = 0; i < 8; i++) { // rows: 16 consecutive words
        int b = 16 * i;
        round(r, b, b + 1, b + 2, b + 3, b + 4, b + 5, b + 6, b + 7, b + 8, b + 9, b + 10, b + 11, b + 12, b + 13, b + 14,
            b + 15);
      }
      for (int i = 0; i < 8; i++) { // columns: pairs of words, 16 apart
        int b = 2 * i;
        round(r, b, b + 1, b + 16, b + 17, b + 32, b + 33, b + 48, b + 49, b + 64, b + 65, b + 80, b + 81, b + 96, b + 97,
            b + 112, b + 113);
      }
      for (int i = 0; i < BLOCK_LONGS; i++) {
        out[o + i] = keep[i] ^ r[i];
      }
    }
  }

  /** Blake2b's round without message words, with BlaMka's multiplication (RFC 9106 section 3.6). */
  private static void round(long[] v, int i0, int i1, int i2, int i3, int i4, int i5, int i6, int i7, int i8, int i9, int i10,
      int i11, int i12, int i13, int i14, int i15) {
    g(v, i0, i4, i8, i12);
    g(v, i1, i5, i9, i13);
    g(v, i2, i6, i10, i14);
    g(v, i3, i7, i11, i15);
    g(v, i0, i5, i10, i15);
    g(v, i1, i6, i11, i12);
    g(v, i2, i7, i8, i13);
    g(v, i3, i4, i9, i14);
  }

  private static void g(long[] v, int a, int b, int c, int d) {
    long va = v[a];
    long vb = v[b];
    long vc = v[c];
    long vd = v[d];
    va = blaMka(va, vb);
    vd = Long.rotateRight(vd ^ va, 32);
    vc = blaMka(vc, vd);
    vb = Long.rotateRight(vb ^ vc, 24);
    va = blaMka(va, vb);
    vd = Long.rotateRight(vd ^ va, 16);
    vc = blaMka(vc, vd);
    vb = Long.rotateRight(vb ^ vc, 63);
    v[a] = va;
    v[b] = vb;
    v[c] = vc;
    v[d] = vd;
  }

  private static long blaMka(long x, long y) {
    return x + y + 2 * (x & MASK32) * (y & MASK32);
  }

  private static void putInt(byte[] b, int off, int v) {
    b[off] = (byte) v;
    b[off + 1] = (byte) (v >>> 8);
    b[off + 2] = (byte) (v >>> 16);
    b[off + 3] = (byte) (v >>> 24);
  }

  private static void putLong(byte[] b, int off, long v) {
    for (int i = 0; i < 8; i++) {
      b[off + i] = (byte) (v >>> (8 * i));
    }
  }

  private static long getLong(byte[] b, int off) {
    long v = 0;
    for (int i = 7; i >= 0; i--) {
      v = (v << 8) | (b[off + i] & 0xFF);
    }
    return v;
  }

  /** A thread's memory and scratch blocks. */
  private static final class Scratch {
    private long[] memory = new long[0];
    final long[] r = new long[BLOCK_LONGS];
    final long[] keep = new long[BLOCK_LONGS];
    final long[] address = new long[BLOCK_LONGS];
    final long[] input = new long[BLOCK_LONGS];
    final long[] zero = new long[BLOCK_LONGS];

    long[] memory(int longs) {
      if (memory.length < longs) {
        memory = null; // let the old one go before the new one is allocated
        memory = new long[longs];
      }
      return memory;
    }

    void wipe() {
      Arrays.fill(r, 0L);
      Arrays.fill(keep, 0L);
      Arrays.fill(address, 0L);
      Arrays.fill(input, 0L);
    }
  }
}
