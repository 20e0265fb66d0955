package jp.tsunagu.platform.crawl;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;

/** Whether an address is on the public internet (not loopback, private, link-local, shared, multicast or unique-local). */
final class PublicAddress {
  private PublicAddress() {}

  static boolean isPublic(InetAddress a) {
    if (a.isAnyLocalAddress() || a.isLoopbackAddress() || a.isLinkLocalAddress() || a.isSiteLocalAddress()
        || a.isMulticastAddress()) {
      return false;
    }
    byte[] b = a.getAddress();
    if (a instanceof Inet4Address) {
      int first = b[0] & 0xff;
      int second = b[1] & 0xff;
      return !(first == 0 || first == 100 && second >= 64 && second <= 127 // shared address space (RFC 6598)
          || first == 192 && second == 0 && (b[2] & 0xff) == 0 || first >= 240);
    }
    if (a instanceof Inet6Address) {
      int first = b[0] & 0xff;
      boolean uniqueLocal = (first & 0xfe) == 0xfc;
      boolean mappedV4 = java.util.Arrays.equals(java.util.Arrays.copyOf(b, 12),
          new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff});
      if (mappedV4) {
        try {
          return isPublic(InetAddress.getByAddress(java.util.Arrays.copyOfRange(b, 12, 16)));
        } catch (java.net.UnknownHostException e) {
          return false;
        }
      }
      return !uniqueLocal;
    }
    return false;
  }
}
