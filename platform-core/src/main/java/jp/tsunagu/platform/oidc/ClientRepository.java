package jp.tsunagu.platform.oidc;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

/** Registered clients in {@code oidc_client}. */
final class ClientRepository {
  private final Pool pool;

  ClientRepository(Pool pool) {
    this.pool = pool;
  }

  Future<Optional<Client>> byId(String clientId) {
    return pool.preparedQuery("SELECT * FROM oidc_client WHERE client_id = $1").execute(Tuple.of(clientId))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(map(rows.iterator().next())));
  }

  Future<List<Client>> byTenant(String tenantCode) {
    return pool.preparedQuery("SELECT * FROM oidc_client WHERE tenant_code = $1 ORDER BY created_at, client_id")
        .execute(Tuple.of(tenantCode))
        .map(rows -> {
          List<Client> out = new ArrayList<>();
          rows.forEach(r -> out.add(map(r)));
          return out;
        });
  }

  Future<Void> insert(SqlClient tx, Client c) {
    return tx.preparedQuery("INSERT INTO oidc_client (client_id, tenant_code, name, auth_method, secret_hash, jwks, redirect_uris, "
            + "post_logout_redirect_uris, backchannel_logout_uri, scopes, grant_types, sector_identifier, public_subject, id_token_alg, "
            + "initiate_login_uri, require_par, dpop_bound) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)")
        .execute(Tuple.from(Arrays.asList(c.clientId(), c.tenantCode(), c.name(), c.authMethod(),
            c.secretHash() == null ? null : Buffer.buffer(c.secretHash()),
            c.jwks() == null ? null : new JsonObject(c.jwks().toJSONObject(true)),
            c.redirectUris().toArray(String[]::new), c.postLogoutRedirectUris().toArray(String[]::new), c.backchannelLogoutUri(),
            c.scopes().toArray(String[]::new), c.grantTypes().toArray(String[]::new), c.sectorIdentifier(), c.publicSubject(),
            c.idTokenAlg().getName(), c.initiateLoginUri(), c.requirePushedRequests(), c.dpopBound())))
        .mapEmpty();
  }

  /**
   * Deletes a client, its flows (by cascade) and then its grants with their refresh tokens. The
   * grants go in a second statement: the first waits for any code exchange holding one of the
   * client's flows, so the second (a new snapshot) sees the grant such an exchange made.
   */
  Future<Boolean> delete(SqlClient tx, String tenantCode, String clientId) {
    return tx.preparedQuery("DELETE FROM oidc_client WHERE tenant_code = $1 AND client_id = $2").execute(Tuple.of(tenantCode, clientId))
        .compose(r -> r.rowCount() == 0 ? Future.succeededFuture(false)
            // the flows first: deleting one that an exchange is spending waits for it, so its grant is deleted next
            : tx.preparedQuery("DELETE FROM oidc_flow WHERE client_id = $1").execute(Tuple.of(clientId))
                .compose(f -> tx.preparedQuery("DELETE FROM oidc_grant WHERE client_id = $1").execute(Tuple.of(clientId))).map(true));
  }

  static Client map(Row r) {
    JsonObject jwks = (JsonObject) r.getValue("jwks");
    Buffer secret = r.getBuffer("secret_hash");
    try {
      return new Client(r.getString("client_id"), r.getString("tenant_code"), r.getString("name"), r.getString("auth_method"),
          secret == null ? null : secret.getBytes(), jwks == null ? null : JWKSet.parse(jwks.getMap()),
          List.of(r.getArrayOfStrings("redirect_uris")), List.of(r.getArrayOfStrings("post_logout_redirect_uris")),
          r.getString("backchannel_logout_uri"), new LinkedHashSet<>(List.of(r.getArrayOfStrings("scopes"))),
          new LinkedHashSet<>(List.of(r.getArrayOfStrings("grant_types"))), r.getString("sector_identifier"),
          r.getBoolean("public_subject"), JWSAlgorithm.parse(r.getString("id_token_alg")), r.getString("initiate_login_uri"),
          r.getBoolean("require_par"), r.getBoolean("dpop_bound"), r.getOffsetDateTime("created_at"));
    } catch (ParseException e) {
      throw new IllegalStateException("client " + r.getString("client_id") + " has an unreadable JWKS", e);
    }
  }
}
