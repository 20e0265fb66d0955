package jp.tsunagu.platform.web;

import static jp.tsunagu.platform.web.Forms.field;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import jp.tsunagu.platform.circular.CircularArchive;
import jp.tsunagu.platform.circular.CircularService;
import jp.tsunagu.platform.http.Auth;
import jp.tsunagu.platform.http.ProblemException;

/**
 * Circulars for members (/circulars): large, plain pages for people who read on a phone or have
 * trouble reading small print — the inbox, one circular with its question, and joining an
 * association with an invitation code and the consent form (required and optional items).
 */
final class CircularPages {
  private final CircularService circulars;
  private final CircularArchive archive;
  private final Auth auth;
  private final View view;

  CircularPages(CircularService circulars, CircularArchive archive, Auth auth, View view) {
    this.circulars = circulars;
    this.archive = archive;
    this.auth = auth;
    this.view = view;
  }

  void inbox(RoutingContext ctx) {
    auth.citizen(ctx).compose(a -> circulars.inbox(a.id()).compose(items -> archive.shelves(a.id())
            .map(shelves -> Map.<String, Object>of(
                "circulars", items.stream().map(o -> ((JsonObject) o).getMap()).toList(),
                "shelves", shelves.stream().map(o -> ((JsonObject) o).getMap()).toList()))))
        .onSuccess(model -> view.render(ctx, "circulars/inbox", model))
        .onFailure(ctx::fail);
  }

  void show(RoutingContext ctx) {
    UUID id = uuid(ctx.pathParam("id"));
    auth.citizen(ctx).compose(a -> circulars.open(a.id(), id))
        .onSuccess(c -> render(ctx, c, null))
        .onFailure(ctx::fail);
  }

  void answer(RoutingContext ctx) {
    UUID id = uuid(ctx.pathParam("id"));
    String choice = field(ctx, "choice");
    auth.citizen(ctx).onFailure(ctx::fail).onSuccess(a -> circulars.answer(a.id(), id, choice)
        .onSuccess(v -> {
          View.flash(ctx, "flash.circular-answered");
          View.redirect(ctx, "/circulars/" + id);
        })
        .onFailure(err -> Forms.refused(ctx, err, p -> circulars.open(a.id(), id)
            .onSuccess(c -> render(ctx, c, p)).onFailure(ctx::fail))));
  }

  /** The join form: first the code, then the association's notice with its items to choose. */
  void joinForm(RoutingContext ctx) {
    auth.citizen(ctx).onSuccess(a -> view.render(ctx, "circulars/join", Map.of())).onFailure(ctx::fail);
  }

  void join(RoutingContext ctx) {
    String code = field(ctx, "code");
    Set<String> items = new HashSet<>(ctx.request().formAttributes().getAll("item"));
    auth.citizen(ctx).onFailure(ctx::fail).onSuccess(a -> {
      if (!"yes".equals(field(ctx, "consent"))) {
        Future.<Void>failedFuture(ProblemException.badRequest("consent-required", "Tick the consent box to join"))
            .onFailure(err -> Forms.refused(ctx, err, p -> view.render(ctx, 400, "circulars/join", withProblem(p, code))));
        return;
      }
      circulars.join(a.id(), code, items)
          .onSuccess(association -> {
            View.flash(ctx, "flash.association-joined");
            View.redirect(ctx, "/circulars");
          })
          .onFailure(err -> Forms.refused(ctx, problem(err), p -> view.render(ctx, p.status(), "circulars/join", withProblem(p, code))));
    });
  }

  private static Throwable problem(Throwable err) {
    if (err instanceof jp.tsunagu.consent.ConsentException e) {
      return new ProblemException(e.error().status(), e.error().type(), "Consent", e.getMessage());
    }
    return err;
  }

  private static Map<String, Object> withProblem(ProblemException p, String code) {
    Map<String, Object> model = new HashMap<>();
    model.put("problem", p);
    model.put("code", code);
    return model;
  }

  private void render(RoutingContext ctx, JsonObject circular, ProblemException problem) {
    Map<String, Object> model = new HashMap<>();
    model.put("c", circular.getMap());
    model.put("choices", circular.getJsonArray("choices") == null ? java.util.List.of() : circular.getJsonArray("choices").getList());
    if (problem != null) {
      model.put("problem", problem);
    }
    view.render(ctx, problem == null ? 200 : problem.status(), "circulars/show", model);
  }

  private static UUID uuid(String text) {
    try {
      return UUID.fromString(text);
    } catch (IllegalArgumentException e) {
      throw ProblemException.notFound("Circular " + text);
    }
  }
}
