package jp.tsunagu.platform.consentlink;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import jp.tsunagu.consent.ConsentError;
import jp.tsunagu.consent.ConsentException;
import jp.tsunagu.consent.ConsentModule;
import jp.tsunagu.consent.accesslog.AccessEvent;
import jp.tsunagu.consent.accesslog.AccessKind;
import jp.tsunagu.consent.declaration.DeclaredItem;
import jp.tsunagu.consent.declaration.DeclaredPurpose;
import jp.tsunagu.consent.declaration.LocalizedText;
import jp.tsunagu.consent.declaration.ServiceDeclaration;
import jp.tsunagu.consent.decision.ConsentKey;
import jp.tsunagu.consent.decision.Decision;
import jp.tsunagu.consent.ledger.Actor;
import jp.tsunagu.consent.ledger.Channel;
import jp.tsunagu.consent.ledger.ConsentRecord;
import jp.tsunagu.consent.ledger.ConsentRequest;
import jp.tsunagu.platform.http.ProblemException;
import jp.tsunagu.platform.oidc.Client;
import jp.tsunagu.platform.oidc.Scopes;
import jp.tsunagu.platform.oidc.ServiceConsent;

/**
 * The OpenID provider's services in the consent ledger. A client's notice lists an item for every
 * citizen scope it may request (the sign-in itself, {@code openid}, is required) and any
 * service-specific items from its registration; its purposes come from the registration, or the
 * single purpose of signing in. Notices are cached per node for a short time: the gate itself
 * refuses consents to an outdated notice at once, the cache only names items and purposes.
 */
public final class ClientConsents implements ServiceConsent {
  /** Labels of the items that are OpenID scopes. */
  private static final Map<String, LocalizedText> SCOPE_LABELS = Map.of(
      Scopes.OPENID, new LocalizedText("ログインしたこと（この種類のサービスだけが知る識別子）",
          "That you signed in (an identifier only this kind of service knows)"),
      "profile", new LocalizedText("表示名と言語", "Your display name and language"),
      "email", new LocalizedText("メールアドレス", "Your e-mail address"),
      "address", new LocalizedText("お住まいの市区町村（住所として）", "Your municipality of residence (as your address)"),
      "municipality", new LocalizedText("お住まいの市区町村（市区町村による確認済み）", "Your municipality of residence, verified by the city"),
      "offline_access", new LocalizedText("サービスがあなたの不在中もアクセスを更新できること",
          "Staying signed in to the service when you are away (it may renew its access)"));
  private static final DeclaredPurpose SIGN_IN = new DeclaredPurpose("sign_in",
      new LocalizedText("サービスへのサインインと本人の確認", "Signing in to the service and confirming who you are"));
  private static final int MAX_ITEMS = 30;
  private static final int MAX_PURPOSES = 10;

  private final ConsentModule consent;
  private final Cache<String, Notice> notices = Caffeine.newBuilder().maximumSize(10_000)
      .expireAfterWrite(Duration.ofSeconds(30)).build();

  public ClientConsents(ConsentModule consent) {
    this.consent = consent;
  }

  @Override
  public void check(Client client, JsonObject registration) {
    if (asksForData(client, registration)) {
      declaration(client, registration, 1);
    }
  }

  @Override
  public Future<Notice> declare(Client client, JsonObject registration) {
    if (!asksForData(client, registration)) {
      return Future.succeededFuture(null);
    }
    // a client id registered again (the demo service after its address changed) continues the versions
    return nextVersion(client).compose(next -> publishDeclaration(declaration(client, registration, next)));
  }

  @Override
  public Future<Notice> publish(Client client, JsonObject notice) {
    return nextVersion(client).compose(next -> {
      Integer expected = notice.getInteger("noticeVersion");
      if (expected != null && expected != next) {
        return Future.failedFuture(ProblemException.conflict("stale-notice-version",
            "The notice in force is version " + (next - 1) + "; publish version " + next));
      }
      return publishDeclaration(declaration(client, notice, next));
    });
  }

  /** A service that may ask for no citizen scope and declares no item (an API-only client) needs no notice. */
  private static boolean asksForData(Client client, JsonObject registration) {
    return Scopes.CITIZEN.stream().anyMatch(client.scopes()::contains) || !array(registration, "dataItems").isEmpty();
  }

  private Future<Integer> nextVersion(Client client) {
    return consent.declarations().current(client.tenantCode(), ServiceConsent.serviceId(client.clientId()))
        .map(d -> d.noticeVersion() + 1)
        .recover(err -> isUnknown(err) ? Future.succeededFuture(1) : Future.failedFuture(err));
  }

