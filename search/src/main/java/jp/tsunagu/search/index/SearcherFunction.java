package jp.tsunagu.search.index;

import java.io.IOException;
import org.apache.lucene.search.IndexSearcher;

/** Work done with an acquired searcher; the searcher must not escape the call. */
@FunctionalInterface
public interface SearcherFunction<S extends IndexSearcher, T> {
  T apply(S searcher) throws IOException;
}
