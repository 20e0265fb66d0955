package jp.tsunagu.platform.http;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.internal.net.RFC3986;
import io.vertx.ext.web.RoutingContext;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.SessionHandler;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.ext.web.openapi.router.OpenAPIRoute;
import io.vertx.ext.web.openapi.router.RequestExtractor;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.ext.web.sstore.ClusteredSessionStore;
import io.vertx.micrometer.PrometheusScrapingHandler;
import io.vertx.openapi.contract.OpenAPIContract;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import jp.tsunagu.platform.Services;
import jp.tsunagu.platform.account.AccountHandlers;
import jp.tsunagu.platform.circular.CircularHandlers;
import jp.tsunagu.platform.config.TsunaguConfig;
import jp.tsunagu.platform.consentlink.ConsentHandlers;
import jp.tsunagu.platform.health.HealthHandlers;
import jp.tsunagu.platform.tenant.TenantHandlers;
import jp.tsunagu.platform.web.Pages;

/**
 * One HTTP server instance (the platform deploys one per event loop). Routes of the JSON API are
 * bound by operationId from the OpenAPI document, which also validates every request.
 */
public final class HttpVerticle extends VerticleBase {
  public static final String SESSION_COOKIE = "tsunagu_session";
  public static final String SESSION_MAP = "vertx-web.sessions";

  private final Services services;
  private final OpenAPIContract contract;
  private HttpServer server;
  private ContractValidation validation;
  /** Server-sent events of the citizen's inbox: answered for as long as the client listens. */
  private static final String STREAM = "/api/v1/me/notifications/stream";

  /** The contract is loaded once per node ({@link Contract#load}) and shared by every instance. */
  public HttpVerticle(Services services, OpenAPIContract contract) {
    this.services = services;
    this.contract = contract;
  }

  @Override
  public Future<?> start() {
    TsunaguConfig config = services.config();
    return vertx.createHttpServer(new HttpServerOptions()
            .setHost(config.get(TsunaguConfig.HTTP_HOST))
            .setPort(config.get(TsunaguConfig.HTTP_PORT))
            .setCompressionSupported(true)
            .setHandle100ContinueAutomatically(true)
            // HTTP/1.1 only: no browser speaks HTTP/2 without TLS, TLS ends at the load balancer, and
            // Vert.x's HTTP/2 sends the content of a response to HEAD, which RFC 9110 §9.3.2 forbids
            .setHttp2ClearTextEnabled(false)
            .setMaxFormAttributeSize(64 * 1024))
        .requestHandler(router(contract))
        .listen()
        .onSuccess(s -> server = s);
  }

  public int port() {
    return server.actualPort();
  }

