package jp.tsunagu.platform.oidc;

import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import jp.tsunagu.platform.account.AccountRepository.AccountWithResidence;
import jp.tsunagu.platform.security.Tokens;

/**
 * The authorization endpoint's logic (OIDC Core §3.1.2): checks a request, persists it as a flow
 * bound to the browser, and moves the flow through sign-in and consent to a code. It knows nothing
 * of HTTP; the pages say who is signed in and show what {@link Step} asks for.
 */
public final class AuthorizationService {
  private final ClientService clients;
  private final FlowRepository flows;
  private final GrantRepository grants;
  private final ServiceConsent consent;
  private final Subjects subjects;
  private final AuthorizationResponses responses;
  private final Clock clock;
  private final Duration flowLifetime;
  private final Duration codeLifetime;
  private final Duration pushedLifetime;
  private final boolean pushRequired;

  /** The prefix of the request_uri values the pushed authorization request endpoint gives (RFC 9126 §2.2). */
  public static final String REQUEST_URI_PREFIX = "urn:ietf:params:oauth:request_uri:";
  /** Parameters of client authentication, which a pushed request carries beside the authorization request's own. */
  private static final Set<String> CLIENT_AUTHENTICATION = Set.of("client_secret", "client_assertion", "client_assertion_type");

  AuthorizationService(ClientService clients, FlowRepository flows, GrantRepository grants, ServiceConsent consent, Subjects subjects,
                       String issuer, Clock clock, Duration flowLifetime, Duration codeLifetime, Duration pushedLifetime,
                       boolean pushRequired) {
    this.clients = clients;
    this.flows = flows;
    this.grants = grants;
    this.consent = consent;
    this.subjects = subjects;
    this.responses = new AuthorizationResponses(issuer);
    this.clock = clock;
    this.flowLifetime = flowLifetime;
    this.codeLifetime = codeLifetime;
    this.pushedLifetime = pushedLifetime;
    this.pushRequired = pushRequired;
  }

  /** The citizen signed in to this browser, as the session knows them. */
  public record Citizen(AccountWithResidence account, String sid, Instant authTime) {
    boolean resident() {
      return account.residence().isPresent();
    }
  }

  /** A started flow (as stored, in its first state), the secret of its binding cookie and the service's origin. */
  public record Started(Flow flow, String binding, String redirectOrigin) {
    public UUID flowId() {
      return flow.id();
    }
  }

  /** Whether every client must push its authorization requests (RFC 9126; discovery announces it). */
  public boolean pushRequired() {
    return pushRequired;
  }

  /** The answer to a pushed authorization request: the request_uri and its lifetime in seconds. */
  public record Pushed(String requestUri, long expiresIn) {}

  /** What the browser sees next. */
  public sealed interface Step permits SignIn, Consent, Residence, Redirect {}

  public record SignIn(Flow flow, Client client, boolean offerCurrent) implements Step {}

  /** The consent page: the service's notice, each item and purpose with whether it starts ticked. */
  public record Consent(Flow flow, Client client, ServiceConsent.Notice notice, List<ConsentItem> items, List<ConsentItem> purposes)
      implements Step {}

  public record Residence(Flow flow, Client client) implements Step {}

  public record Redirect(String location) implements Step {}

  /**
   * One item (or purpose) of the consent page; required ones cannot be unticked, optional ones
   * start unticked unless the citizen's consent in force has them.
   */
  public record ConsentItem(String id, String labelJa, String labelEn, boolean required, boolean checked) {}

  /** An authorization request that cannot be answered by redirect (unknown client, bad redirect URI). */
  public static final class Refused extends RuntimeException {
    public Refused(String description) {
      super(description, null, false, false);
    }
  }