  @Override
  public Future<Notice> notice(Client client) {
    String key = client.tenantCode() + "/" + client.clientId();
    Notice cached = notices.getIfPresent(key);
    if (cached != null) {
      return Future.succeededFuture(cached);
    }
    return consent.declarations().current(client.tenantCode(), ServiceConsent.serviceId(client.clientId()))
        .recover(err -> isUnknown(err)
            ? consent.declarations().publish(declaration(client, new JsonObject(), 1))
                .recover(again -> again instanceof ConsentException ce && ce.error() != ConsentError.UNKNOWN_SERVICE
                    // another node published it meanwhile
                    ? consent.declarations().current(client.tenantCode(), ServiceConsent.serviceId(client.clientId()))
                    : Future.failedFuture(again))
            : Future.failedFuture(err))
        .map(d -> {
          Notice n = notice(d);
          notices.put(key, n);
          return n;
        });
  }

  @Override
  public Future<Optional<Given>> current(Client client, UUID accountId) {
    // from the gate's snapshot of the link (cached per node, kept right by the ledger's invalidations): the consent the
    // sign-in finds in force is the one the token endpoint's gate then releases by
    ConsentKey key = new ConsentKey(client.tenantCode(), accountId.toString(), ServiceConsent.serviceId(client.clientId()));
    return consent.gate().snapshotOf(key).map(s -> s.inForceAt(System.currentTimeMillis())
        ? Optional.of(new Given(s.consentId().orElseThrow(), s.noticeVersion(), s.items(), s.purposes()))
        : Optional.empty());
  }

  @Override
  public Future<Given> give(Client client, UUID accountId, Set<String> items, Set<String> purposes) {
    return notice(client).compose(n -> {
      if (!purposes.contains(n.primaryPurpose().id())) {
        return Future.failedFuture(ConsentError.INVALID_REQUEST.exception("signing in needs the purpose " + n.primaryPurpose().id()));
      }
      return consent.consents().give(new ConsentRequest(client.tenantCode(), accountId.toString(),
          ServiceConsent.serviceId(client.clientId()), n.version(), items, purposes,
          Actor.citizen(accountId.toString(), Channel.WEB), Optional.empty()));
    }).map(ClientConsents::given);
  }

  @Override
  public Future<Set<String>> releasable(Client client, UUID accountId, Set<String> scopes) {
    return notice(client).compose(n -> {
      Set<String> asItems = items(n, scopes);
      if (asItems.isEmpty()) {
        return Future.succeededFuture(scopes);
      }
      ConsentKey key = new ConsentKey(client.tenantCode(), accountId.toString(), ServiceConsent.serviceId(client.clientId()));
      return consent.gate().decideItems(key, asItems, n.primaryPurpose().id()).map(decisions -> {
        Set<String> out = new LinkedHashSet<>();
        for (String s : scopes) {
          Decision d = decisions.get(s);
          if (d == null || d.permitted()) {
            out.add(s);
          }
        }
        return out;
      });
    });
  }

  @Override
  public Future<Integer> endService(String tenantCode, String clientId) {
    notices.invalidate(tenantCode + "/" + clientId);
    return consent.consents().endService(tenantCode, ServiceConsent.serviceId(clientId));
  }

  /** Of {@code scopes}, in their order, the ones that are items of the notice. */
  private static Set<String> items(ServiceConsent.Notice n, Set<String> scopes) {
    Set<String> out = new LinkedHashSet<>();
    for (String s : scopes) {
      if (n.hasItem(s)) {
        out.add(s);
      }
    }
    return out;
  }

  @Override
  public Future<Void> logRead(Client client, UUID accountId, Set<String> scopes) {
    return notice(client).compose(n -> {
      Set<String> items = items(n, scopes);
      if (items.isEmpty()) {
        return Future.succeededFuture();
      }
      return consent.gate().decide(client.tenantCode(), accountId.toString(), ServiceConsent.serviceId(client.clientId()),
              items.iterator().next(), n.primaryPurpose().id())
          .compose(d -> consent.accessLog().append(new AccessEvent(client.tenantCode(), accountId.toString(),
              ServiceConsent.serviceId(client.clientId()), AccessKind.READ, items, n.primaryPurpose().id(), d.consentId())))
          .mapEmpty();
    });
  }

  /** The service name of a consent-ledger service id of a client, for pages. */
  public static Optional<String> clientIdOf(String serviceId) {
    return serviceId.startsWith("client:") ? Optional.of(serviceId.substring("client:".length())) : Optional.empty();
  }

  private Future<Notice> publishDeclaration(ServiceDeclaration d) {
    return consent.declarations().publish(d).map(published -> {
      Notice n = notice(published);
      notices.invalidate(d.tenantId() + "/" + d.serviceId().substring("client:".length()));
      return n;
    });
  }

