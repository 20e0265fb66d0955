package jp.tsunagu.platform.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.JsonSchema;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.validation.ValidatableRequest;
import io.vertx.openapi.validation.ValidatorException;
import io.vertx.openapi.validation.impl.RequestParameterImpl;
import io.vertx.openapi.validation.impl.RequestValidatorImpl;
import io.vertx.openapi.validation.impl.ValidatableRequestImpl;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The contract's validators, one per schema: the same verdicts as the library's own, and really kept. */
class ValidatorCacheTest {
  static Vertx vertx;
  static OpenAPIContract contract;

  @BeforeAll
  static void load() {
    vertx = Vertx.vertx();
    contract = Contract.load(vertx).await();
  }

  @AfterAll
  static void close() {
    vertx.close().await();
  }

  static ValidatableRequest page(JsonObject body) {
    return new ValidatableRequestImpl(Map.of(), Map.of(), Map.of("tenantCode", new RequestParameterImpl("221091")), Map.of(),
        new RequestParameterImpl(Buffer.buffer(body.encode())), "application/json");
  }

  @Test
  void validatesAsTheLibraryDoes() {
    RequestValidatorImpl plain = new RequestValidatorImpl(vertx, contract);
    RequestValidatorImpl cached = new RequestValidatorImpl(vertx, new ValidatorCache(contract));
    Operation upsert = contract.operation("upsertPage");
    JsonObject good = new JsonObject().put("url", "https://www.city.shimada.example/a.html").put("title", "保育園").put("bodyHtml", "<p>x</p>");
    for (int i = 0; i < 2; i++) { // the second time through, from the cache
      assertEquals(plain.validateBody(upsert.getRequestBody(), page(good)).getJsonObject(),
          cached.validateBody(upsert.getRequestBody(), page(good)).getJsonObject());
      JsonObject bad = good.copy().put("html", "<p>x</p>").put("title", "");
      String expected = assertThrows(ValidatorException.class, () -> plain.validateBody(upsert.getRequestBody(), page(bad))).getMessage();
      assertEquals(expected, assertThrows(ValidatorException.class, () -> cached.validateBody(upsert.getRequestBody(), page(bad))).getMessage());
    }
  }

  @Test
  void keepsOneValidatorPerSchema() {
    ValidatorCache cache = new ValidatorCache(contract);
    JsonSchema q = contract.operation("searchPages").getParameters().get(0).getSchema();
    assertSame(cache.getSchemaRepository().validator(q), cache.getSchemaRepository().validator(q));
    assertNotSame(contract.getSchemaRepository().validator(q), contract.getSchemaRepository().validator(q),
        "the library's repository makes a new one each time, which is what the cache saves");
    assertSame(contract.operation("searchPages"), cache.operation("searchPages"));
  }
}
