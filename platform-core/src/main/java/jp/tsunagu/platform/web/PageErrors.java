package jp.tsunagu.platform.web;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import jp.tsunagu.platform.http.ProblemException;
import jp.tsunagu.platform.http.Problems;

/** The failure handler of the pages: sign-in redirects for missing sessions, an error page otherwise. */
final class PageErrors {
  private final View view;
  private final String template;

  PageErrors(View view) {
    this(view, "error");
  }

  PageErrors(View view, String template) {
    this.view = view;
    this.template = template;
  }

  void handle(RoutingContext ctx) {
    if (ctx.response().headWritten()) {
      ctx.response().reset();
      return;
    }
    ProblemException p = Problems.toProblem(ctx);
    String path = ctx.request().path();
    if (p.status() == 401 && "unauthenticated".equals(p.type())) {
      if (path.startsWith("/staff")) {
        View.redirect(ctx, "/staff/sign-in");
      } else {
        String next = ctx.request().method() == HttpMethod.GET ? ctx.request().uri() : "/account";
        View.redirect(ctx, "/sign-in?next=" + URLEncoder.encode(next, StandardCharsets.UTF_8));
      }
      return;
    }
    Problems.retryAfter(ctx.response(), p);
    view.renderError(ctx, p.status(), template, Map.of("problem", p, "status", p.status(),
        "staffArea", path.startsWith("/staff"), "errorSection", "page"));
  }
}
