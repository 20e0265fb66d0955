package jp.tsunagu.consent.withdrawal;

import io.vertx.core.Future;
import java.net.URI;

/** Delivers one Security Event Token to a receiver; the future itself does not fail for expected outcomes. */
@FunctionalInterface
public interface SetSender {
  Future<SetDelivery> deliver(URI endpoint, String setJws);
}
