package jp.tsunagu.platform.content;

/**
 * Event-bus addresses of municipal content. The events are published on the clustered event bus
 * after the change has committed, carrying the {@code content_change} row (see {@link ContentEvent}).
 * They are a wake-up call, not the record: a consumer that must not miss a change reads
 * {@code content_change} from the last id it handled, and uses the events to read sooner.
 */
public final class ContentAddresses {
  /** A page became public: first publication, or published again after a withdrawal. */
  public static final String PAGE_PUBLISHED = "content.page.published";
  /** A public page changed in substance (text, taxonomy, targets); markup-only edits emit nothing. */
  public static final String PAGE_UPDATED = "content.page.updated";
  /** A page was withdrawn. */
  public static final String PAGE_WITHDRAWN = "content.page.withdrawn";
  /** A municipality's facility list was replaced (CSV import). */
  public static final String FACILITIES_REPLACED = "content.facilities.replaced";
  /** A platform operator asked every node to rebuild its search index from PostgreSQL. */
  public static final String INDEX_REBUILD_REQUESTED = "content.index.rebuild-requested";

  private ContentAddresses() {}

  /** The address of a change kind as stored in {@code content_change.kind}. */
  public static String of(String kind) {
    return switch (kind) {
      case "published" -> PAGE_PUBLISHED;
      case "updated" -> PAGE_UPDATED;
      case "withdrawn" -> PAGE_WITHDRAWN;
      case "facilities_replaced" -> FACILITIES_REPLACED;
      default -> throw new IllegalArgumentException("unknown change kind " + kind);
    };
  }
}
