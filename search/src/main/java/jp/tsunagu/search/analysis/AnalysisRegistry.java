package jp.tsunagu.search.analysis;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import jp.tsunagu.search.TenantCode;
import org.apache.lucene.analysis.Analyzer;

/**
 * The analysis of every tenant, plus the standard analysis for tenants that have no dictionary or
 * synonyms. Thread-safe; replacing a tenant's analysis takes effect for the next document indexed
 * and the next query parsed.
 */
public final class AnalysisRegistry implements AutoCloseable {

  private final TenantAnalysis standard = TenantAnalysis.standard();
  private final Analyzer english = new EnglishTextAnalyzer();
  private final Map<String, TenantAnalysis> tenants = new ConcurrentHashMap<>();

  /** Installs (or replaces) a tenant's user dictionary and synonyms. */
  public void configure(String tenant, String userDictionaryCsv, String synonymRules) {
    TenantCode.require(tenant);
    TenantAnalysis next = TenantAnalysis.of(userDictionaryCsv, synonymRules);
    TenantAnalysis previous = tenants.put(tenant, next);
    // Analyzers in use by another thread keep working after close: close only releases the
    // per-thread component cache, so old components are simply not reused.
    if (previous != null) {
      previous.close();
    }
  }

  /** The tenant's analysis, or the standard one. */
  public TenantAnalysis forTenant(String tenant) {
    return tenants.getOrDefault(tenant, standard);
  }

  public Analyzer english() {
    return english;
  }

  @Override
  public void close() {
    tenants.values().forEach(TenantAnalysis::close);
    tenants.clear();
    standard.close();
    english.close();
  }
}
