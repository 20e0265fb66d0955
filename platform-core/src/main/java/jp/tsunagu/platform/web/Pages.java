package jp.tsunagu.platform.web;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.nio.file.Path;
import java.util.Map;
import jp.tsunagu.platform.Services;
import jp.tsunagu.platform.config.TsunaguConfig;

/**
 * Wiring of the server-rendered pages: citizen pages, the staff console under /staff and the
 * development mailbox. They share the API's session handler, security headers and body handler
 * (mounted before everything on the router); every POST here also needs the form's CSRF token.
 */
public final class Pages {
  private static final String NOT_API = "^/(?!api/|health/|static/|webjars/|metrics|openapi|oauth2/|\\.well-known/).*";
  private static final String UPLOADS = "^/staff/t/[0-9]{6}/(districts|residents/import)$";

  private Pages() {}

  public static void mount(Vertx vertx, Router router, Services services) {
    TsunaguConfig config = services.config();
    boolean secure = config.secureCookies();
    boolean devOutbox = config.get(TsunaguConfig.SMTP_HOST).isEmpty();
    Csrf csrf = new Csrf(jp.tsunagu.platform.consentlink.PlatformSecrets.of(services.pool(), services.config()));
    View view = new View(vertx, csrf, devOutbox);
    StaffAccess access = new StaffAccess(services.auth(), services.tenants(), vertx);
    CitizenPages citizen = new CitizenPages(services.accounts(), view, secure);
    AccountPages account = new AccountPages(services.accounts(), services.residence(), services.auth(), view, secure);
    StaffPages staff = new StaffPages(services.staff(), services.tenants(), services.audit(), access, view);
    ResidentPages residents = new ResidentPages(services.residence(), services.tenants(), access, view);

    // CSV uploads are files in a multipart form: this body handler runs first (the router-wide one then stands aside).
    router.routeWithRegex(HttpMethod.POST, UPLOADS).order(-1).handler(BodyHandler.create(true)
        .setUploadsDirectory(Path.of(System.getProperty("java.io.tmpdir"), "tsunagu-uploads").toString())
        .setDeleteUploadedFilesOnEnd(true)
        .setBodyLimit(config.get(TsunaguConfig.HTTP_MAX_BODY_BYTES)));
    // Pages send their origin with form posts (a no-referrer policy would make it "null", which the origin check refuses).
    router.routeWithRegex(NOT_API).handler(ctx -> {
      ctx.response().headers().set("Referrer-Policy", "same-origin");
      ctx.next();
    });
    // RFC 8058 one-click unsubscribe comes from mail programs without a session or form token (see NoticeMailPages)
    NoticeMailPages noticeMail = new NoticeMailPages(services.delivery().email(), view);
    router.post("/notices/unsubscribe").handler(noticeMail::unsubscribe);
    router.routeWithRegex(HttpMethod.POST, NOT_API).handler(csrf::verify);

    // The OpenID provider's pages: the authorization endpoint, sign-in and consent of a flow, logout.
    PageErrors errors = new PageErrors(view);
    AuthorizePages authorize = new AuthorizePages(services.oidc().authorization(), services.accounts(), services.residence(),
        services.auth(), view, secure, config.get(TsunaguConfig.OIDC_FLOW_MINUTES) * 60L);
    router.route(jp.tsunagu.platform.oidc.Oidc.AUTHORIZATION_PATH).method(HttpMethod.GET).method(HttpMethod.POST)
        .handler(authorize::authorize).failureHandler(errors::handle);
    router.get("/authorize/:flow").handler(authorize::show);
    router.post("/authorize/:flow/sign-in").handler(authorize::signIn);
    router.post("/authorize/:flow/continue").handler(authorize::continueAs);
    router.post("/authorize/:flow/consent").handler(authorize::consent);
    router.post("/authorize/:flow/residence").handler(authorize::verifyResidence);
    LogoutPages logout = new LogoutPages(services.oidc(), view);
    router.route(jp.tsunagu.platform.oidc.Oidc.LOGOUT_PATH).method(HttpMethod.GET).method(HttpMethod.POST)
        .handler(logout::endSession).failureHandler(errors::handle);
    router.post("/logout/confirm").handler(logout::confirm);
    // Signing out of the platform ends the sign-in session at every service too (back-channel logout).
    router.post("/sign-out").handler(ctx -> services.oidc().logout()
        .endSession(ctx.session() == null ? null : ctx.session().get(jp.tsunagu.platform.http.Auth.SID))
        .onComplete(ar -> ctx.next()));

    router.get("/").handler(citizen::home);
    router.get("/lang/:lang").handler(ctx -> Lang.toggle(ctx, secure));
    router.get("/sign-up").handler(citizen::signUpForm);
    router.post("/sign-up").handler(citizen::signUp);
    router.get("/sign-in").handler(citizen::signInForm);
    router.post("/sign-in").handler(citizen::signIn);
    router.post("/sign-out").handler(citizen::signOut);
    router.get("/verify-email").handler(citizen::verifyEmailForm);
    router.post("/verify-email").handler(citizen::verifyEmail);
    router.get("/forgot-password").handler(citizen::forgotPasswordForm);
    router.post("/forgot-password").handler(citizen::forgotPassword);
    router.get("/reset-password").handler(citizen::resetPasswordForm);
    router.post("/reset-password").handler(citizen::resetPassword);

    router.get("/account").handler(account::show);
    router.post("/account/residence").handler(account::verifyResidence);
    router.post("/account/dependants").handler(account::claimDependant);
    router.post("/account/profile").handler(account::updateProfile);
    router.post("/account/email").handler(account::changeEmail);
    router.post("/account/password").handler(account::changePassword);
    router.post("/account/delete").handler(account::delete);
    router.get("/account/deleted").handler(account::deleted);

    var circularArchive = new jp.tsunagu.platform.circular.CircularArchive(services.pool());
    CircularPages circulars = new CircularPages(services.circulars(), circularArchive, services.auth(), view);
    router.get("/circulars").handler(circulars::inbox);
    router.get("/circulars/join").handler(circulars::joinForm);
    CircularArchivePages archive = new CircularArchivePages(circularArchive, services.circulars(), services.auth(), view);
    router.get("/circulars/associations/:associationId").handler(archive::search);
    router.get("/circulars/associations/:associationId/:circularId").handler(archive::read);
    router.get("/circulars/associations/:associationId/:circularId/print").handler(archive::print);
    router.post("/circulars/join").handler(circulars::join);
    router.get("/circulars/:id").handler(circulars::show);
    router.post("/circulars/:id/answer").handler(circulars::answer);
    MyDataPages myData = new MyDataPages(services.consent(), services.circulars(), services.oidc().clients(), services.residence(),
        services.config().publicUrl(), services.auth(), view);
    router.get("/my-data").handler(myData::show);
    router.get("/my-data/:id/receipt").handler(myData::receipt);
    router.post("/my-data/:id/withdraw").handler(myData::withdraw);
    router.post("/my-data/dependants/:child/:id/withdraw").handler(myData::withdrawForDependant);

    DeliveryPages delivery = new DeliveryPages(services.delivery().profiles(), services.delivery().inbox(),
        services.delivery().email(), services.content().content().repository(), services.tenants(), services.auth(), view);
    router.get("/notices/unsubscribe").handler(noticeMail::unsubscribeForm);
    router.get("/notices/email/confirm").handler(noticeMail::confirmForm);
    NoticeManagePages manage = new NoticeManagePages(services.delivery().manageLinks(), services.delivery().profiles(),
        services.delivery().email(), view);
    router.get("/notices/manage").handler(manage::open);
    router.post("/notices/manage").handler(manage::exchange);
    router.get("/notices/manage/settings").handler(manage::settings);
    router.post("/notices/manage/settings/frequency").handler(manage::frequency);
    router.post("/notices/manage/settings/subscriptions/:id/remove").handler(manage::removeSubscription);
    router.post("/notices/manage/settings/email/stop").handler(manage::stopEmail);
    router.post("/notices/email/confirm").handler(noticeMail::confirm);
    // The Web Push service worker, from the site root so that its scope may be the whole site.
    router.get("/push-sw.js").handler(ctx -> ctx.response().putHeader("Content-Type", "text/javascript; charset=utf-8")
        .putHeader("Service-Worker-Allowed", "/").sendFile("webroot/push-sw.js"));
    router.get("/inbox").handler(delivery::inbox);
    router.post("/inbox/read").handler(delivery::markAllRead);
    router.get("/interests").handler(delivery::interests);
    router.post("/interests").handler(delivery::saveProfile);
    router.post("/interests/subscriptions").handler(delivery::addSubscription);
    router.post("/interests/email").handler(delivery::requestEmail);
    router.post("/interests/subscriptions/:id/remove").handler(delivery::removeSubscription);

    router.get("/staff/sign-in").handler(staff::signInForm);
    router.post("/staff/sign-in").handler(staff::signIn);
    router.post("/staff/sign-out").handler(staff::signOut);
    router.get("/staff").handler(staff::home);
    router.post("/staff/tenants").handler(staff::createTenant);
    router.get("/staff/t/:tenant").handler(staff::tenant);
    router.post("/staff/t/:tenant/staff").handler(staff::createStaff);
    router.post("/staff/t/:tenant/districts").handler(staff::importDistricts);
    router.get("/staff/t/:tenant/audit").handler(staff::auditLog);
    ConsentAdminPages consentAdmin = new ConsentAdminPages(services.pool(), services.consent(), services.oidc().clients(),
        services.circulars(), access, view);
    router.get("/staff/t/:tenant/consents").handler(consentAdmin::show);
    router.post("/staff/t/:tenant/consents/verify").handler(consentAdmin::verify);
    router.get("/staff/t/:tenant/residents").handler(residents::list);
    router.post("/staff/t/:tenant/residents").handler(residents::add);
    router.post("/staff/t/:tenant/residents/import").handler(residents::importCsv);
    router.post("/staff/t/:tenant/residents/:record/code").handler(residents::issueCode);
    router.get("/staff/t/:tenant/letter").handler(residents::letter);

    ContentPages contentPages = new ContentPages(services.content().content(), services.tenants(), access, view);
    router.get("/staff/t/:tenant/pages").handler(contentPages::list);
    router.post("/staff/t/:tenant/pages").handler(contentPages::publish);
    router.get("/staff/t/:tenant/pages/:page").handler(contentPages::edit);
    router.post("/staff/t/:tenant/pages/:page").handler(contentPages::update);
    router.post("/staff/t/:tenant/pages/:page/withdraw").handler(contentPages::withdraw);
    StaffNoticePages staffNotices = new StaffNoticePages(services.delivery(), services.content().content().repository(),
        services.tenants(), access, view);
    router.get("/staff/t/:tenant/notices").handler(staffNotices::list);
    router.post("/staff/t/:tenant/notices").handler(staffNotices::compose);
    router.post("/staff/t/:tenant/notices/preview").handler(staffNotices::preview);
    router.post("/staff/t/:tenant/notices/:notice/cancel").handler(staffNotices::cancel);
    SearchAdminPages searchAdmin = new SearchAdminPages(services.content(), access, view);
    router.get("/staff/t/:tenant/search").handler(searchAdmin::show);
    router.post("/staff/t/:tenant/search/rebuild").handler(searchAdmin::rebuild);
    router.post("/staff/t/:tenant/search/crawl").handler(searchAdmin::addSource);
    router.post("/staff/t/:tenant/search/settings").handler(searchAdmin::saveSettings);
    router.get("/staff/t/:tenant/search/crawl/:source").handler(searchAdmin::runs);
    router.post("/staff/t/:tenant/search/crawl/:source/run").handler(searchAdmin::runSource);
    router.get("/search").handler(new SearchPages(services.content().search(), services.tenants(), view)::show);

    if (config.get(TsunaguConfig.DEMO)) {
      DemoRpPages demo = new DemoRpPages(vertx, view, config.publicUrl());
      router.get("/demo-rp/").handler(demo::home);
      router.get("/demo-rp/login").handler(demo::login);
      router.get("/demo-rp/callback").handler(demo::callback);
      router.post("/demo-rp/sign-out").handler(demo::signOut);
    }
    if (devOutbox) {
      router.get("/dev/outbox").handler(ctx -> services.outbox().recent(50)
          .onSuccess(mails -> view.render(ctx, "dev/outbox", Map.of("mails", mails.stream().map(m -> ((io.vertx.core.json.JsonObject) m).getMap()).toList())))
          .onFailure(ctx::fail));
    }
    // No page at this address: the error page with 404 (without this, the form check above, which
    // takes a POST to any page address, would make Vert.x answer 405 to a GET of an unknown one).
    router.routeWithRegex(NOT_API).last().handler(ctx -> ctx.fail(404));
    router.routeWithRegex(NOT_API).failureHandler(errors::handle);
  }
}
