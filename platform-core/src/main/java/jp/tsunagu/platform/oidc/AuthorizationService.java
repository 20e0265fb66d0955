package jp.tsunagu.platform.oidc;

import io.vertx.core.Future;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
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
  private final String issuer;
  private final Clock clock;
  private final Duration flowLifetime;
  private final Duration codeLifetime;

  AuthorizationService(ClientService clients, FlowRepository flows, GrantRepository grants, String issuer, Clock clock,
                       Duration flowLifetime, Duration codeLifetime) {
    this.clients = clients;
    this.flows = flows;
    this.grants = grants;
    this.issuer = issuer;
    this.clock = clock;
    this.flowLifetime = flowLifetime;
    this.codeLifetime = codeLifetime;
  }

  /** The citizen signed in to this browser, as the session knows them. */
  public record Citizen(AccountWithResidence account, String sid, Instant authTime) {
    boolean resident() {
      return account.residence().isPresent();
    }
  }

  /** A started flow: where the browser continues and the secret of its binding cookie. */
  public record Started(UUID flowId, String binding, String redirectOrigin) {}

  /** What the browser sees next. */
  public sealed interface Step permits SignIn, Consent, Residence, Redirect {}

  public record SignIn(Flow flow, Client client, boolean offerCurrent) implements Step {}

  public record Consent(Flow flow, Client client, List<ConsentItem> items) implements Step {}

  public record Residence(Flow flow, Client client) implements Step {}

  public record Redirect(String location) implements Step {}

  /** One thing the service will receive; required items cannot be unticked. */
  public record ConsentItem(String scope, boolean required, boolean checked) {}

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
      String redirect;
      try {
        redirect = AuthorizationParser.redirectUri(params, client);
      } catch (AuthorizationParser.InvalidAuthorization e) {
        return Future.failedFuture(new Refused(e.getMessage()));
      }
      String state = first(params, "state");
      AuthorizationRequest request;
      try {
        request = AuthorizationParser.parse(params, client, redirect);
      } catch (OAuthError e) {
        return Future.succeededFuture(new Redirect(errorRedirect(redirect, e.error(), e.description(), state)));
      }
      UUID id = UUID.randomUUID();
      String binding = Tokens.urlToken();
      return flows.insert(id, request, Tokens.sha256(binding), clock.instant().plus(flowLifetime))
          .map(v -> new Started(id, binding, origin(redirect)));
    });
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

  /** The citizen has just signed in (or chose to continue as the signed-in citizen). */
  public Future<Step> signedIn(Flow flow, Citizen citizen) {
    flow.requireMove(FlowState.CONSENT);
    return flows.signedIn(flow.id(), citizen.account().account().id(), citizen.account().account().securityStamp(), citizen.sid(),
        citizen.authTime(),
            Acr.of(citizen.resident()))
        .compose(moved -> moved.isPresent() ? proceed(moved.get(), Optional.of(citizen))
            : Future.failedFuture(new Flow.FlowConflict(flow.id(), flow.state(), FlowState.CONSENT)));
  }

  /** Consent given for the ticked items (required ones always): the code goes back to the service. */
  public Future<String> approve(Flow flow, Citizen citizen, Set<String> ticked) {
    flow.requireMove(FlowState.DONE);
    if (!citizen.account().account().id().equals(flow.accountId())) {
      return Future.failedFuture(new Refused("Signed in as someone else; start again from the service"));
    }
    Set<String> granted = new LinkedHashSet<>();
    for (ConsentItem item : items(flow.request(), Set.of())) {
      if (item.required() || ticked.contains(item.scope())) {
        granted.add(item.scope());
      }
    }
    String code = Tokens.urlToken();
    Optional<String> acr = Acr.choose(flow.request().acrValues(), citizen.resident());
    return (acr.isPresent() && !acr.get().equals(flow.acr()) ? flows.acr(flow.id(), acr.get()).mapEmpty() : Future.<Void>succeededFuture())
        .compose(v -> flows.approved(flow.id(), List.copyOf(granted), Tokens.sha256(code), clock.instant().plus(codeLifetime)))
        .compose(moved -> moved.isEmpty() ? Future.failedFuture(new Flow.FlowConflict(flow.id(), flow.state(), FlowState.DONE))
            : grants.saveConsent(flow.accountId(), flow.clientId(), granted).map(moved.get()))
        .map(done -> codeRedirect(done, code));
  }

  /** The citizen declined (or cancelled the residence step). */
  public Future<String> deny(Flow flow) {
    flow.requireMove(FlowState.DENIED);
    return flows.denied(flow.id()).map(moved -> errorRedirect(flow.request().redirectUri(), "access_denied",
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
    return grants.consented(citizen.account().account().id(), client.clientId()).compose(before -> {
      if (!r.prompts("consent") && before.containsAll(r.scopes())) {
        return approve(flow, citizen, r.scopes()).map(Redirect::new);
      }
      if (r.prompts("none")) {
        return deny(flow, "consent_required", "The citizen has not agreed to this yet");
      }
      return Future.succeededFuture(new Consent(flow, client, items(r, before)));
    });
  }

  private Future<Step> deny(Flow flow, String error, String description) {
    return flows.denied(flow.id()).map(v -> new Redirect(errorRedirect(flow.request().redirectUri(), error, description,
        flow.request().state())));
  }

  /** The consent page's items: {@code openid} (the sign-in itself) is required, the rest may be unticked. */
  static List<ConsentItem> items(AuthorizationRequest r, Set<String> before) {
    return r.scopes().stream()
        .map(s -> new ConsentItem(s, Scopes.OPENID.equals(s), Scopes.OPENID.equals(s) || before.isEmpty() || before.contains(s)))
        .toList();
  }

  private String codeRedirect(Flow flow, String code) {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("code", code);
    if (flow.request().state() != null) {
      p.put("state", flow.request().state());
    }
    p.put("iss", issuer);
    return append(flow.request().redirectUri(), p);
  }

  String errorRedirect(String redirect, String error, String description, String state) {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("error", error);
    p.put("error_description", description);
    if (state != null) {
      p.put("state", state);
    }
    p.put("iss", issuer);
    return append(redirect, p);
  }

  static String append(String uri, Map<String, String> params) {
    StringBuilder out = new StringBuilder(uri).append(uri.contains("?") ? '&' : '?');
    boolean first = true;
    for (Map.Entry<String, String> e : params.entrySet()) {
      if (!first) {
        out.append('&');
      }
      first = false;
      out.append(e.getKey()).append('=').append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
    }
    return out.toString();
  }

  private static String first(Map<String, List<String>> params, String name) {
    List<String> v = params.get(name);
    return v == null || v.isEmpty() ? null : v.get(0);
  }

  static String origin(String uri) {
    java.net.URI u = java.net.URI.create(uri);
    return u.getScheme() + "://" + u.getRawAuthority();
  }
}
