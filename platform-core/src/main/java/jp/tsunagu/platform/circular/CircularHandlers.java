package jp.tsunagu.platform.circular;

import static jp.tsunagu.platform.http.Api.attempt;
import static jp.tsunagu.platform.http.Api.body;
import static jp.tsunagu.platform.http.Api.path;
import static jp.tsunagu.platform.http.Api.query;
import static jp.tsunagu.platform.http.Api.respond;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.openapi.validation.RequestParameter;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import jp.tsunagu.platform.account.AccountService;
import jp.tsunagu.platform.account.EmailAddress;
import jp.tsunagu.platform.http.Auth;
import jp.tsunagu.platform.http.ProblemException;
import jp.tsunagu.platform.staff.Role;
import jp.tsunagu.platform.staff.StaffService;
import jp.tsunagu.platform.tenant.TenantService;

/** HTTP adapter of associations and circulars; one method per operationId. */
public final class CircularHandlers {
  private final CircularService circulars;
  private final Attachments attachments;
  private final CircularArchive archive;
  private final AccountService accounts;
  private final TenantService tenants;
  private final Auth auth;

  public CircularHandlers(CircularService circulars, Attachments attachments, CircularArchive archive,
                          AccountService accounts, TenantService tenants, Auth auth) {
    this.circulars = circulars;
    this.archive = archive;
    this.attachments = attachments;
    this.accounts = accounts;
    this.tenants = tenants;
    this.auth = auth;
  }

  public void createAssociation(RoutingContext ctx) {
    String tenant = path(ctx, "tenantCode");
    JsonObject b = body(ctx);
    respond(ctx, 201, auth.staff(ctx).compose(s -> attempt(() -> {
      StaffService.authorise(s, tenant, Role.TENANT_ADMIN, Role.EDITOR);
      return tenants.require(tenant).map(s);
    })).compose(s -> accounts.findByEmail(EmailAddress.normalise(b.getString("officerEmail")))
        .compose(officer -> officer.isEmpty()
            ? Future.failedFuture(ProblemException.unprocessable("unknown-officer", "No citizen account has this e-mail address"))
            : circulars.createAssociation(s, tenant, b.getString("districtCode"), b.getString("name"), officer.get().id())))
        .map(CircularService.Association::toJson));
  }

  public void sendCityNotice(RoutingContext ctx) {
    String tenant = path(ctx, "tenantCode");
    JsonObject b = body(ctx);
    List<UUID> targets = b.getJsonArray("associationIds", new JsonArray()).stream().map(o -> UUID.fromString((String) o)).toList();
    respond(ctx, 201, auth.staff(ctx).compose(s -> attempt(() -> {
      StaffService.authorise(s, tenant, Role.TENANT_ADMIN, Role.EDITOR);
      return tenants.require(tenant).map(s);
    })).compose(s -> circulars.sendCityNotice(s, tenant, targets, b.getString("title"), b.getString("body"))));
  }

  public void addHousehold(RoutingContext ctx) {
    UUID association = UUID.fromString(path(ctx, "associationId"));
    JsonObject b = body(ctx);
    respond(ctx, 201, auth.citizen(ctx)
        .compose(a -> circulars.addHousehold(a.id(), association, b.getString("label"), b.getString("addressBlock"))));
  }

  public void listPaperHouseholds(RoutingContext ctx) {
    UUID association = UUID.fromString(path(ctx, "associationId"));
    respond(ctx, 200, auth.citizen(ctx).compose(a -> circulars.paperHouseholds(a.id(), association))
        .map(items -> new JsonObject().put("items", items)));
  }

  public void sendCircular(RoutingContext ctx) {
    UUID association = UUID.fromString(path(ctx, "associationId"));
    JsonObject b = body(ctx);
    JsonArray choices = b.getJsonArray("choices");
    List<String> list = choices == null ? null : choices.stream().map(String::valueOf).toList();
    String deadline = b.getString("deadline");
    respond(ctx, 201, auth.citizen(ctx).compose(a -> attempt(() -> circulars.send(a.id(), association, b.getString("title"),
        b.getString("body"), b.getString("question"), list, deadline == null ? null : OffsetDateTime.parse(deadline)))));
  }

  public void getCircularReport(RoutingContext ctx) {
    UUID association = UUID.fromString(path(ctx, "associationId"));
    UUID circular = UUID.fromString(path(ctx, "circularId"));
    respond(ctx, 200, auth.citizen(ctx).compose(a -> circulars.report(a.id(), association, circular)));
  }

