package jp.tsunagu.platform.web;

import static jp.tsunagu.platform.http.Api.attempt;
import static jp.tsunagu.platform.http.Api.clientAddress;
import static jp.tsunagu.platform.web.Forms.field;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import jp.tsunagu.platform.account.AccountService;
import jp.tsunagu.platform.http.Auth;
import jp.tsunagu.platform.http.ProblemException;
import jp.tsunagu.platform.http.Problems;
import jp.tsunagu.platform.http.SecurityHeaders;
import jp.tsunagu.platform.oidc.AuthorizationResponses;
import jp.tsunagu.platform.oidc.AuthorizationService;
import jp.tsunagu.platform.oidc.AuthorizationService.Citizen;
import jp.tsunagu.platform.oidc.AuthorizationService.Step;
import jp.tsunagu.platform.oidc.Flow;
import jp.tsunagu.platform.residence.ResidenceService;
import jp.tsunagu.platform.security.PasswordHasher;

/**
 * The authorization endpoint and the pages of a flow: sign-in (or "continue as"), the residence
 * step for a resident-level request, and consent. The flow is tied to the browser by a cookie
 * scoped to the flow's path; every form carries the CSRF token; the pages refuse framing, and their
 * form-action admits the relying party's origin, where the last redirect goes.
 */
final class AuthorizePages {
  static final String FLOW_COOKIE = "tsunagu_flow";
  private static final String TYPED_EMAIL = "tsunagu.signIn.typedEmail";
  private final AuthorizationService authorization;
  private final AccountService accounts;
  private final ResidenceService residence;
  private final Auth auth;
  private final View view;
  private final boolean secure;
  private final long flowSeconds;

  AuthorizePages(AuthorizationService authorization, AccountService accounts, ResidenceService residence, Auth auth, View view,
                 boolean secure, long flowSeconds) {
    this.authorization = authorization;
    this.accounts = accounts;
    this.residence = residence;
    this.auth = auth;
    this.view = view;
    this.secure = secure;
    this.flowSeconds = flowSeconds;
  }

