package jp.tsunagu.platform.notify;

/** Event-bus addresses of delivery. */
public final class NotifyAddresses {
  /** Prefix of a citizen's live inbox: {@code notify.inbox.<account id>}, consumed where their browser is connected. */
  public static final String INBOX_PREFIX = "notify.inbox.";
  /** A matcher committed a notice's notifications (body: notice id and recipient count); wakes the channel senders. */
  public static final String NOTICE_MATCHED = "notify.notice.matched";

  private NotifyAddresses() {}

  public static String inbox(java.util.UUID accountId) {
    return INBOX_PREFIX + accountId;
  }
}
