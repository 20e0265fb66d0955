package jp.tsunagu.platform.notify;

/** Event-bus addresses of delivery. Live notices go once per notice to every node, never once per recipient. */
public final class NotifyAddresses {
  /** A matcher committed a notice's notifications (body: notice id and recipient count); wakes the channel senders. */
  public static final String NOTICE_MATCHED = "notify.notice.matched";
  /**
   * Published: a notice's notifications for the listed recipients are committed (body: notice id, the
   * notification without its id, and {@code recipients} as [notification id, account id] pairs);
   * each node writes them to its own live streams.
   */
  public static final String NOTICE_LIVE = "notify.notice.live";
  /**
   * Published: all of a notice's notifications are committed (body: notice id and the notification
   * without its id, and {@code lookup}: false when every recipient came in {@link #NOTICE_LIVE}
   * messages); each node looks up its own connected citizens' notification ids.
   */
  public static final String NOTICE_COMMITTED = "notify.notice.committed";

  private NotifyAddresses() {}
}
