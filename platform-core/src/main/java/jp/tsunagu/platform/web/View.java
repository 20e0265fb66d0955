package jp.tsunagu.platform.web;

import io.pebbletemplates.pebble.PebbleEngine;
import io.pebbletemplates.pebble.loader.ClasspathLoader;
import io.pebbletemplates.pebble.template.PebbleTemplate;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.ext.web.RoutingContext;
import java.io.StringWriter;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import jp.tsunagu.platform.http.Auth;
import jp.tsunagu.platform.http.ProblemException;

/**
 * Renders Pebble templates ({@code templates/*.peb}, HTML auto-escaped) on a named worker pool:
 * templates are loaded from the class path on first use, which is I/O the event loop must not do.
 */
final class View {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(View.class);
  static final String FLASH = "flash";
  private static final String POOL = "tsunagu-pages";

  private static final class Engine {
    static final PebbleEngine PEBBLE = build();

    private static PebbleEngine build() {
      ClasspathLoader loader = new ClasspathLoader(View.class.getClassLoader());
      loader.setPrefix("templates");
      loader.setSuffix(".peb");
      return new PebbleEngine.Builder().loader(loader).extension(new Messages()).strictVariables(false).build();
    }
  }

  private final WorkerExecutor workers;
  private final Csrf csrf;
  private final boolean devOutbox;

  View(Vertx vertx, Csrf csrf, boolean devOutbox) {
    this.workers = vertx.createSharedWorkerExecutor(POOL, 4);
    this.csrf = csrf;
    this.devOutbox = devOutbox;
  }

  void render(RoutingContext ctx, String template, Map<String, Object> model) {
    render(ctx, 200, template, model);
  }

  void render(RoutingContext ctx, int status, String template, Map<String, Object> model) {
    render(ctx, status, template, model, ctx::fail);
  }

  /**
   * Renders the error page of a failure handler. If that fails too, a plain 500 answers: handing
   * the failure back to the router would run the same failure handler again, and again.
   */
  void renderError(RoutingContext ctx, int status, String template, Map<String, Object> model) {
    render(ctx, status, template, model, err -> {
      LOG.error("the error page could not be rendered", err);
      if (ctx.response().headWritten()) {
        ctx.response().reset();
      } else {
        ctx.response().setStatusCode(500).putHeader("Content-Type", "text/plain; charset=utf-8").end("500 Internal Server Error\n");
      }
    });
  }

  private void render(RoutingContext ctx, int status, String template, Map<String, Object> model,
                      io.vertx.core.Handler<Throwable> failed) {
    String lang = Lang.of(ctx);
    Map<String, Object> all = new HashMap<>(model);
    all.put("lang", lang);
    all.put("otherLang", "ja".equals(lang) ? "en" : "ja");
    all.putIfAbsent("path", ctx.request().uri()); // where the language switch returns; a page may name its own
    all.put("devOutbox", devOutbox);
    io.vertx.ext.web.Session session = jp.tsunagu.platform.http.SessionFlush.existing(ctx);
    all.put("citizenSignedIn", session != null && session.get(Auth.ACCOUNT) != null);
    all.put("staffSignedIn", session != null && session.get(Auth.STAFF) != null);
    if (session != null) {
      Object flash = session.remove(FLASH);
      if (flash != null) {
        all.put("flash", flash);
      }
    }
    csrf.token(ctx)
        .compose(token -> {
          all.put("csrf", token);
          return workers.executeBlocking(() -> evaluate(template, all, lang), false);
        })
        .compose(html -> jp.tsunagu.platform.http.SessionFlush.flush(ctx).map(html))
        .onSuccess(html -> ctx.response().setStatusCode(status).putHeader("Content-Type", "text/html; charset=utf-8").end(html))
        .onFailure(failed);
  }

  /** Stores a one-line notice shown on the next page (after a redirect). */
  static void flash(RoutingContext ctx, String key) {
    ctx.session().put(FLASH, key);
  }

  /** Redirects after the session is stored, so the next page sees what this request changed. */
  static void redirect(RoutingContext ctx, String location) {
    jp.tsunagu.platform.http.SessionFlush.flush(ctx)
        .onSuccess(v -> ctx.response().setStatusCode(303).putHeader("Location", location).end())
        .onFailure(ctx::fail);
  }

  private static String evaluate(String template, Map<String, Object> model, String lang) throws java.io.IOException {
    Object problem = model.get("problem");
    if (problem instanceof ProblemException p) {
      model.put("error", Messages.problem(lang, p));
      if (p.extensions() != null && p.extensions().getJsonArray("errors") != null) {
        model.put("rowErrors", p.extensions().getJsonArray("errors").stream()
            .map(e -> ((io.vertx.core.json.JsonObject) e).getMap()).toList());
      }
    }
    PebbleTemplate compiled = Engine.PEBBLE.getTemplate(template);
    StringWriter out = new StringWriter();
    compiled.evaluate(out, model, Locale.forLanguageTag(lang));
    return out.toString();
  }
}