  public void joinAssociation(RoutingContext ctx) {
    JsonObject b = body(ctx);
    Set<String> items = new HashSet<>();
    b.getJsonArray("consentedItems").forEach(i -> items.add(String.valueOf(i)));
    respond(ctx, 200, auth.citizen(ctx).compose(a -> circulars.join(a.id(), b.getString("invitationCode"), items))
        .map(CircularService.Association::toJson));
  }

  public void leaveAssociation(RoutingContext ctx) {
    UUID association = UUID.fromString(path(ctx, "associationId"));
    respond(ctx, 204, auth.citizen(ctx).compose(a -> circulars.leave(a.id(), association)));
  }

  public void searchCircularArchive(RoutingContext ctx) {
    UUID association = UUID.fromString(path(ctx, "associationId"));
    // checked by the contract, but taken as sent: the contract's validator reads a quoted value as JSON
    String q = query(ctx, "q") == null || query(ctx, "q").isNull() ? null : ctx.queryParams().get("q");
    String from = text(query(ctx, "from"));
    String to = text(query(ctx, "to"));
    int limit = number(query(ctx, "limit"), 20);
    int offset = number(query(ctx, "offset"), 0);
    respond(ctx, 200, auth.citizen(ctx).compose(a -> archive.search(a.id(), association, q,
            from == null ? null : LocalDate.parse(from), to == null ? null : LocalDate.parse(to), limit, offset))
        .map(page -> new JsonObject().put("total", page.total()).put("items", page.items())));
  }

  public void getArchivedCircular(RoutingContext ctx) {
    UUID association = UUID.fromString(path(ctx, "associationId"));
    UUID circular = UUID.fromString(path(ctx, "circularId"));
    respond(ctx, 200, auth.citizen(ctx).compose(a -> archive.read(a.id(), association, circular))
        .compose(c -> attachments.list(circular).map(files -> c.put("attachments", files))));
  }

  private static String text(RequestParameter p) {
    return p == null || p.isNull() ? null : p.getString();
  }

  private static int number(RequestParameter p, int fallback) {
    return p == null || p.isNull() ? fallback : p.getInteger();
  }

  public void listMyCirculars(RoutingContext ctx) {
    respond(ctx, 200, auth.citizen(ctx).compose(a -> circulars.inbox(a.id())).map(items -> new JsonObject().put("items", items)));
  }

  public void openCircular(RoutingContext ctx) {
    UUID circular = UUID.fromString(path(ctx, "circularId"));
    respond(ctx, 200, auth.citizen(ctx).compose(a -> circulars.open(a.id(), circular))
        .compose(c -> attachments.list(circular).map(files -> c.put("attachments", files))));
  }

  /**
   * Uploads an attachment (PDF, PNG or JPEG as the raw body). Not validated by the OpenAPI router,
   * which knows none of these media types: the path is checked here and the file by Attachments.
   */
  public void addAttachment(RoutingContext ctx) {
    UUID association;
    UUID circular;
    try {
      association = UUID.fromString(ctx.pathParam("associationId"));
      circular = UUID.fromString(ctx.pathParam("circularId"));
    } catch (IllegalArgumentException e) {
      ctx.fail(ProblemException.badRequest("invalid-request", "associationId and circularId must be UUIDs"));
      return;
    }
    String filename = ctx.request().getParam("filename");
    respond(ctx, 201, auth.citizen(ctx).compose(a -> attachments.add(a.id(), association, circular,
        ctx.request().getHeader("Content-Type"), filename, ctx.body().buffer())));
  }

  public void downloadAttachment(RoutingContext ctx) {
    UUID circular = UUID.fromString(path(ctx, "circularId"));
    UUID attachment = UUID.fromString(path(ctx, "attachmentId"));
    auth.citizen(ctx).compose(a -> attachments.download(a.id(), circular, attachment)).onComplete(ar -> {
      if (ar.failed()) {
        ctx.fail(ar.cause());
        return;
      }
      String encoded = java.net.URLEncoder.encode(ar.result().filename(), java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
      ctx.response().putHeader("Content-Type", ar.result().contentType())
          .putHeader("Content-Disposition", "attachment; filename=\"attachment\"; filename*=UTF-8''" + encoded)
          .end(ar.result().content());
    });
  }

  public void answerCircular(RoutingContext ctx) {
    UUID circular = UUID.fromString(path(ctx, "circularId"));
    String choice = body(ctx).getString("choice");
    respond(ctx, 204, auth.citizen(ctx).compose(a -> circulars.answer(a.id(), circular, choice)));
  }
}
