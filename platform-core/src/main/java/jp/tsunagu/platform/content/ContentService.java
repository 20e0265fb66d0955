package jp.tsunagu.platform.content;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import jp.tsunagu.platform.account.AccountService;
import jp.tsunagu.platform.audit.AuditLog;
import jp.tsunagu.platform.http.ProblemException;

/**
 * Publishing, editing and withdrawing municipal pages, and their taxonomies. Every publish,
 * substantive update and withdrawal writes its page row, one {@code content_change} row and an
 * audit entry in one transaction; after the commit the change is published on the clustered event
 * bus ({@link ContentAddresses}). Upserts by URL are idempotent: the same page sent twice changes
 * nothing the second time.
 */
public final class ContentService {
  /** What a write did. */
  public enum Outcome { PUBLISHED, UPDATED, UNCHANGED, WITHDRAWN, ALREADY_WITHDRAWN }

  /** The page after a write, what the write did, and the change it emitted (null if none). */
  public record PageWrite(ContentPage page, Outcome outcome, boolean created, ContentEvent event) {}

  private static final Set<String> KINDS = Set.of("category", "department");

  private final Vertx vertx;
  private final ContentRepository repository;
  private final WorkerExecutor workers;

  /** @param workers where HTML is turned into text (parsing is CPU work the event loop must not do) */
  public ContentService(Vertx vertx, ContentRepository repository, WorkerExecutor workers) {
    this.vertx = vertx;
    this.repository = repository;
    this.workers = workers;
  }

  public ContentRepository repository() {
    return repository;
  }

  /** Publishes or updates the page at the draft's URL (a CMS push, the crawler). */
  public Future<PageWrite> upsert(Author author, String tenant, PageDraft draft, String source) {
    return prepare(draft).compose(d -> attemptUpsert(author, tenant, d, source)
        // two first pushes of one URL at once: the loser finds the winner's row and updates it
        .recover(err -> AccountService.isUniqueViolation(err) ? attemptUpsert(author, tenant, d, source) : Future.failedFuture(err)))
        .onSuccess(this::announce);
  }

  /** Edits a page by id (staff); the URL may change but must stay unique in the municipality. */
  public Future<PageWrite> update(Author author, String tenant, UUID id, PageDraft draft, String source) {
    return prepare(draft).compose(d -> repository.pool().withTransaction(tx -> repository.lockById(tx, tenant, id)
            .compose(existing -> existing.isEmpty() ? Future.failedFuture(ProblemException.notFound("Page " + id))
                : store(tx, author, tenant, existing, d, source)))
        .recover(err -> AccountService.isUniqueViolation(err)
            ? Future.failedFuture(ProblemException.conflict("url-taken", "Another page of the municipality has this URL"))
            : Future.failedFuture(err)))
        .onSuccess(this::announce);
  }

  public Future<PageWrite> withdraw(Author author, String tenant, UUID id) {
    return repository.pool().<PageWrite>withTransaction(tx -> repository.lockById(tx, tenant, id)
            .compose(existing -> withdrawLocked(tx, author, tenant, existing, "Page " + id)))
        .onSuccess(this::announce);
  }

  public Future<PageWrite> withdrawByUrl(Author author, String tenant, String url) {
    return withdrawByUrl(author, tenant, url, null);
  }

  /**
   * Withdraws the page at the URL only if its last writer was of the given source ({@code crawl},
   * {@code cms}, …; null for any): a page taken over in the meantime is left as it is, with the
   * outcome {@code UNCHANGED}.
   */
  public Future<PageWrite> withdrawByUrl(Author author, String tenant, String url, String onlyFromSource) {
    return repository.pool().<PageWrite>withTransaction(tx -> repository.lockByUrl(tx, tenant, url == null ? "" : url.strip())
            .compose(existing -> onlyFromSource != null && existing.isPresent() && !existing.get().withdrawn()
                && !onlyFromSource.equals(existing.get().source())
                ? Future.succeededFuture(new PageWrite(existing.get(), Outcome.UNCHANGED, false, null))
                : withdrawLocked(tx, author, tenant, existing, "A page with this URL")))
        .onSuccess(this::announce);
  }

  public Future<ContentPage> find(String tenant, UUID id) {
    return repository.find(tenant, id).compose(p -> p.isPresent() ? Future.succeededFuture(p.get())
        : Future.failedFuture(ProblemException.notFound("Page " + id)));
  }

  public Future<List<ContentPage>> list(String tenant, boolean withdrawn, int offset, int limit) {
    return repository.list(tenant, withdrawn, offset, limit);
  }

  public Future<List<ContentRepository.Term>> taxonomy(String tenant) {
    return repository.taxonomy(tenant);
  }

  /** Adds or renames a category or department. */
  public Future<ContentRepository.Term> saveTerm(Author author, String tenant, ContentRepository.Term term) {
    if (!KINDS.contains(term.kind())) {
      return Future.failedFuture(ProblemException.badRequest("invalid-term", "kind must be category or department"));
    }
    if (term.code() == null || !term.code().matches("[a-z0-9][a-z0-9_-]{0,39}")) {
      return Future.failedFuture(ProblemException.badRequest("invalid-term",
          "code must be 1 to 40 lower-case letters, digits, '-' or '_', starting with a letter or digit"));
    }
    if (term.nameJa() == null || term.nameJa().isBlank() || term.nameJa().length() > 100
        || term.nameEn() != null && term.nameEn().length() > 100) {
      return Future.failedFuture(ProblemException.badRequest("invalid-term", "nameJa must be 1 to 100 characters, nameEn at most 100"));
    }
    ContentRepository.Term clean = new ContentRepository.Term(term.kind(), term.code(), term.nameJa().strip(),
        term.nameEn() == null ? "" : term.nameEn().strip(), term.position());
    return repository.pool().withTransaction(tx -> repository.saveTerm(tx, tenant, clean)
            .compose(v -> AuditLog.record(tx, tenant, author.staffId(), "taxonomy.saved", clean.kind(), clean.code(),
                author.toJson().put("nameJa", clean.nameJa()).put("nameEn", clean.nameEn()))))
        .map(clean);
  }

