package jp.tsunagu.platform.oidc;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** The signing keys in {@code oidc_signing_key}; private parts sealed by {@link KeySealer}. */
final class SigningKeyRepository {
  /** Serialises key creation across nodes (pg_advisory_xact_lock). */
  private static final long ROTATION_LOCK = 0x7473756e6167754bL;

  private final Pool pool;
  private final KeySealer sealer;

  SigningKeyRepository(Pool pool, KeySealer sealer) {
    this.pool = pool;
    this.sealer = sealer;
  }

  Future<KeySet> load() {
    return pool.query("SELECT kid, alg, private_jwk, sealed, created_at, activates_at FROM oidc_signing_key").execute()
        .map(rows -> {
          List<KeySet.Key> keys = new ArrayList<>();
          for (Row r : rows) {
            keys.add(map(r));
          }
          return new KeySet(keys);
        });
  }

  /**
   * Stores {@code fresh} unless another node has meanwhile stored what was needed: the check runs
   * again under a cluster-wide lock, inside the transaction that inserts.
   */
  Future<Boolean> insertIfStillNeeded(KeySet.Key fresh, java.util.function.Predicate<KeySet> stillNeeded) {
    return pool.withTransaction(tx -> tx.preparedQuery("SELECT pg_advisory_xact_lock($1)").execute(Tuple.of(ROTATION_LOCK))
        .compose(r -> loadIn(tx))
        .compose(current -> {
          if (!stillNeeded.test(current)) {
            return Future.succeededFuture(false);
          }
          byte[] privateJson = fresh.jwk().toJSONString().getBytes(StandardCharsets.UTF_8);
          return tx.preparedQuery("INSERT INTO oidc_signing_key (kid, alg, public_jwk, private_jwk, sealed, created_at, activates_at) "
                  + "VALUES ($1, $2, $3, $4, $5, $6, $7)")
              .execute(Tuple.of(fresh.kid(), fresh.alg().getName(), new JsonObject(fresh.jwk().toPublicJWK().toJSONObject()),
                  Buffer.buffer(sealer.seal(fresh.kid(), privateJson)), sealer.sealing(),
                  fresh.createdAt().atOffset(ZoneOffset.UTC), fresh.activatesAt().atOffset(ZoneOffset.UTC)))
              .map(true);
        }));
  }

  Future<Integer> delete(List<String> kids) {
    if (kids.isEmpty()) {
      return Future.succeededFuture(0);
    }
    return pool.preparedQuery("DELETE FROM oidc_signing_key WHERE kid = ANY($1)").execute(Tuple.of(kids.toArray(String[]::new)))
        .map(r -> r.rowCount());
  }

  private Future<KeySet> loadIn(SqlClient tx) {
    return tx.query("SELECT kid, alg, private_jwk, sealed, created_at, activates_at FROM oidc_signing_key").execute()
        .map(rows -> {
          List<KeySet.Key> keys = new ArrayList<>();
          rows.forEach(r -> keys.add(map(r)));
          return new KeySet(keys);
        });
  }

  private KeySet.Key map(Row r) {
    String kid = r.getString("kid");
    byte[] json = sealer.open(kid, r.getBuffer("private_jwk").getBytes(), r.getBoolean("sealed"));
    try {
      return new KeySet.Key(kid, JWSAlgorithm.parse(r.getString("alg")), JWK.parse(new String(json, StandardCharsets.UTF_8)),
          r.getOffsetDateTime("created_at").toInstant(), r.getOffsetDateTime("activates_at").toInstant());
    } catch (ParseException e) {
      throw new IllegalStateException("signing key " + kid + " is not a JWK", e);
    }
  }
}
