package jp.tsunagu.platform.oidc;

/** Event-bus addresses of the OpenID provider. */
public final class OidcAddresses {
  /** Published by the node that stored a new signing key; every node reloads the key set. */
  public static final String KEYS_CHANGED = "oidc.keys.changed";

  private OidcAddresses() {}
}
