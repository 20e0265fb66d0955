package jp.tsunagu.platform.web;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import jp.tsunagu.platform.circular.CircularArchive;
import jp.tsunagu.platform.circular.CircularService;
import jp.tsunagu.platform.http.Auth;
import jp.tsunagu.platform.http.ProblemException;

/**
 * The association's archive of past circulars (/circulars/associations/…), in the same large print
 * as the inbox: search by words and dates, read a past circular, and — for officers — a printable
 * copy with the list of households that get the circular on paper (紙で回す世帯).
 */
final class CircularArchivePages {
  static final int PAGE_SIZE = 20;
  private static final ZoneId JST = ZoneId.of("Asia/Tokyo");

  private final CircularArchive archive;
  private final CircularService circulars;
  private final Auth auth;
  private final View view;

  CircularArchivePages(CircularArchive archive, CircularService circulars, Auth auth, View view) {
    this.archive = archive;
    this.circulars = circulars;
    this.auth = auth;
    this.view = view;
  }

  void search(RoutingContext ctx) {
    UUID association = uuid(ctx.pathParam("associationId"));
    String q = param(ctx, "q");
    String from = param(ctx, "from");
    String to = param(ctx, "to");
    int page = Math.max(0, Math.min(500, intParam(ctx, "page")));
    auth.citizen(ctx).compose(a -> archive.shelves(a.id()).compose(shelves -> {
      JsonObject shelf = shelves.stream().map(JsonObject.class::cast)
          .filter(s -> s.getString("id").equals(association.toString())).findFirst()
          .orElseThrow(() -> ProblemException.notFound("Association " + association));
      Map<String, Object> model = new HashMap<>();
      model.put("association", shelf.getMap());
      model.put("q", q == null ? "" : q);
      model.put("from", from == null ? "" : from);
      model.put("to", to == null ? "" : to);
      return archive.search(a.id(), association, q, date(from, "from"), date(to, "to"), PAGE_SIZE, page * PAGE_SIZE)
          .map(found -> {
            model.put("total", found.total());
            model.put("items", found.items().stream().map(o -> withDay((JsonObject) o)).toList());
            model.put("page", page);
            model.put("hasPrevious", page > 0);
            model.put("hasNext", (page + 1) * PAGE_SIZE < found.total());
            return model;
          })
          .recover(err -> err instanceof ProblemException p && p.status() == 400
              ? Future.succeededFuture(withProblem(model, p))
              : Future.failedFuture(err));
    })).onSuccess(model -> view.render(ctx, model.containsKey("problem") ? 400 : 200, "circulars/archive", model))
        .onFailure(ctx::fail);
  }

  void read(RoutingContext ctx) {
    UUID association = uuid(ctx.pathParam("associationId"));
    UUID circular = uuid(ctx.pathParam("circularId"));
    auth.citizen(ctx).compose(a -> archive.read(a.id(), association, circular)
            .compose(c -> archive.isOfficer(a.id(), association).map(officer -> {
              Map<String, Object> model = new HashMap<>();
              model.put("c", withDay(c));
              model.put("officer", officer);
              return model;
            })))
        .onSuccess(model -> view.render(ctx, "circulars/archived", model))
        .onFailure(ctx::fail);
  }

  /** For officers: the circular to print, and the households without a digital member who get it on paper. */
  void print(RoutingContext ctx) {
    UUID association = uuid(ctx.pathParam("associationId"));
    UUID circular = uuid(ctx.pathParam("circularId"));
    auth.citizen(ctx).compose(a -> circulars.paperHouseholds(a.id(), association)
            .compose(households -> archive.read(a.id(), association, circular).map(c -> {
              Map<String, Object> model = new HashMap<>();
              model.put("c", withDay(c));
              model.put("choices", c.getJsonArray("choices") == null ? List.of() : c.getJsonArray("choices").getList());
              model.put("households", households.stream().map(o -> ((JsonObject) o).getMap()).toList());
              return model;
            })))
        .onSuccess(model -> view.render(ctx, "circulars/print", model))
        .onFailure(ctx::fail);
  }

  /** The circular with the day it was sent, in Japan. */
  private static Map<String, Object> withDay(JsonObject circular) {
    Map<String, Object> map = new HashMap<>(circular.getMap());
    map.put("sentOn", OffsetDateTime.parse(circular.getString("sentAt")).atZoneSameInstant(JST).toLocalDate().toString());
    return map;
  }

  private static Map<String, Object> withProblem(Map<String, Object> model, ProblemException p) {
    model.put("problem", p);
    model.put("total", 0);
    model.put("items", List.of());
    model.put("hasPrevious", false);
    model.put("hasNext", false);
    return model;
  }

  private static String param(RoutingContext ctx, String name) {
    String value = ctx.request().getParam(name);
    return value == null || value.isBlank() ? null : value.strip();
  }

  private static int intParam(RoutingContext ctx, String name) {
    try {
      String value = param(ctx, name);
      return value == null ? 0 : Integer.parseInt(value);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static LocalDate date(String text, String field) {
    if (text == null) {
      return null;
    }
    try {
      return LocalDate.parse(text);
    } catch (DateTimeParseException e) {
      throw ProblemException.badRequest("invalid-date", field + " is not a date (YYYY-MM-DD)");
    }
  }

  private static UUID uuid(String text) {
    try {
      return UUID.fromString(text);
    } catch (IllegalArgumentException e) {
      throw ProblemException.notFound("Circular " + text);
    }
  }
}
