package jp.tsunagu.search.index;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicReference;
import jp.tsunagu.search.SearchException;
import jp.tsunagu.search.index.GenerationalIndex.Rebuilt;

/**
 * Writes a rebuild's documents into its new generation: on the calling thread, or on {@code
 * threads} workers that each take the ids hashed to them (so when the stream holds an id twice the
 * later document wins, as with one thread) while the calling thread reads the stream. A failure
 * in any worker stops the reading; the workers drain what is queued so the reader never blocks.
 */
final class RebuildFill {
  private static final Rebuilt END = new Rebuilt(null, null);
  private static final int QUEUED_PER_THREAD = 32;

  private RebuildFill() {}


  static void fill(IndexGeneration<?> next, Iterator<Rebuilt> documents, RebuildProgress progress, int threads)
      throws IOException {
    if (threads <= 1) {
      while (documents.hasNext()) {
        Rebuilt doc = documents.next();
        next.update(doc.id(), doc.document().get());
        progress.advance();
      }
      return;
    }
    AtomicReference<Throwable> failure = new AtomicReference<>();
    List<BlockingQueue<Rebuilt>> queues = new ArrayList<>(threads);
    List<Thread> workers = new ArrayList<>(threads);
    for (int i = 0; i < threads; i++) {
      BlockingQueue<Rebuilt> queue = new ArrayBlockingQueue<>(QUEUED_PER_THREAD);
      queues.add(queue);
      workers.add(Thread.ofPlatform().daemon().name("tsunagu-rebuild-" + i).start(() -> {
        try {
          for (Rebuilt doc; (doc = queue.take()) != END; ) {
            if (failure.get() != null) {
              continue; // drain, so that the reader never blocks on a full queue
            }
            try {
              next.update(doc.id(), doc.document().get());
              progress.advance();
            } catch (IOException | RuntimeException e) {
              failure.compareAndSet(null, e);
            }
          }
          if (failure.get() == null) {
            // Every worker flushes a buffer as it finishes: the last segments are written by all
            // threads at once instead of by the final merge's flush on one.
            next.flushOwnBuffer();
          }
        } catch (IOException | RuntimeException e) {
          failure.compareAndSet(null, e);
        } catch (InterruptedException e) {
          failure.compareAndSet(null, e);
        }
      }));
    }
    boolean interrupted = false;
    try {
      while (failure.get() == null && documents.hasNext()) {
        Rebuilt doc = documents.next();
        queues.get(Math.floorMod(doc.id().hashCode(), threads)).put(doc);
      }
    } catch (InterruptedException e) {
      interrupted = true;
      failure.compareAndSet(null, e);
    } finally {
      for (BlockingQueue<Rebuilt> queue : queues) {
        while (true) {
          try {
            queue.put(END);
            break;
          } catch (InterruptedException e) {
            interrupted = true;
          }
        }
      }
      for (Thread worker : workers) {
        while (true) {
          try {
            worker.join();
            break;
          } catch (InterruptedException e) {
            interrupted = true;
          }
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
    Throwable f = failure.get();
    if (f instanceof IOException e) {
      throw e;
    }
    if (f instanceof RuntimeException e) {
      throw e;
    }
    if (f != null) {
      throw new SearchException("rebuild interrupted", f);
    }
  }
}
