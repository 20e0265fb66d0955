package jp.tsunagu.search.index;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

/**
 * The on-disk layout of a {@link GenerationalIndex}: one directory per generation
 * ({@code root/gen-000001}) and the file {@code root/CURRENT} naming the live one, replaced
 * atomically and forced to disk, so a crash leaves either the old or the new generation live.
 */
final class GenerationDirectories {
  private static final String CURRENT = "CURRENT";

  private final Path root;

  GenerationDirectories(Path root) throws IOException {
    this.root = root;
    Files.createDirectories(root);
  }

  Path root() {
    return root;
  }

  /** The number of the live generation, 1 when none was ever named. */
  long current() throws IOException {
    Path current = root.resolve(CURRENT);
    return Files.exists(current) ? Long.parseLong(Files.readString(current).trim()) : 1;
  }

  boolean hasCurrent() {
    return Files.exists(root.resolve(CURRENT));
  }

  Path path(long number) {
    return root.resolve(String.format("gen-%06d", number));
  }

  /** Names generation {@code number} the live one. */
  void makeCurrent(long number) throws IOException {
    Path tmp = root.resolve(CURRENT + ".tmp");
    Files.writeString(tmp, Long.toString(number), StandardCharsets.US_ASCII);
    try (var channel = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
      channel.force(true);
    }
    Files.move(tmp, root.resolve(CURRENT), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /** Deletes every generation directory but {@code keep}'s. */
  void removeAllBut(long keep) throws IOException {
    try (Stream<Path> children = Files.list(root)) {
      for (Path child : children.toList()) {
        if (child.getFileName().toString().startsWith("gen-") && !child.equals(path(keep))) {
          deleteTree(child);
        }
      }
    }
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