  /**
   * The declaration for a client: items for its citizen scopes, then {@code dataItems}; purposes
   * from {@code purposes}, or signing in; the notice text given or a standard one.
   */
  private static ServiceDeclaration declaration(Client client, JsonObject b, int version) {
    List<DeclaredItem> items = new ArrayList<>();
    Set<String> seen = new LinkedHashSet<>();
    for (String scope : Scopes.CITIZEN) {
      if (client.scopes().contains(scope)) {
        items.add(new DeclaredItem(scope, Scopes.OPENID.equals(scope), SCOPE_LABELS.get(scope)));
        seen.add(scope);
      }
    }
    JsonArray extra = array(b, "dataItems");
    if (extra.size() > MAX_ITEMS) {
      throw bad("At most " + MAX_ITEMS + " dataItems");
    }
    for (int i = 0; i < extra.size(); i++) {
      JsonObject item = object(extra, i, "dataItems");
      String id = item.getString("id");
      if (id == null || Scopes.CITIZEN.contains(id) || !seen.add(id)) {
        throw bad("dataItems[" + i + "].id must be a new item id (not a scope name, not repeated)");
      }
      items.add(declaredItem(id, item.getBoolean("required", false), text(item, "label", "dataItems[" + i + "].label")));
    }
    if (items.isEmpty()) {
      throw bad("The service asks for nothing: give it a citizen scope or dataItems");
    }
    JsonArray given = array(b, "purposes");
    if (given.size() > MAX_PURPOSES) {
      throw bad("At most " + MAX_PURPOSES + " purposes");
    }
    List<DeclaredPurpose> purposes = new ArrayList<>();
    for (int i = 0; i < given.size(); i++) {
      JsonObject p = object(given, i, "purposes");
      purposes.add(declaredPurpose(p.getString("id"), text(p, "label", "purposes[" + i + "].label")));
    }
    if (purposes.isEmpty()) {
      purposes.add(SIGN_IN);
    }
    LocalizedText notice = b.getValue("notice") == null
        ? new LocalizedText(client.name() + "は、あなたが選んだ項目を、次の目的のために受け取ります。",
            client.name() + " receives the items you choose, for the purposes below.")
        : text(b, "notice", "notice");
    Optional<URI> events = Optional.ofNullable(b.getString("consentEventsUri")).map(ClientConsents::eventsUri);
    try {
      return new ServiceDeclaration(client.tenantCode(), ServiceConsent.serviceId(client.clientId()), version, notice, items,
          purposes, client.clientId(), events, Instant.now());
    } catch (IllegalArgumentException e) {
      throw bad(e.getMessage());
    }
  }

  private static DeclaredItem declaredItem(String id, boolean required, LocalizedText label) {
    try {
      return new DeclaredItem(id, required, label);
    } catch (IllegalArgumentException e) {
      throw bad(e.getMessage());
    }
  }

  private static DeclaredPurpose declaredPurpose(String id, LocalizedText label) {
    try {
      return new DeclaredPurpose(id, label);
    } catch (IllegalArgumentException | NullPointerException e) {
      throw bad("purpose id must be lower-case letters, digits, '_', '.' or '-': " + id);
    }
  }

  private static URI eventsUri(String text) {
    try {
      URI u = new URI(text);
      boolean loopback = "127.0.0.1".equals(u.getHost()) || "localhost".equals(u.getHost()) || "[::1]".equals(u.getHost());
      if (u.getHost() == null || u.getRawFragment() != null || !("https".equals(u.getScheme()) || "http".equals(u.getScheme()) && loopback)) {
        throw bad("consentEventsUri must be an absolute https URI (http only on loopback) without fragment");
      }
      return u;
    } catch (java.net.URISyntaxException e) {
      throw bad("consentEventsUri is not a URI");
    }
  }

  private static LocalizedText text(JsonObject o, String field, String where) {
    Object v = o.getValue(field);
    if (!(v instanceof JsonObject t) || blank(t.getString("ja")) || blank(t.getString("en"))
        || t.getString("ja").length() > 2000 || t.getString("en").length() > 2000) {
      throw bad(where + " needs ja and en texts of 1 to 2000 characters");
    }
    return new LocalizedText(t.getString("ja").strip(), t.getString("en").strip());
  }

  private static JsonArray array(JsonObject o, String field) {
    Object v = o.getValue(field);
    if (v == null) {
      return new JsonArray();
    }
    if (!(v instanceof JsonArray a)) {
      throw bad(field + " must be an array");
    }
    return a;
  }

  private static JsonObject object(JsonArray a, int i, String field) {
    if (!(a.getValue(i) instanceof JsonObject o)) {
      throw bad(field + "[" + i + "] must be an object");
    }
    return o;
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }

  private static boolean isUnknown(Throwable err) {
    return err instanceof ConsentException ce && ce.error() == ConsentError.UNKNOWN_SERVICE;
  }

  private static ProblemException bad(String detail) {
    return ProblemException.badRequest("invalid-notice", detail);
  }

  private static Notice notice(ServiceDeclaration d) {
    Set<String> scopes = Set.copyOf(Scopes.CITIZEN);
    return new Notice(d.noticeVersion(), d.notice().ja(), d.notice().en(),
        d.items().stream().map(i -> new Item(i.id(), i.required(), i.label().ja(), i.label().en(), scopes.contains(i.id()))).toList(),
        d.purposes().stream().map(p -> new Purpose(p.id(), p.label().ja(), p.label().en())).toList());
  }

  private static Given given(ConsentRecord r) {
    return new Given(r.id(), r.noticeVersion(), r.items(), r.purposes());
  }
}
