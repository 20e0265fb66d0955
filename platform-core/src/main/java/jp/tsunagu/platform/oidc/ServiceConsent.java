package jp.tsunagu.platform.oidc;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The consent ledger as the OpenID provider sees it. Every registered service (client) has a
 * notice in the ledger: the data items it asks for (each citizen scope it may request is an item,
 * plus any service-specific items released through the service API) and its purposes, the first
 * being the purpose of signing in. The consent page records the citizen's choices here; tokens and
 * userinfo release only what the gate permits at that moment, and every userinfo release is
 * written to the citizen's access log.
 */
public interface ServiceConsent {

  /** One item of a notice; {@code scope} is true when the item is an OpenID scope of the same name. */
  record Item(String id, boolean required, String labelJa, String labelEn, boolean scope) {}

  record Purpose(String id, String labelJa, String labelEn) {}

  /** The notice in force for a service. */
  record Notice(int version, String textJa, String textEn, List<Item> items, List<Purpose> purposes) {
    public Set<String> itemIds() {
      return items.stream().map(Item::id).collect(java.util.stream.Collectors.toUnmodifiableSet());
    }

    /** Whether {@code id} is one of the notice's items (a notice has a handful: no set is built for it). */
    public boolean hasItem(String id) {
      for (Item item : items) {
        if (item.id().equals(id)) {
          return true;
        }
      }
      return false;
    }

    /** The purpose under which sign-in data (tokens, userinfo) is released. */
    public Purpose primaryPurpose() {
      return purposes.get(0);
    }
  }

  /** A consent in force: given, to the notice in force, not expired. */
  record Given(UUID consentId, int noticeVersion, Set<String> items, Set<String> purposes) {}

  /** The consent-ledger service id of a client. */
  static String serviceId(String clientId) {
    return "client:" + clientId;
  }

  /**
   * Checks the notice part of a registration ({@code notice}, {@code dataItems}, {@code purposes})
   * for a client about to be registered; fails with a 400 problem when it is malformed.
   */
  void check(Client client, JsonObject registration);

  /** Publishes the first notice of a newly registered client (null for a client that asks for no citizen data). */
  Future<Notice> declare(Client client, JsonObject registration);

  /** Publishes a new notice version; consents given to older versions stop data until renewed. */
  Future<Notice> publish(Client client, JsonObject notice);

  /** The notice in force; a client registered before notices existed gets its default one now. */
  Future<Notice> notice(Client client);

  /** The citizen's consent in force for the service, if any. */
  Future<Optional<Given>> current(Client client, UUID accountId);

  /** Records the citizen's choices from the consent page (web channel) and returns the record. */
  Future<Given> give(Client client, UUID accountId, Set<String> items, Set<String> purposes);

  /**
   * Of {@code scopes}, the ones whose item the gate permits now for the sign-in purpose (scopes
   * that are no data item, such as API scopes, pass unchanged).
   */
  Future<Set<String>> releasable(Client client, UUID accountId, Set<String> scopes);

  /** The service was removed: every consent given to it is withdrawn by the platform; returns how many. */
  Future<Integer> endService(String tenantCode, String clientId);

  /** Appends a release of {@code items} to the citizen's access log (a read by the service). */
  Future<Void> logRead(Client client, UUID accountId, Set<String> items);
}
