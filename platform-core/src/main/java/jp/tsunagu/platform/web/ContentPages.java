package jp.tsunagu.platform.web;

import static jp.tsunagu.platform.http.Api.attempt;
import static jp.tsunagu.platform.web.Forms.field;

import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import jp.tsunagu.platform.content.Author;
import jp.tsunagu.platform.content.ContentPage;
import jp.tsunagu.platform.content.ContentService;
import jp.tsunagu.platform.content.PageDraft;
import jp.tsunagu.platform.http.ProblemException;
import jp.tsunagu.platform.staff.Role;
import jp.tsunagu.platform.tenant.TenantService;
import jp.tsunagu.platform.web.StaffAccess.Scope;

/** The console's pages section: list, publish, edit and withdraw a municipality's pages (editors, tenant admins). */
final class ContentPages {
  static final List<String> LIFE_STAGES = List.of("pregnancy", "infant", "preschool", "school_age", "youth", "adult", "senior");
  private static final int PAGE = 50;

  private final ContentService content;
  private final TenantService tenants;
  private final StaffAccess access;
  private final View view;

  ContentPages(ContentService content, TenantService tenants, StaffAccess access, View view) {
    this.content = content;
    this.tenants = tenants;
    this.access = access;
    this.view = view;
  }

  void list(RoutingContext ctx) {
    access.scope(ctx, Role.EDITOR, Role.TENANT_ADMIN).onFailure(ctx::fail)
        .onSuccess(scope -> renderList(ctx, scope, null, Map.of()));
  }

  void publish(RoutingContext ctx) {
    Map<String, Object> typed = typed(ctx);
    access.scope(ctx, Role.EDITOR, Role.TENANT_ADMIN).onFailure(ctx::fail).onSuccess(scope -> attempt(
            () -> content.upsert(Author.staff(scope.staff()), scope.tenant().code(), draft(ctx), "staff"))
        .onSuccess(w -> {
          View.flash(ctx, w.outcome() == ContentService.Outcome.UNCHANGED ? "flash.page-unchanged" : "flash.page-published");
          View.redirect(ctx, base(scope) + "/" + w.page().id());
        })
        .onFailure(err -> Forms.refused(ctx, err, p -> renderList(ctx, scope, p, typed))));
  }

  void edit(RoutingContext ctx) {
    access.scope(ctx, Role.EDITOR, Role.TENANT_ADMIN).onFailure(ctx::fail).onSuccess(scope -> attempt(
            () -> content.find(scope.tenant().code(), pageId(ctx)))
        .onFailure(ctx::fail)
        .onSuccess(page -> renderEdit(ctx, scope, page, null, typed(page))));
  }

  void update(RoutingContext ctx) {
    Map<String, Object> typed = typed(ctx);
    access.scope(ctx, Role.EDITOR, Role.TENANT_ADMIN).onFailure(ctx::fail).onSuccess(scope -> attempt(() -> {
          UUID id = pageId(ctx);
          return content.update(Author.staff(scope.staff()), scope.tenant().code(), id, draft(ctx), "staff");
        })
        .onSuccess(w -> {
          View.flash(ctx, w.outcome() == ContentService.Outcome.UNCHANGED ? "flash.page-unchanged" : "flash.page-saved");
          View.redirect(ctx, base(scope) + "/" + w.page().id());
        })
        .onFailure(err -> Forms.refused(ctx, err, p -> content.find(scope.tenant().code(), pageId(ctx))
            .onFailure(ctx::fail).onSuccess(page -> renderEdit(ctx, scope, page, p, typed)))));
  }

  void withdraw(RoutingContext ctx) {
    access.scope(ctx, Role.EDITOR, Role.TENANT_ADMIN).onFailure(ctx::fail).onSuccess(scope -> attempt(
            () -> content.withdraw(Author.staff(scope.staff()), scope.tenant().code(), pageId(ctx)))
        .onFailure(ctx::fail)
        .onSuccess(w -> {
          View.flash(ctx, "flash.page-withdrawn");
          View.redirect(ctx, base(scope) + "/" + w.page().id());
        }));
  }

