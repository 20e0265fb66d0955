package jp.tsunagu.platform.profile;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import jp.tsunagu.platform.http.Api;
import jp.tsunagu.platform.http.ProblemException;
import jp.tsunagu.platform.profile.Subscription.Kind;
import jp.tsunagu.search.alert.SavedSearch;

/**
 * Citizens' interest profiles and subscriptions. Every code is checked against the municipality
 * (categories against its taxonomy, districts against its districts, pages against its pages) in
 * the transaction that stores it; dates are checked against today in Japan.
 */
public final class ProfileService {
  public static final ZoneId JAPAN = ZoneId.of("Asia/Tokyo");
  static final int MAX_SUBSCRIPTIONS = 100;
  private static final int CHILD_YEARS = 18;
  private static final int DUE_MONTHS = 10;

  private final ProfileRepository repository;
  private final Function<SavedSearch, Future<Void>> searchCheck;
  private final Clock clock;

  /** {@code searchCheck} fails with a 400 problem for a saved search the matcher cannot take. */
  public ProfileService(ProfileRepository repository, Function<SavedSearch, Future<Void>> searchCheck, Clock clock) {
    this.repository = repository;
    this.searchCheck = searchCheck;
    this.clock = clock;
  }

  public LocalDate today() {
    return LocalDate.now(clock.withZone(JAPAN));
  }

  public Future<Optional<Profile>> find(UUID accountId) {
    return repository.find(accountId);
  }

  public Future<Profile> save(Profile draft) {
    return Api.attempt(() -> {
      checkDates(draft);
      return repository.pool().withTransaction(tx -> repository.tenantExists(tx, draft.tenantCode())
          .compose(exists -> exists ? Future.succeededFuture()
              : Future.failedFuture(ProblemException.badRequest("unknown-tenant", "Municipality " + draft.tenantCode() + " does not exist")))
          .compose(v -> repository.unknownCategories(tx, draft.tenantCode(), draft.interests()))
          .compose(unknown -> refuse(unknown, "unknown-category", "Unknown categories of " + draft.tenantCode()))
          .compose(v -> repository.unknownDistricts(tx, draft.tenantCode(), draft.districts()))
          .compose(unknown -> refuse(unknown, "unknown-district", "Unknown districts of " + draft.tenantCode()))
          .compose(v -> repository.save(tx, draft)));
    });
  }

  private void checkDates(Profile p) {
    LocalDate today = today();
    if (p.dueDate() != null) {
      if (p.dueDate().isBefore(today)) {
        throw ProblemException.badRequest("due-date-in-past", "The due date " + p.dueDate() + " has passed; enter the child's birth date instead");
      }
      if (p.dueDate().isAfter(today.plusMonths(DUE_MONTHS))) {
        throw ProblemException.badRequest("due-date-too-far", "The due date " + p.dueDate() + " is more than " + DUE_MONTHS + " months ahead");
      }
    }
    for (LocalDate birth : p.childBirthDates()) {
      if (birth.isAfter(today)) {
        throw ProblemException.badRequest("invalid-birth-date", "The birth date " + birth + " is in the future");
      }
      if (birth.isBefore(today.minusYears(CHILD_YEARS))) {
        throw ProblemException.badRequest("invalid-birth-date", "The birth date " + birth + " is not a child's (over " + CHILD_YEARS + " years ago)");
      }
    }
    if (p.quietStart() != null && p.quietStart().equals(p.quietEnd())) {
      throw ProblemException.badRequest("invalid-quiet-hours", "Quiet hours must start and end at different times");
    }
  }

  public Future<List<Subscription>> subscriptions(UUID accountId) {
    return repository.subscriptions(accountId);
  }

  public Future<Subscription> subscribe(Subscription draft) {
    return Api.attempt(() -> {
      checkShape(draft);
      Future<Void> search = draft.kind() == Kind.SEARCH
          ? searchCheck.apply(new SavedSearch(draft.id().toString(), draft.tenantCode(), draft.searchText(), draft.searchFilters()))
          : Future.succeededFuture();
      return search.compose(v -> repository.pool().withTransaction(tx -> repository.tenantExists(tx, draft.tenantCode())
          .compose(exists -> exists ? Future.succeededFuture()
              : Future.failedFuture(ProblemException.badRequest("unknown-tenant", "Municipality " + draft.tenantCode() + " does not exist")))
          .compose(x -> repository.unknownCategories(tx, draft.tenantCode(), draft.categories()))
          .compose(unknown -> refuse(unknown, "unknown-category", "Unknown categories of " + draft.tenantCode()))
          .compose(x -> draft.kind() != Kind.PAGE ? Future.succeededFuture(true) : repository.pageExists(tx, draft.tenantCode(), draft.pageId()))
          .compose(found -> found ? Future.succeededFuture()
              : Future.failedFuture(ProblemException.badRequest("unknown-page", "Page " + draft.pageId() + " is not a page of " + draft.tenantCode())))
          .compose(x -> repository.countSubscriptions(tx, draft.accountId()))
          .compose(count -> count >= MAX_SUBSCRIPTIONS
              ? Future.failedFuture(ProblemException.unprocessable("too-many-subscriptions", "At most " + MAX_SUBSCRIPTIONS + " subscriptions"))
              : repository.insert(tx, draft))));
    });
  }

  private static void checkShape(Subscription s) {
    switch (s.kind()) {
      case TOPICS -> {
        if (s.categories().isEmpty() && s.tags().isEmpty()) {
          throw ProblemException.badRequest("invalid-subscription", "A topics subscription names at least one category or tag");
        }
      }
      case SEARCH -> {
        if (s.searchText() == null || (s.searchText().isBlank() && s.searchFilters().isEmpty())) {
          throw ProblemException.badRequest("invalid-subscription", "A saved search needs words or filters");
        }
      }
      case PAGE -> {
        if (s.pageId() == null) {
          throw ProblemException.badRequest("invalid-subscription", "A page subscription names the page");
        }
      }
      case TENANT -> { }
    }
    if (s.kind() != Kind.TOPICS && !s.tags().isEmpty()) {
      throw ProblemException.badRequest("invalid-subscription", "Only topics subscriptions take tags");
    }
    if (s.kind() != Kind.TOPICS && s.kind() != Kind.TENANT && !s.categories().isEmpty()) {
      throw ProblemException.badRequest("invalid-subscription", "Only topics and municipality subscriptions take categories");
    }
  }

  /** Removes a subscription; removing one that is gone succeeds. */
  public Future<Void> unsubscribe(UUID accountId, UUID id) {
    return repository.pool().withTransaction(tx -> repository.remove(tx, accountId, id)).mapEmpty();
  }

  public Future<JsonObject> statistics(String tenant) {
    return repository.statistics(tenant);
  }

  private static Future<Void> refuse(List<String> unknown, String type, String what) {
    if (unknown.isEmpty()) {
      return Future.succeededFuture();
    }
    return Future.failedFuture(new ProblemException(400, type, "Invalid request", what + ": " + String.join(", ", unknown),
        new JsonObject().put("unknown", new io.vertx.core.json.JsonArray(new ArrayList<>(unknown)))));
  }
}
