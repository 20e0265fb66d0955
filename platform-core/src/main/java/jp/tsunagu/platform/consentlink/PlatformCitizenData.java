package jp.tsunagu.platform.consentlink;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import jp.tsunagu.connectors.gate.CitizenData;
import jp.tsunagu.connectors.gate.CitizenDataSource;
import jp.tsunagu.connectors.spi.DataItems;
import jp.tsunagu.platform.account.AccountService;
import jp.tsunagu.platform.oidc.Oidc;
import jp.tsunagu.platform.oidc.Scopes;
import jp.tsunagu.platform.residence.ResidenceService;

/**
 * A citizen's data items as the platform holds them, read only for the items the gate permitted:
 * the OpenID scopes as userinfo releases them (identifier, profile, e-mail, address, municipality)
 * and the resident-record items (kana, district, the children the citizen is guardian of). Items
 * the platform does not hold (a library card number) are absent.
 */
final class PlatformCitizenData implements CitizenDataSource {
  private final Oidc oidc;
  private final AccountService accounts;
  private final ResidenceService residence;

  PlatformCitizenData(Oidc oidc, AccountService accounts, ResidenceService residence) {
    this.oidc = oidc;
    this.accounts = accounts;
    this.residence = residence;
  }

  @Override
  public Future<CitizenData> load(String tenantId, String citizenId, String serviceId, Set<String> items) {
    UUID account = UUID.fromString(citizenId);
    String clientId = ClientConsents.clientIdOf(serviceId).orElseThrow();
    return oidc.subjectOf(clientId, account).compose(subject -> accounts.findWithResidence(account).compose(found -> {
      Map<String, Object> values = new HashMap<>();
      if (found.isEmpty()) {
        return Future.succeededFuture(new CitizenData(subject, values));
      }
      var a = found.get();
      if (items.contains(Scopes.OPENID)) {
        values.put(Scopes.OPENID, subject);
      }
      if (items.contains("profile")) {
        values.put("profile", new JsonObject().put("name", a.account().displayName()).put("locale", a.account().locale()).getMap());
      }
      if (items.contains("email")) {
        values.put("email", a.account().email());
      }
      List<Future<?>> reads = new ArrayList<>();
      a.residence().ifPresent(r -> {
        if (items.contains("address")) {
          values.put("address", Map.of("locality", r.tenantNameJa(), "country", "JP"));
        }
        if (items.contains("municipality")) {
          values.put("municipality", Map.of("code", r.tenantCode(), "name", r.tenantNameJa(), "name_en", r.tenantNameEn()));
        }
        if (items.contains(DataItems.DISTRICT)) {
          values.put(DataItems.DISTRICT, r.districtCode());
        }
        if (items.contains(DataItems.KANA) || items.contains(DataItems.NAME)) {
          reads.add(residence.record(r.tenantCode(), r.recordId()).onSuccess(rec -> {
            if (items.contains(DataItems.KANA)) {
              values.put(DataItems.KANA, rec.familyKana() + " " + rec.givenKana());
            }
            if (items.contains(DataItems.NAME)) {
              values.put(DataItems.NAME, rec.familyName() + " " + rec.givenName());
            }
          }));
        }
        if (items.contains(DataItems.CHILDREN_NAMES) || items.contains(DataItems.CHILDREN_BIRTH_DATES)) {
          reads.add(residence.household(account).onSuccess(children -> {
            var mine = children.stream().filter(ResidenceService.HouseholdChild::claimed).map(ResidenceService.HouseholdChild::record).toList();
            if (items.contains(DataItems.CHILDREN_NAMES)) {
              values.put(DataItems.CHILDREN_NAMES, mine.stream().map(c -> c.familyName() + " " + c.givenName()).toList());
            }
            if (items.contains(DataItems.CHILDREN_BIRTH_DATES)) {
              values.put(DataItems.CHILDREN_BIRTH_DATES, mine.stream().map(c -> c.birthDate().toString()).toList());
            }
          }));
        }
      });
      return Future.all(reads).map(v -> new CitizenData(subject, values));
    }));
  }
}
