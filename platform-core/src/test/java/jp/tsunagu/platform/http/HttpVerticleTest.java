package jp.tsunagu.platform.http;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Which of the node's two routers a request path goes to. */
class HttpVerticleTest {
  @Test
  void theApiIsTheContractsPathsAsTheRouterSeesThem() {
    for (String api : new String[] {"/api", "/api/", "/api/v1/me", "/health/live", "/health", "/x/../api/v1/me", "/%61pi/v1/me",
        "/./api/v1/me", "/static/../health/ready"}) {
      assertTrue(HttpVerticle.isApi(api), api);
    }
    for (String site : new String[] {"/", "/apiary", "/healthy", "/oauth2/token", "/.well-known/openid-configuration",
        "/api/../oauth2/token", "/sign-in", "/static/app.css", "/metrics", "/openapi.yaml", "/api-docs", "/%2Fapi/v1/me"}) {
      assertFalse(HttpVerticle.isApi(site), site);
    }
  }
}
