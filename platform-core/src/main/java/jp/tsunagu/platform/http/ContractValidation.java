package jp.tsunagu.platform.http;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import io.vertx.ext.web.handler.InputTrustHandler;
import io.vertx.ext.web.openapi.router.RequestExtractor;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.Parameter;
import io.vertx.openapi.validation.RequestParameter;
import io.vertx.openapi.validation.ValidatableRequest;
import io.vertx.openapi.validation.ValidatedRequest;
import io.vertx.openapi.validation.impl.RequestValidatorImpl;
import io.vertx.openapi.validation.impl.ValidatedRequestImpl;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Validates requests against the OpenAPI contract, as the OpenAPI router would, but without its
 * round trip through the worker pool: the router's validator hands every request, even a GET
 * without parameters, to a worker thread and back, which costs more than the validation itself.
 * Requests whose body is small are validated on the event loop; a large body (up to the
 * {@code http.maxBodyBytes} limit) still goes to a worker so that a big JSON document cannot hold
 * the loop. The outcome, a {@link ValidatedRequest} under the router's key or a 400 failure, is
 * the same as the router's.
 */
final class ContractValidation {
  /** Bodies up to this size are validated on the event loop. */
  static final int INLINE_BODY_BYTES = 64 * 1024;

  private final Vertx vertx;
  private final OpenAPIContract contract;
  private final RequestValidatorImpl validator;
  private final RequestExtractor extractor = RequestExtractor.withBodyHandler();

  ContractValidation(Vertx vertx, OpenAPIContract contract) {
    this.vertx = vertx;
    this.contract = contract;
    this.validator = new RequestValidatorImpl(vertx, new ValidatorCache(contract));
  }

  /** The handler that validates one operation's requests; it goes before the operation's handler. */
  InputTrustHandler handler(String operationId) {
    Operation operation = contract.operation(operationId);
    return ctx -> validate(ctx, operation)
        .onSuccess(validated -> {
          ctx.put(RouterBuilder.KEY_META_DATA_VALIDATED_REQUEST, validated);
          ctx.next();
        })
        .onFailure(err -> ctx.fail(new HttpException(400, err.getMessage(), err)));
  }

  Future<ValidatedRequest> validate(RoutingContext ctx, Operation operation) {
    return extract(ctx, operation).compose(request -> {
      if (ctx.body() == null || ctx.body().length() <= INLINE_BODY_BYTES) {
        try {
          return Future.succeededFuture(validateNow(request, operation));
        } catch (RuntimeException e) {
          return Future.failedFuture(e);
        }
      }
      return vertx.executeBlocking(() -> validateNow(request, operation), false);
    });
  }

  /**
   * The library decodes query values that Vert.x has decoded already, so a search for "100%"
   * fails and "C++" turns into "C  " (eclipse-vertx/vertx-openapi#117). For the extraction only,
   * the request's decoded values are escaped once more, so the second decoding gives them back as
   * they were sent; afterwards the request's parameters are restored.
   */
  private Future<ValidatableRequest> extract(RoutingContext ctx, Operation operation) {
    MultiMap params = ctx.request().params();
    Map<String, List<String>> original = new HashMap<>();
    for (String name : params.names()) {
      List<String> values = params.getAll(name);
      if (values.stream().anyMatch(v -> v.indexOf('%') >= 0 || v.indexOf('+') >= 0)) {
        original.put(name, values);
        params.set(name, values.stream().map(v -> v.replace("%", "%25").replace("+", "%2B")).toList());
      }
    }
    if (original.isEmpty()) {
      return extractor.extractValidatableRequest(ctx, operation);
    }
    return extractor.extractValidatableRequest(ctx, operation).andThen(done -> original.forEach(params::set));
  }

  private ValidatedRequest validateNow(ValidatableRequest request, Operation operation) {
    Map<String, RequestParameter> cookies = new HashMap<>();
    Map<String, RequestParameter> headers = new HashMap<>();
    Map<String, RequestParameter> path = new HashMap<>();
    Map<String, RequestParameter> query = new HashMap<>();
    for (Parameter parameter : operation.getParameters()) {
      String name = parameter.getName();
      switch (parameter.getIn()) {
        case COOKIE -> cookies.put(name, validator.validateParameter(parameter, request.getCookies().get(name)));
        case HEADER -> headers.put(name, validator.validateParameter(parameter, request.getHeaders().get(name)));
        case PATH -> path.put(name, validator.validateParameter(parameter, request.getPathParameters().get(name)));
        case QUERY -> query.put(name, validator.validateParameter(parameter, request.getQuery().get(name)));
      }
    }
    RequestParameter body = validator.validateBody(operation.getRequestBody(), request);
    return new ValidatedRequestImpl(cookies, headers, path, query, body);
  }
}