  /** GET or POST /oauth2/authorize. */
  void authorize(RoutingContext ctx) {
    MultiMap source;
    if (ctx.request().method() == HttpMethod.POST) {
      String type = ctx.request().getHeader("Content-Type");
      if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
        refused(ctx, "The authorization request must be form-encoded");
        return;
      }
      source = ctx.request().formAttributes();
    } else {
      source = ctx.queryParams();
    }
    Map<String, List<String>> params = new LinkedHashMap<>();
    source.names().forEach(n -> params.put(n, source.getAll(n)));
    authorization.start(params).onComplete(ar -> {
      if (ar.failed()) {
        if (ar.cause() instanceof AuthorizationService.Refused r) {
          refused(ctx, r.getMessage());
        } else {
          ctx.fail(ar.cause());
        }
      } else if (ar.result() instanceof AuthorizationService.Redirect r) {
        View.redirect(ctx, r.location());
      } else {
        AuthorizationService.Started s = (AuthorizationService.Started) ar.result();
        ctx.response().addCookie(Cookie.cookie(FLOW_COOKIE, s.binding()).setPath(flowPath(s.flowId())).setHttpOnly(true)
            .setSecure(secure).setSameSite(CookieSameSite.LAX).setMaxAge(flowSeconds));
        Csrf.forFlow(ctx, s.binding());
        // the first step answers this request (a page, or the redirect back for a citizen already signed in);
        // the page's forms and its language switch go to the flow's own address, /authorize/{flow}
        citizen(ctx).compose(c -> authorization.proceed(s.flow(), c))
            .onSuccess(step -> render(ctx, step, null))
            .onFailure(err -> failed(ctx, err));
      }
    });
  }

  /** GET /authorize/:flow — whatever the flow needs next. */
  void show(RoutingContext ctx) {
    flow(ctx).compose(flow -> citizen(ctx).compose(c -> authorization.proceed(flow, c)))
        .onSuccess(step -> render(ctx, step, null))
        .onFailure(err -> failed(ctx, err));
  }

  /** POST /authorize/:flow/sign-in */
  void signIn(RoutingContext ctx) {
    String email = field(ctx, "email");
    ctx.put(TYPED_EMAIL, email);
    flow(ctx).compose(flow -> attempt(() -> accounts.signIn(email, field(ctx, "password"), clientAddress(ctx)))
            .compose(account -> {
              Auth.signInCitizen(ctx, account);
              Csrf.rotate(ctx);
              return citizen(ctx);
            })
            .compose(c -> authorization.signedIn(flow, c.orElseThrow()))
            .recover(err -> err instanceof ProblemException p && (p.status() < 500 || PasswordHasher.busy(p))
                ? authorization.client(flow).map(client -> (Step) new AuthorizationService.SignIn(flow, client, false))
                    .onSuccess(step -> render(ctx, step, p)).compose(x -> Future.failedFuture(new Rendered()))
                : Future.failedFuture(err)))
        .onSuccess(step -> after(ctx, step))
        .onFailure(err -> failed(ctx, err));
  }

  /** POST /authorize/:flow/continue — prompt=select_account, continuing as the signed-in citizen. */
  void continueAs(RoutingContext ctx) {
    flow(ctx).compose(flow -> citizen(ctx).compose(c -> c.isPresent() ? authorization.signedIn(flow, c.get())
            : authorization.proceed(flow, c)))
        .onSuccess(step -> after(ctx, step))
        .onFailure(err -> failed(ctx, err));
  }

  /** POST /authorize/:flow/consent — approve with the ticked items, or deny. */
  void consent(RoutingContext ctx) {
    boolean approve = "approve".equals(field(ctx, "decision"));
    List<String> ticked = ctx.request().formAttributes().getAll("item");
    List<String> purposes = ctx.request().formAttributes().getAll("purpose");
    flow(ctx).compose(flow -> !approve ? authorization.deny(flow)
            : citizen(ctx).compose(c -> c.isPresent()
                ? authorization.approve(flow, c.get(), new LinkedHashSet<>(ticked), new LinkedHashSet<>(purposes))
                : Future.failedFuture(new AuthorizationService.Refused("Sign in again; the session has ended"))))
        .onSuccess(location -> View.redirect(ctx, location))
        .onFailure(err -> failed(ctx, err));
  }

  /** POST /authorize/:flow/residence — the residence code, or cancel. */
  void verifyResidence(RoutingContext ctx) {
    boolean cancel = "cancel".equals(field(ctx, "decision"));
    String code = field(ctx, "code");
    flow(ctx).compose(flow -> cancel ? authorization.deny(flow)
            : auth.citizen(ctx).compose(a -> attempt(() -> residence.verify(a.id(), code, clientAddress(ctx))))
                .map(r -> flowPath(flow.id()))
                .recover(err -> err instanceof ProblemException p && (p.status() < 500 || PasswordHasher.busy(p)) && p.status() != 401
                    ? citizen(ctx).compose(c -> authorization.proceed(flow, c)).onSuccess(step -> render(ctx, step, p))
                        .compose(x -> Future.failedFuture(new Rendered()))
                    : Future.failedFuture(err)))
        .onSuccess(location -> View.redirect(ctx, location))
        .onFailure(err -> failed(ctx, err));
  }

  private void after(RoutingContext ctx, Step step) {
    if (step instanceof AuthorizationService.Redirect r) {
      View.redirect(ctx, r.location());
    } else {
      View.redirect(ctx, flowPath(flowOf(step).id()));
    }
  }

  private void render(RoutingContext ctx, Step step, ProblemException problem) {
    if (step instanceof AuthorizationService.Redirect r) {
      View.redirect(ctx, r.location());
      return;
    }
    Flow flow = flowOf(step);
    // the first page of a flow answers /oauth2/authorize, which the page routes' referrer policy does not cover:
    // the page's forms must send its origin (see Pages)
    ctx.response().headers().set("Referrer-Policy", "same-origin");
    ctx.response().headers().set("Content-Security-Policy",
        SecurityHeaders.policyAllowingFormTarget(AuthorizationResponses.origin(flow.request().redirectUri())));
    flow.request().uiLocales().stream().filter(Messages.LANGUAGES::contains).findFirst().ifPresent(l -> ctx.put(Lang.FORCED, l));
    Map<String, Object> model = new HashMap<>();
    model.put("flowPath", flowPath(flow.id()));
    model.put("path", flowPath(flow.id()));
    if (problem != null) {
      model.put("problem", problem);
      Problems.retryAfter(ctx.response(), problem);
    }
    switch (step) {
      case AuthorizationService.SignIn s -> {
        model.put("client", s.client().name());
        // a refused form keeps the address the citizen typed; a first page offers the service's login_hint
        String typed = ctx.get(TYPED_EMAIL);
        model.put("email", typed != null ? typed : flow.request().loginHint() == null ? "" : flow.request().loginHint());
        model.put("offerCurrent", s.offerCurrent());
        view.render(ctx, problem == null ? 200 : problem.status(), "authorize/sign-in", model);
      }
      case AuthorizationService.Consent c -> {
        model.put("client", c.client().name());
        boolean en = "en".equals(Lang.of(ctx));
        model.put("notice", en ? c.notice().textEn() : c.notice().textJa());
        model.put("noticeVersion", c.notice().version());
        model.put("items", choices(c.items(), en));
        model.put("purposes", choices(c.purposes(), en));
        view.render(ctx, "authorize/consent", model);
      }
      case AuthorizationService.Residence r -> {
        model.put("client", r.client().name());
        view.render(ctx, problem == null ? 200 : problem.status(), "authorize/residence", model);
      }
      default -> throw new IllegalStateException();
    }
  }

  private static List<Map<String, Object>> choices(List<AuthorizationService.ConsentItem> items, boolean en) {
    return items.stream().map(i -> Map.<String, Object>of("id", i.id(), "label", en ? i.labelEn() : i.labelJa(),
        "required", i.required(), "checked", i.checked())).toList();
  }

  private Future<Flow> flow(RoutingContext ctx) {
    UUID id;
    try {
      id = UUID.fromString(ctx.pathParam("flow"));
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(ProblemException.notFound("Authorization"));
    }
    Cookie binding = ctx.request().getCookie(FLOW_COOKIE);
    if (binding != null) {
      Csrf.forFlow(ctx, binding.getValue()); // the flow's pages carry its token (see Csrf)
    }
    return authorization.flow(id, binding == null ? null : binding.getValue())
        .compose(f -> f.isPresent() ? Future.succeededFuture(f.get())
            : Future.failedFuture(new AuthorizationService.Refused("This sign-in was started in another browser or has ended; start again from the service")));
  }

  /** The citizen of this browser session with when and in which sign-in session they signed in. */
  private Future<Optional<Citizen>> citizen(RoutingContext ctx) {
    io.vertx.ext.web.Session session = jp.tsunagu.platform.http.SessionFlush.existing(ctx);
    if (session == null || session.get(Auth.ACCOUNT) == null || session.get(Auth.SID) == null) {
      return Future.succeededFuture(Optional.empty());
    }
    String sid = session.get(Auth.SID);
    Long authTime = ((Number) session.get(Auth.AUTH_TIME)).longValue();
    return auth.citizenWithResidence(ctx)
        .map(a -> Optional.of(new Citizen(a, sid, Instant.ofEpochSecond(authTime))))
        .recover(err -> err instanceof ProblemException p && p.status() == 401 ? Future.succeededFuture(Optional.empty())
            : Future.failedFuture(err));
  }

  private void failed(RoutingContext ctx, Throwable err) {
    if (err instanceof Rendered) {
      return;
    }
    if (err instanceof AuthorizationService.Refused r) {
      refused(ctx, r.getMessage());
    } else if (err instanceof Flow.FlowConflict) {
      refused(ctx, "This sign-in has moved on already (another tab or a repeated form); start again from the service");
    } else {
      ctx.fail(err);
    }
  }

  private void refused(RoutingContext ctx, String description) {
    view.render(ctx, 400, "error", Map.of("problem", new ProblemException(400, "authorization-refused", "Sign-in refused", description),
        "status", 400, "errorSection", "page"));
  }

  private static Flow flowOf(Step step) {
    return switch (step) {
      case AuthorizationService.SignIn s -> s.flow();
      case AuthorizationService.Consent c -> c.flow();
      case AuthorizationService.Residence r -> r.flow();
      default -> throw new IllegalStateException();
    };
  }

  static String flowPath(UUID id) {
    return "/authorize/" + id;
  }

  /** The failure was answered with a page already. */
  private static final class Rendered extends RuntimeException {
    Rendered() {
      super(null, null, false, false);
    }
  }
}