  /** Checks a request and stores its flow; failures after the redirect URI is known come back as a Redirect. */
  public Future<Object> start(Map<String, List<String>> params) {
    String clientId;
    try {
      clientId = AuthorizationParser.single(params, "client_id", true);
    } catch (AuthorizationParser.InvalidAuthorization e) {
      return Future.failedFuture(new Refused(e.getMessage()));
    }
    if (clientId == null) {
      return Future.failedFuture(new Refused("client_id is required"));
    }
    return clients.find(clientId).compose(found -> {
      if (found.isEmpty()) {
        return Future.failedFuture(new Refused("Unknown client"));
      }
      Client client = found.get();
      String requestUri;
      String redirect;
      try {
        requestUri = AuthorizationParser.single(params, "request_uri", true);
        if (requestUri != null) {
          return startPushed(client, requestUri);
        }
        redirect = AuthorizationParser.redirectUri(params, client);
      } catch (AuthorizationParser.InvalidAuthorization e) {
        return Future.failedFuture(new Refused(e.getMessage()));
      }
      String state = first(params, "state");
      if (pushRequired || client.requirePushedRequests()) {
        return Future.succeededFuture(new Redirect(responses.error(redirect, "invalid_request",
            "This client must push its authorization requests to the pushed authorization request endpoint (RFC 9126)", state)));
      }
      AuthorizationRequest request;
      try {
        request = AuthorizationParser.parse(params, client, redirect);
      } catch (OAuthError e) {
        return Future.succeededFuture(new Redirect(responses.error(redirect, e.error(), e.description(), state)));
      }
      Flow flow = new Flow(UUID.randomUUID(), client.clientId(), FlowState.LOGIN, request, null, null, null, null, null, null,
          clock.instant().plus(flowLifetime));
      String binding = Tokens.urlToken();
      return flows.insert(flow.id(), request, Tokens.sha256(binding), flow.expiresAt())
          .map(v -> new Started(flow, binding, AuthorizationResponses.origin(redirect)));
    });
  }

  /**
   * A pushed authorization request (RFC 9126 §2) of an authenticated client: checked as the
   * authorization endpoint checks a request, with every error answered to the client (never by
   * redirect), and stored as a flow in the state pushed until a browser brings its request_uri. A
   * DPoP proof with the push ({@code proofJkt}, its key) binds the code to that key.
   * Client authentication's own parameters are not part of the request.
   */
  public Future<Pushed> push(Client client, Map<String, String> form, String proofJkt) {
    Map<String, List<String>> params = new LinkedHashMap<>();
    form.forEach((name, value) -> {
      if (!CLIENT_AUTHENTICATION.contains(name)) {
        params.put(name, List.of(value));
      }
    });
    if (params.containsKey("request_uri")) {
      return Future.failedFuture(OAuthError.invalidRequest("request_uri cannot be pushed; push the request's parameters"));
    }
    AuthorizationRequest request;
    try {
      request = AuthorizationParser.parse(params, client, AuthorizationParser.redirectUri(params, client));
    } catch (AuthorizationParser.InvalidAuthorization e) {
      return Future.failedFuture(OAuthError.invalidRequest(e.getMessage()));
    } catch (OAuthError e) {
      return Future.failedFuture(e);
    }
    if (proofJkt != null) {
      // a DPoP proof with the push binds the code to its key, as dpop_jkt would (RFC 9449 §10.1)
      if (request.dpopJkt() != null && !request.dpopJkt().equals(proofJkt)) {
        return Future.failedFuture(OAuthError.invalidDpopProof("dpop_jkt names another key than the DPoP proof's"));
      }
      request = request.boundTo(proofJkt);
    }
    String requestUri = REQUEST_URI_PREFIX + Tokens.urlToken();
    return flows.insertPushed(UUID.randomUUID(), request, Tokens.sha256(requestUri), clock.instant().plus(pushedLifetime))
        .map(v -> new Pushed(requestUri, pushedLifetime.toSeconds()));
  }

  /**
   * The browser brings a pushed request's request_uri: the flow moves from pushed to login, bound to
   * this browser. The request is the one pushed; other parameters beside client_id are not read
   * (RFC 9126 §4). An unknown, used, expired or another client's request_uri ends on the error
   * page: the redirect URI it would go back to is not known.
   */
  private Future<Object> startPushed(Client client, String requestUri) {
    if (!requestUri.startsWith(REQUEST_URI_PREFIX)) {
      return Future.failedFuture(new Refused("request_uri must be one that the pushed authorization request endpoint gave"));
    }
    String binding = Tokens.urlToken();
    return flows.claimPushed(Tokens.sha256(requestUri), client.clientId(), Tokens.sha256(binding), clock.instant().plus(flowLifetime))
        .compose(claimed -> claimed.isEmpty()
            ? Future.failedFuture(new Refused("This sign-in request is unknown, was used already or has expired; start again from the service"))
            : Future.succeededFuture(new Started(claimed.get(), binding, AuthorizationResponses.origin(claimed.get().request().redirectUri()))));
  }