  /** The contract's API routes and the rest (pages, the OpenID endpoints, static files), each in its own router. */
  private Handler<HttpServerRequest> router(OpenAPIContract contract) {
    TsunaguConfig config = services.config();
    RouterBuilder builder = RouterBuilder.create(vertx, contract, RequestExtractor.withBodyHandler());
    SessionHandler sessions = SessionHandler.create(new ThrottledSessionStore(ClusteredSessionStore.create(vertx, SESSION_MAP)))
        .setSessionCookieName(SESSION_COOKIE)
        .setCookieHttpOnlyFlag(true)
        .setCookieSecureFlag(config.secureCookies())
        .setCookieSameSite(CookieSameSite.LAX)
        .setSessionTimeout(TimeUnit.MINUTES.toMillis(config.get(TsunaguConfig.SESSION_TIMEOUT_MINUTES)))
        .setLazySession(true)
        .setMinLength(32);
    // Both routers run the same handlers on every request first.
    // the deadline counts from when the body has arrived, so a slow upload is not cut short
    List<Handler<RoutingContext>> root = List.of(sessions, new SecurityHeaders(config.publicUrl()),
        BodyHandler.create(false).setBodyLimit(config.get(TsunaguConfig.HTTP_MAX_BODY_BYTES)),
        new Deadline(TimeUnit.SECONDS.toMillis(config.get(TsunaguConfig.HTTP_REQUEST_TIMEOUT_SECONDS)), java.util.Set.of(STREAM)),
        SessionFlush.expose(sessions));
    root.forEach(builder::rootHandler);
    validation = new ContractValidation(vertx, contract);

    HealthHandlers health = new HealthHandlers(services.pool(), services.migrated()::get);
    AccountHandlers citizen = new AccountHandlers(services.accounts(), services.residence(), services.auth());
    TenantHandlers tenant = new TenantHandlers(services.tenants(), services.staff(), services.residence(),
        services.audit(), services.auth());

    bind(builder, "getLiveness", health::getLiveness);
    bind(builder, "getReadiness", health::getReadiness);
    bind(builder, "signUp", citizen::signUp);
    bind(builder, "confirmEmail", citizen::confirmEmail);
    bind(builder, "signIn", citizen::signIn);
    // signing out ends the sign-in session at every service too (OpenID back-channel logout)
    bind(builder, "signOut", ctx -> services.oidc().logout()
        .endSession(ctx.session() == null ? null : ctx.session().get(Auth.SID)).onComplete(ar -> citizen.signOut(ctx)));
    bind(builder, "requestPasswordReset", citizen::requestPasswordReset);
    bind(builder, "resetPassword", citizen::resetPassword);
    bind(builder, "getMyAccount", citizen::getMyAccount);
    bind(builder, "updateMyAccount", citizen::updateMyAccount);
    bind(builder, "changePassword", citizen::changePassword);
    bind(builder, "requestEmailChange", citizen::requestEmailChange);
    bind(builder, "deleteMyAccount", citizen::deleteMyAccount);
    bind(builder, "verifyResidence", citizen::verifyResidence);
    bind(builder, "getHousehold", citizen::getHousehold);
    bind(builder, "claimDependant", citizen::claimDependant);
    bind(builder, "staffSignIn", tenant::staffSignIn);
    bind(builder, "staffSignOut", tenant::staffSignOut);
    bind(builder, "getStaffMe", tenant::getStaffMe);
    bind(builder, "listTenants", tenant::listTenants);
    bind(builder, "createTenant", tenant::createTenant);
    bind(builder, "getTenant", tenant::getTenant);
    bind(builder, "updateTenant", tenant::updateTenant);
    bind(builder, "listDistricts", tenant::listDistricts);
    bind(builder, "listStaff", tenant::listStaff);
    bind(builder, "createStaff", tenant::createStaff);
    bind(builder, "listResidentRecords", tenant::listResidentRecords);
    bind(builder, "issueResidenceCode", tenant::issueResidenceCode);
    bind(builder, "listAuditLog", tenant::listAuditLog);
    CircularHandlers circular = new CircularHandlers(services.circulars(),
        new jp.tsunagu.platform.circular.Attachments(services.pool(), services.circulars()),
        new jp.tsunagu.platform.circular.CircularArchive(services.pool()), services.accounts(), services.tenants(),
        services.auth());
    bind(builder, "createAssociation", circular::createAssociation);
    bind(builder, "addHousehold", circular::addHousehold);
    bind(builder, "sendCityNotice", circular::sendCityNotice);
    bind(builder, "listPaperHouseholds", circular::listPaperHouseholds);
    bind(builder, "sendCircular", circular::sendCircular);
    bind(builder, "getCircularReport", circular::getCircularReport);
    bind(builder, "joinAssociation", circular::joinAssociation);
    bind(builder, "leaveAssociation", circular::leaveAssociation);
    bind(builder, "listMyCirculars", circular::listMyCirculars);
    bind(builder, "openCircular", circular::openCircular);
    bind(builder, "answerCircular", circular::answerCircular);
    bind(builder, "downloadAttachment", circular::downloadAttachment);
    bind(builder, "searchCircularArchive", circular::searchCircularArchive);
    bind(builder, "getArchivedCircular", circular::getArchivedCircular);
    // the body is a PDF or an image, which the OpenAPI validator does not know: checked by the handler
    builder.getRoute("addAttachment").setDoValidation(false).addHandler(circular::addAttachment).addFailureHandler(Problems::handle);
    ConsentHandlers consent = new ConsentHandlers(services.consent(), services.circulars(), services.tenants(),
        services.pool(), services.auth());
    bind(builder, "listMyConsents", consent::listMyConsents);
    bind(builder, "giveConsent", consent::giveConsent);
    bind(builder, "getServiceNotice", consent::getServiceNotice);
    jp.tsunagu.platform.consentlink.OnBehalfHandlers onBehalf = new jp.tsunagu.platform.consentlink.OnBehalfHandlers(
        services.consent(), services.residence(), services.pool(), services.auth());
    bind(builder, "recordAssistedConsent", onBehalf::recordAssistedConsent);
    bind(builder, "listDependantConsents", onBehalf::listDependantConsents);
    bind(builder, "giveDependantConsent", onBehalf::giveDependantConsent);
    bind(builder, "withdrawDependantConsent", onBehalf::withdrawDependantConsent);
    bind(builder, "getConsentReceipt", consent::getConsentReceipt);
    bind(builder, "withdrawConsent", consent::withdrawConsent);
    bind(builder, "listMyAccessLog", consent::listMyAccessLog);
    bind(builder, "getConsentStatistics", consent::getConsentStatistics);
    bind(builder, "verifyAccessLogs", consent::verifyAccessLogs);
    jp.tsunagu.platform.sitesearch.ContentModule content = services.content();
    // who may write a municipality's content: staff, or a CMS by its own bearer token
    jp.tsunagu.platform.content.ContentAccess contentAccess = new jp.tsunagu.platform.content.ContentAccess(services.auth(), services.tenants(),
        services.oidc().verifier(), services.oidc().clients());
    jp.tsunagu.platform.content.ContentHandlers pages = new jp.tsunagu.platform.content.ContentHandlers(content.content(),
        content.facilities(), services.tenants(), contentAccess);
    // a staff session or a CMS's bearer token (content:write), both checked by ContentAccess.pageWriter
    bind(builder, "listPages", pages::listPages);
    bind(builder, "upsertPage", pages::upsertPage);
    bind(builder, "withdrawPageByUrl", pages::withdrawPageByUrl);
    bind(builder, "getPage", pages::getPage);
    bind(builder, "updatePage", pages::updatePage);
    bind(builder, "withdrawPage", pages::withdrawPage);
    bind(builder, "getTaxonomy", pages::getTaxonomy);
    bind(builder, "saveTaxonomyTerm", pages::saveTaxonomyTerm);
    jp.tsunagu.platform.sitesearch.SearchHandlers search = new jp.tsunagu.platform.sitesearch.SearchHandlers(content.search(),
        content.facilitySearch(), content.indexer(), content.rebuilds(), content.indexes(), content.content().repository(),
        services.auth(), content.nodeId());
    // the contract's validator decodes query values as JSON (a phrase query would be refused, codes read as numbers):
    // these three check their parameters themselves (SearchParams)
    for (String op : java.util.List.of("searchPages", "suggestPages", "searchFacilities")) {
      builder.getRoute(op).setDoValidation(false);
    }
    bind(builder, "searchPages", search::searchPages);
    bind(builder, "suggestPages", search::suggestPages);
    bind(builder, "searchFacilities", search::searchFacilities);
    bind(builder, "getSearchIndex", search::getSearchIndex);
    bind(builder, "rebuildSearchIndex", search::rebuildSearchIndex);
    jp.tsunagu.platform.crawl.CrawlHandlers crawl = new jp.tsunagu.platform.crawl.CrawlHandlers(content.crawl(),
        contentAccess);
    bind(builder, "listCrawlSources", crawl::listCrawlSources);
    bind(builder, "createCrawlSource", crawl::createCrawlSource);
    bind(builder, "runCrawlSource", crawl::runCrawlSource);
    bind(builder, "listCrawlRuns", crawl::listCrawlRuns);
    jp.tsunagu.platform.sitesearch.SearchSettingsHandlers settings = new jp.tsunagu.platform.sitesearch.SearchSettingsHandlers(
        content.settings(), contentAccess);
    bind(builder, "getSearchSettings", settings::getSearchSettings);
    bind(builder, "saveSearchSettings", settings::saveSearchSettings);
    // These take JSON or CSV; the OpenAPI validator knows no CSV, so CsvOrJson validates them.
    CsvOrJson csvOrJson = new CsvOrJson(contract, validation);
    // CSV only, which the OpenAPI validator does not read: the path is checked by CsvOrJson, the content type by the handler
    csvOrJson.apply(builder, "importFacilities", pages::importFacilities);
    csvOrJson.apply(builder, "importDistricts", tenant::importDistricts);
    csvOrJson.apply(builder, "importResidentRecords", tenant::importResidentRecords);

    jp.tsunagu.platform.oidc.ClientHandlers oidcClients = new jp.tsunagu.platform.oidc.ClientHandlers(
        services.oidc().clients(), services.oidc().keys(), services.auth());
    bind(builder, "registerOidcClient", oidcClients::registerOidcClient);
    bind(builder, "listOidcClients", oidcClients::listOidcClients);
    bind(builder, "getOidcClient", oidcClients::getOidcClient);
    bind(builder, "deleteOidcClient", oidcClients::deleteOidcClient);
    bind(builder, "rotateSigningKeys", oidcClients::rotateSigningKeys);
    bind(builder, "getOidcClientNotice", oidcClients::getOidcClientNotice);
    bind(builder, "publishOidcClientNotice", oidcClients::publishOidcClientNotice);
    bind(builder, "readCitizenData", new jp.tsunagu.platform.consentlink.ServiceApiHandlers(vertx, services.consent(), services.oidc(),
        services.accounts(), services.residence())::readCitizenData);
    jp.tsunagu.platform.profile.ProfileHandlers profiles = new jp.tsunagu.platform.profile.ProfileHandlers(
        services.delivery().profiles(), services.tenants(), services.auth());
    bind(builder, "getMyProfile", profiles::getMyProfile);
    bind(builder, "saveMyProfile", profiles::saveMyProfile);
    bind(builder, "listMySubscriptions", profiles::listMySubscriptions);
    bind(builder, "createSubscription", profiles::createSubscription);
    bind(builder, "deleteSubscription", profiles::deleteSubscription);
    bind(builder, "getProfileStatistics", profiles::getProfileStatistics);
    jp.tsunagu.platform.notify.InboxHandlers inbox = services.delivery().inboxHandlers(services.auth());
    bind(builder, "listMyNotifications", inbox::listMyNotifications);
    bind(builder, "getUnreadCount", inbox::getUnreadCount);
    bind(builder, "markNotificationsRead", inbox::markNotificationsRead);
    bind(builder, "recordNotificationOpened", inbox::recordNotificationOpened);
    jp.tsunagu.platform.notify.EmailHandlers email = services.delivery().emailHandlers(services.auth());
    bind(builder, "getMyEmailChannel", email::getMyEmailChannel);
    bind(builder, "requestEmailChannel", email::requestEmailChannel);
    bind(builder, "stopEmailChannel", email::stopEmailChannel);
    bind(builder, "confirmEmailChannel", email::confirmEmailChannel);
    bind(builder, "reportMailEvent", email::reportMailEvent);
    jp.tsunagu.platform.notify.WebhookHandlers webhooks = services.delivery().webhookHandlers(services.auth());
    bind(builder, "listMyWebhooks", webhooks::listMyWebhooks);
    bind(builder, "createWebhook", webhooks::createWebhook);
    bind(builder, "deleteWebhook", webhooks::deleteWebhook);
    jp.tsunagu.platform.notify.WebPushHandlers push = services.delivery().webPushHandlers(services.auth());
    bind(builder, "getWebPushKey", push::getWebPushKey);
    bind(builder, "listMyPushSubscriptions", push::listMyPushSubscriptions);
    bind(builder, "createPushSubscription", push::createPushSubscription);
    bind(builder, "deletePushSubscription", push::deletePushSubscription);
    jp.tsunagu.platform.notify.StaffNoticeHandlers staffNotices = services.delivery().staffNoticeHandlers(services.tenants(),
        services.auth());
    bind(builder, "previewReach", staffNotices::previewReach);
    bind(builder, "composeNotice", staffNotices::composeNotice);
    bind(builder, "listStaffNotices", staffNotices::listStaffNotices);
    bind(builder, "cancelNotice", staffNotices::cancelNotice);
    bind(builder, "sendPersonalNotice", staffNotices::sendPersonalNotice);
    bind(builder, "createLifeStageMessage", staffNotices::createLifeStageMessage);
    bind(builder, "listLifeStageMessages", staffNotices::listLifeStageMessages);
    bind(builder, "deleteLifeStageMessage", staffNotices::deleteLifeStageMessage);
    bind(builder, "listNoticeStatistics", services.delivery().noticeStatistics(services.tenants(), services.auth())::listNoticeStatistics);

    Router api = builder.createRouter();
    api.route().method(HttpMethod.HEAD).order(-1).handler(HttpVerticle::headAsGet);
    // server-sent events, which the contract's JSON operations do not describe (see the tag "delivery")
    api.get(STREAM).handler(services.delivery().liveInbox(vertx, services.auth())::stream)
        .failureHandler(Problems::handle);
    AllowedMethods allowed = new AllowedMethods(contract, Map.of(STREAM, HttpMethod.GET));
    api.route("/api/*").handler(allowed::notFound);
    api.route("/health/*").handler(allowed::notFound);
    api.route("/api/*").failureHandler(Problems::handle);
    api.route("/health/*").failureHandler(Problems::handle);

    Router router = Router.router(vertx);
    router.route().method(HttpMethod.HEAD).order(-1).handler(HttpVerticle::headAsGet);
    root.forEach(h -> router.route().handler(h));
    // the token endpoint first: relying parties' back ends call it most
    services.oidc().mount(router);
    Pages.mount(vertx, router, services);
    router.get("/metrics").handler(PrometheusScrapingHandler.create(services.metrics()));
    router.get("/openapi.yaml").handler(ctx -> ctx.response().putHeader("Content-Type", "application/yaml; charset=utf-8")
        .sendFile("openapi.yaml"));
    router.get("/api-docs").handler(ctx -> ctx.response().putHeader("Content-Type", "text/html; charset=utf-8")
        .sendFile("webroot/api-docs.html"));
    router.route("/static/*").handler(StaticHandler.create("webroot/static").setCachingEnabled(true).setMaxAgeSeconds(3600));
    router.route("/webjars/*").handler(StaticHandler.create("META-INF/resources/webjars").setCachingEnabled(true));
    return request -> (isApi(request.path()) ? api : router).handle(request);
  }

