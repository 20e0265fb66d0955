package jp.tsunagu.platform.web;

import static jp.tsunagu.platform.http.Api.attempt;
import static jp.tsunagu.platform.web.Forms.field;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.UUID;
import jp.tsunagu.platform.http.ProblemException;
import jp.tsunagu.platform.residence.ResidenceService;
import jp.tsunagu.platform.residence.ResidentRecord;
import jp.tsunagu.platform.staff.Role;
import jp.tsunagu.platform.tenant.TenantService;
import jp.tsunagu.platform.web.StaffAccess.Scope;

/**
 * Resident records for clerks: search, add one, import a CSV (whole or nothing), and issue a
 * residence code with its printable letter. The code exists in clear only in the letter, which is
 * kept in the clerk's session until the next one is issued, so the letter page can be reloaded and printed.
 */
final class ResidentPages {
  static final String LETTER = "residence.letter";
  private static final int PAGE = 50;

  private final ResidenceService residence;
  private final TenantService tenants;
  private final StaffAccess access;
  private final View view;

  ResidentPages(ResidenceService residence, TenantService tenants, StaffAccess access, View view) {
    this.residence = residence;
    this.tenants = tenants;
    this.access = access;
    this.view = view;
  }

  void list(RoutingContext ctx) {
    access.scope(ctx, Role.RESIDENT_CLERK).onFailure(ctx::fail).onSuccess(scope -> render(ctx, scope, null, null, Map.of()));
  }

  void add(RoutingContext ctx) {
    Map<String, Object> typed = Map.of("familyName", field(ctx, "familyName"), "givenName", field(ctx, "givenName"),
        "familyKana", field(ctx, "familyKana"), "givenKana", field(ctx, "givenKana"), "birthDate", field(ctx, "birthDate"),
        "districtCode", field(ctx, "districtCode"), "householdId", field(ctx, "householdId"));
    access.scope(ctx, Role.RESIDENT_CLERK).onFailure(ctx::fail).onSuccess(scope -> attempt(() -> residence.addRecord(scope.staff(),
            new ResidentRecord(UUID.randomUUID(), scope.tenant().code(), required(ctx, "familyName"), required(ctx, "givenName"),
                required(ctx, "familyKana"), required(ctx, "givenKana"), date(field(ctx, "birthDate")),
                required(ctx, "districtCode"), required(ctx, "householdId"))))
        .onSuccess(r -> {
          View.flash(ctx, "flash.record-added");
          View.redirect(ctx, residents(scope));
        })
        .onFailure(err -> Forms.refused(ctx, err, p -> render(ctx, scope, p, "add", typed))));
  }

  void importCsv(RoutingContext ctx) {
    access.scope(ctx, Role.RESIDENT_CLERK).onFailure(ctx::fail).onSuccess(scope -> access.uploadedText(ctx)
        .compose(csv -> attempt(() -> residence.importCsv(scope.staff(), scope.tenant().code(), csv)))
        .onSuccess(n -> {
          ctx.session().put(View.FLASH, "flash.records-imported");
          ctx.session().put("flash.count", n);
          View.redirect(ctx, residents(scope));
        })
        .onFailure(err -> Forms.refused(ctx, err, p -> render(ctx, scope, p, "import", Map.of()))));
  }

  void issueCode(RoutingContext ctx) {
    access.scope(ctx, Role.RESIDENT_CLERK).onFailure(ctx::fail).onSuccess(scope -> attempt(() -> {
          UUID record = recordId(ctx);
          return residence.record(scope.tenant().code(), record)
              .compose(r -> residence.issueCode(scope.staff(), scope.tenant(), record).map(issued -> new JsonObject()
                  .put("tenantCode", scope.tenant().code()).put("name", r.fullName()).put("code", issued.code())
                  .put("expiresOn", issued.expiresOn().toString()).put("letter", issued.letter())));
        })
        .onSuccess(letter -> {
          ctx.session().put(LETTER, letter);
          View.redirect(ctx, "/staff/t/" + scope.tenant().code() + "/letter");
        })
        .onFailure(ctx::fail));
  }

  void letter(RoutingContext ctx) {
    access.scope(ctx, Role.RESIDENT_CLERK).onFailure(ctx::fail).onSuccess(scope -> {
      JsonObject letter = ctx.session().get(LETTER);
      if (letter == null || !scope.tenant().code().equals(letter.getString("tenantCode"))) {
        ctx.fail(ProblemException.notFound("A letter issued in this session"));
        return;
      }
      Map<String, Object> model = scope.model();
      model.put("letter", letter.getMap());
      model.put("issuedOn", LocalDate.now(java.time.ZoneId.of("Asia/Tokyo")).toString());
      view.render(ctx, "staff/letter", model);
    });
  }

  private void render(RoutingContext ctx, Scope scope, ProblemException problem, String section, Map<String, Object> typed) {
    String q = ctx.request().getParam("q") == null ? "" : ctx.request().getParam("q");
    Future.all(residence.search(scope.tenant().code(), q, PAGE), tenants.districts(scope.tenant().code()))
        .onFailure(ctx::fail)
        .onSuccess(all -> {
          Map<String, Object> model = scope.model();
          java.util.List<ResidentRecord> records = all.resultAt(0);
          java.util.List<jp.tsunagu.platform.tenant.District> districts = all.resultAt(1);
          model.put("records", records.stream().map(r -> r.toJson().getMap()).toList());
          model.put("districts", districts.stream().map(d -> d.toJson().getMap()).toList());
          model.put("q", q);
          model.put("full", records.size() == PAGE);
          model.put("typed", typed);
          Object count = ctx.session().remove("flash.count");
          if (count != null) {
            model.put("count", count);
          }
          if (problem != null) {
            model.put("problem", problem);
            model.put("errorSection", section);
          }
          view.render(ctx, problem == null ? 200 : problem.status(), "staff/residents", model);
        });
  }

  private static String residents(Scope scope) {
    return "/staff/t/" + scope.tenant().code() + "/residents";
  }

  private static UUID recordId(RoutingContext ctx) {
    try {
      return UUID.fromString(ctx.pathParam("record"));
    } catch (IllegalArgumentException e) {
      throw ProblemException.notFound("Resident record " + ctx.pathParam("record"));
    }
  }

  private static String required(RoutingContext ctx, String name) {
    String value = field(ctx, name).strip();
    if (value.isEmpty()) {
      throw ProblemException.badRequest("missing-field", name + " is required");
    }
    return value;
  }

  private static LocalDate date(String text) {
    try {
      return LocalDate.parse(text.strip());
    } catch (DateTimeParseException e) {
      throw ProblemException.badRequest("invalid-birth-date", "The birth date must be a date (YYYY-MM-DD)");
    }
  }
}
