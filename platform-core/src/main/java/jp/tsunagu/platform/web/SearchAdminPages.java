package jp.tsunagu.platform.web;

import static jp.tsunagu.platform.http.Api.attempt;
import static jp.tsunagu.platform.web.Forms.field;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import jp.tsunagu.platform.crawl.CrawlService;
import jp.tsunagu.platform.http.ProblemException;
import jp.tsunagu.platform.sitesearch.ContentModule;
import jp.tsunagu.platform.staff.Role;
import jp.tsunagu.platform.web.StaffAccess.Scope;

/** The console's search section: this node's index, rebuild progress of every node, crawl sources and their reports. */
final class SearchAdminPages {
  private final ContentModule module;
  private final StaffAccess access;
  private final View view;

  SearchAdminPages(ContentModule module, StaffAccess access, View view) {
    this.module = module;
    this.access = access;
    this.view = view;
  }

  void show(RoutingContext ctx) {
    access.scope(ctx, Role.EDITOR, Role.TENANT_ADMIN).onFailure(ctx::fail).onSuccess(scope -> render(ctx, scope, null, null, Map.of()));
  }

  void rebuild(RoutingContext ctx) {
    access.scope(ctx, Role.EDITOR, Role.TENANT_ADMIN).onFailure(ctx::fail).onSuccess(scope -> {
      if (!scope.staff().operator()) {
        ctx.fail(ProblemException.forbidden("Only platform operators rebuild the search index"));
        return;
      }
      module.rebuilds().request(scope.staff().id());
      View.flash(ctx, "flash.rebuild-requested");
      View.redirect(ctx, base(scope));
    });
  }

  void addSource(RoutingContext ctx) {
    Map<String, Object> typed = Map.of("kind", field(ctx, "kind"), "url", field(ctx, "url"), "category", field(ctx, "category"),
        "intervalMinutes", field(ctx, "intervalMinutes"));
    access.scope(ctx, Role.EDITOR, Role.TENANT_ADMIN).onFailure(ctx::fail).onSuccess(scope -> attempt(
            () -> module.crawl().create(scope.tenant().code(), field(ctx, "kind"), field(ctx, "url"), interval(field(ctx, "intervalMinutes")),
                field(ctx, "category")))
        .onSuccess(s -> {
          View.flash(ctx, "flash.source-added");
          View.redirect(ctx, base(scope));
        })
        .onFailure(err -> Forms.refused(ctx, err, p -> render(ctx, scope, p, "source", typed))));
  }

  void saveSettings(RoutingContext ctx) {
    Map<String, Object> typed = Map.of("synonyms", field(ctx, "synonyms"), "userDictionary", field(ctx, "userDictionary"));
    access.scope(ctx, Role.EDITOR, Role.TENANT_ADMIN).onFailure(ctx::fail).onSuccess(scope -> module.settings()
        .get(scope.tenant().code())
        .compose(current -> module.settings().save(jp.tsunagu.platform.content.Author.staff(scope.staff()),
            new jp.tsunagu.platform.sitesearch.SearchSettings(scope.tenant().code(), field(ctx, "userDictionary"),
                field(ctx, "synonyms"), current.bestBets())))
        .onSuccess(saved -> {
          View.flash(ctx, saved.getBoolean("rebuildRequested") ? "flash.settings-saved-rebuild" : "flash.settings-saved");
          View.redirect(ctx, base(scope));
        })
        .onFailure(err -> Forms.refused(ctx, err, p -> render(ctx, scope, p, "settings", typed))));
  }

  void runSource(RoutingContext ctx) {
    access.scope(ctx, Role.EDITOR, Role.TENANT_ADMIN).onFailure(ctx::fail).onSuccess(scope -> attempt(
            () -> module.crawl().runNow(scope.tenant().code(), sourceId(ctx)))
        .onFailure(ctx::fail)
        .onSuccess(v -> {
          View.flash(ctx, "flash.source-due");
          View.redirect(ctx, base(scope) + "/crawl/" + sourceId(ctx));
        }));
  }