  private void renderList(RoutingContext ctx, Scope scope, ProblemException problem, Map<String, Object> typed) {
    boolean withdrawn = "1".equals(ctx.request().getParam("withdrawn"));
    String code = scope.tenant().code();
    Future.all(content.list(code, withdrawn, 0, PAGE), content.taxonomy(code), tenants.districts(code))
        .onFailure(ctx::fail)
        .onSuccess(all -> {
          Map<String, Object> model = form(scope, all.resultAt(1), all.resultAt(2), typed);
          List<ContentPage> pages = all.resultAt(0);
          model.put("pages", pages.stream().map(p -> p.toJson(false).getMap()).toList());
          model.put("showingWithdrawn", withdrawn);
          if (problem != null) {
            model.put("problem", problem);
            model.put("errorSection", "page");
          }
          view.render(ctx, problem == null ? 200 : problem.status(), "staff/pages", model);
        });
  }

  private void renderEdit(RoutingContext ctx, Scope scope, ContentPage page, ProblemException problem, Map<String, Object> typed) {
    String code = scope.tenant().code();
    Future.all(content.taxonomy(code), tenants.districts(code)).onFailure(ctx::fail).onSuccess(all -> {
      Map<String, Object> model = form(scope, all.resultAt(0), all.resultAt(1), typed);
      model.put("page", page.toJson(false).getMap());
      if (problem != null) {
        model.put("problem", problem);
        model.put("errorSection", "page");
      }
      view.render(ctx, problem == null ? 200 : problem.status(), "staff/page", model);
    });
  }

  private static Map<String, Object> form(Scope scope, List<jp.tsunagu.platform.content.ContentRepository.Term> terms,
                                          List<jp.tsunagu.platform.tenant.District> districts, Map<String, Object> typed) {
    Map<String, Object> model = scope.model();
    model.put("categories", terms.stream().filter(t -> t.kind().equals("category")).map(ContentPages::term).toList());
    model.put("departments", terms.stream().filter(t -> t.kind().equals("department")).map(ContentPages::term).toList());
    model.put("districts", districts.stream().map(d -> d.toJson().getMap()).toList());
    model.put("lifeStages", LIFE_STAGES);
    model.put("typed", typed);
    return model;
  }

  private static Map<String, Object> term(jp.tsunagu.platform.content.ContentRepository.Term t) {
    return Map.of("code", t.code(), "nameJa", t.nameJa(), "nameEn", t.nameEn());
  }

  private static PageDraft draft(RoutingContext ctx) {
    return new PageDraft(field(ctx, "url"), field(ctx, "title"), field(ctx, "summary"), field(ctx, "bodyHtml"),
        field(ctx, "category"), field(ctx, "department"), tags(field(ctx, "tags")),
        ctx.request().formAttributes().getAll("districts"), ctx.request().formAttributes().getAll("lifeStages"),
        field(ctx, "language").isEmpty() ? "ja" : field(ctx, "language"), null);
  }

  private static Map<String, Object> typed(RoutingContext ctx) {
    Map<String, Object> typed = new HashMap<>();
    for (String name : List.of("url", "title", "summary", "bodyHtml", "category", "department", "tags", "language")) {
      typed.put(name, field(ctx, name));
    }
    typed.put("districts", ctx.request().formAttributes().getAll("districts"));
    typed.put("lifeStages", ctx.request().formAttributes().getAll("lifeStages"));
    return typed;
  }

  private static Map<String, Object> typed(ContentPage page) {
    Map<String, Object> typed = new HashMap<>();
    typed.put("url", page.url());
    typed.put("title", page.title());
    typed.put("summary", page.summary());
    typed.put("bodyHtml", page.bodyHtml());
    typed.put("category", page.category() == null ? "" : page.category());
    typed.put("department", page.department() == null ? "" : page.department());
    typed.put("tags", String.join(", ", page.tags()));
    typed.put("language", page.language());
    typed.put("districts", page.districts());
    typed.put("lifeStages", page.lifeStages());
    return typed;
  }

  private static List<String> tags(String text) {
    return Arrays.stream(text.split("[,、，]")).map(String::strip).filter(s -> !s.isEmpty()).toList();
  }

  private static UUID pageId(RoutingContext ctx) {
    try {
      return UUID.fromString(ctx.pathParam("page"));
    } catch (IllegalArgumentException e) {
      throw ProblemException.notFound("Page " + ctx.pathParam("page"));
    }
  }

  private static String base(Scope scope) {
    return "/staff/t/" + scope.tenant().code() + "/pages";
  }
}
