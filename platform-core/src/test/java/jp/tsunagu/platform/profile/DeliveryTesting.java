package jp.tsunagu.platform.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jp.tsunagu.api.client.CitizenApi;
import jp.tsunagu.api.invoker.ApiClient;
import jp.tsunagu.api.invoker.ApiException;
import jp.tsunagu.api.model.SignInRequest;
import jp.tsunagu.platform.testing.Fixtures;
import jp.tsunagu.platform.testing.TestPlatform;
import org.junit.jupiter.api.function.Executable;

/** Shared moves of the delivery tests: signed-in citizens, expected problems. */
public final class DeliveryTesting {
  private DeliveryTesting() {}

  /** A verified citizen signed in on the node (own cookie jar). */
  public static ApiClient citizen(TestPlatform node, String email) throws ApiException {
    new Fixtures(node).verifiedCitizen(email);
    return signedIn(node, email);
  }

  public static ApiClient signedIn(TestPlatform node, String email) throws ApiException {
    ApiClient client = node.client();
    new CitizenApi(client).signIn(new SignInRequest().email(email).password(Fixtures.PASSWORD));
    return client;
  }

  /** The call fails with the status and the problem type. */
  public static void problem(int status, String type, Executable call) {
    ApiException e = assertThrows(ApiException.class, call);
    assertEquals(status, e.getCode(), e.getResponseBody());
    assertTrue(e.getResponseBody().contains("\"" + type) || e.getResponseBody().contains("/" + type + "\""),
        "expected problem " + type + ", got " + e.getResponseBody());
  }
}
