package jp.tsunagu.platform.oidc;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the provider's own RS256 and ES256 signatures are computed. With Amazon Corretto Crypto
 * Provider (AWS-LC, native) an RSA-2048 signature costs about a quarter of the JDK's and an ES256
 * one about an eighth; the algorithms, keys and tokens are the same. Keys are translated into the
 * provider's native form once, when their signer is made, so no signature pays for it. Where the
 * native library cannot load (another operating system or architecture), or when it is turned off,
 * the JDK's providers sign.
 */
final class SignatureProvider {
  private static final Logger LOG = LoggerFactory.getLogger(SignatureProvider.class);

  private final Provider provider;

  private SignatureProvider(Provider provider) {
    this.provider = provider;
  }

  /** The native provider if asked for and healthy here, else the JDK's. */
  static SignatureProvider choose(boolean nativeWanted) {
    if (!nativeWanted) {
      LOG.info("token signatures: JDK providers (native signatures turned off)");
      return new SignatureProvider(null);
    }
    try {
      AmazonCorrettoCryptoProvider accp = AmazonCorrettoCryptoProvider.INSTANCE;
      if (accp.getLoadingError() != null) {
        LOG.info("token signatures: JDK providers (native provider not loadable here: {})", accp.getLoadingError().toString());
        return new SignatureProvider(null);
      }
      accp.assertHealthy();
      LOG.info("token signatures: {} {}", accp.getName(), accp.getVersionStr());
      return new SignatureProvider(accp);
    } catch (RuntimeException | LinkageError e) {
      LOG.info("token signatures: JDK providers (native provider not usable here: {})", e.toString());
      return new SignatureProvider(null);
    }
  }

  /** Whether signatures run natively. */
  boolean isNative() {
    return provider != null;
  }

  /** A signer for one of the provider's keys, its private key in this provider's form. */
  CompactSigner compactSigner(KeySet.Key key) throws JOSEException {
    PrivateKey privateKey = key.jwk() instanceof RSAKey rsa ? rsa.toPrivateKey() : key.jwk().toECKey().toPrivateKey();
    return new CompactSigner(key.alg(), key.kid(), provider == null ? privateKey : translate(key.jwk() instanceof RSAKey ? "RSA" : "EC",
        privateKey), provider);
  }

  JWSVerifier verifier(JWK jwk) throws JOSEException {
    if (jwk instanceof RSAKey rsa) {
      if (provider == null) {
        return new RSASSAVerifier(rsa);
      }
      RSASSAVerifier verifier = new RSASSAVerifier((RSAPublicKey) translate("RSA", rsa.toPublicKey()));
      verifier.getJCAContext().setProvider(provider);
      return verifier;
    }
    ECKey ec = jwk.toECKey();
    if (provider == null) {
      return new ECDSAVerifier(ec);
    }
    ECDSAVerifier verifier = new ECDSAVerifier((ECPublicKey) translate("EC", ec.toPublicKey()));
    verifier.getJCAContext().setProvider(provider);
    return verifier;
  }

  @SuppressWarnings("unchecked")
  private <K extends Key> K translate(String family, K key) throws JOSEException {
    try {
      return (K) KeyFactory.getInstance(family, provider).translateKey(key);
    } catch (GeneralSecurityException e) {
      throw new JOSEException("the native provider cannot take this " + family + " key", e);
    }
  }
}
