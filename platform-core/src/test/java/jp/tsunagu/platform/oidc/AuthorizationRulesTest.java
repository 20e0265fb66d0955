package jp.tsunagu.platform.oidc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The flow's state machine, assurance levels, PKCE hashing and scope parsing. */
class AuthorizationRulesTest {

  @Test
  void discoverySaysWhetherEveryClientMustPush() {
    assertEquals("https://id.example/oauth2/par",
        Discovery.document("https://id.example", false).getString("pushed_authorization_request_endpoint"));
    assertFalse(Discovery.document("https://id.example", false).getBoolean("require_pushed_authorization_requests"));
    assertTrue(Discovery.document("https://id.example", true).getBoolean("require_pushed_authorization_requests"));
  }

  @Test
  void flowTransitionsAreTheDocumentedOnes() {
    assertTrue(FlowState.LOGIN.canMoveTo(FlowState.CONSENT));
    assertTrue(FlowState.CONSENT.canMoveTo(FlowState.CONSENT));
    assertTrue(FlowState.CONSENT.canMoveTo(FlowState.DONE));
    assertTrue(FlowState.LOGIN.canMoveTo(FlowState.DENIED));
    assertFalse(FlowState.LOGIN.canMoveTo(FlowState.DONE), "no code without consent");
    assertFalse(FlowState.DONE.canMoveTo(FlowState.CONSENT));
    assertFalse(FlowState.DONE.canMoveTo(FlowState.DONE), "a flow gives one code");
    assertFalse(FlowState.DENIED.canMoveTo(FlowState.CONSENT));
    assertTrue(FlowState.PUSHED.canMoveTo(FlowState.LOGIN), "a pushed request starts its sign-in");
    assertFalse(FlowState.LOGIN.canMoveTo(FlowState.LOGIN), "a request_uri starts one sign-in only");
    assertFalse(FlowState.PUSHED.canMoveTo(FlowState.CONSENT), "no browser has signed in to a pushed request");
    assertFalse(FlowState.PUSHED.canMoveTo(FlowState.DENIED));
    Flow done = new Flow(java.util.UUID.randomUUID(), "c", FlowState.DONE, null, null, null, null, null, null, null, java.time.Instant.MAX);
    assertThrows(Flow.FlowConflict.class, () -> done.requireMove(FlowState.DONE));
  }

  @Test
  void acrValuesAreMetOrNot() {
    assertEquals(Optional.of(Acr.EMAIL), Acr.choose(List.of(), false));
    assertEquals(Optional.of(Acr.RESIDENT), Acr.choose(List.of(), true));
    assertEquals(Optional.empty(), Acr.choose(List.of(Acr.RESIDENT), false));
    assertEquals(Optional.of(Acr.RESIDENT), Acr.choose(List.of(Acr.RESIDENT), true));
    assertEquals(Optional.of(Acr.EMAIL), Acr.choose(List.of(Acr.RESIDENT, Acr.EMAIL), false));
    assertEquals(Optional.of(Acr.EMAIL), Acr.choose(List.of("urn:other:loa:4"), false), "unknown values are not ours to refuse");
  }

  @Test
  void atHashIsTheLeftHalfOfTheSha256() {
    // OIDC Core §3.1.3.6; the expected value was computed independently (Python hashlib)
    assertEquals("E9Melhoa2OwvFrEMTJguCA", TokenService.halfHash("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"));
  }

  @Test
  void scopesAreSpaceSeparatedNames() {
    assertEquals(Set.of("openid", "email"), Scopes.parse("openid  email"));
    assertEquals(null, Scopes.parse("openid Email"));
    assertTrue(Scopes.parse("").isEmpty());
  }

  @Test
  void pairwiseSubjectsDependOnSectorAndAccount() {
    Subjects s = new Subjects(new byte[32]);
    java.util.UUID a = java.util.UUID.randomUUID();
    assertEquals(s.pairwise("library.example", a), s.pairwise("library.example", a));
    assertFalse(s.pairwise("library.example", a).equals(s.pairwise("school.example", a)));
    assertFalse(s.pairwise("library.example", a).equals(new Subjects(new byte[] {1}).pairwise("library.example", a)));
  }
}
