package jp.tsunagu.platform.cluster;

import java.io.IOException;
import java.net.CookieHandler;
import java.net.CookieManager;
import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * Lets a second client present the cookies a first client received from another node, as a
 * browser does when a load balancer sends its requests to different nodes of one site.
 */
final class CookieRelay extends CookieHandler {
  private final CookieManager jar;
  private final URI site;

  CookieRelay(CookieManager jar, URI site) {
    this.jar = jar;
    this.site = site;
  }

  @Override
  public Map<String, List<String>> get(URI uri, Map<String, List<String>> requestHeaders) throws IOException {
    return jar.get(site.resolve(uri.getRawPath()), requestHeaders);
  }

  @Override
  public void put(URI uri, Map<String, List<String>> responseHeaders) throws IOException {
    jar.put(site.resolve(uri.getRawPath()), responseHeaders);
  }
}
