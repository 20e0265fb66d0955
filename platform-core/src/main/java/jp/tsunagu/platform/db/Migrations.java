package jp.tsunagu.platform.db;

import java.util.List;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies every module's schema migrations (Flyway). Each module owns a PostgreSQL schema, a
 * migration folder on the class path and its own history table, so modules evolve independently.
 */
public final class Migrations {
  private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);

  /** A module's migrations: the schema it owns and the class-path folder of its SQL files. */
  public record ModuleSchema(String schema, String location) {}

  public static final List<ModuleSchema> MODULES = List.of(
      new ModuleSchema("core", "classpath:db/migration/core"),
      new ModuleSchema("consent", "classpath:db/migration/consent"));

  private Migrations() {}

  /** Migrates all modules; returns the number of migrations applied now. Blocking (JDBC). */
  public static int apply(Database db) {
    int applied = 0;
    for (ModuleSchema module : MODULES) {
      if (Migrations.class.getClassLoader().getResource(module.location().substring("classpath:".length())) == null) {
        continue;
      }
      MigrateResult result = Flyway.configure()
          .dataSource(db.jdbcUrl(), db.user(), db.password())
          .schemas(module.schema())
          .createSchemas(true)
          .table("flyway_schema_history")
          .locations(module.location())
          .failOnMissingLocations(true)
          .outOfOrder(true)
          .load()
          .migrate();
      applied += result.migrationsExecuted;
      LOG.info("schema {} at version {} ({} migrations applied now)", module.schema(),
          result.targetSchemaVersion == null ? "current" : result.targetSchemaVersion, result.migrationsExecuted);
    }
    return applied;
  }
}
