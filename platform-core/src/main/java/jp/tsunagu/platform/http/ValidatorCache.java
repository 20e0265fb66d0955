package jp.tsunagu.platform.http;

import io.vertx.core.file.FileSystem;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.SchemaRepository;
import io.vertx.json.schema.Validator;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.OpenAPIVersion;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.Path;
import io.vertx.openapi.contract.SecurityRequirement;
import io.vertx.openapi.contract.SecurityScheme;
import io.vertx.openapi.contract.Server;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The contract as the request validator sees it, with one JSON Schema validator per schema of the
 * contract instead of a new one for every parameter and body checked: the library builds each
 * validator afresh, copying the schema repository's whole lookup table every time. Validators are
 * immutable, and the contract's schemas are fixed objects, so one per schema (by identity) serves
 * every request on every thread; the cache can hold no more entries than the contract has schemas.
 */
final class ValidatorCache implements OpenAPIContract {
  private final OpenAPIContract contract;
  private final SchemaRepository schemas;

  ValidatorCache(OpenAPIContract contract) {
    this.contract = contract;
    this.schemas = new Schemas(contract.getSchemaRepository());
  }

  @Override
  public SchemaRepository getSchemaRepository() {
    return schemas;
  }

  @Override
  public Operation operation(String operationId) {
    return contract.operation(operationId);
  }

  @Override
  public List<Operation> operations() {
    return contract.operations();
  }

  @Override
  public List<Path> getPaths() {
    return contract.getPaths();
  }

  @Override
  public JsonObject getRawContract() {
    return contract.getRawContract();
  }

  @Override
  public OpenAPIVersion getVersion() {
    return contract.getVersion();
  }

  @Override
  public List<Server> getServers() {
    return contract.getServers();
  }

  @Override
  public Path findPath(String path) {
    return contract.findPath(path);
  }

  @Override
  public Operation findOperation(String path, HttpMethod method) {
    return contract.findOperation(path, method);
  }

  @Override
  public List<SecurityRequirement> getSecurityRequirements() {
    return contract.getSecurityRequirements();
  }

  @Override
  public SecurityScheme securityScheme(String name) {
    return contract.securityScheme(name);
  }

  /** The contract's schema repository, remembering the validator of each schema it was asked for. */
  private static final class Schemas implements SchemaRepository {
    private final SchemaRepository repository;
    /** At most this many validators are kept; the contract has far fewer schemas, so this is only a guard. */
    private static final int LIMIT = 10_000;
    private final Map<Identity, Validator> validators = new ConcurrentHashMap<>();

    Schemas(SchemaRepository repository) {
      this.repository = repository;
    }

    /** A schema by identity: comparing schemas by content would hash the whole schema tree on every lookup. */
    private record Identity(JsonSchema schema) {
      @Override
      public boolean equals(Object o) {
        return o instanceof Identity other && other.schema == schema;
      }

      @Override
      public int hashCode() {
        return System.identityHashCode(schema);
      }
    }

    @Override
    public Validator validator(JsonSchema schema) {
      Identity key = new Identity(schema);
      Validator known = validators.get(key);
      if (known != null) {
        return known;
      }
      Validator made = repository.validator(schema);
      if (validators.size() < LIMIT) {
        validators.putIfAbsent(key, made);
      }
      return made;
    }

    @Override
    public SchemaRepository dereference(JsonSchema schema) {
      repository.dereference(schema);
      return this;
    }

    @Override
    public SchemaRepository dereference(String uri, JsonSchema schema) {
      repository.dereference(uri, schema);
      return this;
    }

    @Override
    public SchemaRepository preloadMetaSchema(FileSystem fs) {
      repository.preloadMetaSchema(fs);
      return this;
    }

    @Override
    public SchemaRepository preloadMetaSchema(FileSystem fs, Draft draft) {
      repository.preloadMetaSchema(fs, draft);
      return this;
    }

    @Override
    public Validator validator(String ref) {
      return repository.validator(ref);
    }

    @Override
    public Validator validator(String ref, JsonSchemaOptions options) {
      return repository.validator(ref, options);
    }

    @Override
    public Validator validator(JsonSchema schema, JsonSchemaOptions options, boolean dereference) {
      return repository.validator(schema, options, dereference);
    }

    @Override
    public JsonObject resolve(JsonObject schema) {
      return repository.resolve(schema);
    }

    @Override
    public JsonSchema find(String pointer) {
      return repository.find(pointer);
    }
  }
}