  public Future<Optional<Flow>> flow(UUID id, String binding) {
    return binding == null ? Future.succeededFuture(Optional.empty()) : flows.bound(id, Tokens.sha256(binding));
  }

  public Future<Client> client(Flow flow) {
    return clients.find(flow.clientId()).map(Optional::orElseThrow);
  }

  /** Decides the next step of a flow for the browser's current citizen (if any). */
  public Future<Step> proceed(Flow flow, Optional<Citizen> citizen) {
    if (flow.expired(clock.instant()) || flow.state() == FlowState.DONE || flow.state() == FlowState.DENIED) {
      return Future.failedFuture(new Refused("This sign-in has ended or expired; start again from the service"));
    }
    return client(flow).compose(client -> switch (flow.state()) {
      case LOGIN -> login(flow, client, citizen);
      case CONSENT -> citizen.filter(c -> c.account().account().id().equals(flow.accountId())).isPresent()
          ? consent(flow, client, citizen.get())
          : Future.succeededFuture(new SignIn(flow, client, false));
      default -> Future.failedFuture(new Refused("This sign-in has ended"));
    });
  }

  /**
   * The citizen has just signed in (or chose to continue as the signed-in citizen). With a consent
   * in force, the assurance level met and no {@code prompt=consent}, the flow is done at once: one
   * UPDATE from login to done, and the code goes back. Otherwise it moves to consent, which shows
   * the consent page (or the residence step, or answers {@code prompt=none} with an error).
   */
  public Future<Step> signedIn(Flow flow, Citizen citizen) {
    flow.requireMove(FlowState.CONSENT);
    AuthorizationRequest r = flow.request();
    Optional<String> acr = Acr.choose(r.acrValues(), citizen.resident());
    if (acr.isEmpty() || r.prompts("consent")) {
      return toConsent(flow, citizen);
    }
    UUID account = citizen.account().account().id();
    return client(flow).compose(client -> consent.notice(client).compose(notice -> consent.current(client, account).compose(given -> {
      if (given.isEmpty()) {
        return toConsent(flow, citizen);
      }
      String code = Tokens.urlToken();
      return flows.signedInWithConsent(flow.id(), account, citizen.account().account().securityStamp(), citizen.sid(),
              citizen.authTime(), acr.get(), List.copyOf(granted(flow, notice, given.get())), Tokens.sha256(code),
              clock.instant().plus(codeLifetime), subjects.of(client, account))
          .compose(moved -> moved ? Future.succeededFuture((Step) new Redirect(responses.code(flow, code)))
              : Future.failedFuture(new Flow.FlowConflict(flow.id(), flow.state(), FlowState.DONE)));
    })));
  }

  private Future<Step> toConsent(Flow flow, Citizen citizen) {
    return flows.signedIn(flow.id(), citizen.account().account().id(), citizen.account().account().securityStamp(), citizen.sid(),
        citizen.authTime(),
            Acr.of(citizen.resident()))
        .compose(moved -> moved.isPresent() ? proceed(moved.get(), Optional.of(citizen))
            : Future.failedFuture(new Flow.FlowConflict(flow.id(), flow.state(), FlowState.CONSENT)));
  }

  /**
   * Consent given on the page for the ticked items and purposes (required ones always): it is
   * recorded in the consent ledger, and the code goes back to the service with the requested
   * scopes the consent covers.
   */
  public Future<String> approve(Flow flow, Citizen citizen, Set<String> tickedItems, Set<String> tickedPurposes) {
    flow.requireMove(FlowState.DONE);
    if (!citizen.account().account().id().equals(flow.accountId())) {
      return Future.failedFuture(new Refused("Signed in as someone else; start again from the service"));
    }
    return client(flow).compose(client -> consent.notice(client).compose(notice -> {
      Set<String> items = new LinkedHashSet<>();
      notice.items().stream().filter(i -> i.required() || tickedItems.contains(i.id())).forEach(i -> items.add(i.id()));
      Set<String> purposes = new LinkedHashSet<>();
      purposes.add(notice.primaryPurpose().id());
      notice.purposes().stream().filter(p -> tickedPurposes.contains(p.id())).forEach(p -> purposes.add(p.id()));
      return consent.give(client, flow.accountId(), items, purposes)
          .compose(given -> finish(flow, citizen, client, notice, given));
    }));
  }

