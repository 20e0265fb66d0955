package jp.tsunagu.consent.declaration;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import java.util.Optional;

/** Stored service declarations; every method runs on the client it is given. */
public interface DeclarationRepository {
  /** The declaration in force (highest notice version) for a service in a tenant. */
  Future<Optional<ServiceDeclaration>> current(SqlClient client, String tenantId, String serviceId);

  Future<Void> insert(SqlClient client, ServiceDeclaration declaration);
}