  /** HEAD is GET without the content (RFC 9110 §9.3.2): routed as GET; the server sends no content for it. */
  private static void headAsGet(RoutingContext ctx) {
    ctx.reroute(HttpMethod.GET, ctx.request().uri());
  }

  /**
   * Whether a request is for the JSON API (the contract's {@code /api/} and {@code /health/}
   * operations). The two sets of routes are kept apart so that a request of one set is not
   * matched against every route of the other: the contract alone has about a hundred, most of them
   * patterns with path parameters. Decided on the path as the router will see it (dot segments
   * removed, escaped unreserved characters decoded); a path that needs no normalising is taken as
   * it is.
   */
  static boolean isApi(String rawPath) {
    String path = rawPath == null ? "/" : rawPath;
    if (path.indexOf('%') >= 0 || path.contains("/.") || path.contains("//")) {
      path = RFC3986.normalizePath(path);
    }
    return under(path, "/api") || under(path, "/health");
  }

  private static boolean under(String path, String prefix) {
    return path.startsWith(prefix) && (path.length() == prefix.length() || path.charAt(prefix.length()) == '/');
  }

  /**
   * Binds an operation's handler behind the contract's validation of its requests; an operation
   * whose route has validation turned off checks its own input.
   */
  private void bind(RouterBuilder builder, String operationId, io.vertx.core.Handler<io.vertx.ext.web.RoutingContext> handler) {
    OpenAPIRoute route = builder.getRoute(operationId);
    if (route.doValidation()) {
      route.setDoValidation(false).addHandler(validation.handler(operationId));
    }
    route.addHandler(handler).addFailureHandler(Problems::handle);
  }

  @Override
  public Future<?> stop() {
    if (server == null) {
      return Future.succeededFuture();
    }
    return server.shutdown(services.config().get(TsunaguConfig.HTTP_SHUTDOWN_GRACE_SECONDS), TimeUnit.SECONDS);
  }
}