  /** The code for the scopes of the request that the consent in force covers. */
  private Future<String> finish(Flow flow, Citizen citizen, Client client, ServiceConsent.Notice notice, ServiceConsent.Given given) {
    Set<String> granted = granted(flow, notice, given);
    String code = Tokens.urlToken();
    Optional<String> acr = Acr.choose(flow.request().acrValues(), citizen.resident());
    return (acr.isPresent() && !acr.get().equals(flow.acr()) ? flows.acr(flow.id(), acr.get()).mapEmpty() : Future.<Void>succeededFuture())
        .compose(v -> flows.approved(flow.id(), List.copyOf(granted), Tokens.sha256(code), clock.instant().plus(codeLifetime)))
        .compose(moved -> moved.isEmpty() ? Future.failedFuture(new Flow.FlowConflict(flow.id(), flow.state(), FlowState.DONE))
            : grants.rememberSubject(client.clientId(), subjects.of(client, flow.accountId()), flow.accountId()).map(moved.get()))
        .map(done -> responses.code(done, code));
  }

  /** The requested scopes that the consent covers (scopes that are no item of the notice pass). */
  private static Set<String> granted(Flow flow, ServiceConsent.Notice notice, ServiceConsent.Given given) {
    Set<String> granted = new LinkedHashSet<>();
    Set<String> items = notice.itemIds();
    for (String scope : flow.request().scopes()) {
      if (!items.contains(scope) || given.items().contains(scope)) {
        granted.add(scope);
      }
    }
    return granted;
  }

  /** The citizen declined (or cancelled the residence step). */
  public Future<String> deny(Flow flow) {
    flow.requireMove(FlowState.DENIED);
    return flows.denied(flow.id()).map(moved -> responses.error(flow.request().redirectUri(), "access_denied",
        "The citizen did not agree", flow.request().state()));
  }

  private Future<Step> login(Flow flow, Client client, Optional<Citizen> citizen) {
    AuthorizationRequest r = flow.request();
    boolean fresh = citizen.isPresent() && (r.maxAge() == null
        || !citizen.get().authTime().plusSeconds(r.maxAge()).isBefore(clock.instant()));
    if (r.prompts("none")) {
      return citizen.isPresent() && fresh ? signedIn(flow, citizen.get())
          : deny(flow, "login_required", "The citizen is not signed in");
    }
    if (citizen.isPresent() && fresh && !r.prompts("login") && !r.prompts("select_account")) {
      return signedIn(flow, citizen.get());
    }
    return Future.succeededFuture(new SignIn(flow, client, citizen.isPresent() && fresh && r.prompts("select_account")));
  }

  private Future<Step> consent(Flow flow, Client client, Citizen citizen) {
    AuthorizationRequest r = flow.request();
    if (Acr.choose(r.acrValues(), citizen.resident()).isEmpty()) {
      return r.prompts("none") ? deny(flow, "interaction_required", "The requested assurance level needs residence verification")
          : Future.succeededFuture(new Residence(flow, client));
    }
    UUID account = citizen.account().account().id();
    return consent.notice(client).compose(notice -> consent.current(client, account).compose(given -> {
      if (given.isPresent() && !r.prompts("consent")) {
        return finish(flow, citizen, client, notice, given.get()).map(Redirect::new);
      }
      if (r.prompts("none")) {
        return deny(flow, "consent_required", "The citizen has not agreed to this service's notice yet");
      }
      Set<String> before = given.map(ServiceConsent.Given::items).orElse(Set.of());
      Set<String> beforePurposes = given.map(ServiceConsent.Given::purposes).orElse(Set.of());
      List<ConsentItem> items = notice.items().stream()
          .map(i -> new ConsentItem(i.id(), i.labelJa(), i.labelEn(), i.required(), i.required() || before.contains(i.id()))).toList();
      String primary = notice.primaryPurpose().id();
      List<ConsentItem> purposes = notice.purposes().stream()
          .map(p -> new ConsentItem(p.id(), p.labelJa(), p.labelEn(), p.id().equals(primary),
              p.id().equals(primary) || beforePurposes.contains(p.id()))).toList();
      return Future.succeededFuture((Step) new Consent(flow, client, notice, items, purposes));
    }));
  }

  private Future<Step> deny(Flow flow, String error, String description) {
    return flows.denied(flow.id()).map(v -> new Redirect(responses.error(flow.request().redirectUri(), error, description,
        flow.request().state())));
  }

  private static String first(Map<String, List<String>> params, String name) {
    List<String> v = params.get(name);
    return v == null || v.isEmpty() ? null : v.get(0);
  }
}
