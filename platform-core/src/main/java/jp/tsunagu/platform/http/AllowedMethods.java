package jp.tsunagu.platform.http;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The methods each path of the API answers, so that a request with another method gets 405 with
 * {@code Allow} (RFC 9110 §15.5.6) rather than 404, and HEAD wherever GET is answered.
 */
final class AllowedMethods {
  private final List<Map.Entry<Pattern, Set<String>>> paths = new ArrayList<>();

  AllowedMethods(OpenAPIContract contract, Map<String, HttpMethod> more) {
    Map<String, Set<String>> byPath = new LinkedHashMap<>();
    for (Operation op : contract.operations()) {
      byPath.computeIfAbsent(op.getOpenAPIPath(), p -> new TreeSet<>()).add(op.getHttpMethod().name());
    }
    more.forEach((path, method) -> byPath.computeIfAbsent(path, p -> new TreeSet<>()).add(method.name()));
    byPath.forEach((template, methods) -> {
      if (methods.contains("GET")) {
        methods.add("HEAD");
      }
      paths.add(Map.entry(pattern(template), methods));
    });
  }

  /** {@code /a/{id}/b} as a pattern in which each parameter is one path segment. */
  static Pattern pattern(String template) {
    StringBuilder out = new StringBuilder();
    for (String part : template.split("((?=\\{)|(?<=\\}))")) {
      out.append(part.startsWith("{") && part.endsWith("}") ? "[^/]+" : Pattern.quote(part));
    }
    return Pattern.compile(out.toString());
  }

  /** The methods answered at {@code path}; empty where no operation has the path. */
  Set<String> at(String path) {
    Set<String> all = new TreeSet<>();
    for (Map.Entry<Pattern, Set<String>> e : paths) {
      if (e.getKey().matcher(path).matches()) {
        all.addAll(e.getValue());
      }
    }
    return all;
  }

  /** The API's last route: 405 with Allow where the path exists with other methods, 404 otherwise. */
  void notFound(RoutingContext ctx) {
    Set<String> allowed = at(ctx.normalizedPath());
    if (allowed.isEmpty() || allowed.contains(ctx.request().method().name())) {
      ctx.fail(404);
      return;
    }
    String list = String.join(", ", allowed);
    ctx.response().putHeader("Allow", list);
    ctx.fail(new ProblemException(405, "method-not-allowed", "Method not allowed",
        ctx.request().method().name() + " is not answered at " + ctx.normalizedPath() + "; allowed: " + list));
  }
}