  void runs(RoutingContext ctx) {
    access.scope(ctx, Role.EDITOR, Role.TENANT_ADMIN).onFailure(ctx::fail).onSuccess(scope -> attempt(() -> {
          UUID id = sourceId(ctx);
          CrawlService crawl = module.crawl();
          return Future.all(crawl.list(scope.tenant().code()), crawl.runs(scope.tenant().code(), id, 20)).map(all -> {
            Map<String, Object> model = scope.model();
            List<JsonObject> sources = all.resultAt(0);
            model.put("source", sources.stream().filter(s -> s.getString("id").equals(id.toString())).findFirst()
                .map(SearchAdminPages::plain).orElse(Map.of()));
            List<JsonObject> runs = all.resultAt(1);
            model.put("runs", runs.stream().map(SearchAdminPages::plain).toList());
            return model;
          });
        })
        .onFailure(ctx::fail)
        .onSuccess(model -> view.render(ctx, "staff/crawl-runs", model)));
  }

  private void render(RoutingContext ctx, Scope scope, ProblemException problem, String section, Map<String, Object> typed) {
    Future.all(List.of(module.rebuilds().recent(10), module.crawl().list(scope.tenant().code()),
            module.content().repository().latestChange(), module.content().taxonomy(scope.tenant().code()),
            module.indexes().query(() -> new long[] {module.indexes().pages().generation(), module.indexes().pages().count()}),
            module.settings().get(scope.tenant().code())))
        .onFailure(ctx::fail)
        .onSuccess(all -> {
          Map<String, Object> model = scope.model();
          List<JsonObject> rebuilds = all.resultAt(0);
          List<JsonObject> sources = all.resultAt(1);
          long[] live = all.resultAt(4);
          model.put("rebuilds", rebuilds.stream().map(JsonObject::getMap).toList());
          model.put("sources", sources.stream().map(SearchAdminPages::plain).toList());
          model.put("nodeId", module.nodeId());
          model.put("generation", live[0]);
          model.put("pageCount", live[1]);
          model.put("applied", Math.max(0, module.indexer().pagesApplied()));
          model.put("latest", all.resultAt(2));
          model.put("rebuilding", module.rebuilds().running());
          model.put("isOperator", scope.staff().operator());
          List<jp.tsunagu.platform.content.ContentRepository.Term> terms = all.resultAt(3);
          model.put("categories", terms.stream().filter(t -> t.kind().equals("category"))
              .map(t -> Map.of("code", t.code(), "nameJa", t.nameJa(), "nameEn", t.nameEn())).toList());
          model.put("typed", typed);
          jp.tsunagu.platform.sitesearch.SearchSettings settings = all.resultAt(5);
          model.put("synonyms", "settings".equals(section) ? typed.get("synonyms") : settings.synonyms());
          model.put("userDictionary", "settings".equals(section) ? typed.get("userDictionary") : settings.userDictionary());
          model.put("bestBetCount", settings.bestBets().size());
          if (problem != null) {
            model.put("problem", problem);
            model.put("errorSection", section);
          }
          view.render(ctx, problem == null ? 200 : problem.status(), "staff/search", model);
        });
  }

  /** JSON as plain maps and lists, which templates read. */
  static Map<String, Object> plain(JsonObject json) {
    Map<String, Object> out = new java.util.HashMap<>();
    json.forEach(e -> out.put(e.getKey(), plainValue(e.getValue())));
    return out;
  }

  private static Object plainValue(Object v) {
    if (v instanceof JsonObject o) {
      return plain(o);
    }
    if (v instanceof io.vertx.core.json.JsonArray a) {
      return a.stream().map(SearchAdminPages::plainValue).toList();
    }
    return v;
  }

  private static int interval(String text) {
    try {
      return text.isBlank() ? 60 : Integer.parseInt(text.strip());
    } catch (NumberFormatException e) {
      throw ProblemException.badRequest("invalid-source", "intervalMinutes must be a whole number");
    }
  }

  private static UUID sourceId(RoutingContext ctx) {
    try {
      return UUID.fromString(ctx.pathParam("source"));
    } catch (IllegalArgumentException e) {
      throw ProblemException.notFound("Crawl source " + ctx.pathParam("source"));
    }
  }

  private static String base(Scope scope) {
    return "/staff/t/" + scope.tenant().code() + "/search";
  }
}
