package jp.tsunagu.platform.oidc;

/** Event-bus addresses of the OpenID provider. */
public final class OidcAddresses {
  /** Published by the node that stored a new signing key; every node reloads the key set. */
  public static final String KEYS_CHANGED = "oidc.keys.changed";

  /** Published when a client is registered or removed; every node drops its cached copy. */
  public static final String CLIENT_CHANGED = "oidc.client.changed";

  private OidcAddresses() {}
}
