package jp.tsunagu.platform.http;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.OpenAPIRoute;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Parameter;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Validation for operations that accept JSON or CSV. JSON requests go through the OpenAPI
 * validator as usual; CSV requests get their path parameters checked against the contract's
 * patterns here, and their rows checked by the CSV importer.
 */
final class CsvOrJson {
  private final OpenAPIContract contract;
  private final ContractValidation validation;

  CsvOrJson(OpenAPIContract contract, ContractValidation validation) {
    this.contract = contract;
    this.validation = validation;
  }

  void apply(RouterBuilder builder, String operationId, Handler<RoutingContext> handler) {
    OpenAPIRoute route = builder.getRoute(operationId).setDoValidation(false);
    route.addHandler(ctx -> {
      String type = ctx.request().getHeader("Content-Type");
      if (type != null && type.toLowerCase(Locale.ROOT).startsWith("text/csv")) {
        for (Parameter p : contract.operation(operationId).getParameters()) {
          String value = ctx.pathParam(p.getName());
          String pattern = p.getSchema().get("pattern");
          if (value == null || pattern != null && !Pattern.compile(pattern).matcher(value).find()) {
            ctx.fail(ProblemException.badRequest("invalid-request", "Path parameter " + p.getName() + " is invalid"));
            return;
          }
        }
        handler.handle(ctx);
        return;
      }
      validation.validate(ctx, contract.operation(operationId))
          .onSuccess(validated -> {
            ctx.put(RouterBuilder.KEY_META_DATA_VALIDATED_REQUEST, validated);
            handler.handle(ctx);
          })
          .onFailure(err -> ctx.fail(400, err));
    }).addFailureHandler(Problems::handle);
  }
}
