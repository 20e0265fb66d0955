package jp.tsunagu.consent.accesslog;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import java.util.List;
import java.util.Optional;

/** The access chains; every method runs on the client it is given. */
public interface AccessLogRepository {
  /** The citizen's chain head, created at genesis if absent, locked until the transaction ends. */
  Future<ChainHead> lockHead(SqlClient client, String citizenId);

  Future<Optional<ChainHead>> head(SqlClient client, String citizenId);

  Future<Void> insert(SqlClient client, AccessLogEntry entry);

  Future<Void> moveHead(SqlClient client, ChainHead head);

  /** The citizen's entries in seq order, from {@code fromSeq}, at most {@code limit}. */
  Future<List<AccessLogEntry>> entries(SqlClient client, String citizenId, long fromSeq, int limit);

  /** Citizens with a chain, after {@code afterCitizenId} in order, at most {@code limit}. */
  Future<List<String>> citizens(SqlClient client, String afterCitizenId, int limit);
}
