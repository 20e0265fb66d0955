package jp.tsunagu.consent.ledger;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Stored consent records and their history; every method runs on the client it is given. */
public interface ConsentRepository {
  /** The latest record of a link, whatever its state. */
  Future<Optional<ConsentRecord>> latest(SqlClient client, String tenantId, String citizenId, String serviceId);

  /** The latest record of a link, locked for update until the transaction ends, and the link itself (so deciders of a link without records wait for each other too). */
  Future<Optional<ConsentRecord>> latestForUpdate(SqlClient client, String tenantId, String citizenId, String serviceId);

  Future<Optional<ConsentRecord>> byId(SqlClient client, UUID id);

  /** All records of a citizen in every tenant, newest first. */
  Future<List<ConsentRecord>> byCitizen(SqlClient client, String citizenId);

  Future<List<ConsentEvent>> events(SqlClient client, UUID recordId);

  /** Given records whose expiry time is not after {@code now}, locked, at most {@code limit}. */
  Future<List<ConsentRecord>> dueForExpiry(SqlClient client, Instant now, int limit);

  /** The given records of a service in a tenant, locked, at most {@code limit}. */
  Future<List<ConsentRecord>> givenForService(SqlClient client, String tenantId, String serviceId, int limit);

  Future<Void> insert(SqlClient client, ConsentRecord record);

  /**
   * Stores {@code record}'s new state if the stored version is {@code record.version() - 1};
   * fails with {@code CONCURRENT_CHANGE} otherwise.
   */
  Future<Void> updateState(SqlClient client, ConsentRecord record);

  Future<Void> appendEvent(SqlClient client, ConsentEvent event);
}
