package jp.tsunagu.platform.http;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.Parameter;
import io.vertx.openapi.validation.RequestParameter;
import io.vertx.openapi.validation.ValidatableRequest;
import io.vertx.openapi.validation.impl.RequestParameterImpl;
import io.vertx.openapi.validation.impl.RequestValidatorImpl;
import io.vertx.openapi.validation.impl.ValidatableRequestImpl;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * CPU per validated request with the library's validator as it is (a new JSON Schema validator for
 * every parameter and body) and with {@link ValidatorCache}: the public search's query parameters,
 * and a CMS's page upsert body. One thread, the two alternating, medians of rounds. Prints only.
 */
public final class ValidationCost {
  private ValidationCost() {}

  public static void main(String[] args) throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      OpenAPIContract contract = Contract.load(vertx).await();
      RequestValidatorImpl plain = new RequestValidatorImpl(vertx, contract);
      RequestValidatorImpl cached = new RequestValidatorImpl(vertx, new ValidatorCache(contract));
      Operation search = contract.operation("searchPages");
      ValidatableRequest searchRequest = new ValidatableRequestImpl(Map.of(), Map.of(), Map.of(),
          Map.of("q", new RequestParameterImpl("保育園 申し込み"), 
              "category", new RequestParameterImpl("category=kosodate")));
      Operation upsert = contract.operation("upsertPage");
      JsonObject page = new JsonObject().put("url", "https://www.city.shimada.example/kosodate/hoikuen.html")
          .put("title", "保育園の入園申し込み").put("summary", "令和9年度の入園申し込みについて")
          .put("bodyHtml", "<p>" + "保育園の入園申し込みは子育て支援課で受け付けています。".repeat(40) + "</p>")
          .put("category", "kosodate").put("tags", new JsonArray(List.of("保育園", "入園"))).put("language", "ja");
      ValidatableRequest upsertRequest = new ValidatableRequestImpl(Map.of(), Map.of(), Map.of("tenantCode",
          new RequestParameterImpl("221091")), Map.of(), new RequestParameterImpl(Buffer.buffer(page.encode())), "application/json");
      for (String[] which : new String[][] {{"search (q and a category)", "s"}, {"page upsert (JSON body)", "u"}}) {
        Operation op = which[1].equals("s") ? search : upsert;
        ValidatableRequest request = which[1].equals("s") ? searchRequest : upsertRequest;
        List<Double> before = new ArrayList<>();
        List<Double> after = new ArrayList<>();
        for (int round = 0; round < 12; round++) {
          double p = micros(plain, op, request);
          double c = micros(cached, op, request);
          if (round >= 2) { // two warm-up rounds
            before.add(p);
            after.add(c);
          }
        }
        Collections.sort(before);
        Collections.sort(after);
        double b = before.get(before.size() / 2);
        double a = after.get(after.size() / 2);
        System.out.printf(Locale.ROOT, "%s: %.1f µs per request with a new validator each time, %.1f µs with one per schema (%.1f×)%n",
            which[0], b, a, b / a);
      }
    } finally {
      vertx.close().await();
    }
  }

  private static double micros(RequestValidatorImpl validator, Operation op, ValidatableRequest request) {
    int n = 2_000;
    long t0 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      for (Parameter parameter : op.getParameters()) {
        Map<String, RequestParameter> source = switch (parameter.getIn()) {
          case PATH -> request.getPathParameters();
          case QUERY -> request.getQuery();
          case HEADER -> request.getHeaders();
          case COOKIE -> request.getCookies();
        };
        validator.validateParameter(parameter, source.get(parameter.getName()));
      }
      if (op.getRequestBody() != null) {
        validator.validateBody(op.getRequestBody(), request);
      }
    }
    return (System.nanoTime() - t0) / 1e3 / n;
  }
}