  /** A checked draft and the text of its body. */
  private record Prepared(PageDraft draft, String text) {}

  /** Checks the draft and extracts its text on a worker, before any transaction holds a connection. */
  private Future<Prepared> prepare(PageDraft draft) {
    PageDraft checked;
    try {
      checked = draft.checked();
    } catch (ProblemException e) {
      return Future.failedFuture(e);
    }
    return workers.executeBlocking(checked::text, false).map(text -> new Prepared(checked, text));
  }

  private Future<PageWrite> attemptUpsert(Author author, String tenant, Prepared d, String source) {
    return repository.pool().withTransaction(tx -> repository.lockByUrl(tx, tenant, d.draft().url())
        .compose(existing -> store(tx, author, tenant, existing, d, source)));
  }

  private Future<PageWrite> store(SqlClient tx, Author author, String tenant, Optional<ContentPage> existing, Prepared prepared,
                                  String source) {
    PageDraft d = prepared.draft();
    String text = prepared.text();
    String hash = d.hash(text);
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
    ContentPage old = existing.orElse(null);
    boolean live = old != null && !old.withdrawn();
    if (live && old.contentHash().equals(hash) && old.url().equals(d.url())) {
      if (old.bodyHtml().equals(d.bodyHtml())) {
        return Future.succeededFuture(new PageWrite(old, Outcome.UNCHANGED, false, null));
      }
      // markup only: keep the new HTML, emit nothing
      return repository.save(tx, withContent(old, d, text, hash, old.source(), old.publishedAt(), old.updatedAt(), null))
          .map(saved -> new PageWrite(saved, Outcome.UNCHANGED, false, null));
    }
    OffsetDateTime published = old != null ? (d.publishedAt() != null ? d.publishedAt() : old.publishedAt())
        : (d.publishedAt() != null ? d.publishedAt() : now);
    ContentPage next = withContent(old == null ? null : old, d, text, hash, source, published, now, null)
        .withIdentity(old == null ? UUID.randomUUID() : old.id(), tenant);
    Outcome outcome = live ? Outcome.UPDATED : Outcome.PUBLISHED;
    return checkReferences(tx, tenant, d)
        .compose(v -> repository.save(tx, next))
        .compose(saved -> change(tx, author, saved, outcome == Outcome.UPDATED ? "updated" : "published")
            .map(event -> new PageWrite(saved, outcome, old == null, event)));
  }

  private Future<PageWrite> withdrawLocked(SqlClient tx, Author author, String tenant, Optional<ContentPage> existing, String what) {
    if (existing.isEmpty()) {
      return Future.failedFuture(ProblemException.notFound(what));
    }
    ContentPage old = existing.get();
    if (old.withdrawn()) {
      return Future.succeededFuture(new PageWrite(old, Outcome.ALREADY_WITHDRAWN, false, null));
    }
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
    ContentPage gone = new ContentPage(old.id(), old.tenantCode(), old.url(), old.title(), old.summary(), old.bodyHtml(),
        old.bodyText(), old.category(), old.department(), old.tags(), old.districts(), old.lifeStages(), old.language(),
        old.source(), old.contentHash(), old.publishedAt(), old.updatedAt(), now);
    return repository.save(tx, gone)
        .compose(saved -> change(tx, author, saved, "withdrawn").map(event -> new PageWrite(saved, Outcome.WITHDRAWN, false, event)));
  }

  private Future<Void> checkReferences(SqlClient tx, String tenant, PageDraft d) {
    return repository.unknownTerms(tx, tenant, d.category(), d.department())
        .compose(missing -> missing.isEmpty() ? repository.unknownDistricts(tx, tenant, d.districts())
            : Future.failedFuture(ProblemException.unprocessable("unknown-term",
                "The municipality has no " + String.join(" and no ", missing))))
        .compose(unknown -> unknown.isEmpty() ? Future.succeededFuture()
            : Future.failedFuture(ProblemException.unprocessable("unknown-district",
                "Unknown district code(s): " + String.join(", ", unknown))));
  }

  private Future<ContentEvent> change(SqlClient tx, Author author, ContentPage page, String kind) {
    return repository.appendChange(tx, page.tenantCode(), kind, page.id())
        .compose((Row row) -> {
          ContentEvent event = ContentEvent.of(row.getLong("id"), kind, row.getOffsetDateTime("at"), page);
          JsonObject detail = author.toJson().put("url", page.url()).put("title", page.title()).put("changeId", event.changeId());
          return AuditLog.record(tx, page.tenantCode(), author.staffId(), "page." + kind, "page", page.id().toString(), detail)
              .map(event);
        });
  }

  /** After the commit: every node (and the push of notices) hears of the change. */
  private void announce(PageWrite write) {
    if (write.event() != null) {
      vertx.eventBus().publish(ContentAddresses.of(write.event().kind()), write.event().toJson());
    }
  }

  private static ContentPage withContent(ContentPage old, PageDraft d, String text, String hash, String source,
                                         OffsetDateTime published, OffsetDateTime updated, OffsetDateTime withdrawn) {
    return new ContentPage(old == null ? null : old.id(), old == null ? null : old.tenantCode(), d.url(), d.title(),
        d.summary(), d.bodyHtml(), text, d.category(), d.department(), d.tags(), d.districts(), d.lifeStages(),
        d.language(), source, hash, published, updated, withdrawn);
  }
}
